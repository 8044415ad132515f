import GuildhallCore
import GuildhallJobs

/// Giveaways' jobs: the scheduled start, and the ending (scheduled at the end time, or
/// enqueued by `/giveaway end`). The ending's claim is the job's id, so a retry of the same
/// job carries on where a dead worker stopped and any other run does nothing.
public enum GiveawayJobs {
    public struct Target: Codable, Sendable, Equatable {
        public var giveaway: Int64

        public init(giveaway: Int64) {
            self.giveaway = giveaway
        }
    }

    public static let start = JobKind<Target>(uncheckedName: "giveaways.start", timeout: .seconds(30))
    public static let end = JobKind<Target>(uncheckedName: "giveaways.end", timeout: .seconds(120))

    public static func register(in registry: inout JobRegistry, giveaways: GiveawayService) throws {
        try registry.register(start) { context, payload in
            try await giveaways.start(payload.giveaway, guild: context.guild)
        }
        try registry.register(end) { context, payload in
            _ = try await giveaways.end(payload.giveaway, guild: context.guild, claimant: "job:\(context.jobID)", logger: context.logger)
        }
    }
}

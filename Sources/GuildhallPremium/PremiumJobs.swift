import GuildhallCore
import GuildhallJobs
import Logging
import Synchronization

/// Where the hourly sync gets Discord's listing: set by the processes that hold the bot's
/// REST client (serve, gateway, or a worker given DISCORD_TOKEN). Unset, the sync skips.
public final class PremiumSyncSource: Sendable {
    private let lister = Mutex<PremiumSync.Lister?>(nil)

    public init() {}

    public func set(_ list: @escaping PremiumSync.Lister) {
        lister.withLock { $0 = list }
    }

    var current: PremiumSync.Lister? { lister.withLock { $0 } }
}

/// The premium sync as a recurring job: once an hour, in one worker of the deployment
/// (the durable scheduler hands each run out once).
public enum PremiumJobs {
    public struct SyncPayload: Codable, Sendable, Equatable {
        public init() {}
    }

    public static let sync = JobKind<SyncPayload>(uncheckedName: "premium.sync", timeout: .seconds(300))
    public static let syncScheduleKey = "premium.sync.hourly"
    public static let syncRule = try! RecurrenceRule.interval(.seconds(3_600))

    public static func register(in registry: inout JobRegistry, premium: PremiumService, source: PremiumSyncSource) throws {
        try registry.register(sync) { context, _ in
            _ = try await runSync(premium: premium, source: source, logger: context.logger)
        }
    }

    /// One sync; nil when this process has no Discord credentials to list with.
    public static func runSync(premium: PremiumService, source: PremiumSyncSource, logger: Logger) async throws -> Int? {
        guard let list = source.current else {
            logger.info("premium sync skipped: this process has no Discord credentials to list entitlements with")
            return nil
        }
        return try await PremiumSync(premium: premium, logger: logger, list: list).run()
    }

    /// Makes sure the hourly sync is scheduled (an unchanged schedule is left alone).
    public static func installSchedules(on queue: JobQueue) async throws {
        try await queue.recurring(sync, SyncPayload(), rule: syncRule, key: syncScheduleKey)
    }
}

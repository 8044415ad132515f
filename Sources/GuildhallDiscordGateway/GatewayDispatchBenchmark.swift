import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Logging
import NIOCore
import Synchronization

/// Measures the gateway's hot path without sockets: the shards of a real `ShardManager`
/// each handle MESSAGE_CREATE frames exactly as their WebSocket readers do (decode, state
/// machine, metrics, delivery), concurrently, while one consumer reads the manager's event
/// sequence and dispatches each event. The figure is what one process can decode and
/// dispatch; `guildhall bench gateway` can print it beside the end-to-end sandbox run.
public enum GatewayDispatchBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public let events: Int
        public let shards: Int
        public let duration: Duration
        /// The most events yielded by the shards but not yet consumed at one time.
        public let maximumInFlight: Int
        /// Messages whose content the consumer read (a check the events were really decoded).
        public let contentBytes: Int

        public var eventsPerSecond: Double {
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return seconds > 0 ? Double(events) / seconds : 0
        }

        public var description: String {
            "\(events) MESSAGE_CREATE events over \(shards) shard(s) in \(duration): \(Int(eventsPerSecond)) events/s decoded and dispatched, at most \(maximumInFlight) in flight"
        }
    }

    /// `count` MESSAGE_CREATE frames as the gateway sends them, spread over `guilds` mock guilds
    /// (snowflakes in 2090, never real), numbered from sequence 2 (READY is 1).
    public static func messageFrames(count: Int, guilds: Int = 40, contentLength: Int = 64) -> [ByteBuffer] {
        precondition(count > 0 && guilds > 0, "need at least one frame and one guild")
        let base: UInt64 = (3_786_912_000_000 - Snowflake.discordEpochMilliseconds) << 22
        let content = String(repeating: "gg ", count: contentLength / 3 + 1).prefix(contentLength)
        return (0..<count).map { index in
            let guild = base + UInt64(index % guilds) << 22
            let id = base + UInt64(count + index) << 22
            let author = base + UInt64(index % 500 + 7) << 22 + 1
            let text = """
                {"t":"MESSAGE_CREATE","s":\(index + 2),"op":0,"d":{"type":0,"tts":false,"timestamp":"2090-01-01T00:00:00.000000+00:00","pinned":false,\
                "nonce":"\(index)","mentions":[],"mention_roles":[],"mention_everyone":false,"member":{"roles":["\(guild + 1)"],\
                "premium_since":null,"pending":false,"nick":null,"mute":false,"joined_at":"2089-12-01T00:00:00.000000+00:00",\
                "flags":0,"deaf":false,"communication_disabled_until":null,"avatar":null},"id":"\(id)","flags":0,"embeds":[],\
                "edited_timestamp":null,"content":"\(content)","components":[],"channel_type":0,"channel_id":"\(guild + 2)",\
                "author":{"username":"member\(index % 500)","public_flags":0,"id":"\(author)","global_name":null,\
                "discriminator":"0","avatar_decoration_data":null,"avatar":null},"attachments":[],"guild_id":"\(guild)"}}
                """
            return ByteBuffer(string: text)
        }
    }

    /// Runs `frames` through each of `shards` shards of a real `ShardManager`, concurrently,
    /// and consumes the manager's event sequence, as a bot's gateway role does.
    public static func run(framesPerShard frames: [ByteBuffer], shards: Int = 2) async throws -> Result {
        precondition(shards > 0, "need at least one shard")
        let configuration = ShardManager.Configuration(
            token: "benchmark", intents: [.guildMessages], shardIDs: Array(0..<shards), shardCount: shards,
            gatewayURL: "ws://127.0.0.1:9/"
        )
        let manager = try ShardManager(configuration: configuration, logger: Logger(label: "benchmark", factory: { _ in SwiftLogNoOpLogHandler() }))
        for id in manager.shardIDs { manager.shard(id: id)?.primeForBenchmark() }
        let progress = BenchmarkProgress()
        let expected = frames.count * shards
        let start = ContinuousClock.now
        return try await withThrowingTaskGroup(of: (events: Int, bytes: Int, peak: Int).self) { group in
            group.addTask {
                var consumed = 0
                var bytes = 0
                var peak = 0
                for await item in manager.events {
                    if case .messageCreate(let message) = item.event { bytes += message.content.utf8.count }
                    consumed += 1
                    if consumed & 1023 == 0 { peak = max(peak, progress.produced - consumed) }
                    if consumed == expected { break }
                }
                return (consumed, bytes, peak)
            }
            for id in manager.shardIDs {
                guard let shard = manager.shard(id: id) else { continue }
                group.addTask {
                    var counters = GatewayEventCounters(shard: String(id))
                    for (number, frame) in frames.enumerated() {
                        await shard.handle(message: frame, connection: 1, outbound: nil, counters: &counters)
                        if number & 255 == 255 { progress.advance(by: 256) }
                    }
                    return (0, 0, 0)
                }
            }
            var outcome = (events: 0, bytes: 0, peak: 0)
            while let finished = try await group.next() {
                if finished.events > 0 { outcome = finished }
            }
            group.cancelAll()
            return Result(
                events: outcome.events, shards: shards, duration: start.duration(to: .now),
                maximumInFlight: outcome.peak, contentBytes: outcome.bytes
            )
        }
    }

    /// How many frames the shards have handled (each adds in batches, so it rarely contends).
    final class BenchmarkProgress: Sendable {
        private let count = Atomic<Int>(0)

        func advance(by amount: Int) {
            count.add(amount, ordering: .relaxed)
        }

        var produced: Int { count.load(ordering: .relaxed) }
    }

    /// A machine past READY, so frames go straight to dispatch.
    static func connectedMachine(shard: Int, count: Int) -> ShardStateMachine {
        let configuration = ShardStateMachine.Configuration(
            token: "benchmark", intents: [.guildMessages], shard: GatewayShardInfo(id: shard, count: count)!,
            gatewayURL: "wss://gateway.invalid/"
        )
        var machine = ShardStateMachine(configuration: configuration, random: ShardRandomSource { 0.5 })
        let now = ContinuousClock.now
        _ = machine.start(now: now)
        _ = machine.connectionOpened(now: now)
        _ = machine.received(.hello(GatewayHello(heartbeatInterval: 41_250)), now: now)
        _ = machine.identifyPermitGranted(now: now)
        let ready = GatewayReady(
            user: User(id: Snowflake(1), username: "benchmark", bot: true), guilds: [], sessionID: "benchmark",
            resumeGatewayURL: "wss://gateway.invalid", shard: GatewayShardInfo(id: shard, count: count), application: .init(id: Snowflake(2))
        )
        _ = machine.received(.dispatch(sequence: 1, event: .ready(ready)), now: now)
        return machine
    }
}

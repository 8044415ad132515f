import Foundation
import GuildhallCore
import GuildhallDiscordModels
import NIOCore
import Synchronization

/// Measures the gateway's hot path without sockets: each shard decodes MESSAGE_CREATE
/// frames, feeds them through its `ShardStateMachine`, and yields the events into one
/// stream that a consumer dispatches (switching on the event, reading the message). The
/// same path a `ShardManager` runs per frame, so the figure is what one process can decode
/// and dispatch. `guildhall bench gateway` reports it beside the end-to-end sandbox run.
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

    /// Runs `framesPerShard` through `shards` concurrent shard pipelines into one consumer.
    public static func run(framesPerShard frames: [ByteBuffer], shards: Int = 2) async throws -> Result {
        precondition(shards > 0, "need at least one shard")
        let (stream, continuation) = AsyncStream.makeStream(of: ShardEvent.self, bufferingPolicy: .unbounded)
        let gauge = InFlightGauge()
        let start = ContinuousClock.now
        return try await withThrowingTaskGroup(of: Outcome.self) { group in
            group.addTask {
                var consumed = 0
                var bytes = 0
                for await item in stream {
                    gauge.consumed()
                    if case .messageCreate(let message) = item.event { bytes += message.content.utf8.count }
                    consumed += 1
                }
                return .consumed(events: consumed, contentBytes: bytes)
            }
            for shard in 0..<shards {
                group.addTask {
                    var machine = Self.connectedMachine(shard: shard, count: shards)
                    for frame in frames {
                        let payload = try GatewayFrameDecoder.decode(frame)
                        for case .dispatch(let event, let sequence) in machine.received(payload, now: .now) {
                            gauge.produced()
                            continuation.yield(ShardEvent(shardID: shard, sequence: sequence, event: event))
                        }
                    }
                    return .produced
                }
            }
            var producing = shards
            var events = 0
            var bytes = 0
            while let outcome = try await group.next() {
                switch outcome {
                case .produced:
                    producing -= 1
                    if producing == 0 { continuation.finish() }
                case .consumed(let count, let contentBytes):
                    events = count
                    bytes = contentBytes
                }
            }
            return Result(events: events, shards: shards, duration: start.duration(to: .now), maximumInFlight: gauge.peak, contentBytes: bytes)
        }
    }

    enum Outcome: Sendable {
        case produced
        case consumed(events: Int, contentBytes: Int)
    }

    /// Events yielded but not yet consumed, and the most there ever were.
    final class InFlightGauge: Sendable {
        private let current = Atomic<Int>(0)
        private let highest = Atomic<Int>(0)

        func produced() {
            let now = current.add(1, ordering: .relaxed).newValue
            if now > highest.load(ordering: .relaxed) { highest.store(now, ordering: .relaxed) }
        }

        func consumed() {
            current.subtract(1, ordering: .relaxed)
        }

        var peak: Int { highest.load(ordering: .relaxed) }
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

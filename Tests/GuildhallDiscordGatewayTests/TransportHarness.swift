import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Logging
import Synchronization
import GuildhallTestSupport
import Testing
@testable import GuildhallDiscordGateway

/// Collects what a shard delivers.
final class EventLog: Sendable {
    private let events = Mutex<[ShardEvent]>([])

    func append(_ event: ShardEvent) {
        events.withLock { $0.append(event) }
    }

    var all: [ShardEvent] { events.withLock { $0 } }

    func named(_ name: String, shard: Int? = nil) -> [ShardEvent] {
        all.filter { $0.event.name == name && (shard == nil || $0.shardID == shard) }
    }

    func sequences(shard: Int) -> [Int] {
        all.filter { $0.shardID == shard }.compactMap(\.sequence)
    }
}

/// Waits until `condition` holds (TestSupport's `waitUntil`), for at most `timeout`; a
/// timeout is recorded as a test issue naming `what` and thrown, so the test stops there.
func eventually(
    _ what: String, timeout: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () -> Bool
) async throws {
    guard await waitUntil(timeout: timeout, condition) else {
        Issue.record("timed out waiting for: \(what)", sourceLocation: sourceLocation)
        throw GuildhallError(.unavailable, "timed out waiting for \(what)")
    }
}

/// Awaits a task's result for at most `timeout`; nil when it did not finish.
func result<T: Sendable>(of task: Task<T, any Error>, within timeout: Duration = .seconds(15)) async -> Result<T, any Error>? {
    await withTaskGroup(of: Result<T, any Error>?.self) { group in
        group.addTask { await task.result }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}

enum Transport {
    static let token = "transport-test-token"
    static let quiet = Logger(label: "gateway-test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Settings that keep the tests quick: short waits, one fixed random draw.
    static func configuration(
        server: ScriptedGateway, shard: Int = 0, count: Int = 1, maxConcurrency: Int = 1,
        sendLimit: GatewaySendLimiter = GatewaySendLimiter()
    ) -> GatewayShard.Configuration {
        let protocolConfiguration = ShardStateMachine.Configuration(
            token: token, intents: [.guilds, .guildMessages, .messageContent], shard: GatewayShardInfo(id: shard, count: count)!,
            gatewayURL: server.baseURL, helloTimeout: .seconds(5), sessionTimeout: .seconds(10),
            invalidSessionWait: .milliseconds(100) ... .milliseconds(200),
            backoff: ReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        )
        return GatewayShard.Configuration(
            protocolConfiguration: protocolConfiguration, maxConcurrency: maxConcurrency, connectTimeout: .seconds(5),
            closeTimeout: .seconds(2), sendLimit: sendLimit, permitRetryDelay: .milliseconds(100)
        )
    }

    static func shard(
        _ configuration: GatewayShard.Configuration, limiter: any IdentifyLimiter = InProcessIdentifyLimiter(spacing: .milliseconds(50))
    ) -> (GatewayShard, EventLog) {
        let log = EventLog()
        let shard = GatewayShard(
            configuration: configuration, identifyLimiter: limiter, random: ShardRandomSource { 0.5 }, logger: quiet
        ) { log.append($0) }
        return (shard, log)
    }

    static func message(guild: Snowflake, number: Int) -> GatewayEvent {
        .messageCreate(Message(
            id: Snowflake(guild.rawValue + UInt64(number)), channelID: Snowflake(guild.rawValue + 1), guildID: guild,
            author: User(id: Snowflake(guild.rawValue + 2), username: "member"), content: "message \(number)",
            timestamp: DiscordTimestamp(millisecondsSinceEpoch: Int64(MockFactory.referenceNowMilliseconds))
        ))
    }

    /// The text of a MESSAGE_CREATE event, to check payloads arrived intact.
    static func content(_ event: ShardEvent) -> String? {
        if case .messageCreate(let message) = event.event { return message.content }
        return nil
    }
}

/// A running shard and its scripted server, torn down at the end of a test.
struct RunningShard {
    let server: ScriptedGateway
    let shard: GatewayShard
    let log: EventLog
    let task: Task<Void, any Error>

    static func start(
        options: ScriptedGateway.Options = .init(), limiter: any IdentifyLimiter = InProcessIdentifyLimiter(spacing: .milliseconds(50)),
        configure: (inout GatewayShard.Configuration) -> Void = { _ in }
    ) async throws -> RunningShard {
        let server = ScriptedGateway(options: options)
        try await server.start()
        var configuration = Transport.configuration(server: server)
        configure(&configuration)
        let (shard, log) = Transport.shard(configuration, limiter: limiter)
        let task = Task { try await shard.run() }
        return RunningShard(server: server, shard: shard, log: log, task: task)
    }

    func waitForReady(count: Int = 1) async throws {
        try await eventually("READY × \(count)") { log.named("READY").count >= count && shard.status == .connected }
    }

    /// Stops the shard and the server; returns how the run ended.
    @discardableResult
    func finish() async -> Result<Void, any Error>? {
        await shard.stop()
        let outcome = await result(of: task)
        if outcome == nil { Issue.record("the shard did not stop") }
        await server.stop()
        return outcome
    }
}

/// A thread-safe list tasks append to.
final class Recorder<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])

    func append(_ item: Element) {
        items.withLock { $0.append(item) }
    }

    var all: [Element] { items.withLock { $0 } }
}

import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Synchronization
@testable import GuildhallDiscordGateway

/// A clock the test moves by hand; every instant is shown relative to its origin.
struct ManualClock {
    let origin = ContinuousClock.now
    var elapsed: Duration = .zero

    var now: ContinuousClock.Instant { origin + elapsed }

    mutating func advance(by duration: Duration) {
        elapsed += duration
    }

    mutating func advance(to instant: ContinuousClock.Instant) {
        elapsed = origin.duration(to: instant)
    }

    func offset(_ instant: ContinuousClock.Instant) -> String {
        "+\(origin.duration(to: instant).wholeMilliseconds)ms"
    }
}

/// Random numbers from a fixed list (then its last value forever).
final class ScriptedRandom: Sendable {
    private let values: Mutex<[Double]>

    init(_ values: [Double]) {
        precondition(!values.isEmpty)
        self.values = Mutex(values)
    }

    var source: ShardRandomSource {
        ShardRandomSource { [self] in
            values.withLock { values in values.count > 1 ? values.removeFirst() : values[0] }
        }
    }
}

/// Builds machines and payloads for the table-driven state machine tests.
enum Harness {
    static let token = "test-token.not-real"
    static let gatewayURL = "wss://gateway.test.invalid/"
    static let resumeURL = "wss://resume.test.invalid"
    static let gatewayConnect = "connect wss://gateway.test.invalid/?v=10&encoding=json"
    static let resumeConnect = "connect wss://resume.test.invalid/?v=10&encoding=json"

    static func configuration(shard: Int = 1, count: Int = 4) -> ShardStateMachine.Configuration {
        ShardStateMachine.Configuration(
            token: token, intents: [.guilds, .guildMessages], shard: GatewayShardInfo(id: shard, count: count)!,
            gatewayURL: gatewayURL, largeThreshold: 100
        )
    }

    static func machine(random: [Double] = [0.5]) -> ShardStateMachine {
        ShardStateMachine(configuration: configuration(), random: ScriptedRandom(random).source)
    }

    static func ready(session: String = "session-1", shard: Int = 1, count: Int = 4) -> GatewayServerPayload {
        var factory = MockFactory(seed: 7)
        let bot = User(id: factory.snowflake(), username: "guildhall-test", bot: true)
        let ready = GatewayReady(
            user: bot, guilds: [UnavailableGuild(id: factory.snowflake())], sessionID: session,
            resumeGatewayURL: resumeURL, shard: GatewayShardInfo(id: shard, count: count),
            application: .init(id: factory.snowflake(), flags: 0)
        )
        return .dispatch(sequence: 1, event: .ready(ready))
    }

    static func dispatch(_ sequence: Int?, name: String = "TYPING_START") -> GatewayServerPayload {
        .dispatch(sequence: sequence, event: .unknown(name: name, data: GatewayRawJSON(bytes: Array("{}".utf8))))
    }

    static let hello = GatewayServerPayload.hello(GatewayHello(heartbeatInterval: 40_000))

    /// One line per action, so a whole transition reads as a list of strings.
    static func describe(_ actions: [ShardAction], clock: ManualClock) -> [String] {
        actions.map { action in
            switch action {
            case .connect(let url): "connect \(url)"
            case .send(.heartbeat(let sequence)): "heartbeat \(sequence.map(String.init) ?? "null")"
            case .send(.identify(let identify)): "identify \(identify.shard?.description ?? "-")"
            case .send(.resume(let resume)): "resume \(resume.sessionID) \(resume.sequence)"
            case .send(let command): "send \(command)"
            case .scheduleTimer(let instant): "timer \(clock.offset(instant))"
            case .cancelTimer: "cancel timer"
            case .closeConnection(let code, let reason): "close \(code.rawValue) \(reason.rawValue)"
            case .requestIdentifyPermit: "permit"
            case .dispatch(let event, let sequence): "dispatch \(event.name) \(sequence.map(String.init) ?? "null")"
            case .heartbeatAcknowledged(let latency): "ack \(latency.wholeMilliseconds)ms"
            case .sessionEstablished(let resumed): resumed ? "resumed" : "ready"
            case .fail(let error): "fail \(error.code)"
            }
        }
    }
}

/// A machine and its clock, with each input returning the described actions.
struct Driver {
    var machine: ShardStateMachine
    var clock = ManualClock()

    init(random: [Double] = [0.5], machine: ShardStateMachine? = nil) {
        self.machine = machine ?? Harness.machine(random: random)
    }

    mutating func start() -> [String] { Harness.describe(machine.start(now: clock.now), clock: clock) }
    mutating func opened() -> [String] { Harness.describe(machine.connectionOpened(now: clock.now), clock: clock) }
    mutating func closed(_ code: GatewayCloseCode?) -> [String] { Harness.describe(machine.connectionClosed(code: code, now: clock.now), clock: clock) }
    mutating func receive(_ payload: GatewayServerPayload) -> [String] { Harness.describe(machine.received(payload, now: clock.now), clock: clock) }
    mutating func permit() -> [String] { Harness.describe(machine.identifyPermitGranted(now: clock.now), clock: clock) }
    mutating func timer() -> [String] { Harness.describe(machine.timerFired(now: clock.now), clock: clock) }
    mutating func stop() -> [String] { Harness.describe(machine.stop(now: clock.now), clock: clock) }
    mutating func advance(_ duration: Duration) { clock.advance(by: duration) }

    /// Runs a fresh session up to READY (sequence 1) and returns the driver there.
    static func connected(random: [Double] = [0.5]) -> Driver {
        var driver = Driver(random: random)
        _ = driver.start()
        _ = driver.opened()
        _ = driver.receive(Harness.hello)
        _ = driver.permit()
        _ = driver.receive(Harness.ready())
        return driver
    }
}

import GuildhallCore
import GuildhallDiscordModels
import Testing
@testable import GuildhallDiscordGateway

/// The shard protocol, transition by transition, on a manual clock. Random draws are
/// fixed (0.5 unless a test says otherwise), so every instant is exact.
@Suite("ShardStateMachine")
struct ShardStateMachineTests {
    @Test func freshSessionConnectsHeartbeatsWithJitterAndIdentifiesOnlyWithAPermit() throws {
        var driver = Driver(random: [0.25])
        #expect(driver.machine.status == .idle)
        #expect(driver.start() == [Harness.gatewayConnect])
        #expect(driver.machine.status == .starting)
        #expect(driver.start() == [], "a second start does nothing")
        driver.advance(.seconds(1))
        #expect(driver.opened() == ["timer +21000ms"], "hello timeout armed")
        driver.advance(.seconds(1))
        // First heartbeat after interval × jitter = 40 s × 0.25 = 10 s.
        #expect(driver.receive(Harness.hello) == ["permit", "timer +12000ms"])
        #expect(driver.machine.heartbeatInterval == .seconds(40))
        // No identify without a permit; heartbeats go on meanwhile (sequence still null).
        driver.advance(.seconds(10))
        #expect(driver.timer() == ["heartbeat null", "timer +52000ms"])
        #expect(driver.receive(.heartbeatAck) == ["ack 0ms"])
        #expect(driver.machine.lastHeartbeatLatency == .zero)
        driver.advance(.seconds(1))
        // The permit: Identify with token, intents and [shard, count]; READY due within the session timeout.
        let actions = driver.machine.identifyPermitGranted(now: driver.clock.now)
        guard case .send(.identify(let identify))? = actions.first else {
            Issue.record("expected an identify, got \(actions)")
            return
        }
        #expect(identify.token == Harness.token)
        #expect(identify.intents == [.guilds, .guildMessages])
        #expect(identify.shard == GatewayShardInfo(id: 1, count: 4))
        #expect(identify.largeThreshold == 100)
        #expect(identify.compress == false)
        #expect(driver.permit() == [], "a second permit is not used")
        #expect(driver.receive(Harness.ready()) == ["ready", "dispatch READY 1"])
        #expect(driver.machine.status == .connected)
        #expect(driver.machine.canSendCommands)
        #expect(driver.machine.session == ShardStateMachine.Session(id: "session-1", resumeURL: Harness.resumeURL))
        #expect(driver.machine.lastSequence == 1)
    }

    @Test func heartbeatsCarryTheLastSequenceEveryIntervalAndAcksMeasureLatency() {
        var driver = Driver.connected()
        #expect(driver.receive(Harness.dispatch(2)) == ["dispatch TYPING_START 2"])
        #expect(driver.receive(Harness.dispatch(nil)) == ["dispatch TYPING_START null"])
        #expect(driver.machine.lastSequence == 2, "a dispatch without s keeps the last sequence")
        driver.advance(.seconds(20))
        #expect(driver.timer() == ["heartbeat 2", "timer +60000ms"])
        driver.advance(.milliseconds(120))
        #expect(driver.receive(.heartbeatAck) == ["ack 120ms"])
        #expect(driver.receive(.heartbeatAck) == [], "an ACK with no heartbeat outstanding is ignored")
        driver.advance(.milliseconds(39_880))
        #expect(driver.timer() == ["heartbeat 2", "timer +100000ms"])
        #expect(driver.machine.lastHeartbeatLatency == .milliseconds(120))
    }

    @Test func serverHeartbeatRequestIsAnsweredAtOnceWithoutMovingTheSchedule() {
        var driver = Driver.connected()
        driver.advance(.seconds(5))
        #expect(driver.receive(.heartbeatRequest) == ["heartbeat 1"])
        driver.advance(.milliseconds(50))
        #expect(driver.receive(.heartbeatAck) == ["ack 50ms"])
        driver.advance(.seconds(15))
        #expect(driver.timer() == ["heartbeat 1", "timer +60050ms"])
    }

    @Test func missingAckMeansZombieThenResumeWithSessionAndSequence() {
        var driver = Driver.connected()
        _ = driver.receive(Harness.dispatch(7))
        driver.advance(.seconds(20))
        #expect(driver.timer() == ["heartbeat 7", "timer +60000ms"])
        driver.advance(.seconds(40))
        // No ACK since the last heartbeat: close with a non-1000 code.
        #expect(driver.timer() == ["close 4000 zombie_connection"], "the timer just fired: nothing to cancel")
        #expect(driver.machine.status == .down)
        #expect(driver.receive(Harness.hello) == [], "control frames on a closing connection are ignored")
        #expect(driver.closed(nil) == [Harness.resumeConnect])
        #expect(driver.machine.status == .resuming)
        #expect(driver.opened() == ["timer +80000ms"])
        #expect(driver.receive(Harness.hello) == ["resume session-1 7"])
        #expect(driver.machine.status == .resuming)
        #expect(driver.receive(Harness.dispatch(8, name: "MESSAGE_DELETE")) == ["dispatch MESSAGE_DELETE 8"])
        #expect(driver.receive(.dispatch(sequence: 9, event: .resumed)) == ["resumed", "dispatch RESUMED 9"])
        #expect(driver.machine.status == .connected)
        #expect(driver.machine.lastSequence == 9)
    }

    @Test func reconnectOpcodeClosesAndResumesAtOnce() {
        var driver = Driver.connected()
        #expect(driver.receive(.reconnect) == ["close 4000 reconnect_requested", "cancel timer"])
        #expect(driver.receive(.reconnect) == [], "already closing")
        #expect(driver.receive(.heartbeatRequest) == [], "no heartbeat on a closing connection")
        #expect(driver.receive(Harness.dispatch(2)) == ["dispatch TYPING_START 2"], "dispatches still count while closing")
        // Whatever code the server answers the close with, the plan stands.
        #expect(driver.closed(.authenticationFailed) == [Harness.resumeConnect])
        _ = driver.opened()
        #expect(driver.receive(Harness.hello) == ["resume session-1 2"])
    }

    @Test func reconnectBeforeHelloWithoutSessionIdentifiesAfterBackoff() {
        var driver = Driver(random: [0.5])
        _ = driver.start()
        _ = driver.opened()
        #expect(driver.receive(.reconnect) == ["close 4000 reconnect_requested", "cancel timer"])
        // The connection never reached READY: a failure, so a backoff wait (1 s ceiling → 0.75 s).
        #expect(driver.closed(nil) == ["timer +750ms"])
        #expect(driver.machine.status == .down)
        driver.advance(.milliseconds(749))
        #expect(driver.timer() == ["timer +750ms"], "an early timer only re-arms")
        driver.advance(.milliseconds(1))
        #expect(driver.timer() == [Harness.gatewayConnect])
        _ = driver.opened()
        #expect(driver.receive(Harness.hello).first == "permit")
    }

    @Test func invalidSessionResumableWaitsThenResumes() {
        var driver = Driver.connected(random: [0.5])
        _ = driver.receive(Harness.dispatch(4))
        #expect(driver.receive(.invalidSession(resumable: true)) == ["close 4000 invalid_session", "cancel timer"])
        // Random wait within 1–5 s: 0.5 → 3 s.
        #expect(driver.closed(nil) == ["timer +3000ms"])
        driver.advance(.seconds(3))
        #expect(driver.timer() == [Harness.resumeConnect])
        _ = driver.opened()
        #expect(driver.receive(Harness.hello) == ["resume session-1 4"])
    }

    @Test func invalidSessionNotResumableForgetsTheSessionAndIdentifiesAfresh() {
        var driver = Driver.connected(random: [0.5])
        _ = driver.receive(Harness.dispatch(4))
        #expect(driver.receive(.invalidSession(resumable: false)) == ["close 4000 invalid_session", "cancel timer"])
        #expect(driver.machine.session == nil)
        #expect(driver.machine.lastSequence == nil)
        #expect(driver.closed(nil) == ["timer +3000ms"])
        driver.advance(.seconds(3))
        #expect(driver.timer() == [Harness.gatewayConnect])
        #expect(driver.machine.status == .starting)
        _ = driver.opened()
        #expect(driver.receive(Harness.hello) == ["permit"], "the first heartbeat falls on the hello deadline")
        #expect(driver.permit() == ["identify [1, 4]"])
        #expect(driver.receive(Harness.ready(session: "session-2")) == ["ready", "dispatch READY 1"])
        #expect(driver.machine.session?.id == "session-2")
    }

    @Test func invalidSessionResumableWithoutASessionIdentifies() {
        var driver = Driver(random: [0.0])
        _ = driver.start()
        _ = driver.opened()
        _ = driver.receive(Harness.hello)
        _ = driver.permit()
        // Identify was rate-limited: op 9 true arrives before any READY.
        #expect(driver.receive(.invalidSession(resumable: true)) == ["close 4000 invalid_session", "cancel timer"])
        // Wait 1 s (0.0 of 1–5 s); the failed connection's backoff (0.5 s) is shorter.
        #expect(driver.closed(nil) == ["timer +1000ms"])
        driver.advance(.seconds(1))
        #expect(driver.timer() == [Harness.gatewayConnect])
    }

    @Test func unknownOpcodesAndFramesOutsideAConnectionAreIgnored() {
        var driver = Driver.connected()
        #expect(driver.receive(.unknown(opcode: GatewayOpcode(99))) == [])
        #expect(driver.receive(Harness.hello) == [], "a second hello is ignored")
        var idle = Driver()
        #expect(idle.receive(Harness.dispatch(1)) == [])
        #expect(idle.opened() == [], "open without connect is stale")
        #expect(idle.permit() == [])
        #expect(idle.timer() == [])
        #expect(idle.closed(.unknownError) == [])
    }

    @Test func helloWithoutUsableIntervalIsAProtocolViolation() {
        var driver = Driver()
        _ = driver.start()
        _ = driver.opened()
        #expect(driver.receive(.hello(GatewayHello(heartbeatInterval: 0))) == ["close 4000 protocol_violation", "cancel timer"])
        #expect(driver.closed(nil) == ["timer +750ms"])
    }

    @Test func helloTimeoutReconnects() {
        var driver = Driver()
        _ = driver.start()
        #expect(driver.opened() == ["timer +20000ms"])
        driver.advance(.seconds(20))
        #expect(driver.timer() == ["close 4000 hello_timeout"])
        #expect(driver.closed(nil) == ["timer +20750ms"])
    }

    @Test func sessionTimeoutAfterIdentifyOrResumeReconnects() {
        var driver = Driver(random: [0.99])
        _ = driver.start()
        _ = driver.opened()
        _ = driver.receive(.hello(GatewayHello(heartbeatInterval: 100_000)))
        #expect(driver.permit() == ["identify [1, 4]", "timer +60000ms"], "READY is due before the first heartbeat")
        driver.advance(.seconds(60))
        #expect(driver.timer() == ["close 4000 session_timeout"])
        #expect(driver.closed(nil).count == 1)

        var resuming = Driver.connected(random: [0.99])
        _ = resuming.receive(.reconnect)
        _ = resuming.closed(nil)
        _ = resuming.opened()
        #expect(resuming.receive(.hello(GatewayHello(heartbeatInterval: 100_000))) == ["resume session-1 1", "timer +60000ms"])
        resuming.advance(.seconds(60))
        #expect(resuming.timer() == ["close 4000 session_timeout"])
        #expect(resuming.closed(nil).first?.hasPrefix("timer") == true, "a resume that timed out is a failure: backoff")
        resuming.advance(.seconds(2))
        #expect(resuming.timer() == [Harness.resumeConnect], "and it resumes again")
    }

    @Test func backoffGrowsWithFailuresAndResetsAfterASession() {
        var driver = Driver(random: [0.5])
        _ = driver.start()
        var delays: [Int64] = []
        for _ in 0..<8 {
            let before = driver.clock.now
            let actions = driver.closed(nil)
            #expect(actions.count == 1 && actions[0].hasPrefix("timer"))
            guard let deadline = driver.machine.deadline else {
                Issue.record("no reconnect deadline")
                return
            }
            delays.append(before.duration(to: deadline).wholeMilliseconds)
            driver.clock.advance(to: deadline)
            #expect(driver.timer() == [Harness.gatewayConnect])
        }
        // Ceilings 1, 2, 4 … capped at 60 s; each wait is ceiling × (0.5 + 0.5 × 0.5).
        #expect(delays == [750, 1500, 3000, 6000, 12000, 24000, 45000, 45000])
        // A session that reached READY resets the count: the next drop reconnects at once.
        _ = driver.opened()
        _ = driver.receive(Harness.hello)
        _ = driver.permit()
        _ = driver.receive(Harness.ready())
        #expect(driver.closed(nil) == [Harness.resumeConnect, "cancel timer"])
    }

    @Test func stopClosesWithNormalClosureAndEndsEverything() {
        var driver = Driver.connected()
        #expect(driver.stop() == ["close 1000 stopping", "cancel timer"])
        #expect(driver.machine.status == .stopped)
        #expect(driver.machine.isFinished)
        #expect(driver.stop() == [])
        #expect(driver.closed(.normalClosure) == [])
        #expect(driver.receive(Harness.dispatch(5)) == [])
        #expect(driver.timer() == [])

        var waiting = Driver()
        _ = waiting.start()
        _ = waiting.closed(nil)
        #expect(waiting.stop() == ["cancel timer"], "nothing open to close")

        var idle = Driver()
        #expect(idle.stop() == [])
        #expect(idle.start() == [], "a stopped machine never starts")
    }

    @Test func restoredSessionResumesFromTheStart() {
        let session = ShardStateMachine.Session(id: "saved", resumeURL: Harness.resumeURL)
        var driver = Driver(machine: ShardStateMachine(configuration: Harness.configuration(), random: ScriptedRandom([0.5]).source, resuming: session, sequence: 41))
        #expect(driver.start() == [Harness.resumeConnect])
        #expect(driver.machine.status == .resuming)
        _ = driver.opened()
        #expect(driver.receive(Harness.hello) == ["resume saved 41"])
        // The server refuses: op 9 false → fresh identify on the gateway URL.
        _ = driver.receive(.invalidSession(resumable: false))
        _ = driver.closed(nil)
        driver.advance(.seconds(10))
        #expect(driver.timer() == [Harness.gatewayConnect])
    }

    @Test func statusFollowsEveryState() {
        var driver = Driver()
        var seen: [ShardStatus] = [driver.machine.status]
        _ = driver.start(); seen.append(driver.machine.status)
        _ = driver.opened(); seen.append(driver.machine.status)
        _ = driver.receive(Harness.hello); seen.append(driver.machine.status)
        _ = driver.permit(); seen.append(driver.machine.status)
        _ = driver.receive(Harness.ready()); seen.append(driver.machine.status)
        _ = driver.receive(.reconnect); seen.append(driver.machine.status)
        _ = driver.closed(nil); seen.append(driver.machine.status)
        _ = driver.opened(); seen.append(driver.machine.status)
        _ = driver.closed(.sessionTimedOut); seen.append(driver.machine.status)
        _ = driver.closed(.authenticationFailed); seen.append(driver.machine.status)
        #expect(seen == [.idle, .starting, .starting, .starting, .starting, .connected, .down, .resuming, .resuming, .down, .down])
        #expect(ShardStatus.connected.isHealthy)
        #expect(!ShardStatus.resuming.isHealthy)
    }
}

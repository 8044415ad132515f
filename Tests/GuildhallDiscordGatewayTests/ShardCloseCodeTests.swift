import GuildhallCore
import GuildhallDiscordModels
import Testing
@testable import GuildhallDiscordGateway

/// Every close code of Discord's table (and the standard and unknown ones) against an
/// established session: resume, identify afresh, or stop with a typed error.
@Suite("Gateway close codes")
struct ShardCloseCodeTests {
    struct Row: Sendable, CustomStringConvertible {
        let code: Int?
        let expected: GatewayCloseCode.Disposition
        let error: GuildhallError.Code?
        var description: String { code.map(String.init) ?? "no close frame" }
    }

    static let table: [Row] = [
        Row(code: 4000, expected: .resume, error: nil),
        Row(code: 4001, expected: .resume, error: nil),
        Row(code: 4002, expected: .resume, error: nil),
        Row(code: 4003, expected: .reidentify, error: nil),
        Row(code: 4004, expected: .fatal, error: .gatewayAuthenticationFailed),
        Row(code: 4005, expected: .resume, error: nil),
        Row(code: 4007, expected: .reidentify, error: nil),
        Row(code: 4008, expected: .resume, error: nil),
        Row(code: 4009, expected: .reidentify, error: nil),
        Row(code: 4010, expected: .fatal, error: .gatewayInvalidShard),
        Row(code: 4011, expected: .fatal, error: .gatewayShardingRequired),
        Row(code: 4012, expected: .fatal, error: .gatewayInvalidAPIVersion),
        Row(code: 4013, expected: .fatal, error: .gatewayInvalidIntents),
        Row(code: 4014, expected: .fatal, error: .gatewayDisallowedIntents),
        Row(code: 1000, expected: .resume, error: nil),
        Row(code: 1001, expected: .resume, error: nil),
        Row(code: 1006, expected: .resume, error: nil),
        Row(code: 4999, expected: .resume, error: nil),
        Row(code: nil, expected: .resume, error: nil),
    ]

    @Test("the table covers every documented code")
    func tableCoversDiscordsCodes() {
        let covered = Set(Self.table.compactMap(\.code))
        #expect(GatewayCloseCode.documented.allSatisfy { covered.contains($0.rawValue) })
        #expect(GatewayCloseCode.documented.count == 14)
    }

    @Test("a server close on an established session", arguments: table)
    func serverCloseOnEstablishedSession(row: Row) {
        var driver = Driver.connected()
        _ = driver.receive(Harness.dispatch(5))
        let code = row.code.map(GatewayCloseCode.init(_:))
        if let code {
            #expect(code.disposition == row.expected)
            #expect(code.isFatal == (row.expected == .fatal))
            #expect(code.isReconnectable == (row.expected != .fatal))
            #expect(code.isResumable == (row.expected == .resume))
            #expect(code.fatalError?.code == row.error)
        }
        let actions = driver.closed(code)
        switch row.expected {
        case .resume:
            #expect(actions == [Harness.resumeConnect, "cancel timer"])
            #expect(driver.machine.status == .resuming)
            _ = driver.opened()
            #expect(driver.receive(Harness.hello) == ["resume session-1 5"])
        case .reidentify:
            #expect(actions == [Harness.gatewayConnect, "cancel timer"])
            #expect(driver.machine.session == nil)
            #expect(driver.machine.lastSequence == nil)
            _ = driver.opened()
            #expect(driver.receive(Harness.hello).first == "permit")
        case .fatal:
            #expect(actions == ["fail \(row.error!)", "cancel timer"])
            #expect(driver.machine.status == .failed)
            #expect(driver.machine.isFinished)
            #expect(driver.timer() == [])
            #expect(driver.start() == [])
            #expect(driver.stop() == [])
        }
    }

    @Test func fatalCodeWhileIdentifyingStopsToo() {
        var driver = Driver()
        _ = driver.start()
        _ = driver.opened()
        _ = driver.receive(Harness.hello)
        _ = driver.permit()
        #expect(driver.closed(.disallowedIntents) == ["fail gateway_disallowed_intents", "cancel timer"])
    }

    @Test func closeWhileConnectingIsAFailedAttempt() {
        var driver = Driver()
        _ = driver.start()
        #expect(driver.closed(.authenticationFailed) == ["timer +750ms"], "no socket yet: a failed attempt, not a fatal close")
    }

    @Test func codesDescribeThemselves() {
        for code in GatewayCloseCode.documented {
            #expect(code.meaning != "undocumented close code")
            #expect(code.description.hasPrefix(String(code.rawValue)))
            #expect(code.keepsSessionResumable)
        }
        #expect(!GatewayCloseCode.normalClosure.keepsSessionResumable)
        #expect(!GatewayCloseCode.goingAway.keepsSessionResumable)
        #expect(GatewayCloseCode.normalClosure.meaning == "normal closure")
        #expect(GatewayCloseCode.goingAway.meaning == "going away")
        #expect(GatewayCloseCode(4321).meaning == "undocumented close code")
        #expect(ShardStateMachine.resumableCloseCode.keepsSessionResumable)
    }
}

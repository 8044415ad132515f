import Foundation
import GuildhallCore
import Testing
@testable import GuildhallSandbox

@Suite("Rate limits and faults, as values")
struct RateLimitAndFaultTests {
    func header(_ decision: RateLimitDecision, _ name: String) -> String? {
        decision.headers.first { $0.0 == name }?.1
    }

    @Test("a bucket counts down, refuses when empty with user scope, and resets after its window")
    func bucketWindow() {
        var table = RateLimitTable(policy: .discordLike)
        let start = 1_000.0
        for remaining in stride(from: 4, through: 0, by: -1) {
            let decision = table.admit(route: .createMessage, major: "1", token: "bot", now: start)
            #expect(decision.limited == nil)
            #expect(header(decision, "X-RateLimit-Limit") == "5")
            #expect(header(decision, "X-RateLimit-Remaining") == String(remaining))
            #expect(header(decision, "X-RateLimit-Reset") == "1005.000")
            #expect(header(decision, "X-RateLimit-Reset-After") == "5.000")
        }
        let refused = table.admit(route: .createMessage, major: "1", token: "bot", now: start + 1)
        #expect(refused.limited?.scope == .user)
        #expect(refused.limited?.retryAfter == 4)
        #expect(header(refused, "X-RateLimit-Scope") == "user")
        // Another channel has its own budget; the bucket hash is the same.
        let other = table.admit(route: .createMessage, major: "2", token: "bot", now: start + 1)
        #expect(other.limited == nil)
        #expect(header(other, "X-RateLimit-Bucket") == header(refused, "X-RateLimit-Bucket"))
        #expect(table.admit(route: .createMessage, major: "1", token: "bot", now: start + 5).limited == nil)
    }

    @Test("the global limit applies per token across routes, and callbacks are exempt")
    func globalLimit() {
        var policy = SandboxRateLimitPolicy.relaxed
        policy.globalPerSecond = 3
        var table = RateLimitTable(policy: policy)
        for index in 0..<3 { #expect(table.admit(route: .getGuild, major: String(index), token: "bot", now: 10).limited == nil) }
        let refused = table.admit(route: .listRoles, major: "9", token: "bot", now: 10.25)
        #expect(refused.limited?.scope == .global)
        #expect(refused.limited?.retryAfter == 0.75)
        #expect(header(refused, "X-RateLimit-Global") == "true")
        #expect(table.admit(route: .createInteractionResponse, major: "5", token: "bot", now: 10.5).limited == nil)
        #expect(table.admit(route: .getGuild, major: "1", token: "other", now: 10.5).limited == nil)
        #expect(table.admit(route: .getGuild, major: "1", token: "bot", now: 11).limited == nil)
    }

    @Test("peeking shows the headers without spending, and old windows are forgotten")
    func peekAndPrune() {
        var table = RateLimitTable(policy: .discordLike)
        _ = table.admit(route: .addOwnReaction, major: "7", token: "bot", now: 0)
        let peeked = table.peekHeaders(route: .addOwnReaction, major: "7", now: 0.1)
        #expect(peeked.first { $0.0 == "X-RateLimit-Remaining" }?.1 == "0")
        #expect(table.peekHeaders(route: .addOwnReaction, major: "7", now: 5).first { $0.0 == "X-RateLimit-Remaining" }?.1 == "1")
        for index in 0..<4_096 { _ = table.admit(route: .getGuild, major: String(index), token: "t\(index)", now: 100 + Double(index) * 0.01) }
        #expect(table.trackedWindowCount < 1_000)
        #expect(RateLimitTable.bucketHash("a") == RateLimitTable.bucketHash("a"))
        #expect(RateLimitTable.bucketHash("a") != RateLimitTable.bucketHash("b"))
        #expect(RateLimitTable.bucketHash("a").count == 32)
        #expect(RateLimitTable.round(0) == 0.001)
    }

    @Test("routes know their method, template, bucket and major parameter")
    func routeFacts() {
        #expect(SandboxRoute.createMessage.method == "POST")
        #expect(SandboxRoute.createMessage.template == "/channels/{channel_id}/messages")
        #expect(SandboxRoute.createMessage.majorParameter == "channel_id")
        #expect(SandboxRoute.modifyMember.majorParameter == "guild_id")
        #expect(SandboxRoute.executeWebhook.majorParameter == "interaction_token")
        #expect(SandboxRoute.createInteractionResponse.majorParameter == "interaction_id")
        #expect(SandboxRoute.getCurrentUser.majorParameter == nil)
        #expect(!SandboxRoute.executeWebhook.countsAgainstGlobalLimit)
        #expect(SandboxRoute.createBan.bucketName == SandboxRoute.removeBan.bucketName)
        #expect(SandboxRateLimitPolicy.discordLike.bucket(for: .getGuild) == SandboxRateLimitPolicy.discordLike.defaultBucket)
    }

    @Test("faults: validation, counts, expiry, first refusal wins, slow ones add up")
    func faultBoard() throws {
        var board = SandboxFaultBoard()
        #expect(throws: GuildhallError.self) { try board.add(SandboxRESTFault(kind: .rateLimit, route: "GET /nowhere")) }
        #expect(throws: GuildhallError.self) { try board.add(SandboxRESTFault(kind: .serverError, status: 418)) }
        #expect(throws: GuildhallError.self) { try board.add(SandboxRESTFault(kind: .rateLimit, retryAfter: 0)) }
        #expect(throws: GuildhallError.self) { try board.add(SandboxRESTFault(kind: .rateLimit, scope: "nobody")) }
        #expect(throws: GuildhallError.self) { try board.add(SandboxRESTFault(kind: .slow, delayMilliseconds: 0)) }
        #expect(throws: GuildhallError.self) { try board.add(SandboxRESTFault(kind: .slow, remaining: 0, delayMilliseconds: 5)) }
        #expect(board.faults.isEmpty)

        let storm = try board.add(SandboxRESTFault(kind: .rateLimit, route: "POST /channels/{channel_id}/messages", remaining: 2))
        let outage = try board.add(SandboxRESTFault(kind: .serverError, route: "*", expiresAt: 50, status: 503))
        _ = try board.add(SandboxRESTFault(kind: .slow, route: "*", delayMilliseconds: 20))
        _ = try board.add(SandboxRESTFault(kind: .slow, route: "POST /channels/{channel_id}/messages", delayMilliseconds: 30))
        #expect(storm.id != outage.id)

        let first = board.effect(for: .createMessage, now: 10)
        #expect(first.refusal?.kind == .rateLimit)
        #expect(first.delayMilliseconds == 50)
        _ = board.effect(for: .createMessage, now: 10)
        #expect(board.effect(for: .createMessage, now: 10).refusal?.kind == .serverError)
        #expect(board.effect(for: .getGuild, now: 10).delayMilliseconds == 20)
        #expect(board.effect(for: .getGuild, now: 60).refusal == nil)
        #expect(board.remove(id: outage.id) == false)
        board.clear()
        #expect(board.effect(for: .getGuild, now: 60) == SandboxFaultBoard.Effect())
    }

    @Test("the fault's JSON form uses snake_case keys")
    func faultCoding() throws {
        let fault = SandboxRESTFault(id: 3, kind: .slow, route: "*", remaining: 1, expiresAt: 2, delayMilliseconds: 9)
        let text = String(decoding: try JSONEncoder().encode(fault), as: UTF8.self)
        #expect(text.contains("\"delay_ms\":9") && text.contains("\"expires_at\":2") && text.contains("\"retry_after\""))
        #expect(try JSONDecoder().decode(SandboxRESTFault.self, from: Data(text.utf8)) == fault)
    }

    @Test("the gate counts invalid requests over ten minutes and reports statistics")
    func gateStatistics() throws {
        let gate = SandboxRESTGate(policy: .discordLike)
        gate.recordInvalid(now: 0)
        gate.recordInvalid(now: 100)
        #expect(gate.statistics(now: 650).invalidLastTenMinutes == 1)
        _ = try gate.addFault(SandboxRESTFault(kind: .serverError, route: "GET /guilds/{guild_id}", remaining: 1))
        if case .fault(let fault, _, _) = gate.admit(route: .getGuild, major: "1", token: "bot", now: 0) {
            #expect(fault.status == 500)
        } else {
            Issue.record("the fault did not answer")
        }
        if case .proceed = gate.admit(route: .getGuild, major: "1", token: "bot", now: 0) {} else { Issue.record("the fault outlived its count") }
        let statistics = gate.statistics(now: 0)
        #expect(statistics.requests == 2 && statistics.faulted == 1)
        #expect(statistics.perRoute["GET /guilds/{guild_id}"] == 2)
    }
}

import GuildhallCore
import Testing
@testable import GuildhallDiscordREST

/// The limiter's rules on a driven clock: every `now` is chosen by the test.
@Suite("REST rate-limit state (pure, driven clock)")
struct RateLimitStateTests {
    static let policy = RESTRateLimitPolicy(
        globalLimit: 100, globalWindow: .seconds(1), invalidRequestBudget: 3, invalidRequestWindow: .seconds(60),
        reservationTimeout: .seconds(10), probePollInterval: .milliseconds(50)
    )

    static func request(
        route: String = "GET.channels.channel_id", major: String = "c1", global: Bool = true, identity: String = "bot-a", id: String = "r",
        policy: RESTRateLimitPolicy = RateLimitStateTests.policy
    ) -> RESTRateLimitRequest {
        RESTRateLimitRequest(identity: identity, route: route, major: major, countsTowardGlobalLimit: global, requestID: id, policy: policy)
    }

    struct Waited: Equatable {
        let duration: Duration
        let reason: RESTRateLimitWaitReason
        init(_ duration: Duration, _ reason: RESTRateLimitWaitReason) {
            self.duration = duration
            self.reason = reason
        }
    }

    static func headers(limit: Int, remaining: Int, resetAfter: Duration, bucket: String? = nil, scope: RateLimitScope? = nil, global: Bool = false) -> RateLimitHeaders {
        RateLimitHeaders(limit: limit, remaining: remaining, resetAfter: resetAfter, bucket: bucket, scope: scope, isGlobal: global)
    }

    static func ticket(_ decision: RESTRateLimitDecision, sourceLocation: SourceLocation = #_sourceLocation) throws -> RESTRateLimitTicket {
        guard case .granted(let ticket) = decision else {
            Issue.record("expected a grant, got \(decision)", sourceLocation: sourceLocation)
            throw ScriptError("not granted")
        }
        return ticket
    }

    static func wait(_ decision: RESTRateLimitDecision) -> Waited? {
        if case .wait(let duration, let reason) = decision { return Waited(duration, reason) }
        return nil
    }

    @Test("an undescribed bucket lets one probe through, then hands out what the headers say")
    func probeThenBudget() throws {
        var state = RESTRateLimitState()
        let probe = try Self.ticket(state.acquire(Self.request(id: "1"), now: 0))
        #expect(probe.isProbe && probe.bucketID == "r.GET.channels.channel_id")
        let held = Self.wait(state.acquire(Self.request(id: "2"), now: 10))
        #expect(held?.reason == .probe && held?.duration == .milliseconds(50))
        state.complete(probe, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 3, remaining: 2, resetAfter: .seconds(5))), now: 100)
        let first = try Self.ticket(state.acquire(Self.request(id: "3"), now: 110))
        let second = try Self.ticket(state.acquire(Self.request(id: "4"), now: 120))
        #expect(!first.isProbe && !second.isProbe)
        let exhausted = Self.wait(state.acquire(Self.request(id: "5"), now: 130))
        #expect(exhausted?.reason == .bucket && exhausted?.duration == .milliseconds(5_100 - 130))
        // After the window, the next request probes again.
        state.complete(first, outcome: RESTRateLimitOutcome(status: 200), now: 200)
        state.complete(second, outcome: RESTRateLimitOutcome(status: 200), now: 210)
        #expect(try Self.ticket(state.acquire(Self.request(id: "6"), now: 5_100)).isProbe)
    }

    @Test("a learnt bucket hash is shared by routes and kept apart by major parameter")
    func hashAndMajor() throws {
        var state = RESTRateLimitState()
        let probe = try Self.ticket(state.acquire(Self.request(route: "POST.a", major: "c1", id: "1"), now: 0))
        state.complete(probe, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 2, remaining: 1, resetAfter: .seconds(5), bucket: "abc")), now: 10)
        let afterLearning = try Self.ticket(state.acquire(Self.request(route: "POST.a", major: "c1", id: "2"), now: 20))
        #expect(afterLearning.bucketID == "h.abc" && !afterLearning.isProbe)
        #expect(Self.wait(state.acquire(Self.request(route: "POST.a", major: "c1", id: "3"), now: 30))?.reason == .bucket)
        // Another channel: its own budget under the same hash.
        let otherChannel = try Self.ticket(state.acquire(Self.request(route: "POST.a", major: "c2", id: "4"), now: 40))
        #expect(otherChannel.bucketID == "h.abc" && otherChannel.isProbe)
        // Another route that turns out to share the hash joins the exhausted bucket.
        let sibling = try Self.ticket(state.acquire(Self.request(route: "PATCH.a", major: "c1", id: "5"), now: 50))
        #expect(sibling.bucketID == "r.PATCH.a")
        state.complete(sibling, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 2, remaining: 0, resetAfter: .seconds(5), bucket: "abc")), now: 60)
        #expect(Self.wait(state.acquire(Self.request(route: "PATCH.a", major: "c1", id: "6"), now: 70))?.reason == .bucket)
        // Another identity (another bot) has budgets of its own.
        #expect(try Self.ticket(state.acquire(Self.request(route: "POST.a", major: "c1", identity: "bot-b", id: "7"), now: 80)).isProbe)
    }

    @Test("a probe still out under the route's key holds its major after the hash is learnt elsewhere")
    func probeAcrossTheHashTransition() throws {
        var state = RESTRateLimitState()
        let first = try Self.ticket(state.acquire(Self.request(route: "DELETE.m", major: "c1", id: "1"), now: 0))
        let other = try Self.ticket(state.acquire(Self.request(route: "DELETE.m", major: "c2", id: "2"), now: 0))
        state.complete(other, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 5, remaining: 4, resetAfter: .seconds(5), bucket: "del")), now: 10)
        // c1's probe (under the route's key) is still out: the hash's bucket for c1 waits for it.
        #expect(Self.wait(state.acquire(Self.request(route: "DELETE.m", major: "c1", id: "3"), now: 20))?.reason == .probe)
        state.complete(first, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 5, remaining: 4, resetAfter: .seconds(5), bucket: "del")), now: 30)
        let next = try Self.ticket(state.acquire(Self.request(route: "DELETE.m", major: "c1", id: "4"), now: 40))
        #expect(next.bucketID == "h.del" && !next.isProbe)
    }

    @Test("requests in flight are subtracted from what the headers report")
    func inflightSubtracted() throws {
        var state = RESTRateLimitState()
        let probe = try Self.ticket(state.acquire(Self.request(id: "p"), now: 0))
        state.complete(probe, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 5, remaining: 4, resetAfter: .seconds(5))), now: 10)
        let a = try Self.ticket(state.acquire(Self.request(id: "a"), now: 20))
        _ = try Self.ticket(state.acquire(Self.request(id: "b"), now: 30))
        // Someone else spent the bucket: Discord says 1 left, and b is still out.
        state.complete(a, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 5, remaining: 1, resetAfter: .seconds(5))), now: 40)
        #expect(Self.wait(state.acquire(Self.request(id: "c"), now: 50))?.reason == .bucket)
    }

    @Test("a window that ended with requests in flight is re-learnt by one probe, minus those requests")
    func expiredWithInflight() throws {
        var state = RESTRateLimitState()
        let probe = try Self.ticket(state.acquire(Self.request(id: "p"), now: 0))
        state.complete(probe, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 3, remaining: 2, resetAfter: .seconds(1))), now: 10)
        let late = try Self.ticket(state.acquire(Self.request(id: "late"), now: 900))
        let newProbe = try Self.ticket(state.acquire(Self.request(id: "np"), now: 1_100))
        #expect(newProbe.isProbe)
        #expect(Self.wait(state.acquire(Self.request(id: "x"), now: 1_120))?.reason == .probe)
        // The probe's answer says 2 left; the late request may not be counted yet.
        state.complete(newProbe, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 3, remaining: 2, resetAfter: .seconds(1))), now: 1_200)
        _ = try Self.ticket(state.acquire(Self.request(id: "y"), now: 1_210))
        #expect(Self.wait(state.acquire(Self.request(id: "z"), now: 1_220))?.reason == .bucket)
        state.complete(late, outcome: RESTRateLimitOutcome(status: 200), now: 1_230)
    }

    @Test("a probe that never answers lapses after the reservation timeout")
    func lapsedProbe() throws {
        var state = RESTRateLimitState()
        _ = try Self.ticket(state.acquire(Self.request(id: "1"), now: 0))
        let held = Self.wait(state.acquire(Self.request(id: "2"), now: 9_990))
        #expect(held?.reason == .probe && held?.duration == .milliseconds(10))
        #expect(try Self.ticket(state.acquire(Self.request(id: "3"), now: 10_000)).isProbe)
    }

    @Test("a probe answered without headers leaves the bucket undescribed for the next probe")
    func probeWithoutHeaders() throws {
        var state = RESTRateLimitState()
        let probe = try Self.ticket(state.acquire(Self.request(id: "1"), now: 0))
        state.complete(probe, outcome: RESTRateLimitOutcome(status: nil), now: 5)
        #expect(try Self.ticket(state.acquire(Self.request(id: "2"), now: 6)).isProbe)
    }

    @Test("the global window holds each slot until one window after its response")
    func globalSlidingWindow() throws {
        var state = RESTRateLimitState()
        var tight = Self.policy
        tight.globalLimit = 3
        var tickets: [RESTRateLimitTicket] = []
        for index in 0..<3 {
            tickets.append(try Self.ticket(state.acquire(Self.request(route: "GET.r\(index)", major: "c\(index)", id: "g\(index)", policy: tight), now: 0)))
        }
        let full = Self.wait(state.acquire(Self.request(route: "GET.r9", major: "c9", id: "g9", policy: tight), now: 10))
        #expect(full?.reason == .global && full?.duration == .milliseconds(9_990), "in-flight slots are held until the reservation lapses")
        state.complete(tickets[0], outcome: RESTRateLimitOutcome(status: 200), now: 100)
        #expect(Self.wait(state.acquire(Self.request(route: "GET.r9", major: "c9", id: "g9", policy: tight), now: 1_099)) == Waited(.milliseconds(1), .global))
        #expect(try Self.ticket(state.acquire(Self.request(route: "GET.r9", major: "c9", id: "g9", policy: tight), now: 1_100)).bucketID == "r.GET.r9")
        // Exempt routes (interaction callbacks) neither count nor wait.
        #expect(try Self.ticket(state.acquire(Self.request(route: "POST.i", major: "i1", global: false, id: "i", policy: tight), now: 1_100)).isProbe)
    }

    @Test("with a raised global limit the window stays exact over many windows, and never more slots than the limit are kept")
    func raisedGlobalLimit() throws {
        var state = RESTRateLimitState()
        var wide = Self.policy
        wide.globalLimit = 500
        var now: Int64 = 0
        for round in 0..<4 {
            for index in 0..<500 {
                let ticket = try Self.ticket(state.acquire(Self.request(route: "GET.r", major: "c\(index)", id: "g\(round)-\(index)", policy: wide), now: now))
                state.complete(ticket, outcome: RESTRateLimitOutcome(status: 200), now: now)
            }
            let over = Self.wait(state.acquire(Self.request(route: "GET.r", major: "x", id: "over\(round)", policy: wide), now: now))
            #expect(over == Waited(.milliseconds(1_000), .global), "the 501st request of a window waits for the oldest slot")
            #expect((state.globalSlots["bot-a"]?.count ?? 0) <= 500)
            now += 1_000
        }
    }

    @Test("a global 429 pauses every counted request of the identity, not exempt ones")
    func globalPause() throws {
        var state = RESTRateLimitState()
        let probe = try Self.ticket(state.acquire(Self.request(id: "1"), now: 0))
        var headers = RateLimitHeaders()
        headers.isGlobal = true
        state.complete(probe, outcome: RESTRateLimitOutcome(status: 429, headers: headers, retryAfter: .milliseconds(1_500)), now: 100)
        #expect(Self.wait(state.acquire(Self.request(route: "GET.other", major: "g5", id: "2"), now: 200)) == Waited(.milliseconds(1_400), .globalPause))
        #expect(Self.wait(state.acquire(Self.request(route: "GET.other", major: "g5", identity: "bot-b", id: "3"), now: 200)) == nil)
        #expect(try Self.ticket(state.acquire(Self.request(route: "POST.i", major: "i1", global: false, id: "4"), now: 200)).isProbe)
        #expect(Self.wait(state.acquire(Self.request(route: "GET.other", major: "g5", id: "5"), now: 1_600)) == nil)
    }

    @Test("a route 429 closes its bucket for retry_after, even beyond the described reset")
    func routeRateLimited() throws {
        var state = RESTRateLimitState()
        let probe = try Self.ticket(state.acquire(Self.request(id: "1"), now: 0))
        let headers = Self.headers(limit: 5, remaining: 0, resetAfter: .milliseconds(500), bucket: "h1", scope: .user)
        state.complete(probe, outcome: RESTRateLimitOutcome(status: 429, headers: headers, retryAfter: .seconds(2)), now: 10)
        #expect(Self.wait(state.acquire(Self.request(id: "2"), now: 20)) == Waited(.milliseconds(1_990), .bucket))
        // Without any header, a 429 still closes the ticket's bucket for its Retry-After.
        let other = try Self.ticket(state.acquire(Self.request(route: "GET.bare", id: "3"), now: 30))
        var bare = RateLimitHeaders()
        bare.retryAfter = .seconds(1)
        state.complete(other, outcome: RESTRateLimitOutcome(status: 429, headers: bare), now: 40)
        #expect(Self.wait(state.acquire(Self.request(route: "GET.bare", id: "4"), now: 50)) == Waited(.milliseconds(990), .bucket))
    }

    @Test("the invalid-request guard counts 401, 403 and non-shared 429, and closes at its budget")
    func invalidGuard() throws {
        var state = RESTRateLimitState()
        var counts: [Int] = []
        for (index, status) in [401, 403, 404].enumerated() {
            let ticket = try Self.ticket(state.acquire(Self.request(route: "GET.x\(index)", id: "\(index)"), now: Int64(index)))
            counts.append(state.complete(ticket, outcome: RESTRateLimitOutcome(status: status), now: Int64(index)).invalidRequestsInWindow)
        }
        #expect(counts == [1, 2, 0])
        let shared = try Self.ticket(state.acquire(Self.request(route: "GET.s", id: "s"), now: 10))
        #expect(state.complete(shared, outcome: RESTRateLimitOutcome(status: 429, headers: Self.headers(limit: 1, remaining: 0, resetAfter: .milliseconds(1), scope: .shared)), now: 10).invalidRequestsInWindow == 0)
        let user = try Self.ticket(state.acquire(Self.request(route: "GET.u", id: "u"), now: 20))
        #expect(state.complete(user, outcome: RESTRateLimitOutcome(status: 429, headers: Self.headers(limit: 1, remaining: 0, resetAfter: .milliseconds(1), scope: .user)), now: 20).invalidRequestsInWindow == 3)
        #expect(state.acquire(Self.request(route: "GET.y", id: "y"), now: 30) == .invalidRequestBudgetExhausted(retryAfter: .milliseconds(60_000 - 30)))
        // The window began with the first invalid request, at 0.
        #expect(try Self.ticket(state.acquire(Self.request(route: "GET.y", id: "y"), now: 60_000)).isProbe)
    }

    @Test("idle state is pruned: memory stays bounded")
    func pruning() throws {
        var state = RESTRateLimitState()
        var generous = Self.policy
        generous.invalidRequestBudget = 9_999
        for index in 0..<300 {
            let request = Self.request(route: "GET.p\(index)", major: "c\(index)", id: "p\(index)", policy: generous)
            let ticket = try Self.ticket(state.acquire(request, now: Int64(index) * 10_000))
            var headers = Self.headers(limit: 1, remaining: 0, resetAfter: .seconds(1), bucket: "b\(index)")
            headers.isGlobal = index == 0
            state.complete(ticket, outcome: RESTRateLimitOutcome(status: index % 2 == 0 ? 403 : 200, headers: headers, retryAfter: .seconds(1)), now: Int64(index) * 10_000 + 1)
        }
        #expect(state.entryCount < 300 * 3, "periodic maintenance already dropped idle entries")
        state.prune(now: 4_000_000_000)
        #expect(state.entryCount == 0)
    }

    @Test("route hashes are forgotten after a day")
    func mappingExpires() throws {
        var state = RESTRateLimitState()
        let probe = try Self.ticket(state.acquire(Self.request(id: "1"), now: 0))
        state.complete(probe, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 1, remaining: 1, resetAfter: .seconds(1), bucket: "day")), now: 0)
        #expect(state.bucketID(route: "GET.channels.channel_id", now: 1) == "h.day")
        #expect(state.bucketID(route: "GET.channels.channel_id", now: 86_400_000) == "r.GET.channels.channel_id")
    }

    @Test("outcomes classify invalid requests and 429 delays")
    func outcomes() {
        #expect(RESTRateLimitOutcome(status: 401).isInvalidRequest)
        #expect(RESTRateLimitOutcome(status: 403).isInvalidRequest)
        #expect(RESTRateLimitOutcome(status: 429).isInvalidRequest)
        #expect(!RESTRateLimitOutcome(status: 429, headers: RateLimitHeaders(scope: .shared)).isInvalidRequest)
        #expect(!RESTRateLimitOutcome(status: 404).isInvalidRequest)
        #expect(!RESTRateLimitOutcome(status: nil).isInvalidRequest)
        #expect(RESTRateLimitOutcome(status: 429, retryAfter: .seconds(3)).rateLimitDelay == .seconds(3))
        #expect(RESTRateLimitOutcome(status: 429, headers: RateLimitHeaders(retryAfter: .seconds(2))).rateLimitDelay == .seconds(2))
        #expect(RESTRateLimitOutcome(status: 429, headers: RateLimitHeaders(resetAfter: .seconds(4))).rateLimitDelay == .seconds(4))
        #expect(RESTRateLimitOutcome(status: 429).rateLimitDelay == .seconds(1))
    }
}

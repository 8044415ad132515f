import Foundation
import GuildhallCore
import GuildhallRedis
import Testing
@testable import GuildhallDiscordREST

/// One contract, two stores: the in-process state and the Redis scripts must decide alike.
/// Real clocks here (Redis keeps its own), so every window is at least a second wider than
/// what the test waits for.
@Suite("REST rate-limit stores (in-process and Redis)")
struct RateLimitStoreContractTests {
    static func policy(globalLimit: Int = 100, invalidBudget: Int = 100) -> RESTRateLimitPolicy {
        RESTRateLimitPolicy(
            globalLimit: globalLimit, globalWindow: .seconds(1), invalidRequestBudget: invalidBudget,
            invalidRequestWindow: .seconds(60), reservationTimeout: .seconds(10), probePollInterval: .milliseconds(50)
        )
    }

    /// Route hashes are shared by every identity (as Discord's are), so each test's default
    /// route is its own: parallel tests must not teach each other hashes.
    static func route(for identity: String) -> String { "GET.test.\(identity.suffix(12))" }

    static func request(
        _ identity: String, route: String? = nil, major: String = "c1", global: Bool = true,
        policy: RESTRateLimitPolicy = policy()
    ) -> RESTRateLimitRequest {
        RESTRateLimitRequest(
            identity: identity, route: route ?? Self.route(for: identity), major: major, countsTowardGlobalLimit: global,
            requestID: UUID().uuidString.lowercased(), policy: policy
        )
    }

    static func granted(_ decision: RESTRateLimitDecision, sourceLocation: SourceLocation = #_sourceLocation) throws -> RESTRateLimitTicket {
        guard case .granted(let ticket) = decision else {
            Issue.record("expected a grant, got \(decision)", sourceLocation: sourceLocation)
            throw ScriptError("not granted")
        }
        return ticket
    }

    static func waitReason(_ decision: RESTRateLimitDecision) -> RESTRateLimitWaitReason? {
        if case .wait(_, let reason) = decision { return reason }
        return nil
    }

    static func headers(limit: Int, remaining: Int, resetAfter: Duration, bucket: String? = nil) -> RateLimitHeaders {
        RateLimitHeaders(limit: limit, remaining: remaining, resetAfter: resetAfter, bucket: bucket)
    }

    @Test("probe, learn the hash, spend the budget, wait for the reset", arguments: StoreKind.allCases)
    func probeLearnSpend(kind: StoreKind) async throws {
        let (store, _, close) = try kind.make()
        let identity = StoreKind.uniqueIdentity()
        let hash = "hash\(identity.suffix(8))"
        let probe = try Self.granted(try await store.acquire(Self.request(identity)))
        #expect(probe.isProbe && probe.bucketID == "r.\(Self.route(for: identity))")
        #expect(Self.waitReason(try await store.acquire(Self.request(identity))) == .probe)
        try await store.complete(probe, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 3, remaining: 2, resetAfter: .seconds(5), bucket: hash)))
        let first = try Self.granted(try await store.acquire(Self.request(identity)))
        #expect(first.bucketID == "h.\(hash)" && !first.isProbe)
        _ = try Self.granted(try await store.acquire(Self.request(identity)))
        let exhausted = try await store.acquire(Self.request(identity))
        guard case .wait(let wait, .bucket) = exhausted else {
            Issue.record("expected a bucket wait, got \(exhausted)")
            return
        }
        #expect(wait > .seconds(3) && wait <= .seconds(5))
        // Another major parameter has its own budget under the same hash.
        #expect(try Self.granted(try await store.acquire(Self.request(identity, major: "c2"))).isProbe)
        await close()
    }

    @Test("many concurrent acquires never take more than the bucket's remaining", arguments: StoreKind.allCases)
    func bucketRace(kind: StoreKind) async throws {
        let (store, other, close) = try kind.make()
        let identity = StoreKind.uniqueIdentity()
        let probe = try Self.granted(try await store.acquire(Self.request(identity)))
        try await store.complete(probe, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 6, remaining: 5, resetAfter: .seconds(10))))
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<30 {
                let target = index % 2 == 0 ? store : other
                group.addTask {
                    if case .granted = try await target.acquire(Self.request(identity)) { return true }
                    return false
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 5)
        await close()
    }

    @Test("many concurrent acquires never take more than the global limit", arguments: StoreKind.allCases)
    func globalRace(kind: StoreKind) async throws {
        let (store, other, close) = try kind.make()
        let identity = StoreKind.uniqueIdentity()
        let policy = Self.policy(globalLimit: 7)
        let reasons = try await withThrowingTaskGroup(of: RESTRateLimitWaitReason?.self) { group in
            for index in 0..<40 {
                let target = index % 2 == 0 ? store : other
                group.addTask {
                    let decision = try await target.acquire(Self.request(identity, route: "GET.r\(index)", major: "c\(index)", policy: policy))
                    return Self.waitReason(decision)
                }
            }
            return try await group.reduce(into: [RESTRateLimitWaitReason?]()) { $0.append($1) }
        }
        #expect(reasons.filter { $0 == nil }.count == 7)
        #expect(reasons.filter { $0 == .global }.count == 33)
        // Exempt requests (interaction callbacks) are not held by the full window.
        #expect(try Self.granted(try await store.acquire(Self.request(identity, route: "POST.i", major: "i1", global: false, policy: policy))).isProbe)
        await close()
    }

    @Test("a global 429 pauses the identity in every process; exempt routes and other bots go on", arguments: StoreKind.allCases)
    func globalPause(kind: StoreKind) async throws {
        let (store, other, close) = try kind.make()
        let identity = StoreKind.uniqueIdentity()
        let probe = try Self.granted(try await store.acquire(Self.request(identity)))
        var headers = RateLimitHeaders()
        headers.scope = .global
        try await store.complete(probe, outcome: RESTRateLimitOutcome(status: 429, headers: headers, retryAfter: .seconds(3)))
        let paused = try await other.acquire(Self.request(identity, route: "GET.x", major: "g1"))
        guard case .wait(let wait, .globalPause) = paused else {
            Issue.record("expected a global pause, got \(paused)")
            return
        }
        #expect(wait > .seconds(1) && wait <= .seconds(3))
        #expect(try Self.granted(try await other.acquire(Self.request(identity, route: "POST.i", major: "i1", global: false))).isProbe)
        #expect(try Self.granted(try await other.acquire(Self.request(StoreKind.uniqueIdentity(), route: "GET.x", major: "g1"))).isProbe)
        await close()
    }

    @Test("a route 429 closes its bucket for retry_after", arguments: StoreKind.allCases)
    func routeRateLimited(kind: StoreKind) async throws {
        let (store, other, close) = try kind.make()
        let identity = StoreKind.uniqueIdentity()
        let probe = try Self.granted(try await store.acquire(Self.request(identity)))
        var headers = Self.headers(limit: 5, remaining: 0, resetAfter: .milliseconds(200))
        headers.scope = .user
        let completion = try await store.complete(probe, outcome: RESTRateLimitOutcome(status: 429, headers: headers, retryAfter: .seconds(4)))
        #expect(completion.invalidRequestsInWindow == 1)
        let closed = try await other.acquire(Self.request(identity))
        guard case .wait(let wait, .bucket) = closed else {
            Issue.record("expected a bucket wait, got \(closed)")
            return
        }
        #expect(wait > .seconds(2) && wait <= .seconds(4))
        await close()
    }

    @Test("the invalid-request guard closes at its budget, for every process", arguments: StoreKind.allCases)
    func invalidGuard(kind: StoreKind) async throws {
        let (store, other, close) = try kind.make()
        let identity = StoreKind.uniqueIdentity()
        let policy = Self.policy(invalidBudget: 2)
        var counts: [Int] = []
        for (index, status) in [403, 404, 401].enumerated() {
            let ticket = try Self.granted(try await store.acquire(Self.request(identity, route: "GET.r\(index)", policy: policy)))
            counts.append(try await store.complete(ticket, outcome: RESTRateLimitOutcome(status: status)).invalidRequestsInWindow)
        }
        #expect(counts == [1, 0, 2])
        let refused = try await other.acquire(Self.request(identity, route: "GET.z", policy: policy))
        guard case .invalidRequestBudgetExhausted(let retryAfter) = refused else {
            Issue.record("expected the guard to be closed, got \(refused)")
            return
        }
        #expect(retryAfter > .seconds(50) && retryAfter <= .seconds(60))
        await close()
    }

    @Test("a hash learnt in one process is used by another", arguments: StoreKind.allCases)
    func sharedMapping(kind: StoreKind) async throws {
        let (store, other, close) = try kind.make()
        let identity = StoreKind.uniqueIdentity()
        let route = "POST.shared.\(identity.suffix(6))"
        let probe = try Self.granted(try await store.acquire(Self.request(identity, route: route)))
        #expect(probe.bucketID == "r.\(route)")
        try await store.complete(probe, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 2, remaining: 1, resetAfter: .seconds(10), bucket: "m\(identity.suffix(8))")))
        let elsewhere = try Self.granted(try await other.acquire(Self.request(identity, route: route)))
        #expect(elsewhere.bucketID == "h.m\(identity.suffix(8))" && !elsewhere.isProbe)
        #expect(Self.waitReason(try await store.acquire(Self.request(identity, route: route))) == .bucket)
        await close()
    }

    @Test("a probe out under the route's key holds its major after another major taught the hash", arguments: StoreKind.allCases)
    func probeAcrossTheHashTransition(kind: StoreKind) async throws {
        let (store, other, close) = try kind.make()
        let identity = StoreKind.uniqueIdentity()
        let hash = "t\(identity.suffix(8))"
        let first = try Self.granted(try await store.acquire(Self.request(identity, major: "c1")))
        let second = try Self.granted(try await store.acquire(Self.request(identity, major: "c2")))
        try await store.complete(second, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 5, remaining: 4, resetAfter: .seconds(10), bucket: hash)))
        #expect(Self.waitReason(try await other.acquire(Self.request(identity, major: "c1"))) == .probe)
        try await store.complete(first, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 5, remaining: 4, resetAfter: .seconds(10), bucket: hash)))
        let next = try Self.granted(try await other.acquire(Self.request(identity, major: "c1")))
        #expect(next.bucketID == "h.\(hash)" && !next.isProbe)
        await close()
    }

    @Test("a window that ends lets the next request probe again", arguments: StoreKind.allCases)
    func windowEnds(kind: StoreKind) async throws {
        let (store, _, close) = try kind.make()
        let identity = StoreKind.uniqueIdentity()
        let probe = try Self.granted(try await store.acquire(Self.request(identity)))
        try await store.complete(probe, outcome: RESTRateLimitOutcome(status: 200, headers: Self.headers(limit: 1, remaining: 0, resetAfter: .milliseconds(300))))
        #expect(Self.waitReason(try await store.acquire(Self.request(identity))) == .bucket)
        let deadline = ContinuousClock.now + .seconds(3)
        var reprobed = false
        while ContinuousClock.now < deadline, !reprobed {
            if case .granted(let ticket) = try await store.acquire(Self.request(identity)) {
                reprobed = ticket.isProbe
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(reprobed)
        await close()
    }

    @Test("requests whose parts cannot be key segments are refused before any state changes", arguments: StoreKind.allCases)
    func invalidRequests(kind: StoreKind) async throws {
        let (store, _, close) = try kind.make()
        for request in [
            Self.request("bad:identity"), Self.request("ok", route: "GET/{x}"), Self.request("ok", major: ""),
            Self.request("ok", route: String(repeating: "a", count: 127)),
            Self.request("ok", policy: Self.policy(globalLimit: 0)),
        ] {
            await #expect(throws: GuildhallError.self) { _ = try await store.acquire(request) }
        }
        await close()
    }
}

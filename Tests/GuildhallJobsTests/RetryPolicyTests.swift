import GuildhallCore
@testable import GuildhallJobs
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
    static let policy = try! RetryPolicy(maximumAttempts: 6, initialDelay: .milliseconds(100), multiplier: 2, maximumDelay: .seconds(1), jitter: 0.5)

    @Test("delays double from the initial delay and stop at the cap")
    func exponential() {
        let delays = (1...6).map { Self.policy.delay(afterAttempt: $0, random: 0) }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
        #expect(Self.policy.delay(afterAttempt: 0, random: 0) == .milliseconds(100), "attempt numbers below 1 act as the first")
        #expect(Self.policy.delay(afterAttempt: 500, random: 0) == .seconds(1), "huge attempt counts stay at the cap")
    }

    @Test("jitter takes away at most its share, never adds")
    func jitter() {
        #expect(Self.policy.delay(afterAttempt: 3, random: 0) == .milliseconds(400))
        #expect(Self.policy.delay(afterAttempt: 3, random: 0.5) == .milliseconds(300))
        #expect(Self.policy.delay(afterAttempt: 3, random: 0.999_999) == .milliseconds(200))
        #expect(Self.policy.delay(afterAttempt: 3, random: 7) == .milliseconds(200), "random is clamped to 0...1")
        #expect(Self.policy.delay(afterAttempt: 3, random: -1) == .milliseconds(400))
        let full = try! RetryPolicy(maximumAttempts: 3, initialDelay: .seconds(10), maximumDelay: .seconds(10), jitter: 1)
        #expect(full.delay(afterAttempt: 1, random: 0.25) == .milliseconds(7500))
        let none = try! RetryPolicy(maximumAttempts: 3, initialDelay: .seconds(2), maximumDelay: .seconds(2), jitter: 0)
        #expect(none.delay(afterAttempt: 1, random: 0.9) == .seconds(2))
        for random in stride(from: 0.0, to: 1.0, by: 0.05) {
            let delay = Self.policy.delay(afterAttempt: 4, random: random)
            #expect(delay >= .milliseconds(400) && delay <= .milliseconds(800))
        }
    }

    @Test("retries until the last attempt, then dead-letters")
    func decisions() {
        let transient = GuildhallError(.unavailable, "try later")
        #expect(Self.policy.decide(afterAttempt: 1, error: transient, random: 0) == .retry(after: .milliseconds(100)))
        #expect(Self.policy.decide(afterAttempt: 5, error: transient, random: 0) == .retry(after: .seconds(1)))
        #expect(Self.policy.decide(afterAttempt: 6, error: transient, random: 0) == .deadLetter(reason: "gave up after 6 attempt(s)"))
        struct Foreign: Error {}
        #expect(Self.policy.decide(afterAttempt: 1, error: Foreign(), random: 0) == .retry(after: .milliseconds(100)), "unknown errors are transient")
        let once = try! RetryPolicy(maximumAttempts: 1, initialDelay: .zero, maximumDelay: .zero)
        #expect(once.decide(afterAttempt: 1, error: transient, random: 0) == .deadLetter(reason: "gave up after 1 attempt(s)"))
    }

    @Test("errors that can never succeed are not retried", arguments: [GuildhallError.Code.invalidInput, .forbidden, .notFound, .jobPermanentFailure])
    func neverRetried(code: GuildhallError.Code) {
        #expect(Self.policy.decide(afterAttempt: 1, error: GuildhallError(code, "no"), random: 0) == .deadLetter(reason: "not retried (\(code))"))
    }

    @Test("the never-retried set is the policy's to choose")
    func customNeverRetried() throws {
        let policy = try RetryPolicy(maximumAttempts: 3, initialDelay: .seconds(1), maximumDelay: .seconds(4), neverRetried: [.conflict])
        #expect(policy.decide(afterAttempt: 1, error: GuildhallError(.invalidInput, "x"), random: 0) == .retry(after: .seconds(1)))
        #expect(policy.decide(afterAttempt: 1, error: GuildhallError(.conflict, "x"), random: 0) == .deadLetter(reason: "not retried (conflict)"))
        #expect(GuildhallError.permanentJobFailure("gone").code == .jobPermanentFailure)
    }

    @Test("bad policies are refused with a clear error")
    func validation() {
        let cases: [() throws -> RetryPolicy] = [
            { try RetryPolicy(maximumAttempts: 0, initialDelay: .seconds(1), maximumDelay: .seconds(2)) },
            { try RetryPolicy(maximumAttempts: 2, initialDelay: .seconds(-1), maximumDelay: .seconds(2)) },
            { try RetryPolicy(maximumAttempts: 2, initialDelay: .seconds(3), maximumDelay: .seconds(2)) },
            { try RetryPolicy(maximumAttempts: 2, initialDelay: .seconds(1), multiplier: 0.5, maximumDelay: .seconds(2)) },
            { try RetryPolicy(maximumAttempts: 2, initialDelay: .seconds(1), multiplier: .infinity, maximumDelay: .seconds(2)) },
            { try RetryPolicy(maximumAttempts: 2, initialDelay: .seconds(1), maximumDelay: .seconds(2), jitter: 1.5) },
            { try RetryPolicy(maximumAttempts: 2, initialDelay: .seconds(1), maximumDelay: .seconds(2), jitter: -0.1) },
        ]
        for make in cases {
            let error = #expect(throws: GuildhallError.self) { _ = try make() }
            #expect(error?.code == .invalidInput)
        }
        #expect(RetryPolicy.standard.maximumAttempts == 5)
        #expect(RetryPolicy.standard.delay(afterAttempt: 20, random: 0) == .seconds(300))
    }
}

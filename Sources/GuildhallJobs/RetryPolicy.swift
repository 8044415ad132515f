import GuildhallCore

/// How a failed job is tried again: exponential backoff from `initialDelay`, multiplied by
/// `multiplier` per attempt and capped at `maximumDelay`, with a random part (`jitter`) so
/// that jobs failing together do not come back together; at most `maximumAttempts` runs;
/// errors whose code is in `neverRetried` go to the dead letters at once.
public struct RetryPolicy: Sendable, Equatable {
    public let maximumAttempts: Int
    public let initialDelay: Duration
    public let multiplier: Double
    public let maximumDelay: Duration
    /// The share of each delay that is random: 0 waits exactly the computed delay, 1 waits
    /// anything between 0 and it ("full jitter").
    public let jitter: Double
    public let neverRetried: Set<GuildhallError.Code>

    /// Bad input, refused permissions, missing targets and declared permanent failures:
    /// trying again gives the same answer.
    public static let defaultNeverRetried: Set<GuildhallError.Code> = [.invalidInput, .forbidden, .notFound, .jobPermanentFailure]

    /// 5 attempts, 1 s doubling to at most 5 min, half of each delay random.
    public static let standard = RetryPolicy(uncheckedMaximumAttempts: 5, initialDelay: .seconds(1), multiplier: 2, maximumDelay: .seconds(300), jitter: 0.5)

    public init(
        maximumAttempts: Int, initialDelay: Duration, multiplier: Double = 2, maximumDelay: Duration,
        jitter: Double = 0.5, neverRetried: Set<GuildhallError.Code> = RetryPolicy.defaultNeverRetried
    ) throws {
        guard maximumAttempts >= 1 else {
            throw GuildhallError(.invalidInput, "a retry policy needs at least one attempt, got \(maximumAttempts)")
        }
        guard initialDelay >= .zero, maximumDelay >= initialDelay else {
            throw GuildhallError(.invalidInput, "retry delays must satisfy 0 <= initial (\(initialDelay)) <= maximum (\(maximumDelay))")
        }
        guard multiplier >= 1, multiplier.isFinite else {
            throw GuildhallError(.invalidInput, "the backoff multiplier must be a finite number of at least 1, got \(multiplier)")
        }
        guard (0...1).contains(jitter) else {
            throw GuildhallError(.invalidInput, "jitter must be between 0 and 1, got \(jitter)")
        }
        self.init(uncheckedMaximumAttempts: maximumAttempts, initialDelay: initialDelay, multiplier: multiplier, maximumDelay: maximumDelay, jitter: jitter, neverRetried: neverRetried)
    }

    private init(uncheckedMaximumAttempts: Int, initialDelay: Duration, multiplier: Double, maximumDelay: Duration, jitter: Double, neverRetried: Set<GuildhallError.Code> = RetryPolicy.defaultNeverRetried) {
        self.maximumAttempts = uncheckedMaximumAttempts
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maximumDelay = maximumDelay
        self.jitter = jitter
        self.neverRetried = neverRetried
    }

    /// The wait before attempt `attempt + 1`, after attempt `attempt` (1-based) failed.
    /// `random` is in 0..<1.
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        let initial = Double(initialDelay.wholeMilliseconds)
        let cap = Double(maximumDelay.wholeMilliseconds)
        let exponent = Double(max(0, attempt - 1))
        // pow grows past any cap quickly; min keeps it finite before the cast.
        let base = min(cap, initial * power(multiplier, exponent))
        let random = min(max(random, 0), 1)
        let waited = base * (1 - jitter * random)
        return .milliseconds(Int64(waited.rounded(.down)))
    }

    /// What to do after attempt `attempt` (1-based) failed with `error`.
    public func decide(afterAttempt attempt: Int, error: any Error, random: Double) -> RetryDecision {
        if let code = (error as? GuildhallError)?.code, neverRetried.contains(code) {
            return .deadLetter(reason: "not retried (\(code))")
        }
        guard attempt < maximumAttempts else {
            return .deadLetter(reason: "gave up after \(attempt) attempt(s)")
        }
        return .retry(after: delay(afterAttempt: attempt, random: random))
    }
}

/// The outcome of `RetryPolicy.decide`.
public enum RetryDecision: Sendable, Equatable {
    case retry(after: Duration)
    case deadLetter(reason: String)
}

private func power(_ base: Double, _ exponent: Double) -> Double {
    // Integer exponents only (attempt numbers): repeated multiplication, stopping early
    // once the value is already past anything a delay can be.
    var result = 1.0
    var remaining = Int(exponent)
    while remaining > 0 {
        result *= base
        if result > 1e15 { return result }
        remaining -= 1
    }
    return result
}

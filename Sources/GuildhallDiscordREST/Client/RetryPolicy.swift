import GuildhallCore

/// How often and how patiently a request is tried again. A pure value: `backoff(afterFailures:)`
/// takes its randomness as an argument so tests can pin it.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt (429s, 5xx and transport failures all spend from it).
    public var maximumRetries: Int
    /// Backoff before the first retry of a 5xx or transport failure; doubles each time.
    public var initialBackoff: Duration
    public var maximumBackoff: Duration
    /// The longest a request waits for the limiter (a bucket's reset, a global pause, a
    /// 429's `retry_after`) before giving up with `rate_limited` instead of sleeping.
    public var maximumRateLimitWait: Duration

    public init(
        maximumRetries: Int = 3, initialBackoff: Duration = .milliseconds(500), maximumBackoff: Duration = .seconds(10),
        maximumRateLimitWait: Duration = .seconds(60)
    ) {
        self.maximumRetries = maximumRetries
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.maximumRateLimitWait = maximumRateLimitWait
    }

    /// The wait before retry number `failures` (1 for the first): exponential, capped, with
    /// "full jitter" between half and all of it so a crowd of clients does not retry in step.
    /// `jitter` is a number in 0...1.
    public func backoff(afterFailures failures: Int, jitter: Double) -> Duration {
        let exponent = min(max(failures - 1, 0), 30)
        let cap = maximumBackoff.wholeMilliseconds
        let (product, overflow) = initialBackoff.wholeMilliseconds.multipliedReportingOverflow(by: Int64(1) << exponent)
        let ceiling = overflow ? cap : min(product, cap)
        let fraction = 0.5 + 0.5 * min(max(jitter, 0), 1)
        return .milliseconds(Int64((Double(ceiling) * fraction).rounded()))
    }

    func validate() throws {
        guard (0...20).contains(maximumRetries) else {
            throw GuildhallError(.invalidConfiguration, "maximum retries must be 0...20, got \(maximumRetries)")
        }
        guard initialBackoff > .zero, maximumBackoff >= initialBackoff, maximumRateLimitWait >= .zero else {
            throw GuildhallError(.invalidConfiguration, "backoffs must be positive with maximum >= initial, and the rate-limit wait not negative")
        }
    }
}

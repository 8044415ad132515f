import CoreMetrics
import Metrics

/// The client's metrics (swift-metrics), labelled by route template, never by path: paths
/// carry ids and tokens, and would make one time series per message.
///
/// - `discord_rest_requests_total{route,status}`: every attempt's outcome (`status` is the
///   HTTP status, `timeout` or `transport`).
/// - `discord_rest_request_duration_seconds{route}`: each attempt's time on the wire.
/// - `discord_rest_rate_limited_total{route,scope}`: 429s received (`scope`: user, global,
///   shared or unknown).
/// - `discord_rest_retries_total{route,reason}`: retries (`rate_limited`, `server_error`,
///   `timeout`, `transport`).
/// - `discord_rest_limiter_waits_total{route,reason}`: waits the limiter imposed before sending.
/// - `discord_rest_invalid_requests_total`: 401, 403 and non-shared 429 responses.
/// - `discord_rest_invalid_requests_window`: invalid requests in the guard's current window.
/// - `discord_rest_invalid_guard_trips_total`: requests refused by the invalid-request guard.
struct DiscordRESTMetrics: Sendable {
    let factory: any MetricsFactory

    init(factory: (any MetricsFactory)?) {
        self.factory = factory ?? MetricsSystem.factory
    }

    func attempt(route: String, status: String, duration: Duration) {
        Counter(label: "discord_rest_requests_total", dimensions: [("route", route), ("status", status)], factory: factory).increment()
        Metrics.Timer(label: "discord_rest_request_duration_seconds", dimensions: [("route", route)], preferredDisplayUnit: .seconds, factory: factory)
            .recordNanoseconds(max(0, duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000))
    }

    func rateLimited(route: String, scope: RateLimitScope?) {
        Counter(label: "discord_rest_rate_limited_total", dimensions: [("route", route), ("scope", scope?.rawValue ?? "unknown")], factory: factory).increment()
    }

    func retry(route: String, reason: String) {
        Counter(label: "discord_rest_retries_total", dimensions: [("route", route), ("reason", reason)], factory: factory).increment()
    }

    func limiterWait(route: String, reason: RESTRateLimitWaitReason) {
        Counter(label: "discord_rest_limiter_waits_total", dimensions: [("route", route), ("reason", reason.rawValue)], factory: factory).increment()
    }

    func invalidRequest(countInWindow: Int) {
        Counter(label: "discord_rest_invalid_requests_total", factory: factory).increment()
        Gauge(label: "discord_rest_invalid_requests_window", factory: factory).record(countInWindow)
    }

    func guardTripped() {
        Counter(label: "discord_rest_invalid_guard_trips_total", factory: factory).increment()
    }
}

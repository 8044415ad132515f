import Metrics
import Prometheus
import Synchronization

/// The process's Prometheus registry. swift-metrics may be bootstrapped once per process,
/// so every role (and every test) goes through `bootstrap()`.
public enum MetricsBootstrap {
    public static let registry = PrometheusCollectorRegistry()
    private static let done = Mutex(false)

    /// Installs the Prometheus factory as the metrics backend, once.
    public static func bootstrap() {
        done.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
    }

    /// Publishes `guildhall_build_info{version,role} 1`, so every scrape shows what runs where.
    public static func announce(role: String, version: String) {
        Gauge(label: "guildhall_build_info", dimensions: [("version", version), ("role", role)]).record(1)
    }

    /// The exposition text served at `/metrics`.
    public static func exposition() -> String {
        registry.emitToString()
    }
}

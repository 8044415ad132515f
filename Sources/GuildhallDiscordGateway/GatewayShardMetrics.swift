import Metrics
import Synchronization

/// A shard's metrics. Counters per event name are made once and kept, so the hot path
/// costs a dictionary lookup, not a metrics-factory call.
final class GatewayShardMetrics: Sendable {
    let shard: String
    private let heartbeatLatency: Metrics.Timer
    private let connected: Gauge

    init(shardID: Int) {
        shard = String(shardID)
        heartbeatLatency = Metrics.Timer(label: "guildhall_gateway_heartbeat_latency", dimensions: [("shard", shard)])
        connected = Gauge(label: "guildhall_gateway_shard_connected", dimensions: [("shard", shard)])
    }

    func heartbeat(latency: Duration) {
        heartbeatLatency.recordNanoseconds(latency.wholeNanoseconds)
    }

    func session(resumed: Bool) {
        Counter(label: "guildhall_gateway_sessions_total", dimensions: [("shard", shard), ("kind", resumed ? "resumed" : "identified")]).increment()
    }

    func reconnect() {
        Counter(label: "guildhall_gateway_reconnects_total", dimensions: [("shard", shard)]).increment()
    }

    func closed(reason: ShardCloseReason) {
        Counter(label: "guildhall_gateway_closes_total", dimensions: [("shard", shard), ("reason", reason.rawValue)]).increment()
    }

    func decodeFailure(event: String?) {
        Counter(label: "guildhall_gateway_decode_failures_total", dimensions: [("shard", shard), ("event", event ?? "-")]).increment()
    }

    func permitFailure() {
        Counter(label: "guildhall_gateway_identify_limiter_failures_total", dimensions: [("shard", shard)]).increment()
    }

    func commandDelayed() {
        Counter(label: "guildhall_gateway_commands_delayed_total", dimensions: [("shard", shard)]).increment()
    }

    func failed() {
        Counter(label: "guildhall_gateway_fatal_closes_total", dimensions: [("shard", shard)]).increment()
    }

    func status(_ status: ShardStatus) {
        connected.record(status == .connected ? 1 : 0)
    }
}

extension Duration {
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// Event counters of one connection's reader. Owned by the reader alone, so counting an
/// event is a dictionary look-up with no lock and no metrics-factory call.
struct GatewayEventCounters {
    private let shard: String
    private var counters: [String: Counter] = [:]
    private var lastName = ""
    private var lastCounter: Counter?

    init(shard: String) {
        self.shard = shard
    }

    mutating func count(_ name: String) {
        if name == lastName, let lastCounter {
            lastCounter.increment()
            return
        }
        let counter = counters[name] ?? Counter(label: "guildhall_gateway_events_total", dimensions: [("shard", shard), ("event", name)])
        counters[name] = counter
        lastName = name
        lastCounter = counter
        counter.increment()
    }
}

import Metrics
import Synchronization

/// A shard's metrics. Counters per event name are made once and kept, so the hot path
/// costs a dictionary lookup, not a metrics-factory call.
final class GatewayShardMetrics: Sendable {
    private let shard: String
    private let eventCounters = Mutex<[String: Counter]>([:])
    private let heartbeatLatency: Metrics.Timer
    private let connected: Gauge

    init(shardID: Int) {
        shard = String(shardID)
        heartbeatLatency = Metrics.Timer(label: "guildhall_gateway_heartbeat_latency", dimensions: [("shard", shard)])
        connected = Gauge(label: "guildhall_gateway_shard_connected", dimensions: [("shard", shard)])
    }

    func event(named name: String) {
        let counter = eventCounters.withLock { counters in
            if let counter = counters[name] { return counter }
            let counter = Counter(label: "guildhall_gateway_events_total", dimensions: [("shard", shard), ("event", name)])
            counters[name] = counter
            return counter
        }
        counter.increment()
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

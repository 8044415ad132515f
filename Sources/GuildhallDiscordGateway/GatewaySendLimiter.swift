/// The gateway's send limit for one connection: at most `limit` commands in any `window`
/// (Discord: 120 per 60 s; more closes the connection with 4008).
///
/// Feature commands may use all but `protocolReserve` of the budget, so heartbeats,
/// Identify and Resume always find room and are never starved by a burst of presence
/// updates or member requests.
public struct GatewaySendLimiter: Sendable, Hashable {
    public typealias Instant = ContinuousClock.Instant

    public let limit: Int
    public let window: Duration
    public let protocolReserve: Int
    /// Send instants inside the current window, oldest first.
    private(set) var sent: [Instant] = []

    public init(limit: Int = 120, window: Duration = .seconds(60), protocolReserve: Int = 10) {
        precondition(limit > 0 && window > .zero, "a send limit needs a positive count and window")
        precondition(protocolReserve >= 0 && protocolReserve < limit, "the protocol reserve must leave room for feature commands")
        self.limit = limit
        self.window = window
        self.protocolReserve = protocolReserve
    }

    /// How many commands of the given kind may still be sent at `now`.
    public mutating func remaining(forProtocol: Bool, now: Instant) -> Int {
        prune(now: now)
        return max(0, capacity(forProtocol: forProtocol) - sent.count)
    }

    /// The earliest instant a command of this kind may be sent (`now` when there is room).
    public mutating func nextSlot(forProtocol: Bool, now: Instant) -> Instant {
        prune(now: now)
        let capacity = capacity(forProtocol: forProtocol)
        guard sent.count >= capacity else { return now }
        // The slot frees when enough of the oldest sends leave the window.
        return sent[sent.count - capacity] + window
    }

    /// Counts a command sent at `now`.
    public mutating func record(now: Instant) {
        prune(now: now)
        sent.append(now)
    }

    private func capacity(forProtocol: Bool) -> Int {
        forProtocol ? limit : limit - protocolReserve
    }

    private mutating func prune(now: Instant) {
        let cutoff = now - window
        if let firstInside = sent.firstIndex(where: { $0 > cutoff }) {
            if firstInside > 0 { sent.removeFirst(firstInside) }
        } else {
            sent.removeAll()
        }
    }
}

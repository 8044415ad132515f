/// Where a giveaway is in its life. The only ways forward are the transitions below; the
/// database claims each one (`UPDATE … WHERE status = <from>`), so a second ending, a
/// cancel racing an end, or a reroll of a running giveaway changes nothing.
public enum GiveawayStatus: String, Sendable, Codable, CaseIterable {
    /// Created with a start time in the future; no message yet.
    case scheduled
    /// The message is up and entries are taken.
    case running
    /// Claimed by one ending; winners drawn (possibly none).
    case ended
    /// Stopped by a moderator before its end; nobody wins.
    case cancelled

    public enum Action: String, Sendable, CaseIterable {
        case start, end, cancel, reroll
    }

    /// The status `action` leads to from here, or nil when it is not allowed.
    public func after(_ action: Action) -> GiveawayStatus? {
        switch (self, action) {
        case (.scheduled, .start): .running
        case (.running, .end): .ended
        case (.scheduled, .cancel), (.running, .cancel): .cancelled
        // A reroll draws again from the stored entrants; the giveaway stays ended.
        case (.ended, .reroll): .ended
        default: nil
        }
    }

    /// Whether members may enter (or leave) now.
    public var takesEntries: Bool { self == .running }

    /// Whether it counts against the plan's limit of running giveaways.
    public var countsAsRunning: Bool { self == .scheduled || self == .running }
}

/// The answer of a hierarchy or permission check.
public enum ModerationDecision: Hashable, Sendable {
    case allowed
    case refused(ModerationRefusal)

    public var isAllowed: Bool { self == .allowed }
    public var isRefused: Bool { !isAllowed }

    public var refusal: ModerationRefusal? {
        if case .refused(let refusal) = self { return refusal }
        return nil
    }

    /// Throws the refusal; returns quietly when allowed.
    public func get() throws(ModerationRefusal) {
        if case .refused(let refusal) = self { throw refusal }
    }

    /// This decision when refused, else `next()`: checks chained in order of importance.
    public func then(_ next: () -> ModerationDecision) -> ModerationDecision {
        isAllowed ? next() : self
    }
}

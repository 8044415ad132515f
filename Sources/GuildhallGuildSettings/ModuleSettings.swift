import Foundation
import GuildhallCore

/// Which modules one guild has on. Modules never configured are off.
public struct ModuleSettings: Sendable, Equatable, Codable {
    public private(set) var enabled: Set<ModuleID>

    public init(enabled: Set<ModuleID> = []) {
        self.enabled = enabled
    }

    public func isEnabled(_ module: ModuleID) -> Bool { enabled.contains(module) }

    public mutating func set(_ module: ModuleID, enabled on: Bool) {
        if on { enabled.insert(module) } else { enabled.remove(module) }
    }

    /// The cached form: a sorted comma list, short and stable (`"giveaways,leveling"`).
    public var encoded: String { enabled.sorted().map(\.rawValue).joined(separator: ",") }

    /// Parses the cached form; nil when it holds anything but well-formed module ids (a
    /// corrupted entry is then treated as a miss and rebuilt from the database). Ids of
    /// modules this build does not register are kept: another process may register them.
    public init?(encoded: String) {
        if encoded.isEmpty { self.init(); return }
        var modules = Set<ModuleID>()
        for name in encoded.split(separator: ",", omittingEmptySubsequences: false) {
            guard ModuleID.isWellFormed(name) else { return nil }
            modules.insert(ModuleID(String(name)))
        }
        self.init(enabled: modules)
    }
}

import Foundation
import GuildhallCore

/// Which modules one guild has on. Modules never configured are off.
public struct ModuleSettings: Sendable, Equatable, Codable {
    public private(set) var enabled: Set<GuildModule>

    public init(enabled: Set<GuildModule> = []) {
        self.enabled = enabled
    }

    public func isEnabled(_ module: GuildModule) -> Bool { enabled.contains(module) }

    public mutating func set(_ module: GuildModule, enabled on: Bool) {
        if on { enabled.insert(module) } else { enabled.remove(module) }
    }

    /// The cached form: a sorted comma list, short and stable (`"giveaways,leveling"`).
    public var encoded: String { enabled.sorted().map(\.rawValue).joined(separator: ",") }

    /// Parses the cached form; nil when it holds anything but known module names (a
    /// corrupted entry is then treated as a miss and rebuilt from the database).
    public init?(encoded: String) {
        if encoded.isEmpty { self.init(); return }
        var modules = Set<GuildModule>()
        for name in encoded.split(separator: ",", omittingEmptySubsequences: false) {
            guard let module = GuildModule(rawValue: String(name)) else { return nil }
            modules.insert(module)
        }
        self.init(enabled: modules)
    }
}

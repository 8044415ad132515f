/// The list of features this build knows about, in a stable order.
public struct FeatureRegistry: Sendable {
    public let modules: [any FeatureModule]

    public init(_ modules: [any FeatureModule]) {
        self.modules = modules
    }

    public var manifests: [FeatureManifest] { modules.map(\.manifest) }

    public func manifest(id: String) -> FeatureManifest? {
        manifests.first { $0.id == id }
    }

    /// Problems that make the registry unfit to ship: duplicate ids and layers that are
    /// neither wired nor explained. Empty means the contract holds.
    public func violations() -> [String] {
        var problems: [String] = []
        var seen = Set<String>()
        for manifest in manifests {
            if !seen.insert(manifest.id).inserted {
                problems.append("feature id '\(manifest.id)' is registered twice")
            }
            for layer in manifest.unaccountedLayers {
                problems.append("\(manifest.id): layer \(layer.rawValue) is missing or has no parts and no reason")
            }
        }
        return problems
    }
}

import GuildhallGuildSettings

/// The features this build ships, in a stable order (the catalog's).
public struct FeatureRegistry: Sendable {
    public let features: [any Feature]

    public init(_ features: [any Feature]) {
        self.features = features
    }

    public var manifests: [FeatureManifest] { features.map(\.manifest) }

    public func manifest(id: String) -> FeatureManifest? {
        features.first { $0.info.id == id }?.manifest
    }

    /// The modules guilds can switch on: the registered features that declare one.
    public var modules: ModuleCatalog {
        ModuleCatalog(features.compactMap(\.info.module))
    }

    /// Problems that make the registry unfit to ship: duplicate ids, commands, component
    /// prefixes, routes, job names and tab paths, and layers neither wired nor explained.
    /// Empty means the contract holds.
    public func violations() -> [String] {
        var problems: [String] = []
        func unique(_ what: String, _ values: [(feature: String, value: String)]) {
            var owner: [String: String] = [:]
            for (feature, value) in values {
                if let first = owner[value] {
                    problems.append(first == feature ? "\(what) '\(value)' is registered twice" : "\(what) '\(value)' is declared by \(first) and \(feature)")
                } else {
                    owner[value] = feature
                }
            }
        }
        unique("feature id", features.map { ($0.info.id, $0.info.id) })
        unique("module", features.compactMap { feature in feature.info.module.map { (feature.info.id, $0.id.rawValue) } })
        unique("command", features.flatMap { feature in feature.commands.map { (feature.info.id, "/" + $0.name) } })
        unique("component prefix", features.flatMap { feature in feature.componentPrefixes.map { (feature.info.id, $0) } })
        unique("route", features.flatMap { feature in feature.routes.map { (feature.info.id, "\($0.method.rawValue) \($0.path)") } })
        unique("job", features.flatMap { feature in feature.jobKinds.map { (feature.info.id, $0) } })
        unique("tab", features.flatMap { feature in feature.tabs.map { (feature.info.id, $0.path) } })
        unique("migration", features.flatMap { feature in feature.migrations.map { (feature.info.id, $0.name) } })
        unique("Redis key kind", features.flatMap { feature in feature.keyKinds.map { (feature.info.id, $0.pattern) } })
        for manifest in manifests {
            for layer in manifest.unaccountedLayers {
                problems.append("\(manifest.id): layer \(layer.rawValue) is missing or has no parts and no reason")
            }
        }
        return problems
    }
}

import GuildhallCore
import GuildhallGuildSettings
import GuildhallPremium

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

    /// The plan table: every registered feature's rows, in registry order.
    public var plans: PlanTable {
        var seen = Set<PlanLimit>()
        return PlanTable(features.flatMap(\.planLimits).filter { seen.insert($0.limit).inserted })
    }

    /// Every registered feature's settings, in registry order.
    public var featureSettings: [FeatureSetting] { features.flatMap(\.configuration) }

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
        unique("setting", features.flatMap { feature in feature.configuration.map { (feature.info.id, $0.variable) } })
        for feature in features {
            for setting in feature.configuration where GuildhallConfiguration.Variable(rawValue: setting.variable) != nil {
                problems.append("\(feature.info.id) declares setting \(setting.variable), which the platform already reads")
            }
        }
        unique("plan limit", features.flatMap { feature in feature.planLimits.map { (feature.info.id, $0.limit.description) } })
        for feature in features {
            for row in feature.planLimits where row.limit.feature != feature.info.id {
                problems.append("\(feature.info.id) declares plan limit \(row.limit), which belongs to feature '\(row.limit.feature)'")
            }
            if let limit = feature.info.module?.premium, !feature.planLimits.contains(where: { $0.limit == limit }) {
                problems.append("\(feature.info.id)'s module needs plan limit \(limit), which it does not declare")
            }
        }
        unique("Redis key kind", features.flatMap { feature in feature.keyKinds.map { (feature.info.id, $0.pattern) } })
        for manifest in manifests {
            for layer in manifest.unaccountedLayers {
                problems.append("\(manifest.id): layer \(layer.rawValue) is missing or has no parts and no reason")
            }
        }
        return problems
    }
}

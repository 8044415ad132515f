import FluentKit
import GuildhallGiveaways
import GuildhallGuildSettingsFeature
import GuildhallKit
import GuildhallLeveling
import GuildhallStorage

/// The features this build ships: one line each. Guild settings is built from the others'
/// modules, so `/modules`, the API and the overview offer exactly what is registered.
public enum FeatureCatalog {
    public static let features: [any Feature] = [
        LevelingFeature(),
        GiveawayFeature(),
    ]

    public static var registry: FeatureRegistry { registry(features) }

    /// The registry for a given list of features (the benches tune a feature's settings).
    public static func registry(_ features: [any Feature]) -> FeatureRegistry {
        let modules = FeatureRegistry(features).modules
        return FeatureRegistry([GuildSettingsFeature(modules: modules)] + features)
    }

    /// The platform's migrations (the job tables included), then each feature's own.
    public static var migrations: [any Migration] { migrations(for: registry) }

    public static func migrations(for registry: FeatureRegistry) -> [any Migration] {
        let platform = PlatformMigrations.all
        let known = Set(platform.map(\.name))
        return platform + registry.features.flatMap(\.migrations).filter { !known.contains($0.name) }
    }
}

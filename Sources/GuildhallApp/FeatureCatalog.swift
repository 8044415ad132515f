import FluentKit
import GuildhallFeatures
import GuildhallGuildSettings
import GuildhallStorage

/// The features this build ships, and the schema they need, in one place.
public enum FeatureCatalog {
    public static var registry: FeatureRegistry {
        FeatureRegistry([GuildSettingsFeature()])
    }

    /// The platform's migrations, then each feature's own (none of the current features
    /// has tables beyond the platform's).
    public static var migrations: [any Migration] {
        PlatformMigrations.all
    }
}

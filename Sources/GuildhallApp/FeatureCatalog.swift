import FluentKit
import GuildhallBackends
import GuildhallFeatures
import GuildhallGiveaways
import GuildhallGuildSettings
import GuildhallJobs
import GuildhallLeveling
import GuildhallPremium
import GuildhallStorage

/// The features this build ships, and the schema they need, in one place.
public enum FeatureCatalog {
    public static var registry: FeatureRegistry {
        FeatureRegistry([GuildSettingsFeature(), LevelingFeature(), GiveawayFeature()])
    }

    /// The platform's migrations (the job tables included), then each feature's own.
    public static var migrations: [any Migration] {
        PlatformMigrations.all + LevelingMigrations.all + GiveawayMigrations.all
    }

    /// The job system with every handler this build knows: the platform's jobs, then each
    /// feature's (leveling's level-ups, giveaways' starts and endings).
    public static func jobSystem(
        database: GuildhallDatabase, backends: Backends, queue: String, premium: PremiumService, premiumSync: PremiumSyncSource,
        leveling: LevelingService, levelingDiscord: LevelingDiscordSource, giveaways: GiveawayService
    ) throws -> JobSystem {
        try JobSystem.make(database: database, backends: backends, queue: queue) { registry in
            try PremiumJobs.register(in: &registry, premium: premium, source: premiumSync)
            try LevelingJobs.register(in: &registry, leveling: leveling, discord: levelingDiscord)
            try GiveawayJobs.register(in: &registry, giveaways: giveaways)
        }
    }
}

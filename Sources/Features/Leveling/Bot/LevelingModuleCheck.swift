import GuildhallBot
import GuildhallCore
import GuildhallGuildSettings

/// The leveling commands answer only where leveling is switched on.
enum LevelingModuleCheck {
    static func requireOn(_ settings: GuildSettingsService, guild: Snowflake) async throws {
        guard try await settings.settings(for: guild).isEnabled(.leveling) else {
            throw GuildhallError(.invalidInput, "leveling is off in this server (an admin can switch it on with /modules enable leveling)")
        }
    }
}

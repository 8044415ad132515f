import GuildhallKit
import Logging
import ServiceLifecycle

/// Leveling's upkeep in every process: drops this process's copy of a guild's leveling
/// configuration when another process announces a change.
struct LevelingSettingsCacheService: Service {
    let settings: LevelingSettingsService
    let logger: Logger
    var retryDelay: Duration = .seconds(1)

    func run() async throws {
        try await stoppingQuietly {
            while !Task.isCancelled {
                do {
                    try await settings.listenForInvalidations()
                } catch {
                    logger.warning("leveling invalidation listener stopped; retrying", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: retryDelay)
            }
        }
    }
}

/// The XP write-behind, in processes that run jobs: every `interval`, the totals that
/// changed in the cache are written to the database. Its interval bounds what a Redis
/// data loss can take (see docs/features/leveling.md, "Durability").
struct LevelingWriteBehindService: Service {
    let leveling: LevelingService
    let logger: Logger
    var interval: Duration = .seconds(2)

    func run() async throws {
        try await stoppingQuietly {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    try await leveling.flushAll()
                } catch {
                    logger.warning("XP write-behind pass failed; the next pass retries", metadata: ["error": "\(error)"])
                }
            }
        }
        // One last pass on the way out, so a clean stop loses nothing.
        try? await leveling.flushAll()
    }
}

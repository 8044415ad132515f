import GuildhallCore
import GuildhallFeatures
import GuildhallGuildSettings
import GuildhallStorage
import Testing

/// What the guild-settings feature declares in the eleven layers, checked against the code.
@Suite("Guild settings in the feature contract")
struct GuildSettingsContractTests {
    let manifest = GuildSettingsFeature().manifest

    @Test("every layer is wired or explained")
    func layers() {
        #expect(manifest.id == GuildSettingsFeature.id)
        #expect(manifest.unaccountedLayers.isEmpty)
        #expect(manifest.documentPath == "docs/features/guild-settings.md")
        #expect(manifest.isComplete, "every layer is wired, or not applicable with its reason")
        for layer in [FeatureLayer.bot, .api, .dashboard, .premium] {
            guard case .wired(let parts) = manifest.status(of: layer) else {
                Issue.record("\(layer) is not wired")
                continue
            }
            #expect(!parts.isEmpty)
        }
    }

    @Test("pending layers name the issue that brings them")
    func pendingNamesIssue() {
        for layer in FeatureLayer.allCases {
            if case .pending(let reason) = manifest.status(of: layer) {
                #expect(reason.contains("issue #"), "\(layer): \(reason)")
            }
        }
    }

    @Test("the database layer names real platform migrations")
    func databaseParts() throws {
        let names = Set(PlatformMigrations.all.map(\.name))
        #expect(GuildSettingsFeature.migrations.allSatisfy(names.contains))
        guard case .wired(let parts) = manifest.status(of: .database) else {
            Issue.record("database layer is not wired")
            return
        }
        for migration in GuildSettingsFeature.migrations {
            #expect(parts.contains { $0.contains(migration) })
        }
    }

    @Test("the Redis layer shows every key kind with its lifetime and cleanup")
    func redisParts() throws {
        guard case .wired(let parts) = manifest.status(of: .redis) else {
            Issue.record("redis layer is not wired")
            return
        }
        #expect(parts.count == GuildSettingsFeature.keyKinds.count)
        for kind in GuildSettingsFeature.keyKinds {
            #expect(parts.contains { $0.hasPrefix(kind.pattern) && $0.contains(kind.cleanup) })
        }
        #expect(parts.contains { $0.contains("TTL 10m") })
        #expect(GuildSettingsService.cacheKind.pattern == "bot:{<guildId>}:settings:modules")
    }
}

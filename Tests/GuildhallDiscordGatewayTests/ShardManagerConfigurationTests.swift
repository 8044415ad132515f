import GuildhallCore
import GuildhallDiscordModels
import Testing
@testable import GuildhallDiscordGateway

@Suite("ShardManager configuration")
struct ShardManagerConfigurationTests {
    static func valid() -> ShardManager.Configuration {
        ShardManager.Configuration(token: "abc.def.ghi", intents: .unprivileged, shardIDs: [0, 1, 2, 3], shardCount: 8, gatewayURL: "wss://gateway.discord.gg/", maxConcurrency: 1)
    }

    @Test func aValidConfigurationHasNoProblems() throws {
        #expect(Self.valid().problems.isEmpty)
        _ = try ShardManager(configuration: Self.valid(), logger: Transport.quiet)
    }

    @Test("each bad setting is named and the manager refuses it", arguments: [
        "token", "prefixed token", "count", "empty", "repeat", "outside", "concurrency", "intents", "threshold", "url",
    ])
    func badSettingsAreRefused(setting: String) {
        var configuration = Self.valid()
        let expected: String
        switch setting {
        case "token": configuration.token = ""; expected = "token"
        case "prefixed token": configuration.token = "Bot abc"; expected = "token"
        case "count": configuration.shardCount = 0; expected = "shard count"
        case "empty": configuration.shardIDs = []; expected = "no shards"
        case "repeat": configuration.shardIDs = [1, 1]; expected = "repeat"
        case "outside": configuration.shardIDs = [7, 8]; expected = "outside"
        case "concurrency": configuration.maxConcurrency = 0; expected = "max_concurrency"
        case "intents": configuration.intents = GatewayIntents(rawValue: 1 << 40); expected = "undocumented"
        case "threshold": configuration.largeThreshold = 251; expected = "large_threshold"
        default: configuration.gatewayURL = "https://gateway.discord.gg"; expected = "wss://"
        }
        // A zero shard count also puts every shard id outside the range: two problems.
        #expect(configuration.problems.count == (setting == "count" ? 2 : 1))
        #expect(configuration.problems.contains { $0.contains(expected) }, "\(configuration.problems)")
        #expect(throws: GuildhallError.self) { try ShardManager(configuration: configuration, logger: Transport.quiet) }
        do {
            _ = try ShardManager(configuration: configuration, logger: Transport.quiet)
        } catch let error as GuildhallError {
            #expect(error.code == .invalidConfiguration)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func botInfoSuppliesURLAndConcurrencyAndGuardsTheSessionBudget() throws {
        let info = GatewayBotInfo(url: "wss://gateway.discord.gg/", shards: 8, sessionStartLimit: .init(total: 1000, remaining: 4, resetAfter: 3_600_000, maxConcurrency: 16))
        let configuration = try ShardManager.Configuration(token: "t", intents: .guilds, shardIDs: [0, 1, 2, 3], shardCount: 8, botInfo: info)
        #expect(configuration.gatewayURL == "wss://gateway.discord.gg/")
        #expect(configuration.maxConcurrency == 16)
        #expect(configuration.shardConfiguration(id: 2).shard == GatewayShardInfo(id: 2, count: 8))
        #expect(configuration.shardConfiguration(id: 2).maxConcurrency == 16)
        do {
            _ = try ShardManager.Configuration(token: "t", intents: .guilds, shardIDs: [0, 1, 2, 3, 4], shardCount: 8, botInfo: info)
            Issue.record("five session starts with four left must be refused")
        } catch let error as GuildhallError {
            #expect(error.code == .gatewaySessionStartLimit)
            #expect(error.message.contains("1h"))
        }
    }

    @Test("shard lists parse", arguments: [
        ("0-3", [0, 1, 2, 3]), ("5", [5]), ("0,2,4", [0, 2, 4]), ("0-1,6-7", [0, 1, 6, 7]), (" 2 - 3 ", [2, 3]),
    ])
    func shardListsParse(text: String, ids: [Int]) throws {
        #expect(try ShardManager.Configuration.parseShardIDs(text) == ids)
    }

    @Test("bad shard lists are refused", arguments: ["", "a", "3-1", "-1", "1-2-3", "1,,2"])
    func badShardListsAreRefused(text: String) {
        #expect(throws: GuildhallError.self) { try ShardManager.Configuration.parseShardIDs(text) }
    }
}

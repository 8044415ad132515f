import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Testing
@testable import GuildhallSandbox

@Suite("Seeded world")
struct SeedingTests {
    func world(seed: UInt64, guilds: Int = 4, members: Int = 12, configure: (inout SandboxConfiguration) -> Void = { _ in }) -> SandboxState {
        var configuration = SandboxHarness.configuration(seed: seed)
        configuration.guildCount = guilds
        configuration.membersPerGuild = members
        configure(&configuration)
        return SandboxSeeder(configuration: configuration).seed()
    }

    /// Everything that identifies the world, in a comparable form.
    func fingerprint(_ state: SandboxState) -> [String] {
        var lines = [state.application.id.description, state.application.token, state.application.publicKeyHex, state.application.clientSecret]
        for guild in state.orderedGuilds {
            lines.append("\(guild.id) \(guild.name) owner \(guild.ownerID)")
            lines += guild.orderedRoles.map { "role \($0.id) \($0.name) \($0.position) \($0.permissions)" }
            lines += guild.orderedMembers.map { "member \($0.userID) \(state.users[$0.userID]!.username) \($0.roleIDs) \($0.joinedAt)" }
            lines += guild.channelIDs.map { id in
                let channel = state.channels[id]!
                return "channel \(id) \(channel.name) \(channel.kind) \(channel.overwrites.map { "\($0.id):\($0.allow):\($0.deny)" })"
            }
        }
        return lines
    }

    @Test("the same seed gives the same world, id for id and secret for secret")
    func sameSeedSameWorld() {
        #expect(fingerprint(world(seed: 7)) == fingerprint(world(seed: 7)))
        #expect(fingerprint(world(seed: 7)) != fingerprint(world(seed: 8)))
    }

    @Test("every id is a mock id, and the guilds spread over shards by the formula")
    func mockIDsAndShards() {
        let state = world(seed: 11, guilds: 40)
        #expect(state.guilds.count == 40)
        for guild in state.orderedGuilds {
            #expect(MockFactory.isMock(guild.id))
            for member in guild.orderedMembers { #expect(MockFactory.isMock(member.userID)) }
        }
        let shards = Set(state.orderedGuilds.map { $0.id.shard(count: 4) })
        #expect(shards == [0, 1, 2, 3])
    }

    @Test("each guild has an owner, admins, moderators, members, the bot, and roles in order")
    func guildShape() throws {
        let state = world(seed: 3, members: 40)
        let bot = state.application.botUserID
        for (index, guild) in state.orderedGuilds.enumerated() {
            let names = guild.orderedRoles.sorted { $0.position < $1.position }.map(\.name)
            #expect(names == ["@everyone", "Member", "Moderator", "Admin", "Guildhall"])
            #expect(guild.roles[guild.id]?.position == 0)
            let botRole = try #require(guild.roles[guild.botRoleID])
            #expect(botRole.managed && botRole.botID == bot)
            #expect(guild.members[bot]?.roleIDs == [guild.botRoleID])
            #expect(guild.members[guild.ownerID] != nil)
            let ranks = guild.orderedMembers.map { state.users[$0.userID]!.username }
            #expect(ranks.filter { $0.contains("-admin-") }.count == 2)
            #expect(ranks.filter { $0.contains("-moderator-") }.count == 4)
            #expect(guild.members.count >= 40)
            let ada = state.oauthUserIDs[0]
            #expect((guild.ownerID == ada) == index.isMultiple(of: 2))
            let kinds = guild.channelIDs.compactMap { state.channels[$0]?.kind }
            #expect(kinds.filter { $0 == .category }.count == 2 && kinds.contains(.voice) && kinds.filter { $0 == .text }.count == 3)
        }
    }

    @Test("overwrites make mod-log private to moderators and announcements read-only")
    func overwritesApply() throws {
        let state = world(seed: 5)
        let guild = state.orderedGuilds[0]
        let channels = guild.channelIDs.compactMap { state.channels[$0] }
        let modLog = try #require(channels.first { $0.name == "mod-log" })
        let announcements = try #require(channels.first { $0.name == "announcements" })
        let member = try #require(guild.orderedMembers.first { state.users[$0.userID]!.username.hasSuffix("-member-0") })
        let moderator = try #require(guild.orderedMembers.first { state.users[$0.userID]!.username.hasSuffix("-moderator-0") })
        let admin = try #require(guild.orderedMembers.first { state.users[$0.userID]!.username.hasSuffix("-admin-0") })
        #expect(state.permissions(of: member.userID, in: guild, channel: modLog, now: 0).isEmpty)
        #expect(state.permissions(of: moderator.userID, in: guild, channel: modLog, now: 0).contains(.viewChannel))
        #expect(state.permissions(of: state.application.botUserID, in: guild, channel: modLog, now: 0).contains(.sendMessages))
        #expect(!state.permissions(of: member.userID, in: guild, channel: announcements, now: 0).contains(.sendMessages))
        #expect(state.permissions(of: admin.userID, in: guild, channel: announcements, now: 0).contains(.sendMessages))
        #expect(state.permissions(of: guild.ownerID, in: guild, channel: modLog, now: 0) == .all)
    }

    @Test("a configured bot role position sits below the roles above it, positions stay distinct")
    func botRolePosition() throws {
        let state = world(seed: 9) { $0.botRolePosition = 2; $0.botPermissions = SandboxPermissionBits.kickMembers }
        let guild = state.orderedGuilds[0]
        let positions = guild.orderedRoles.map(\.position)
        #expect(Set(positions).count == positions.count)
        let byName = Dictionary(uniqueKeysWithValues: guild.orderedRoles.map { ($0.name, $0.position) })
        #expect(byName["Member"]! < byName["Guildhall"]! && byName["Guildhall"]! < byName["Moderator"]!)
        #expect(guild.roles[guild.botRoleID]?.permissions == SandboxPermissionBits.kickMembers)
    }

    @Test("the token reads back as the bot's id, and the public key verifies the key's signatures")
    func credentials() throws {
        let state = world(seed: 21)
        let first = try #require(state.application.token.split(separator: ".").first)
        var padded = String(first)
        while padded.count % 4 != 0 { padded += "=" }
        let decoded = try #require(Data(base64Encoded: padded)).map { Character(UnicodeScalar($0)) }
        #expect(String(decoded) == state.application.botUserID.description)
        #expect(state.application.token.split(separator: ".").count == 3)
        #expect(state.application.publicKeyHex.count == 64)
    }

    @Test("bad configurations are refused with a message naming the field")
    func configurationValidation() {
        func refused(_ change: (inout SandboxConfiguration) -> Void) -> String? {
            var configuration = SandboxHarness.configuration()
            change(&configuration)
            do {
                try configuration.validate()
                return nil
            } catch let error as GuildhallError {
                #expect(error.code == .invalidConfiguration)
                return error.message
            } catch {
                return "\(error)"
            }
        }
        #expect(refused { _ in } == nil)
        #expect(refused { $0.guildCount = 0 }?.contains("guilds") == true)
        #expect(refused { $0.membersPerGuild = 2 }?.contains("members") == true)
        #expect(refused { $0.port = 70_000 }?.contains("port") == true)
        #expect(refused { $0.maxConcurrency = 0 }?.contains("max_concurrency") == true)
        #expect(refused { $0.recommendedShards = 0 }?.contains("shards") == true)
        #expect(refused { $0.identifyWindow = .zero }?.contains("identify") == true)
        #expect(refused { $0.sessionStartLimit = 0 }?.contains("session start") == true)
        #expect(refused { $0.heartbeatInterval = .milliseconds(10) }?.contains("heartbeat interval") == true)
        #expect(refused { $0.heartbeatTimeoutFactor = 0.5 }?.contains("timeout factor") == true)
        #expect(refused { $0.gatewaySendLimit = 0 }?.contains("send limit") == true)
        #expect(refused { $0.replayBufferLimit = 0 }?.contains("replay") == true)
        #expect(refused { $0.maxGuildsPerShard = 0 }?.contains("per shard") == true)
        #expect(refused { $0.enabledPrivilegedIntents = SandboxIntents.guilds }?.contains("privileged") == true)
        #expect(refused { $0.botRolePosition = 0 }?.contains("bot role") == true)
        #expect(refused { $0.rateLimits.globalPerSecond = 0 }?.contains("rate limits") == true)
        #expect(throws: GuildhallError.self) { try SandboxServer(configuration: SandboxConfiguration(guildCount: 0)) }
    }
}

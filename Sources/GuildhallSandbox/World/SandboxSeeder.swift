import Crypto
import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures

/// Builds the starting world from a seed. The same seed, guild count, member count and bot
/// settings give the same world, id for id and secret for secret.
///
/// Each guild has an owner, admins, moderators and members (from `MockFactory`), roles in a
/// hierarchy (@everyone < Member < Moderator < Admin < the bot's managed role, unless the bot
/// role's position is configured lower), a category with three text channels (one private to
/// moderators, one read-only announcements channel) and a category with a voice channel.
/// Five sandbox people exist for OAuth2 logins: ada owns every other guild, bram is an admin
/// everywhere, cleo a plain member everywhere, dev a moderator in the first guild only, and eve
/// is in no guild at all.
struct SandboxSeeder {
    let configuration: SandboxConfiguration

    /// Discord's default @everyone permissions in a new server.
    static let everyonePermissions: UInt64 = MockPermission.member | SandboxPermissionBits.addReactions
        | SandboxPermissionBits.embedLinks | SandboxPermissionBits.attachFiles | SandboxPermissionBits.useExternalEmojis
        | SandboxPermissionBits.connect | SandboxPermissionBits.speak | SandboxPermissionBits.useApplicationCommands
        | (1 << 0) | (1 << 26)

    /// 2025-01-01T00:00:00Z: seeded join dates count up from here, in the past and fixed.
    static let seededEpochMicroseconds: Int64 = 1_735_689_600_000_000

    func seed() -> SandboxState {
        var factory = MockFactory(seed: configuration.seed)
        var secrets = SeededGenerator(seed: configuration.seed ^ 0x5EED_5A4D_B0C5_D15C)

        let applicationID = factory.snowflake()
        let bot = SandboxUser(id: applicationID, username: "Guildhall Sandbox Bot", isBot: true)
        var users: [Snowflake: SandboxUser] = [bot.id: bot]

        let personaNames = ["ada", "bram", "cleo", "dev", "eve"]
        var personas: [Snowflake] = []
        for name in personaNames {
            let user = SandboxUser(
                id: factory.snowflake(), username: name, globalName: name.prefix(1).uppercased() + name.dropFirst(),
                email: "\(name)@sandbox.invalid"
            )
            users[user.id] = user
            personas.append(user.id)
        }
        let (ada, bram, cleo, dev) = (personas[0], personas[1], personas[2], personas[3])

        let skus = [
            SandboxSKU(id: factory.snowflake(), name: "Guildhall Premium (server)", type: 5, flags: 1 << 7),
            SandboxSKU(id: factory.snowflake(), name: "Guildhall Premium (personal)", type: 5, flags: 1 << 8),
            SandboxSKU(id: factory.snowflake(), name: "XP Boost", type: 3, flags: 1 << 2),
        ]

        var guilds: [Snowflake: SandboxGuild] = [:]
        var guildOrder: [Snowflake] = []
        var channels: [Snowflake: SandboxChannel] = [:]
        var joinCounter: Int64 = 0
        func nextJoin() -> DiscordTimestamp {
            joinCounter += 1
            return DiscordTimestamp(microsecondsSinceEpoch: Self.seededEpochMicroseconds + joinCounter * 60_000_000)
        }

        let admins = max(1, configuration.membersPerGuild / 20)
        let moderators = max(1, configuration.membersPerGuild / 10)
        let plain = max(0, configuration.membersPerGuild - 1 - admins - moderators)

        for index in 0..<configuration.guildCount {
            let mock = factory.guild(admins: admins, moderators: moderators, members: plain)
            let number = index + 1
            let memberRole = mock.roles[1], moderatorRole = mock.roles[2], adminRole = mock.roles[3]
            var roles: [Snowflake: SandboxRole] = [:]
            var roleOrder: [Snowflake] = []
            for mockRole in mock.roles {
                // @everyone gets what Discord gives it by default; the other roles keep the fixture's sets.
                let permissions = mockRole.position == 0 ? Self.everyonePermissions : mockRole.permissions
                roles[mockRole.id] = SandboxRole(
                    id: mockRole.id, name: mockRole.name, position: mockRole.position, permissions: permissions,
                    color: [0, 0x95A5A6, 0x3498DB, 0xE74C3C][mockRole.position], hoist: mockRole.position >= 2,
                    managed: false, mentionable: mockRole.position >= 2, botID: nil
                )
                roleOrder.append(mockRole.id)
            }
            let botRoleID = factory.snowflake()
            roles[botRoleID] = SandboxRole(
                id: botRoleID, name: "Guildhall", position: configuration.botRolePosition ?? mock.roles.count,
                permissions: configuration.botPermissions, color: 0x5865F2, hoist: false, managed: true,
                mentionable: false, botID: bot.id
            )
            roleOrder.append(botRoleID)
            // Positions must stay distinct: a configured bot position pushes the roles at and above it up.
            if let position = configuration.botRolePosition {
                for id in roleOrder where id != botRoleID && id != mock.id && roles[id]!.position >= position {
                    roles[id]!.position += 1
                }
            }

            var members: [Snowflake: SandboxMember] = [:]
            var memberOrder: [Snowflake] = []
            func join(_ userID: Snowflake, roles roleIDs: [Snowflake]) {
                guard members[userID] == nil else { return }
                members[userID] = SandboxMember(
                    userID: userID, nick: nil, roleIDs: roleIDs, joinedAt: nextJoin(),
                    communicationDisabledUntil: nil, deaf: false, mute: false
                )
                memberOrder.append(userID)
            }

            let ownerID = index.isMultiple(of: 2) ? ada : mock.ownerID
            join(ownerID, roles: [])
            for mockMember in mock.members where mockMember.rank != .bot && mockMember.rank != .owner {
                let username = "g\(number)-\(mockMember.username)"
                users[mockMember.userID] = SandboxUser(id: mockMember.userID, username: username)
                join(mockMember.userID, roles: mockMember.roleIDs)
            }
            if ownerID != mock.ownerID {
                // The mock owner still belongs: as an ordinary member of a guild ada owns.
                users[mock.ownerID] = SandboxUser(id: mock.ownerID, username: "g\(number)-founder")
                join(mock.ownerID, roles: [memberRole.id])
            } else {
                users[mock.ownerID] = SandboxUser(id: mock.ownerID, username: "g\(number)-owner")
                join(ada, roles: [memberRole.id])
            }
            join(bram, roles: [memberRole.id, adminRole.id])
            join(cleo, roles: [memberRole.id])
            if index == 0 { join(dev, roles: [memberRole.id, moderatorRole.id]) }
            join(bot.id, roles: [botRoleID])

            let categoryID = mock.channelIDs[0], generalID = mock.channelIDs[1], modLogID = mock.channelIDs[2]
            let announcementsID = factory.snowflake(), voiceCategoryID = factory.snowflake(), voiceID = factory.snowflake()
            let view = SandboxPermissionBits.viewChannel, send = SandboxPermissionBits.sendMessages
            let guildChannels = [
                SandboxChannel(id: categoryID, kind: .category, guildID: mock.id, name: "Text Channels", position: 0,
                               parentID: nil, topic: nil, overwrites: [], lastMessageID: nil, recipientID: nil),
                SandboxChannel(id: generalID, kind: .text, guildID: mock.id, name: "general", position: 0,
                               parentID: categoryID, topic: "Say hello", overwrites: [], lastMessageID: nil, recipientID: nil),
                SandboxChannel(
                    id: modLogID, kind: .text, guildID: mock.id, name: "mod-log", position: 1, parentID: categoryID,
                    topic: "Moderators only", overwrites: [
                        SandboxOverwrite(id: mock.id, target: .role, allow: 0, deny: view),
                        SandboxOverwrite(id: moderatorRole.id, target: .role, allow: view, deny: 0),
                        SandboxOverwrite(id: bot.id, target: .member, allow: view | send, deny: 0),
                    ], lastMessageID: nil, recipientID: nil
                ),
                SandboxChannel(
                    id: announcementsID, kind: .text, guildID: mock.id, name: "announcements", position: 2,
                    parentID: categoryID, topic: "Read only", overwrites: [
                        SandboxOverwrite(id: mock.id, target: .role, allow: 0, deny: send),
                        SandboxOverwrite(id: adminRole.id, target: .role, allow: send, deny: 0),
                    ], lastMessageID: nil, recipientID: nil
                ),
                SandboxChannel(id: voiceCategoryID, kind: .category, guildID: mock.id, name: "Voice Channels", position: 1,
                               parentID: nil, topic: nil, overwrites: [], lastMessageID: nil, recipientID: nil),
                SandboxChannel(id: voiceID, kind: .voice, guildID: mock.id, name: "Lounge", position: 0,
                               parentID: voiceCategoryID, topic: nil, overwrites: [], lastMessageID: nil, recipientID: nil),
            ]
            for channel in guildChannels { channels[channel.id] = channel }

            guilds[mock.id] = SandboxGuild(
                id: mock.id, name: "Sandbox Guild \(number)", ownerID: ownerID, roles: roles, roleOrder: roleOrder,
                channelIDs: guildChannels.map(\.id), members: members, memberOrder: memberOrder, bans: [:],
                botRoleID: botRoleID, auditLog: []
            )
            guildOrder.append(mock.id)
        }

        let keySeed = (0..<4).flatMap { _ in withUnsafeBytes(of: secrets.next().littleEndian, Array.init) }
        let privateKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: keySeed)
        let application = SandboxState.Application(
            id: applicationID, name: "Guildhall Sandbox", botUserID: bot.id,
            token: Self.botToken(for: bot.id, using: &secrets),
            clientSecret: Self.randomString(length: 32, using: &secrets),
            signingKeySeed: keySeed,
            publicKeyHex: privateKey.publicKey.rawRepresentation.map { String(format: "%02x", $0) }.joined(),
            ownerID: ada
        )

        return SandboxState(
            application: application, users: users, oauthUserIDs: personas, guilds: guilds, guildOrder: guildOrder,
            channels: channels, messages: [:], channelMessages: [:], dmChannelByUser: [:], globalCommands: [],
            guildCommands: [:], skus: skus, entitlements: [:], entitlementOrder: [], interactions: [:],
            interactionOrder: [], oauth: SandboxOAuthLedger(), factory: factory
        )
    }

    /// Discord's token shape: base64 of the bot's id, a dot, a timestamp part, a dot, an HMAC
    /// part. Some libraries read the bot id back out of the first part.
    static func botToken(for botID: Snowflake, using generator: inout SeededGenerator) -> String {
        let idPart = Data(String(botID.rawValue).utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        return idPart + "." + randomString(length: 6, using: &generator) + "." + randomString(length: 38, using: &generator)
    }

    static func randomString(length: Int, using generator: inout SeededGenerator) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}

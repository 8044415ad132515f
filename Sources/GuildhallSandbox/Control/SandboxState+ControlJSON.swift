import GuildhallCore
import GuildhallDiscordModels

/// The control API's read views: Discord's shapes where there is one, plus what only the
/// sandbox knows (ranks, the bot's role, deliveries).
extension SandboxState {
    func guildSummaryJSON(_ guild: SandboxGuild) -> JSONValue {
        .object([
            "id": .string(guild.id.description), "name": .string(guild.name), "owner_id": .string(guild.ownerID.description),
            "member_count": .integer(Int64(guild.members.count)), "bot_role_id": .string(guild.botRoleID.description),
            "channel_ids": .array(guild.channelIDs.map { .string($0.description) }),
        ])
    }

    func guildDetailJSON(_ guild: SandboxGuild) -> JSONValue {
        .object([
            "guild": guildJSON(guild, withCounts: true),
            "channels": .array(guild.channelIDs.compactMap { channels[$0] }.map(channelJSON)),
            "bot_role_id": .string(guild.botRoleID.description),
            "bans": .array(guild.bans.values.sorted { $0.userID < $1.userID }.map(banJSON)),
            "timeouts": .array(guild.orderedMembers.compactMap { member in
                member.communicationDisabledUntil.map {
                    .object(["user_id": .string(member.userID.description), "until": .string($0.iso8601)])
                }
            }),
        ])
    }

    func skuJSON(_ sku: SandboxSKU) -> JSONValue {
        .object([
            "id": .string(sku.id.description), "type": .integer(Int64(sku.type)), "application_id": .string(application.id.description),
            "name": .string(sku.name), "slug": .string(sku.name.lowercased().replacingOccurrences(of: " ", with: "-")),
            "flags": .integer(Int64(sku.flags)),
        ])
    }

    /// A sandbox person with the guilds they are in and whether they own or administer them.
    func personaJSON(_ userID: Snowflake) -> JSONValue {
        let guildsOfUser = guildIDs(of: userID).compactMap { guilds[$0] }
        return SandboxWire.set(userJSON(userID), "guilds", .array(guildsOfUser.map { guild in
            .object([
                "id": .string(guild.id.description), "owner": .bool(guild.ownerID == userID),
                "permissions": .string(String(basePermissions(of: userID, in: guild).rawValue)),
            ])
        }))
    }

    func interactionJSON(_ interaction: SandboxInteraction) -> JSONValue {
        let delivery: JSONValue = switch interaction.delivery {
        case .gateway: .object(["via": .string("gateway")])
        case .http(let status): .object(["via": .string("http"), "status": status.map { .integer(Int64($0)) } ?? .null])
        }
        return .object([
            "id": .string(interaction.id.description), "type": .integer(Int64(interaction.type)), "token": .string(interaction.token),
            "guild_id": interaction.guildID.map { .string($0.description) } ?? .null,
            "channel_id": .string(interaction.channelID.description), "user_id": .string(interaction.userID.description),
            "payload": interaction.payload, "delivery": delivery, "response": interaction.response ?? .null,
            "responded_at": interaction.respondedAt.map { .string(Self.timestamp($0).iso8601) } ?? .null,
            "original_message": interaction.originalMessageID.flatMap { messages[$0] }.map(messageJSON) ?? .null,
            "follow_ups": .array(interaction.followUpIDs.compactMap { messages[$0] }.map(messageJSON)),
        ])
    }
}

import GuildhallDiscordModels

/// The body of `POST /guilds/{guild_id}/roles`. Defined here because the models target has
/// no role-creation body; every field is optional, as Discord's are.
public struct CreateGuildRoleRequest: Codable, Hashable, Sendable {
    /// 1–100 characters; Discord names it "new role" when absent.
    public var name: String
    public var permissions: Permissions?
    /// RGB as an integer (0 for no colour).
    public var color: Int?
    /// Shown separately in the member list.
    public var hoist: Bool?
    public var mentionable: Bool?
    public var unicodeEmoji: String?

    public init(name: String, permissions: Permissions? = nil, color: Int? = nil, hoist: Bool? = nil, mentionable: Bool? = nil, unicodeEmoji: String? = nil) {
        self.name = name
        self.permissions = permissions
        self.color = color
        self.hoist = hoist
        self.mentionable = mentionable
        self.unicodeEmoji = unicodeEmoji
    }

    enum CodingKeys: String, CodingKey {
        case name, permissions, color, hoist, mentionable
        case unicodeEmoji = "unicode_emoji"
    }
}

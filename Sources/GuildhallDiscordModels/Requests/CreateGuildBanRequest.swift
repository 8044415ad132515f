/// `PUT /guilds/{id}/bans/{id}`: how much of the user's recent history to delete.
public struct CreateGuildBanRequest: Codable, Hashable, Sendable {
    /// The most Discord deletes: 7 days.
    public static let maximumDeleteMessageSeconds = 604_800

    /// 0–604800.
    public var deleteMessageSeconds: Int?
    /// Deprecated form, 0–7.
    public var deleteMessageDays: Int?

    public init(deleteMessageSeconds: Int? = nil, deleteMessageDays: Int? = nil) {
        self.deleteMessageSeconds = deleteMessageSeconds
        self.deleteMessageDays = deleteMessageDays
    }

    enum CodingKeys: String, CodingKey {
        case deleteMessageSeconds = "delete_message_seconds"
        case deleteMessageDays = "delete_message_days"
    }
}

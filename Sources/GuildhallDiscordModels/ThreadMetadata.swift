/// A thread's archive state.
public struct ThreadMetadata: Codable, Hashable, Sendable {
    public var archived: Bool
    public var autoArchiveDuration: Int
    public var archiveTimestamp: DiscordTimestamp
    public var locked: Bool
    public var invitable: Bool?
    public var createTimestamp: DiscordTimestamp?

    public init(
        archived: Bool = false, autoArchiveDuration: Int, archiveTimestamp: DiscordTimestamp, locked: Bool = false,
        invitable: Bool? = nil, createTimestamp: DiscordTimestamp? = nil
    ) {
        self.archived = archived
        self.autoArchiveDuration = autoArchiveDuration
        self.archiveTimestamp = archiveTimestamp
        self.locked = locked
        self.invitable = invitable
        self.createTimestamp = createTimestamp
    }

    enum CodingKeys: String, CodingKey {
        case archived, locked, invitable
        case autoArchiveDuration = "auto_archive_duration"
        case archiveTimestamp = "archive_timestamp"
        case createTimestamp = "create_timestamp"
    }
}

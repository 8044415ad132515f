import FluentKit
import Foundation
import GuildhallCore

/// Whether one module is switched on in one guild, with its settings as JSON.
public final class GuildModuleRecord: Model, @unchecked Sendable {
    public static let schema = "guild_modules"

    @ID(key: .id) public var id: UUID?
    @Field(key: "guild_id") public var guildID: Int64
    @Field(key: "module") public var module: String
    @Field(key: "enabled") public var enabled: Bool
    @Field(key: "config") public var config: String
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(guildID: Snowflake, module: String, enabled: Bool, config: String = "{}") {
        self.guildID = guildID.databaseValue
        self.module = module
        self.enabled = enabled
        self.config = config
    }
}

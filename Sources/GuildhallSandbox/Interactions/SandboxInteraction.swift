import GuildhallCore
import GuildhallDiscordModels

/// An interaction the sandbox started for a member (a slash command or a button click) and
/// everything the bot answered: the callback, the original response message and follow-ups.
public struct SandboxInteraction: Sendable, Hashable {
    public enum Delivery: Sendable, Hashable {
        case gateway
        /// POSTed to the bot's interactions endpoint; the HTTP status it answered with.
        case http(status: Int?)
    }

    public var id: Snowflake
    public var token: String
    /// 2 APPLICATION_COMMAND, 3 MESSAGE_COMPONENT.
    public var type: Int
    public var guildID: Snowflake?
    public var channelID: Snowflake
    public var userID: Snowflake
    /// The interaction object as it was sent to the bot.
    public var payload: JSONValue
    /// Seconds since 1970.
    public var createdAt: Double
    public var delivery: Delivery
    /// The callback body the bot sent (or answered the HTTP POST with).
    public var response: JSONValue?
    public var respondedAt: Double?
    public var originalMessageID: Snowflake?
    public var followUpIDs: [Snowflake]
    /// Set for component interactions: the message the component was on.
    public var sourceMessageID: Snowflake?

    public var responseType: Int? { response?["type"]?.integerValue.map(Int.init) }
}

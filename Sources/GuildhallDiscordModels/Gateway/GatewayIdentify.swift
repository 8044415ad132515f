/// Identify (op 2): starts a new session on a connection.
///
/// The description never shows the token, so an Identify can be logged.
public struct GatewayIdentify: Codable, Sendable, Hashable, CustomStringConvertible {
    /// `{os, browser, device}`: the library names itself in `browser` and `device`.
    public struct ConnectionProperties: Codable, Sendable, Hashable {
        public var os: String
        public var browser: String
        public var device: String

        public init(os: String, browser: String, device: String) {
            self.os = os
            self.browser = browser
            self.device = device
        }

        /// This process's OS and Guildhall as the library.
        public static let guildhall = ConnectionProperties(os: Self.currentOS, browser: "guildhall", device: "guildhall")

        static var currentOS: String {
            #if os(Linux)
            "linux"
            #elseif os(macOS)
            "macos"
            #elseif os(Windows)
            "windows"
            #else
            "unknown"
            #endif
        }
    }

    /// The raw bot token (no `Bot ` prefix).
    public var token: String
    public var properties: ConnectionProperties
    public var intents: GatewayIntents
    public var shard: GatewayShardInfo?
    /// 50–250: members above which a guild's offline members are not sent.
    public var largeThreshold: Int?
    public var presence: GatewayPresenceUpdate?
    /// Per-packet compression; Guildhall always asks for none.
    public var compress: Bool?

    public init(
        token: String, properties: ConnectionProperties = .guildhall, intents: GatewayIntents,
        shard: GatewayShardInfo? = nil, largeThreshold: Int? = nil, presence: GatewayPresenceUpdate? = nil,
        compress: Bool? = false
    ) {
        self.token = token
        self.properties = properties
        self.intents = intents
        self.shard = shard
        self.largeThreshold = largeThreshold
        self.presence = presence
        self.compress = compress
    }

    public var description: String {
        "Identify(token: <redacted>, intents: \(intents), shard: \(shard?.description ?? "none"), large_threshold: \(largeThreshold.map(String.init) ?? "default"))"
    }

    enum CodingKeys: String, CodingKey {
        case token, properties, intents, shard, presence, compress
        case largeThreshold = "large_threshold"
    }
}

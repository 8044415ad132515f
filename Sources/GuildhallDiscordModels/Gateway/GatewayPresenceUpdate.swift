/// Presence Update (op 3), also Identify's optional initial presence.
public struct GatewayPresenceUpdate: Codable, Sendable, Hashable {
    /// `online`, `dnd`, `idle`, `invisible`, `offline`; open for values Discord adds.
    public struct Status: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { rawValue = value }

        public static let online: Status = "online"
        public static let doNotDisturb: Status = "dnd"
        public static let idle: Status = "idle"
        public static let invisible: Status = "invisible"
        public static let offline: Status = "offline"

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    /// Unix milliseconds since the client went idle, or nil.
    public var since: Int?
    public var activities: [GatewayActivity]
    public var status: Status
    public var afk: Bool

    public init(since: Int? = nil, activities: [GatewayActivity] = [], status: Status = .online, afk: Bool = false) {
        self.since = since
        self.activities = activities
        self.status = status
        self.afk = afk
    }

    enum CodingKeys: String, CodingKey {
        case since, activities, status, afk
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        since = try container.decodeIfPresent(Int.self, forKey: .since)
        activities = try container.decodeIfPresent([GatewayActivity].self, forKey: .activities) ?? []
        status = try container.decodeIfPresent(Status.self, forKey: .status) ?? .online
        afk = try container.decodeIfPresent(Bool.self, forKey: .afk) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // `since` is sent as an explicit null: Discord's examples always carry it.
        try container.encode(since, forKey: .since)
        try container.encode(activities, forKey: .activities)
        try container.encode(status, forKey: .status)
        try container.encode(afk, forKey: .afk)
    }
}

/// An activity a bot may set: what Discord shows under its name.
public struct GatewayActivity: Codable, Sendable, Hashable {
    /// 0 playing, 1 streaming, 2 listening, 3 watching, 4 custom, 5 competing; open.
    public struct Kind: RawRepresentable, Codable, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        public static let playing = Kind(rawValue: 0)
        public static let streaming = Kind(rawValue: 1)
        public static let listening = Kind(rawValue: 2)
        public static let watching = Kind(rawValue: 3)
        public static let custom = Kind(rawValue: 4)
        public static let competing = Kind(rawValue: 5)

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(Int.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    public var name: String
    public var type: Kind
    /// Stream URL (streaming only).
    public var url: String?
    /// The custom status text, or the party state.
    public var state: String?

    public init(name: String, type: Kind = .playing, url: String? = nil, state: String? = nil) {
        self.name = name
        self.type = type
        self.url = url
        self.state = state
    }
}

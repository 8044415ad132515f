import GuildhallCore

/// Fills an announcement template. Unknown placeholders stay as written, so a typo shows
/// in the message instead of failing the job.
public enum LevelUpAnnouncement {
    public struct Values: Sendable, Equatable {
        public var user: Snowflake
        public var userName: String
        public var level: Int
        public var xp: Int64
        public var serverName: String

        public init(user: Snowflake, userName: String, level: Int, xp: Int64, serverName: String) {
            self.user = user
            self.userName = userName
            self.level = level
            self.xp = xp
            self.serverName = serverName
        }
    }

    public static let placeholders = ["{user}", "{user.name}", "{level}", "{xp}", "{server}"]

    /// One pass over the template: a value that itself contains a placeholder (a nickname
    /// of "{level}") is inserted as written, never filled in again.
    public static func render(_ template: String, _ values: Values) -> String {
        let replacements: [String: String] = [
            "{user}": "<@\(values.user)>", "{user.name}": values.userName, "{level}": String(values.level), "{xp}": String(values.xp),
            "{server}": values.serverName,
        ]
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let tail = rest[open...]
            if let close = tail.firstIndex(of: "}"), let value = replacements[String(tail[...close])] {
                result += value
                rest = tail[tail.index(after: close)...]
            } else {
                result += "{"
                rest = tail.dropFirst()
            }
        }
        return result + rest
    }
}

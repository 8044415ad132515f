import Foundation
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

    public static func render(_ template: String, _ values: Values) -> String {
        // {user.name} before {user}, so the longer placeholder is not cut by the shorter.
        template
            .replacingOccurrences(of: "{user.name}", with: values.userName)
            .replacingOccurrences(of: "{user}", with: "<@\(values.user)>")
            .replacingOccurrences(of: "{level}", with: String(values.level))
            .replacingOccurrences(of: "{xp}", with: String(values.xp))
            .replacingOccurrences(of: "{server}", with: values.serverName)
    }
}

import Foundation
import GuildhallAPI
import GuildhallLeveling
import GuildhallStorage

/// What the templates read. Field names are the template's names.
struct LoginView {
    var next: String
    var title = "Log in"
    var csrf = ""
    var username: String?
    var guildID = ""
}

/// Templates see stored properties only (they are read by reflection).
struct PickerView {
    var username: String?
    var csrf: String
    var guilds: [GuildPickerRoute.Entry]
    var title = "Your servers"
    var guildID = ""
    var hasGuilds: Bool
    var isOperator: Bool

    init(username: String?, csrf: String, guilds: [GuildPickerRoute.Entry], isOperator: Bool) {
        self.username = username
        self.csrf = csrf
        self.guilds = guilds
        hasGuilds = !guilds.isEmpty
        self.isOperator = isOperator
    }
}

struct ErrorView {
    var username: String?
    var csrf: String
    var heading: String
    var message: String
    var title: String
    var guildID = ""
}

struct ModuleView {
    var id: String
    var title: String
    var enabled: Bool
    var paused: Bool
    var premium: Bool
}

struct RoleView {
    var id: String
    var name: String
}

/// The public leaderboard page: no session, no guild tabs.
struct PublicBoardView {
    var username: String? = nil
    var csrf = ""
    var guildID: String
    var guildName: String
    var title: String
    var onLeaderboard = false
    var board: LevelingRoutes.Board
    var previous: Int?
    var next: Int?
}

struct GrantView {
    var userID: String
    var level: String
}

struct AuditEntryView {
    var when: String
    var actor: String
    var action: String
    var target: String
    var before: String
    var after: String

    init(_ record: AuditLogRecord) {
        when = DashboardPages.day.string(from: record.createdAt ?? Date(timeIntervalSince1970: 0))
        actor = String(record.actorID == 0 ? 0 : UInt64(bitPattern: record.actorID))
        action = record.action
        target = record.target ?? ""
        before = record.before ?? "—"
        after = record.after ?? "—"
    }
}

struct GuildView {
    var username: String?
    var csrf: String
    var guildID: String
    var guildName: String
    var access: String
    var canEdit: Bool
    var isOwner: Bool
    var onOverview: Bool
    var onAudit: Bool
    var onGrants: Bool
    var title: String
    var onLeveling = false
    var onLeaderboard = false
    var onGiveaways = false
    var levelingOn = false
    var giveawaysOn = false
    /// Text channels a giveaway may be posted in (id and "#name").
    var channels: [RoleView] = []
    var multipliersAllowed = false
    var voiceXPAllowed = false
    var hasRoles = false
    var roles: [RoleView] = []
    var board: LevelingRoutes.Board?
    var previous: Int?
    var next: Int?
    var modules: [ModuleView] = []
    var premium = "Free"
    var shardDown = false
    var entries: [AuditEntryView] = []
    var grants: [GrantView] = []
}

struct OperatorView {
    struct Letter {
        var jobID: String
        var job: String
        var guild: String
        var lastError: String
        var failed: String
        var state: String
        var isDead: Bool
    }

    var username: String?
    var csrf: String
    var title = "Operator: jobs"
    var guildID = ""
    var hasQueue: Bool
    var ready = 0
    var delayed = 0
    var running = 0
    var deadCount: Int
    var letters: [Letter]
}

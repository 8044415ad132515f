import Foundation
import GuildhallAPI
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

/// One choice of a picker (a role, a channel): its id and what people read.
public struct DashboardChoice: Sendable, Equatable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// The shell around a guild's tab. Its fields are visible to the tab's template too
/// (`guildID`, `csrf`, `canEdit`, `isOwner`, `access`), below the tab's own `page` values.
struct GuildShellView {
    struct TabLink {
        var title: String
        var href: String
        var current: Bool
    }

    var username: String?
    var csrf: String
    var guildID: String
    var guildName: String
    var title: String
    var access: String
    var canEdit: Bool
    var isOwner: Bool
    var shardDown: Bool
    var tabs: [TabLink]
    var scripts: [String]
    var page: any Sendable
    var body = ""
}

/// The shell around a feature's public page: no session, no tabs.
struct PublicShellView {
    var username: String? = nil
    var csrf = ""
    var guildID = ""
    var title: String
    var heading: String
    var scripts: [String] = []
    var page: any Sendable
    var body = ""
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

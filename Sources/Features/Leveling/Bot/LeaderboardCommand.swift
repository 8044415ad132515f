import GuildhallBot
import GuildhallCore
import GuildhallDiscordModels
import GuildhallGuildSettings

/// `/leaderboard [page]`: the guild's members by XP, ten to a page, from the same table the
/// dashboard and the public leaderboard read.
public struct LeaderboardCommand: SlashCommand {
    let leveling: LevelingService
    let settings: GuildSettingsService
    public static let pageSize = 10

    public init(leveling: LevelingService, settings: GuildSettingsService) {
        self.leveling = leveling
        self.settings = settings
    }

    public var definition: ApplicationCommand { Self.commandDefinition }

    public static var commandDefinition: ApplicationCommand {
        .slash("leaderboard", description: "The members with the most XP", options: [
            ApplicationCommandOption(type: .integer, name: "page", description: "Which page (10 per page)", minValue: .integer(1), maxValue: .integer(1_000)),
        ])
    }

    public var defersEphemerally: Bool { false }

    public func handle(_ context: InteractionContext) async throws -> InteractionResponse {
        let guild = try context.requireGuild()
        try await LevelingModuleCheck.requireOn(settings, guild: guild)
        let page = Int(context.interaction.commandData?.option("page")?.value?.integerValue ?? 1)
        guard (1...1_000).contains(page) else { throw GuildhallError(.invalidInput, "the page must be 1 to 1000") }
        let entries = try await leveling.store.leaderboard(guild: guild, offset: (page - 1) * Self.pageSize, limit: Self.pageSize)
        return .reply(Self.describe(entries, page: page))
    }

    static func describe(_ entries: [LeaderboardEntry], page: Int) -> String {
        guard !entries.isEmpty else { return page == 1 ? "Nobody has XP yet." : "Page \(page) is empty." }
        let lines = entries.map { "#\($0.rank) <@\($0.userID)> — level \($0.level) · \($0.xp) XP" }
        return "Leaderboard, page \(page):\n" + lines.joined(separator: "\n")
    }
}

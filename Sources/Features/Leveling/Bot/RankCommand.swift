import GuildhallBot
import GuildhallCore
import GuildhallDiscordModels
import GuildhallGuildSettings

/// `/rank [member]`: a member's level, XP, progress to the next level and place.
public struct RankCommand: SlashCommand {
    let leveling: LevelingService
    let settings: GuildSettingsService

    public init(leveling: LevelingService, settings: GuildSettingsService) {
        self.leveling = leveling
        self.settings = settings
    }

    public var definition: ApplicationCommand { Self.commandDefinition }

    public static var commandDefinition: ApplicationCommand {
        .slash("rank", description: "Show a member's level and XP", options: [
            ApplicationCommandOption(type: .user, name: "member", description: "Whose rank (you, when left out)"),
        ])
    }

    public var defersEphemerally: Bool { false }

    public func handle(_ context: InteractionContext) async throws -> InteractionResponse {
        let guild = try context.requireGuild()
        try await LevelingModuleCheck.requireOn(settings, guild: guild)
        let invoker = try context.requireInvoker()
        let member = context.interaction.commandData?.option("member")?.value?.snowflakeValue ?? invoker.id
        let card = try await leveling.rankCard(member, in: guild)
        return .reply(Self.describe(card))
    }

    static func describe(_ card: RankCard) -> String {
        guard card.xp > 0 else { return "<@\(card.user)> has no XP yet." }
        return "<@\(card.user)> — rank #\(card.rank) of \(card.ranked) · level \(card.level) · \(card.xp) XP (\(card.progress)/\(card.needed) to level \(card.level + 1))"
    }
}

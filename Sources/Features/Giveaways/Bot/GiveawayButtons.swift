import GuildhallBot
import GuildhallCore
import GuildhallDiscordModels

/// The Enter and Leave buttons (`giveaway:enter:<id>`, `giveaway:leave:<id>`). Answers are
/// ephemeral: only the member who clicked sees them.
public struct GiveawayButtons: ComponentHandler {
    let giveaways: GiveawayService

    public init(giveaways: GiveawayService) {
        self.giveaways = giveaways
    }

    public var customIDPrefix: String { GiveawayMessage.componentPrefix }

    public func handle(_ context: InteractionContext, argument: Substring) async throws -> InteractionResponse {
        let guild = try context.requireGuild()
        let parts = argument.split(separator: ":")
        guard parts.count == 2, let id = Int64(parts[1]), id > 0 else {
            throw GuildhallError(.invalidInput, "this button names no giveaway")
        }
        let invoker = try context.requireInvoker()
        switch parts[0] {
        case "enter":
            let entrant = context.interaction.member.map { GiveawayEntrant(member: $0, user: invoker.id) }
                ?? GiveawayEntrant(user: invoker.id, isBot: invoker.bot ?? false)
            switch try await giveaways.enter(id, guild: guild, entrant: entrant) {
            case .entered:
                return GiveawayMessage.entryAnswer("🎉 You're in! Good luck.", giveaway: id, offerLeave: true)
            case .alreadyEntered:
                return GiveawayMessage.entryAnswer("You have already entered this giveaway.", giveaway: id, offerLeave: true)
            case .refused(let reason):
                return GiveawayMessage.entryAnswer("You cannot enter: \(reason).", giveaway: id, offerLeave: false)
            case .closed:
                return GiveawayMessage.entryAnswer("This giveaway is not taking entries.", giveaway: id, offerLeave: false)
            }
        case "leave":
            let left = try await giveaways.leave(id, guild: guild, user: invoker.id)
            return GiveawayMessage.entryAnswer(left ? "You left the giveaway." : "You were not entered (or it has ended).", giveaway: id, offerLeave: false)
        default:
            throw GuildhallError(.invalidInput, "this button does something Guildhall does not know")
        }
    }
}

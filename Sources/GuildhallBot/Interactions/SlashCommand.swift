import GuildhallDiscordModels

/// A slash command: its definition (registered with Discord by bulk overwrite) and the
/// code that answers it.
public protocol SlashCommand: Sendable {
    var definition: ApplicationCommand { get }
    /// Whether a deferred answer ("thinking…") is shown only to the invoker.
    var defersEphemerally: Bool { get }
    func handle(_ context: InteractionContext) async throws -> InteractionResponse
}

extension SlashCommand {
    public var defersEphemerally: Bool { true }
    public var name: String { definition.name }
}

/// Answers clicks on buttons and select menus whose `custom_id` starts with `customIDPrefix`
/// followed by `:` (the rest of the id carries the handler's own state).
public protocol ComponentHandler: Sendable {
    var customIDPrefix: String { get }
    func handle(_ context: InteractionContext, argument: Substring) async throws -> InteractionResponse
}

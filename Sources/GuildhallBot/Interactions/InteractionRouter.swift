import GuildhallCore
import GuildhallDiscordModels
import Logging
import Metrics

/// Finds the handler for an interaction and turns its failures into answers people can
/// read. Never throws: every interaction gets some answer.
public struct InteractionRouter: Sendable {
    public private(set) var commands: [String: any SlashCommand] = [:]
    public private(set) var components: [String: any ComponentHandler] = [:]
    private let outcomes = CounterFamily(label: "guildhall_interactions_total", dimensions: ["kind", "outcome"])

    public init(commands: [any SlashCommand] = [], components: [any ComponentHandler] = []) {
        for command in commands { register(command) }
        for component in components { register(component) }
    }

    public mutating func register(_ command: any SlashCommand) {
        precondition(commands[command.name] == nil, "two commands are named /\(command.name)")
        commands[command.name] = command
    }

    public mutating func register(_ component: any ComponentHandler) {
        precondition(!component.customIDPrefix.contains(":"), "a custom_id prefix may not contain ':'")
        precondition(components[component.customIDPrefix] == nil, "two component handlers use '\(component.customIDPrefix)'")
        components[component.customIDPrefix] = component
    }

    /// The definitions to bulk-overwrite at start, sorted so the request is stable.
    public var definitions: [ApplicationCommand] {
        commands.values.map(\.definition).sorted { $0.name < $1.name }
    }

    /// Whether a slow answer to this interaction should be deferred ephemerally.
    public func defersEphemerally(_ interaction: Interaction) -> Bool {
        guard let name = interaction.commandData?.name, let command = commands[name] else { return true }
        return command.defersEphemerally
    }

    public func route(_ interaction: Interaction, logger: Logger) async -> InteractionResponse {
        let context = InteractionContext(interaction: interaction, logger: logger)
        let kind = Self.kind(of: interaction)
        do {
            let response = try await dispatch(context)
            outcomes.counter(kind, "answered").increment()
            return response
        } catch let error as GuildhallError {
            outcomes.counter(kind, error.code.rawValue).increment()
            context.logger.notice("interaction refused", metadata: ["code": "\(error.code)", "reason": "\(error.message)"])
            return .reply(Self.explain(error), ephemeral: true)
        } catch {
            outcomes.counter(kind, "failed").increment()
            context.logger.error("interaction failed", metadata: ["error": "\(error)"])
            return .reply("Something went wrong on our side; nothing was changed. Please try again.", ephemeral: true)
        }
    }

    private func dispatch(_ context: InteractionContext) async throws -> InteractionResponse {
        let interaction = context.interaction
        switch interaction.type {
        case .ping:
            return .pong
        case .applicationCommand:
            guard let data = interaction.commandData, let command = commands[data.name] else {
                throw GuildhallError(.notFound, "this command is not known to Guildhall any more")
            }
            return try await command.handle(context)
        case .messageComponent:
            guard let customID = interaction.componentData?.customID else {
                throw GuildhallError(.invalidInput, "the component sent no custom_id")
            }
            let prefix = customID.prefix { $0 != ":" }
            guard let handler = components[String(prefix)] else {
                throw GuildhallError(.notFound, "this button belongs to something Guildhall no longer knows")
            }
            let argument = customID.dropFirst(prefix.count).drop { $0 == ":" }
            return try await handler.handle(context, argument: argument)
        default:
            throw GuildhallError(.notImplemented, "Guildhall does not answer this kind of interaction")
        }
    }

    static func kind(of interaction: Interaction) -> String {
        switch interaction.type {
        case .ping: return "ping"
        case .applicationCommand: return "command"
        case .messageComponent: return "component"
        default: return "other"
        }
    }

    /// The sentence shown to the invoker for a refused interaction.
    static func explain(_ error: GuildhallError) -> String {
        switch error.code {
        case .forbidden: return "You may not do that: \(error.message)."
        case .invalidInput: return "That did not work: \(error.message)."
        case .notFound: return "Not found: \(error.message)."
        case .unavailable: return "Guildhall cannot do that right now (\(error.message)); nothing was changed. Please try again shortly."
        default: return "That did not work: \(error.message)."
        }
    }
}

import GuildhallCore
import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallDiscordREST
import GuildhallGuildSettings
import Logging
import Metrics
import Synchronization

/// The bot: runs the shard manager, registers the slash commands once the application is
/// known, records guilds as they arrive, answers interactions, and passes every other
/// event to the features' handlers.
public final class BotRuntime: Sendable {
    public let manager: ShardManager
    let rest: DiscordRESTClient
    public let dispatcher: InteractionDispatcher
    let settings: GuildSettingsService?
    let handlers: [any GatewayEventHandler]
    let logger: Logger
    private let commandsRegistered = Mutex(false)
    private let counters = Mutex<[String: Int]>([:])
    /// Interactions being answered from the gateway; beyond this many, the shard that
    /// brings more waits (the HTTP endpoint has its own server limits).
    let interactions: InFlightLimit
    /// One failure counter per handler, made once.
    private let failures: [Counter]
    private let timerFailures: Counter

    public init(
        manager: ShardManager, rest: DiscordRESTClient, router: InteractionRouter, settings: GuildSettingsService?,
        handlers: [any GatewayEventHandler] = [], applicationID: Snowflake? = nil,
        interactionDeadline: Duration = .milliseconds(2_200), maxInteractionsInFlight: Int = 256, logger: Logger
    ) {
        self.interactions = InFlightLimit(maxInteractionsInFlight)
        self.failures = handlers.map { Counter(label: "guildhall_gateway_handler_failures_total", dimensions: [("handler", Self.name(of: $0))]) }
        self.timerFailures = Counter(label: "guildhall_gateway_handler_failures_total", dimensions: [("handler", "timer")])
        self.manager = manager
        self.rest = rest
        self.settings = settings
        self.handlers = handlers
        self.logger = logger
        self.dispatcher = InteractionDispatcher(
            router: router, transport: RESTInteractionReplyTransport(client: rest, applicationID: applicationID),
            initialDeadline: interactionDeadline, logger: logger
        )
    }

    /// Runs until the manager stops (SIGTERM via the service group, or a fatal close code).
    public func run() async throws {
        let ticking = handlers.compactMap { $0 as? any TickingGatewayEventHandler }
        let logger = logger
        let timerFailures = timerFailures
        let timers = Task {
            await withTaskGroup(of: Void.self) { group in
                for handler in ticking {
                    group.addTask {
                        do {
                            try await handler.run()
                        } catch is CancellationError {
                        } catch {
                            timerFailures.increment()
                            logger.error("a gateway handler's timer stopped", metadata: ["handler": "\(Self.name(of: handler))", "error": "\(error)"])
                        }
                    }
                }
            }
        }
        defer { timers.cancel() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.manager.run() }
            group.addTask { await self.consume() }
            try await group.next()
            timers.cancel()
            await manager.stop()
            try await group.waitForAll()
        }
    }

    public func stop() async {
        await manager.stop()
    }

    /// How many events of each name this runtime has handled (for tests and the bench).
    public var handledEventCounts: [String: Int] { counters.withLock { $0 } }

    /// One consumer per shard: each shard's events are handled in order, shards side by
    /// side, and a slow handler slows only the shard it is slow on.
    func consume() async {
        await withTaskGroup(of: Void.self) { group in
            for queue in manager.queues.values {
                group.addTask {
                    for await event in queue { await self.handle(event) }
                }
            }
        }
    }

    /// A handler's name for logs and metrics: its type.
    static func name(of handler: any Sendable) -> String {
        String(describing: type(of: handler))
    }

    func handle(_ event: ShardEvent) async {
        counters.withLock { $0[event.event.name, default: 0] += 1 }
        switch event.event {
        case .ready(let ready):
            logger.info("shard ready", metadata: [
                "shard_id": "\(event.shardID)", "guilds": "\(ready.guilds.count)", "user_id": "\(ready.user.id)",
            ])
            let application = ready.application.id
            Task { await self.registerCommandsOnce(applicationID: application) }
        case .guildCreate(let guild):
            await recordGuild(guild)
        case .guildDelete(let gone) where gone.unavailable != true:
            // Without `unavailable` it means the bot left or was removed; with it, an outage.
            await recordLeft(gone.id)
        case .interactionCreate(let interaction):
            let dispatcher = dispatcher
            let interactions = interactions
            await interactions.acquire()
            Task {
                defer { interactions.release() }
                await dispatcher.handleGatewayInteraction(interaction)
            }
        default:
            break
        }
        for (index, handler) in handlers.enumerated() {
            do {
                try await handler.handle(event)
            } catch {
                failures[index].increment()
                logger.error("a gateway handler failed", metadata: [
                    "handler": "\(Self.name(of: handler))", "event": "\(event.event.name)", "shard_id": "\(event.shardID)", "error": "\(error)",
                ])
            }
        }
    }

    /// Bulk-overwrites the global commands with the router's definitions, once per process:
    /// every shard's READY names the same application.
    func registerCommandsOnce(applicationID: Snowflake) async {
        let first = commandsRegistered.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        let definitions = dispatcher.router.definitions
        do {
            let registered = try await rest.bulkOverwriteGlobalCommands(applicationID: applicationID, definitions)
            logger.notice("slash commands registered", metadata: ["count": "\(registered.count)", "application_id": "\(applicationID)"])
        } catch {
            // Let a later READY try again: commands out of date are worse than a retry.
            commandsRegistered.withLock { $0 = false }
            logger.error("could not register slash commands", metadata: ["error": "\(error)"])
        }
    }

    func recordLeft(_ guild: Snowflake) async {
        guard let settings else { return }
        do {
            try await settings.markLeft(guild: guild)
        } catch {
            logger.error("could not record that a guild was left", metadata: [LogKey.guildID: "\(guild)", "error": "\(error)"])
        }
    }

    func recordGuild(_ guild: Guild) async {
        guard let settings else { return }
        do {
            try await settings.registerGuild(id: guild.id, name: guild.name, ownerID: guild.ownerID)
        } catch {
            logger.error("could not record a guild", metadata: [LogKey.guildID: "\(guild.id)", "error": "\(error)"])
        }
    }
}

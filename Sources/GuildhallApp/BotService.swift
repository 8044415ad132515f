import GuildhallBot
import Logging
import ServiceLifecycle

/// Runs the bot in a service group: on graceful shutdown every shard closes and the
/// runtime returns, before the connections it needs are closed.
struct BotService: Service {
    let runtime: BotRuntime
    let logger: Logger

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await runtime.run()
        } onGracefulShutdown: {
            Task { await runtime.stop() }
        }
        logger.info("gateway stopped")
    }
}

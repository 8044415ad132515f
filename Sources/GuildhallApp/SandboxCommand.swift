import ArgumentParser
import Foundation
import GuildhallCore
import GuildhallSandbox
import ServiceLifecycle

/// `guildhall sandbox`: the sandbox Discord on its own, for running other roles (or any
/// Discord client) against it. Prints where it listens and the bot's credentials.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the sandbox Discord on loopback: gateway, REST, OAuth2 and the /_sandbox control API."
    )

    @OptionGroup var options: ConfigurationOptions
    @OptionGroup var sandbox: SandboxOptions
    @Option(name: .customLong("sandbox-port"), help: "Port of the sandbox (0 picks a free one).")
    var sandboxPort: Int = 0

    func run() async throws {
        let configuration = try options.resolve()
        let logger = LoggingBootstrap.logger(for: configuration, role: Role.sandbox.rawValue)
        let server = try SandboxServer(configuration: sandbox.configuration(host: configuration.bindAddress, port: sandboxPort, logger: logger))
        let endpoints = try await server.start()
        let application = server.world.read { $0.application }
        // Plain lines on stdout so scripts and people can pick the values up.
        let banner = """
            sandbox Discord listening (this is NOT discord.com)
            DISCORD_API_URL=\(endpoints.apiBaseURL.absoluteString)
            DISCORD_TOKEN=\(application.token)
            DISCORD_APPLICATION_ID=\(application.id)
            DISCORD_PUBLIC_KEY=\(application.publicKeyHex)
            gateway: \(endpoints.gatewayURL)
            control API: \(endpoints.controlURL.absoluteString)

            """
        FileHandle.standardOutput.write(Data(banner.utf8))
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: StartedSandboxService(sandbox: server, logger: logger))],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        ))
        try await group.run()
    }
}

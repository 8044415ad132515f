import Foundation
import GuildhallCore
import GuildhallSandbox
import GuildhallTestSupport
import Logging
import Synchronization
import Testing

/// Lines a child process writes to stdout, collected as they arrive.
final class LineCollector: Sendable {
    private let state = Mutex<(lines: [String], partial: String)>(([], ""))

    func append(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        state.withLock { state in
            state.partial += text
            while let newline = state.partial.firstIndex(of: "\n") {
                state.lines.append(String(state.partial[..<newline]))
                state.partial = String(state.partial[state.partial.index(after: newline)...])
            }
        }
    }

    var lines: [String] { state.withLock { $0.lines } }
}

/// Faithfulness: a client library written for the real Discord (discord.py, from PyPI)
/// connects to the sandbox with nothing changed but its base URLs (REST and gateway).
@Suite("a third-party Discord library against the sandbox", .serialized)
struct ThirdPartyClientTests {
    @Test("discord.py logs in, identifies, receives READY, GUILD_CREATE and MESSAGE_CREATE, and posts a message")
    func discordPy() async throws {
        let python = try TestEnvironment.discordPyPython()
        let sandbox = try SandboxServer(configuration: SandboxConfiguration(
            seed: 77, guildCount: 3, membersPerGuild: 4, logger: Logger(label: "sandbox") { _ in SwiftLogNoOpLogHandler() }
        ))
        let endpoints = try await sandbox.start()
        defer { Task { await sandbox.stop() } }
        let application = sandbox.world.read { $0.application }
        let guilds = sandbox.world.read { $0.orderedGuilds }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [TestEnvironment.repositoryRoot.appendingPathComponent("Tests/GuildhallBotTests/Clients/discordpy_client.py").path]
        process.environment = [
            "SANDBOX_API_URL": endpoints.apiBaseURL.absoluteString, "SANDBOX_GATEWAY_URL": endpoints.gatewayURL,
            "SANDBOX_TOKEN": application.token,
            "PROBE_TIMEOUT": "60", "PATH": "/usr/bin:/bin",
        ]
        let output = Pipe()
        let collector = LineCollector()
        output.fileHandleForReading.readabilityHandler = { handle in collector.append(handle.availableData) }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        let ready = try await waitFor(collector, timeout: .seconds(60)) { lines in
            lines.filter { $0.hasPrefix("GUILD ") }.count == guilds.count
        }
        #expect(ready, "discord.py saw: \(collector.lines)")
        let readyLine = try #require(collector.lines.first { $0.hasPrefix("READY ") })
        #expect(readyLine == "READY \(application.botUserID) \(guilds.count)")
        for guild in guilds {
            #expect(collector.lines.contains { $0.hasPrefix("GUILD \(guild.id) \(guild.name) ") })
        }

        let guild = guilds[0]
        let channel = sandbox.world.read { state in guild.channelIDs.first { state.channels[$0]?.kind == .text }! }
        let posted = try sandbox.control.postMessage(channelID: channel, userID: guild.ownerID, content: "hello from the sandbox")
        let done = try await waitFor(collector, timeout: .seconds(30)) { $0.contains("DONE") }
        #expect(done, "discord.py saw: \(collector.lines)")
        #expect(collector.lines.contains("MESSAGE \(guild.id) \(channel) \(posted.id) hello from the sandbox"))
        let reply = sandbox.world.read { state in
            state.channelMessages[channel]?.compactMap { state.messages[$0] }.last
        }
        #expect(reply?.content == "echo: hello from the sandbox")
        #expect(reply?.authorID == application.botUserID)
        #expect(collector.lines.contains { $0 == "SENT \(reply?.id.description ?? "-") \(channel)" })
    }

    private func waitFor(_ collector: LineCollector, timeout: Duration, _ condition: ([String]) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(collector.lines) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return condition(collector.lines)
    }
}

import Foundation
@testable import GuildhallBot
import GuildhallCore
import GuildhallDiscordModels
import GuildhallSandbox
import GuildhallTestSupport
import Hummingbird
import Testing

/// A slash command that answers only when the test lets it, to force a deferral.
struct GatedCommand: SlashCommand {
    let gate: AsyncStream<Void>

    var definition: ApplicationCommand { .slash("slow", description: "Answers when the test says so") }
    var defersEphemerally: Bool { false }

    func handle(_ context: InteractionContext) async throws -> InteractionResponse {
        for await _ in gate { break }
        return .reply("finally done")
    }
}

/// Discord's HTTP interactions path: the sandbox signs requests with the application's
/// Ed25519 key and POSTs them to the bot's `/interactions` on a real loopback socket.
@Suite("HTTP interactions endpoint against the sandbox", .serialized)
struct InteractionHTTPEndpointTests {
    @Test("a bad signature gets 401, PING gets PONG, a signed /modules is answered, and a slow command is deferred then edited")
    func signedInteractions() async throws {
        let port = try FreePort.loopback()
        let (gate, release) = AsyncStream<Void>.makeStream()
        let harness = try await SandboxBotHarness.start(
            guilds: 1, shards: 1, extraCommands: [GatedCommand(gate: gate)],
            interactionsEndpoint: URL(string: "http://127.0.0.1:\(port)\(InteractionHTTPEndpoint.path)"),
            interactionDeadline: .milliseconds(300)
        )
        defer { Task { await harness.stop() } }
        #expect(try await harness.waitUntilReady())
        #expect(await waitUntil { harness.sandbox.world.read { $0.globalCommands.count } == 2 })

        let publicKey = harness.sandbox.world.read { $0.application.publicKeyHex }
        let endpoint = InteractionHTTPEndpoint(
            verifier: try InteractionSignatureVerifier(publicKeyHex: publicKey), dispatcher: harness.runtime.dispatcher
        )
        let router = Router()
        endpoint.register(on: router)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        #expect(await waitUntil { (try? await harness.sandbox.control.pingInteractionsEndpoint(validSignature: true)) != nil })

        let forged = try await harness.sandbox.control.pingInteractionsEndpoint(validSignature: false)
        #expect(forged.status == 401)
        let ping = try await harness.sandbox.control.pingInteractionsEndpoint(validSignature: true)
        #expect(ping.status == 200)
        let pong = try JSONDecoder().decode(JSONValue.self, from: Data(ping.body))
        #expect(pong["type"]?.integerValue == 1)

        let guild = harness.guilds[0]
        let channel = harness.textChannel(of: guild)
        let listed = try await harness.sandbox.control.invokeCommand(
            channelID: channel, userID: guild.ownerID, name: "modules", options: [.object(["type": .integer(1), "name": .string("list")])]
        )
        #expect(listed.responseType == 4, "the HTTP reply is the callback")
        #expect(listed.response?["data"]?["content"]?.stringValue?.hasPrefix("Modules in this server") == true)

        let slow = try await harness.sandbox.control.invokeCommand(channelID: channel, userID: guild.ownerID, name: "slow")
        #expect(slow.responseType == 5, "a handler past its budget is deferred")
        release.yield()
        let edited = await waitUntil {
            guard let message = harness.sandbox.control.interaction(slow.id)?.originalMessageID else { return false }
            return harness.sandbox.world.read { $0.messages[message]?.content } == "finally done"
        }
        #expect(edited, "the late answer replaced the deferral")
    }
}

@Suite("interaction signature verifier")
struct InteractionSignatureVerifierTests {
    @Test("keys that are not 32 bytes of hexadecimal are refused with a clear error")
    func badKeys() {
        for key in ["", "abc", String(repeating: "z", count: 64), String(repeating: "ab", count: 31)] {
            #expect(throws: GuildhallError.self) { try InteractionSignatureVerifier(publicKeyHex: key) }
        }
    }

    @Test("missing, odd or short signatures and empty timestamps are invalid")
    func malformedSignatures() throws {
        let verifier = try InteractionSignatureVerifier(publicKeyHex: String(repeating: "AB", count: 32))
        #expect(!verifier.isValid(signatureHex: nil, timestamp: "1", body: []))
        #expect(!verifier.isValid(signatureHex: String(repeating: "0", count: 128), timestamp: nil, body: []))
        #expect(!verifier.isValid(signatureHex: String(repeating: "0", count: 128), timestamp: "", body: []))
        #expect(!verifier.isValid(signatureHex: "abc", timestamp: "1", body: []))
        #expect(!verifier.isValid(signatureHex: String(repeating: "0", count: 126), timestamp: "1", body: []))
        #expect(!verifier.isValid(signatureHex: String(repeating: "0", count: 128), timestamp: "1", body: Array("{}".utf8)))
        #expect(InteractionSignatureVerifier.bytes(fromHex: "0aF9") == [0x0A, 0xF9])
        #expect(InteractionSignatureVerifier.bytes(fromHex: "0g") == nil)
    }
}

import Crypto
import Foundation
import GuildhallCore
import GuildhallDiscordModels
import NIOHTTP1

/// Sends interactions to a bot's HTTP interactions endpoint as Discord does: a POST whose
/// `X-Signature-Ed25519` signs `X-Signature-Timestamp` followed by the raw body with the
/// application's key (FACTS.md §4.4).
struct InteractionDelivery: Sendable {
    let endpoint: URL
    let privateKey: Curve25519.Signing.PrivateKey
    var client = LoopbackHTTPClient()

    init(endpoint: URL, signingKeySeed: [UInt8]) throws {
        self.endpoint = endpoint
        privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: signingKeySeed)
    }

    /// POSTs `body`, signed (or, to test the bot's check, signed with a key that is not the
    /// application's). Returns the endpoint's answer.
    func post(_ body: [UInt8], validSignature: Bool = true, now: Double) async throws -> LoopbackHTTPClient.Reply {
        let timestamp = String(Int(now))
        let key = validSignature ? privateKey : Curve25519.Signing.PrivateKey()
        let signature = try key.signature(for: Array(timestamp.utf8) + body)
        let headers = [
            ("Content-Type", "application/json"), ("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)"),
            ("X-Signature-Ed25519", signature.map { String(format: "%02x", $0) }.joined()),
            ("X-Signature-Timestamp", timestamp),
        ]
        return try await client.send(method: .POST, url: endpoint, headers: headers, body: body)
    }
}

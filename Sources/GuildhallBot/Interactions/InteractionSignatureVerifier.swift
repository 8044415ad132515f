import Crypto
import Foundation
import GuildhallCore

/// Checks the Ed25519 signature Discord puts on every request to an HTTP interactions
/// endpoint: `X-Signature-Ed25519` signs `X-Signature-Timestamp` followed by the raw body,
/// with the application's public key. Discord probes endpoints with bad signatures and
/// expects 401, so nothing is decoded before this check passes.
public struct InteractionSignatureVerifier: Sendable {
    private let publicKey: Curve25519.Signing.PublicKey

    /// `publicKeyHex` is the application's public key as the developer portal shows it.
    public init(publicKeyHex: String) throws {
        guard let bytes = Self.bytes(fromHex: publicKeyHex), bytes.count == 32 else {
            throw GuildhallError(.invalidConfiguration, "DISCORD_PUBLIC_KEY must be 64 hexadecimal characters")
        }
        do {
            publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: bytes)
        } catch {
            throw GuildhallError(.invalidConfiguration, "DISCORD_PUBLIC_KEY is not an Ed25519 public key", underlying: error)
        }
    }

    /// True only when the signature is well formed and matches timestamp + body.
    public func isValid(signatureHex: String?, timestamp: String?, body: [UInt8]) -> Bool {
        guard let signatureHex, let timestamp, !timestamp.isEmpty,
              let signature = Self.bytes(fromHex: signatureHex), signature.count == 64
        else { return false }
        var message = Array(timestamp.utf8)
        message.append(contentsOf: body)
        return publicKey.isValidSignature(signature, for: message)
    }

    /// Decodes lowercase or uppercase hexadecimal; `nil` for odd lengths or other characters.
    static func bytes(fromHex hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

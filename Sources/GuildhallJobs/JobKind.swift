import Foundation
import GuildhallCore

/// A kind of job: its name, the Codable payload it carries, how it is retried and how long
/// one attempt may run. Features declare theirs as static constants and register a handler
/// for each in a `JobRegistry`.
public struct JobKind<Payload: Codable & Sendable>: Sendable {
    public let name: String
    public let retry: RetryPolicy
    public let timeout: Duration

    /// `name` is lowercase letters, digits, `.`, `_` and `-` (e.g. `giveaways.end`); the
    /// timeout must be positive.
    public init(_ name: String, retry: RetryPolicy = .standard, timeout: Duration = .seconds(30)) throws {
        try JobValidation.requireName(name)
        guard timeout > .zero else {
            throw GuildhallError(.invalidInput, "job '\(name)': the timeout must be positive, got \(timeout)")
        }
        self.name = name
        self.retry = retry
        self.timeout = timeout
    }

    /// For static declarations whose name is a literal known to be valid.
    public init(uncheckedName name: String, retry: RetryPolicy = .standard, timeout: Duration = .seconds(30)) {
        precondition(JobValidation.isName(name) && timeout > .zero, "invalid job kind '\(name)'")
        self.name = name
        self.retry = retry
        self.timeout = timeout
    }

    func encode(_ payload: Payload) throws -> String {
        do {
            return String(decoding: try JobCoding.encoder.encode(payload), as: UTF8.self)
        } catch {
            throw GuildhallError(.invalidInput, "job '\(name)': the payload cannot be encoded", underlying: error)
        }
    }

    func decode(_ text: String) throws -> Payload {
        do {
            return try JobCoding.decoder.decode(Payload.self, from: Data(text.utf8))
        } catch {
            throw GuildhallError.permanentJobFailure("job '\(name)': the payload does not decode as \(Payload.self)", underlying: error)
        }
    }
}

/// The one JSON configuration for payloads and envelopes.
enum JobCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static let decoder = JSONDecoder()
}

/// The text rules for names and keys. They match the keyspace's segment rule, so names and
/// idempotency keys can become parts of Redis keys without escaping.
public enum JobValidation {
    public static func isSegment(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 128 && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D || byte == 0x2E
        }
    }

    public static func isName(_ text: String) -> Bool {
        isSegment(text) && text == text.lowercased()
    }

    static func requireName(_ name: String) throws {
        guard isName(name) else {
            throw GuildhallError(.invalidInput, "job name '\(name)' must be 1 to 128 lowercase letters, digits, '.', '_' or '-'")
        }
    }

    static func requireKey(_ key: String, what: String) throws {
        guard isSegment(key) else {
            throw GuildhallError(.invalidInput, "\(what) '\(key)' must be 1 to 128 letters, digits, '.', '_' or '-'")
        }
    }
}

/// A Lua script with its SHA-1, run with EVALSHA (loading it when the server does not know it).
public struct RedisScript: Sendable, Hashable {
    public let source: String
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(source.utf8)
    }
}

extension RedisClient {
    /// Runs the script by its SHA-1; on NOSCRIPT (a restarted or flushed server) loads it with
    /// SCRIPT LOAD and retries once. Errors raised by the script throw `.server`.
    public func eval(_ script: RedisScript, keys: [String], args: [String]) async throws -> RESPValue {
        let command = ["EVALSHA", script.sha1, String(keys.count)] + keys + args
        do {
            return try await send(command)
        } catch let error as RedisError where error.serverErrorPrefix == "NOSCRIPT" {
            logger.debug("redis script not cached; loading it", metadata: ["sha1": "\(script.sha1)"])
            let loaded = try await send(["SCRIPT", "LOAD", script.source])
            guard loaded.string == script.sha1 else {
                throw RedisError.unexpected(loaded, expected: "SHA-1 \(script.sha1)")
            }
            return try await send(command)
        }
    }
}

import GuildhallCore
import GuildhallRedis

/// The cache on Redis. Scripts run by EVALSHA (loaded on first use).
public final class RedisCache: CacheBackend {
    public let client: RedisClient

    public init(client: RedisClient) {
        self.client = client
    }

    public func get(_ key: RedisKey) async throws -> String? {
        try await client.send(["GET", key.rawValue]).string
    }

    public func set(_ key: RedisKey, _ value: String, ttl: Duration?) async throws {
        if let ttl = try TTLPolicy.effectiveTTL(for: key, requested: ttl) {
            _ = try await client.send(["SET", key.rawValue, value, "PX", String(ttl.wholeMilliseconds)])
        } else {
            _ = try await client.send(["SET", key.rawValue, value])
        }
    }

    @discardableResult
    public func delete(_ keys: [RedisKey]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return Int(try await client.send(["DEL"] + keys.map(\.rawValue)).integerValue())
    }

    public func increment(_ key: RedisKey, by delta: Int64) async throws -> Int64 {
        let ttl = try TTLPolicy.effectiveTTL(for: key, requested: nil)
        // One script so that a new counter never exists without its TTL.
        let result = try await client.eval(
            Self.incrementScript, keys: [key.rawValue],
            args: [String(delta), ttl.map { String($0.wholeMilliseconds) } ?? "0"]
        )
        return try result.integerValue()
    }

    public func timeToLive(_ key: RedisKey) async throws -> Duration? {
        let pttl = try await client.send(["PTTL", key.rawValue]).integerValue()
        return pttl >= 0 ? .milliseconds(pttl) : nil
    }

    public func run(_ script: CacheScript, keys: [RedisKey], arguments: [String]) async throws -> ScriptValue {
        let compiled = RedisScript(script.lua)
        return try ScriptValue(try await client.eval(compiled, keys: keys.map(\.rawValue), args: arguments))
    }

    static let incrementScript = RedisScript("""
        local value = redis.call('INCRBY', KEYS[1], ARGV[1])
        if value == tonumber(ARGV[1]) and tonumber(ARGV[2]) > 0 and redis.call('PTTL', KEYS[1]) == -1 then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return value
        """)
}

extension RESPValue {
    /// The integer in an integer reply; throws for anything else.
    func integerValue() throws -> Int64 {
        guard let value = self.int else {
            throw GuildhallError(.internalError, "Redis replied \(self) where an integer was expected")
        }
        return Int64(value)
    }
}

extension ScriptValue {
    /// Maps a script's reply the way Redis maps Lua values: integers, strings, nil, tables.
    init(_ value: RESPValue) throws {
        if value.isNull {
            self = .null
        } else if let integer = value.int {
            self = .integer(Int64(integer))
        } else if let array = value.array {
            self = .array(try array.map(ScriptValue.init))
        } else if let string = value.string {
            self = .string(string)
        } else {
            throw GuildhallError(.internalError, "unexpected script reply \(value)")
        }
    }
}

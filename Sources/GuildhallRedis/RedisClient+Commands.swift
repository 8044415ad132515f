import NIOCore

extension RESPValue {
    func intValue() throws(RedisError) -> Int {
        guard let value = int else { throw RedisError.unexpected(self, expected: "integer") }
        return value
    }

    func optionalString() throws(RedisError) -> String? {
        if isNull { return nil }
        guard let value = string else { throw RedisError.unexpected(self, expected: "string or null") }
        return value
    }

    func optionalDouble() throws(RedisError) -> Double? {
        if isNull { return nil }
        guard let value = double else { throw RedisError.unexpected(self, expected: "number or null") }
        return value
    }

    func arrayValue() throws(RedisError) -> [RESPValue] {
        guard let value = array else { throw RedisError.unexpected(self, expected: "array") }
        return value
    }

    func stringValue() throws(RedisError) -> String {
        guard let value = string else { throw RedisError.unexpected(self, expected: "string") }
        return value
    }
}

/// Thin typed wrappers over `send`, for the commands the bot uses.
extension RedisClient {
    @discardableResult
    public func ping() async throws -> String {
        try await send(["PING"]).stringValue()
    }

    /// Deletes every key of the selected database (tests and tooling only).
    public func flushdb() async throws {
        _ = try await send(["FLUSHDB"])
    }

    /// The value at `key`, or `nil` when the key does not exist.
    public func get(_ key: String) async throws -> String? {
        try await send(["GET", key]).optionalString()
    }

    /// SET, with an optional expiry (PX, milliseconds) and NX. Returns whether the value was set
    /// (false only when `onlyIfAbsent` is true and the key existed).
    @discardableResult
    public func set(
        _ key: String,
        _ value: String,
        expireMilliseconds: Int? = nil,
        onlyIfAbsent: Bool = false
    ) async throws -> Bool {
        var command = ["SET", key, value]
        if let expireMilliseconds {
            command += ["PX", String(expireMilliseconds)]
        }
        if onlyIfAbsent {
            command.append("NX")
        }
        return try await !send(command).isNull
    }

    /// Deletes keys; returns how many existed.
    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        try await send(["DEL"] + keys).intValue()
    }

    @discardableResult
    public func del(_ keys: String...) async throws -> Int {
        try await del(keys)
    }

    /// How many of the keys exist (a key named twice counts twice).
    public func exists(_ keys: String...) async throws -> Int {
        try await send(["EXISTS"] + keys).intValue()
    }

    @discardableResult
    public func incrBy(_ key: String, _ amount: Int = 1) async throws -> Int {
        try await send(["INCRBY", key, String(amount)]).intValue()
    }

    /// Sets a timeout in seconds; false when the key does not exist.
    @discardableResult
    public func expire(_ key: String, seconds: Int) async throws -> Bool {
        try await send(["EXPIRE", key, String(seconds)]).intValue() == 1
    }

    /// Sets a timeout in milliseconds; false when the key does not exist.
    @discardableResult
    public func pexpire(_ key: String, milliseconds: Int) async throws -> Bool {
        try await send(["PEXPIRE", key, String(milliseconds)]).intValue() == 1
    }

    /// Milliseconds to live: -1 for a key without expiry, -2 for a missing key.
    public func pttl(_ key: String) async throws -> Int {
        try await send(["PTTL", key]).intValue()
    }

    public func hget(_ key: String, _ field: String) async throws -> String? {
        try await send(["HGET", key, field]).optionalString()
    }

    /// Sets fields; returns how many were new.
    @discardableResult
    public func hset(_ key: String, _ fields: [String: String]) async throws -> Int {
        var command = ["HSET", key]
        for (field, value) in fields.sorted(by: { $0.key < $1.key }) {
            command += [field, value]
        }
        return try await send(command).intValue()
    }

    @discardableResult
    public func hset(_ key: String, field: String, value: String) async throws -> Int {
        try await send(["HSET", key, field, value]).intValue()
    }

    /// All fields of a hash (empty for a missing key); RESP3 maps and RESP2 flat arrays alike.
    public func hgetall(_ key: String) async throws -> [String: String] {
        let reply = try await send(["HGETALL", key])
        guard let entries = reply.mapEntries else { throw RedisError.unexpected(reply, expected: "map") }
        var result: [String: String] = [:]
        for entry in entries {
            result[try entry.key.stringValue()] = try entry.value.stringValue()
        }
        return result
    }

    @discardableResult
    public func hincrBy(_ key: String, _ field: String, _ amount: Int) async throws -> Int {
        try await send(["HINCRBY", key, field, String(amount)]).intValue()
    }

    /// Adds or updates members; returns how many were new.
    @discardableResult
    public func zadd(_ key: String, _ members: [(member: String, score: Double)]) async throws -> Int {
        var command = ["ZADD", key]
        for (member, score) in members {
            command += [Self.format(score), member]
        }
        return try await send(command).intValue()
    }

    /// Adds `amount` to a member's score; returns the new score.
    @discardableResult
    public func zincrby(_ key: String, _ amount: Double, _ member: String) async throws -> Double {
        let reply = try await send(["ZINCRBY", key, Self.format(amount), member])
        guard let score = try reply.optionalDouble() else { throw RedisError.unexpected(reply, expected: "score") }
        return score
    }

    public func zscore(_ key: String, _ member: String) async throws -> Double? {
        try await send(["ZSCORE", key, member]).optionalDouble()
    }

    /// Members from rank `start` to `stop` (inclusive, highest score first) with their scores.
    public func zrevrangeWithScores(_ key: String, start: Int, stop: Int) async throws -> [(member: String, score: Double)] {
        let items = try await send(["ZREVRANGE", key, String(start), String(stop), "WITHSCORES"]).arrayValue()
        var result: [(member: String, score: Double)] = []
        result.reserveCapacity(items.count)
        var index = 0
        while index < items.count {
            if let pair = items[index].array {
                // RESP3: [[member, score], …]
                guard pair.count == 2, let score = pair[1].double else {
                    throw RedisError.unexpected(items[index], expected: "[member, score]")
                }
                result.append((try pair[0].stringValue(), score))
                index += 1
            } else {
                // RESP2: member, score, member, score…
                guard index + 1 < items.count, let score = items[index + 1].double else {
                    throw RedisError.unexpected(.array(items), expected: "member/score pairs")
                }
                result.append((try items[index].stringValue(), score))
                index += 2
            }
        }
        return result
    }

    /// One SCAN step: the next cursor (0 when done) and the keys of this step.
    public func scan(cursor: Int, match: String? = nil, count: Int? = nil) async throws -> (cursor: Int, keys: [String]) {
        var command = ["SCAN", String(cursor)]
        if let match { command += ["MATCH", match] }
        if let count { command += ["COUNT", String(count)] }
        let reply = try await send(command).arrayValue()
        guard reply.count == 2, let next = reply[0].int, let keys = reply[1].array else {
            throw RedisError.unexpected(.array(reply), expected: "[cursor, keys]")
        }
        return (next, try keys.map { try $0.stringValue() })
    }

    /// Every key matching `match`, following the SCAN cursor until it comes back to 0.
    public func scanAll(match: String? = nil, count: Int = 1000) async throws -> [String] {
        var keys: [String] = []
        var cursor = 0
        repeat {
            let step = try await scan(cursor: cursor, match: match, count: count)
            keys += step.keys
            cursor = step.cursor
        } while cursor != 0
        return keys
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return String(value)
    }
}

import NIOCore

/// One stream entry: its ID and fields.
public struct RedisStreamEntry: Sendable, Equatable {
    public let id: String
    /// Empty for an entry that was deleted while still pending.
    public let fields: [String: String]

    public init(id: String, fields: [String: String]) {
        self.id = id
        self.fields = fields
    }
}

/// XAUTOCLAIM's answer.
public struct RedisAutoclaimResult: Sendable, Equatable {
    /// Where the next XAUTOCLAIM should start; "0-0" when the whole PEL was scanned.
    public let nextStart: String
    public let entries: [RedisStreamEntry]
    /// IDs that were pending but no longer exist in the stream (removed from the PEL).
    public let deletedIDs: [String]
}

/// XPENDING's summary form.
public struct RedisPendingSummary: Sendable, Equatable {
    public let count: Int
    public let smallestID: String?
    public let greatestID: String?
    /// Pending count per consumer.
    public let consumers: [String: Int]
}

/// One entry of XPENDING's extended form.
public struct RedisPendingEntry: Sendable, Equatable {
    public let id: String
    public let consumer: String
    public let idleMilliseconds: Int
    public let deliveryCount: Int
}

extension RedisClient {
    /// Appends an entry; returns its ID. `maxLength` trims approximately (`MAXLEN ~`).
    @discardableResult
    public func xadd(
        _ stream: String,
        id: String = "*",
        fields: [(String, String)],
        maxLength: Int? = nil
    ) async throws -> String {
        var command = ["XADD", stream]
        if let maxLength {
            command += ["MAXLEN", "~", String(maxLength)]
        }
        command.append(id)
        for (field, value) in fields {
            command += [field, value]
        }
        return try await send(command).stringValue()
    }

    /// Creates a consumer group (and the stream, with `makeStream`); returns false when the group
    /// already existed (BUSYGROUP).
    @discardableResult
    public func xgroupCreate(_ stream: String, group: String, startID: String = "$", makeStream: Bool = true) async throws -> Bool {
        var command = ["XGROUP", "CREATE", stream, group, startID]
        if makeStream { command.append("MKSTREAM") }
        do {
            _ = try await send(command)
            return true
        } catch let error as RedisError where error.serverErrorPrefix == "BUSYGROUP" {
            return false
        }
    }

    /// Reads entries for `consumer` of `group` from one stream. `id` ">" means new entries;
    /// "0" re-reads this consumer's pending ones. With `blockMilliseconds`, waits that long for
    /// data (the command timeout is extended by as much). Empty when nothing arrived.
    public func xreadgroup(
        group: String,
        consumer: String,
        stream: String,
        id: String = ">",
        count: Int? = nil,
        blockMilliseconds: Int? = nil
    ) async throws -> [RedisStreamEntry] {
        var command = ["XREADGROUP", "GROUP", group, consumer]
        if let count { command += ["COUNT", String(count)] }
        if let blockMilliseconds { command += ["BLOCK", String(blockMilliseconds)] }
        command += ["STREAMS", stream, id]
        var payload = ByteBufferAllocator().buffer(capacity: Self.estimatedSize(command))
        payload.writeRESPCommand(command)
        let reply = try await send(encoded: payload, extraTimeout: .milliseconds(Int64(blockMilliseconds ?? 0)))
        if reply.isNull { return [] }
        guard let streams = reply.mapEntries ?? reply.array?.compactMap({ item -> RESPMapEntry? in
            guard let pair = item.array, pair.count == 2 else { return nil }
            return RESPMapEntry(key: pair[0], value: pair[1])
        }) else {
            throw RedisError.unexpected(reply, expected: "streams")
        }
        var entries: [RedisStreamEntry] = []
        for stream in streams {
            entries += try Self.streamEntries(stream.value)
        }
        return entries
    }

    /// Acknowledges entries; returns how many were pending.
    @discardableResult
    public func xack(_ stream: String, group: String, ids: [String]) async throws -> Int {
        try await send(["XACK", stream, group] + ids).intValue()
    }

    /// Claims entries idle for at least `minIdleMilliseconds` for `consumer`.
    public func xautoclaim(
        _ stream: String,
        group: String,
        consumer: String,
        minIdleMilliseconds: Int,
        start: String = "0-0",
        count: Int? = nil
    ) async throws -> RedisAutoclaimResult {
        var command = ["XAUTOCLAIM", stream, group, consumer, String(minIdleMilliseconds), start]
        if let count { command += ["COUNT", String(count)] }
        let reply = try await send(command).arrayValue()
        guard reply.count >= 2 else { throw RedisError.unexpected(.array(reply), expected: "XAUTOCLAIM reply") }
        let deleted = reply.count > 2 ? try reply[2].arrayValue().map { try $0.stringValue() } : []
        return RedisAutoclaimResult(
            nextStart: try reply[0].stringValue(),
            entries: try Self.streamEntries(reply[1]),
            deletedIDs: deleted
        )
    }

    /// XPENDING summary: how many entries are pending, the ID range, and per-consumer counts.
    public func xpending(_ stream: String, group: String) async throws -> RedisPendingSummary {
        let reply = try await send(["XPENDING", stream, group]).arrayValue()
        guard reply.count == 4 else { throw RedisError.unexpected(.array(reply), expected: "XPENDING summary") }
        var consumers: [String: Int] = [:]
        for item in reply[3].array ?? [] {
            guard let pair = item.array, pair.count == 2, let count = pair[1].int else {
                throw RedisError.unexpected(item, expected: "[consumer, count]")
            }
            consumers[try pair[0].stringValue()] = count
        }
        return RedisPendingSummary(
            count: try reply[0].intValue(),
            smallestID: try reply[1].optionalString(),
            greatestID: try reply[2].optionalString(),
            consumers: consumers
        )
    }

    /// XPENDING extended form: pending entries from `start` to `end`, optionally of one consumer.
    public func xpending(
        _ stream: String,
        group: String,
        start: String = "-",
        end: String = "+",
        count: Int,
        consumer: String? = nil
    ) async throws -> [RedisPendingEntry] {
        var command = ["XPENDING", stream, group, start, end, String(count)]
        if let consumer { command.append(consumer) }
        return try await send(command).arrayValue().map { item in
            guard let fields = item.array, fields.count == 4 else {
                throw RedisError.unexpected(item, expected: "[id, consumer, idle, deliveries]")
            }
            return RedisPendingEntry(
                id: try fields[0].stringValue(),
                consumer: try fields[1].stringValue(),
                idleMilliseconds: try fields[2].intValue(),
                deliveryCount: try fields[3].intValue()
            )
        }
    }

    public func xlen(_ stream: String) async throws -> Int {
        try await send(["XLEN", stream]).intValue()
    }

    static func streamEntries(_ value: RESPValue) throws(RedisError) -> [RedisStreamEntry] {
        var entries: [RedisStreamEntry] = []
        for item in try value.arrayValue() {
            guard let pair = item.array, pair.count == 2 else {
                throw RedisError.unexpected(item, expected: "[id, fields]")
            }
            var fields: [String: String] = [:]
            if let flat = pair[1].array {
                var index = 0
                while index + 1 < flat.count {
                    fields[try flat[index].stringValue()] = try flat[index + 1].stringValue()
                    index += 2
                }
            }
            entries.append(RedisStreamEntry(id: try pair[0].stringValue(), fields: fields))
        }
        return entries
    }
}

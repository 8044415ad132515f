import NIOCore

/// SET/GET load against a real server, for `guildhall bench redis`.
///
/// Commands alternate SET and GET on keys `<keyPrefix><n>` (n below `keySpace`, values of 3
/// bytes like redis-benchmark's default), written straight into one buffer per batch of
/// `pipelineDepth` commands, from `concurrency` tasks at once. The caller supplies the
/// prefix from the keyspace builder; this client knows nothing of Guildhall's key rules.
public enum RedisLoadBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public let operations: Int
        public let elapsed: Duration
        public let pipelineDepth: Int
        public let concurrency: Int

        public var operationsPerSecond: Double {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return seconds > 0 ? Double(operations) / seconds : 0
        }

        public var description: String {
            "\(operations) ops in \(elapsed) (P=\(pipelineDepth), c=\(concurrency)): \(Int(operationsPerSecond)) ops/s"
        }
    }

    public static let defaultKeySpace = 10_000

    public static func run(
        client: RedisClient,
        keyPrefix: String,
        keySpace: Int = defaultKeySpace,
        totalOperations: Int,
        pipelineDepth: Int,
        concurrency: Int
    ) async throws -> Result {
        guard totalOperations > 0, pipelineDepth > 0, concurrency > 0, keySpace > 0, !keyPrefix.isEmpty else {
            throw RedisError(.invalidConfiguration, "operations, pipeline depth, concurrency and key space must all be positive, and the key prefix non-empty")
        }
        let prefix = Array(keyPrefix.utf8)
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                let share = totalOperations / concurrency + (worker < totalOperations % concurrency ? 1 : 0)
                group.addTask {
                    try await runWorker(client: client, prefix: prefix, keySpace: keySpace, worker: worker, operations: share, depth: pipelineDepth)
                }
            }
            try await group.waitForAll()
        }
        return Result(
            operations: totalOperations,
            elapsed: clock.now - start,
            pipelineDepth: pipelineDepth,
            concurrency: concurrency
        )
    }

    private static func runWorker(client: RedisClient, prefix: [UInt8], keySpace: Int, worker: Int, operations: Int, depth: Int) async throws {
        let allocator = ByteBufferAllocator()
        var done = 0
        var sequence = worker &* 7919
        while done < operations {
            let batch = min(depth, operations - done)
            var payload = allocator.buffer(capacity: batch * 48)
            for _ in 0..<batch {
                writeCommand(into: &payload, prefix: prefix, keySpace: keySpace, sequence: sequence)
                sequence &+= 1
            }
            if batch == 1 {
                _ = try await client.send(encoded: payload)
            } else {
                let replies = try await client.pipeline(encoded: payload, count: batch)
                for reply in replies {
                    if case .error(let message) = reply { throw RedisError(.server, message) }
                }
            }
            done += batch
        }
    }

    /// `SET <prefix><n> xxx` for even sequence numbers, `GET <prefix><n>` for odd.
    @inline(__always)
    static func writeCommand(into payload: inout ByteBuffer, prefix keyPrefix: [UInt8], keySpace: Int, sequence: Int) {
        let key = (sequence / 2) % keySpace
        let isSet = sequence & 1 == 0
        payload.writeRESPArrayHeader(count: isSet ? 3 : 2)
        payload.writeRESPBulkString(isSet ? "SET" : "GET")
        payload.writeRESPHeader(marker: UInt8(ascii: "$"), count: keyPrefix.count + ByteBuffer.decimalDigitCount(key))
        payload.writeBytes(keyPrefix)
        payload.writeDecimal(key, digits: ByteBuffer.decimalDigitCount(key))
        payload.writeInteger(UInt16(0x0D0A))
        if isSet {
            payload.writeRESPBulkString("xxx")
        }
    }
}

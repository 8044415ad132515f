import GuildhallDiscordGateway
import GuildhallDiscordModels
import Synchronization
import Testing

/// The bounded queue between a shard's reader and the bot: order, back-pressure, finishing
/// and cancellation, each waited for by a positive signal, never a sleep.
@Suite("ShardEventQueue")
struct ShardEventQueueTests {
    static func event(_ sequence: Int) -> ShardEvent {
        ShardEvent(shardID: 0, sequence: sequence, event: .unknown(name: "TEST", data: GatewayRawJSON(bytes: Array("{}".utf8))))
    }

    @Test("events come out in the order they went in")
    func fifo() async {
        let queue = ShardEventQueue(capacity: 4)
        for sequence in 1...4 { await queue.push(Self.event(sequence)) }
        #expect(queue.count == 4)
        var seen: [Int] = []
        for _ in 1...4 { seen.append(await queue.next()?.sequence ?? -1) }
        #expect(seen == [1, 2, 3, 4])
        #expect(queue.count == 0)
    }

    @Test("a full queue holds the producer until the consumer takes one; memory stays at the capacity")
    func backPressure() async {
        let queue = ShardEventQueue(capacity: 2)
        await queue.push(Self.event(1))
        await queue.push(Self.event(2))
        let pushed = Mutex(false)
        let producer = Task {
            await queue.push(Self.event(3))
            pushed.withLock { $0 = true }
        }
        // The producer cannot finish while the queue is full: taking one is what frees it.
        #expect(queue.count == 2)
        #expect(await queue.next()?.sequence == 1)
        await producer.value
        #expect(pushed.withLock { $0 })
        #expect(queue.count == 2, "never more than the capacity")
        #expect(await queue.next()?.sequence == 2)
        #expect(await queue.next()?.sequence == 3)
    }

    @Test("a waiting consumer gets the next event directly")
    func waitingConsumer() async {
        let queue = ShardEventQueue(capacity: 1)
        let consumer = Task { await queue.next()?.sequence }
        await queue.push(Self.event(7))
        #expect(await consumer.value == 7)
    }

    @Test("finish: the consumer drains what is left, then gets nil; a waiting producer returns without adding")
    func finishDrains() async {
        let queue = ShardEventQueue(capacity: 1)
        await queue.push(Self.event(1))
        let producer = Task { await queue.push(Self.event(2)) }
        queue.finish()
        await producer.value
        #expect(await queue.next()?.sequence == 1)
        #expect(await queue.next() == nil)
        await queue.push(Self.event(3))
        #expect(await queue.next() == nil, "nothing is added after finish")
        let sequences = await Array(ShardEventQueueTests.drain(queue))
        #expect(sequences.isEmpty)
    }

    @Test("finish wakes a consumer waiting on an empty queue")
    func finishWakesConsumer() async {
        let queue = ShardEventQueue(capacity: 1)
        let consumer = Task { await queue.next() }
        queue.finish()
        #expect(await consumer.value == nil)
    }

    @Test("cancelling a waiting consumer or producer ends its wait")
    func cancellation() async {
        let queue = ShardEventQueue(capacity: 1)
        let consumer = Task { await queue.next() }
        consumer.cancel()
        #expect(await consumer.value == nil)
        await queue.push(Self.event(1))
        let producer = Task { await queue.push(Self.event(2)) }
        producer.cancel()
        await producer.value
        #expect(await queue.next()?.sequence == 1)
        #expect(queue.count == 0, "the cancelled producer's event was not added")
    }

    @Test("iterating with for-await ends when the queue is finished")
    func iteration() async {
        let queue = ShardEventQueue(capacity: 8)
        for sequence in 1...3 { await queue.push(Self.event(sequence)) }
        queue.finish()
        #expect(await ShardEventQueueTests.drain(queue) == [1, 2, 3])
    }

    static func drain(_ queue: ShardEventQueue) async -> [Int] {
        var sequences: [Int] = []
        for await event in queue { sequences.append(event.sequence ?? -1) }
        return sequences
    }
}

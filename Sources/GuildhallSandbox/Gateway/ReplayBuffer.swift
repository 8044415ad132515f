import NIOCore

/// The last dispatches of a session, by sequence number, for replay on resume. A ring of
/// fixed capacity: once full, the oldest frame makes room, and a resume from before it can
/// no longer be honoured.
struct ReplayBuffer: Sendable {
    private var frames: [ByteBuffer?]
    private var sequences: [Int]
    private var next = 0
    private(set) var count = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        frames = []
        sequences = []
    }

    mutating func append(sequence: Int, frame: ByteBuffer) {
        if frames.count < capacity {
            frames.append(frame)
            sequences.append(sequence)
        } else {
            frames[next] = frame
            sequences[next] = sequence
        }
        next = (next + 1) % capacity
        count = min(count + 1, capacity)
    }

    /// The oldest sequence still held, or `nil` when empty.
    var oldestSequence: Int? {
        guard count > 0 else { return nil }
        return count < capacity ? sequences[0] : sequences[next]
    }

    /// Frames after `sequence`, oldest first; `nil` if some of them were already dropped.
    func frames(after sequence: Int, latest: Int) -> [ByteBuffer]? {
        guard sequence < latest else { return [] }
        guard let oldest = oldestSequence, oldest <= sequence + 1 else { return nil }
        var result: [ByteBuffer] = []
        result.reserveCapacity(latest - sequence)
        let start = count < capacity ? 0 : next
        for offset in 0..<count {
            let index = (start + offset) % capacity
            if sequences[index] > sequence, let frame = frames[index] { result.append(frame) }
        }
        return result
    }
}

import Foundation
import GuildhallDiscordModels
import NIOCore

/// Turns one gateway message into a `GatewayServerPayload` in one decoding pass.
enum GatewayFrameDecoder {
    /// A message that did not decode. For a dispatch whose `d` did not fit its type, the
    /// fallback keeps the event (as `.unknown` with its raw `d`) and, above all, its
    /// sequence number, so a resume later neither skips nor repeats anything.
    struct Failure: Error {
        let eventName: String?
        let underlying: any Error
        let fallback: GatewayServerPayload?
    }

    static func decode(_ message: ByteBuffer) throws(Failure) -> GatewayServerPayload {
        do {
            return try message.withUnsafeReadableBytes { try GatewayCoding.frameDecoder.decode(GatewayServerPayload.self, from: $0) }
        } catch {
            let envelope = try? message.withUnsafeReadableBytes { try GatewayCoding.frameDecoder.decode(GatewayPayload<GatewayRawJSON>.self, from: $0) }
            guard let envelope else {
                throw Failure(eventName: nil, underlying: error, fallback: nil)
            }
            guard envelope.opcode == .dispatch, let name = envelope.eventName else {
                throw Failure(eventName: envelope.eventName, underlying: error, fallback: nil)
            }
            let raw = envelope.data ?? GatewayRawJSON(bytes: Array("null".utf8))
            throw Failure(eventName: name, underlying: error, fallback: .dispatch(sequence: envelope.sequence, event: .unknown(name: name, data: raw)))
        }
    }
}

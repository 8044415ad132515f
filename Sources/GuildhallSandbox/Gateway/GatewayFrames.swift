import Foundation
import GuildhallDiscordModels
import NIOCore

/// The bytes of what the gateway sends. Control payloads go through the model's
/// `GatewayServerPayload`; dispatches are spliced from pre-encoded `d` bytes, because the
/// traffic generator sends the same `d` to many sessions with different sequence numbers
/// and must not re-encode it each time.
enum GatewayFrames {
    static func encode(_ payload: GatewayServerPayload) -> ByteBuffer {
        // The control payloads have no failure path in their encoders.
        let data = (try? GatewayCoding.encoder.encode(payload)) ?? Data()
        return ByteBuffer(bytes: data)
    }

    static func hello(intervalMilliseconds: Int) -> ByteBuffer {
        encode(.hello(GatewayHello(heartbeatInterval: intervalMilliseconds)))
    }

    static let heartbeatAck = encode(.heartbeatAck)
    static let heartbeatRequest = encode(.heartbeatRequest)
    static let reconnect = encode(.reconnect)
    static func invalidSession(resumable: Bool) -> ByteBuffer { encode(.invalidSession(resumable: resumable)) }

    private static let dispatchPrefix = Array(#"{"op":0,"s":"#.utf8)
    private static let namePrefix = Array(#","t":""#.utf8)
    private static let dataPrefix = Array(#"","d":"#.utf8)

    /// `{"op":0,"s":<sequence>,"t":"<name>","d":<data>}`.
    static func dispatch(sequence: Int, name: String, data: [UInt8]) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: data.count + name.utf8.count + 40)
        buffer.writeBytes(dispatchPrefix)
        buffer.writeString(String(sequence))
        buffer.writeBytes(namePrefix)
        buffer.writeString(name)
        buffer.writeBytes(dataPrefix)
        buffer.writeBytes(data)
        buffer.writeInteger(UInt8(ascii: "}"))
        return buffer
    }
}

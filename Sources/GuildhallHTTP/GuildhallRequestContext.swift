import Hummingbird
import NIOCore

/// The request context of every role's HTTP server: Hummingbird's, plus the client's
/// address (per-address rate limits) and an upload limit.
public struct GuildhallRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { 1 << 20 }
}

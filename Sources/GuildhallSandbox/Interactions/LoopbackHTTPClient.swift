import Foundation
import GuildhallCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client for `http://` URLs: enough for the sandbox to POST signed
/// interactions to a bot's endpoint, with a deadline on the whole exchange.
struct LoopbackHTTPClient: Sendable {
    struct Reply: Sendable, Equatable {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
    }

    var timeout: Duration = .seconds(5)

    func send(method: HTTPMethod, url: URL, headers: [(String, String)], body: [UInt8]) async throws -> Reply {
        guard url.scheme == "http", let host = url.host else {
            throw GuildhallError(.invalidInput, "the sandbox can only deliver to http:// URLs (got \(url.absoluteString))")
        }
        let port = url.port ?? 80
        // The path as written, still percent-encoded: a request line is ASCII only.
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let encodedPath = components?.percentEncodedPath ?? url.path
        let path = (encodedPath.isEmpty ? "/" : encodedPath) + (components?.percentEncodedQuery.map { "?" + $0 } ?? "")
        return try await withThrowingTaskGroup(of: Reply.self) { group in
            group.addTask { try await exchange(method: method, host: host, port: port, path: path, headers: headers, body: body) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw GuildhallError(.unavailable, "no answer from \(url.absoluteString) within \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    private func exchange(
        method: HTTPMethod, host: String, port: Int, path: String, headers: [(String, String)], body: [UInt8]
    ) async throws -> Reply {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPHeaders(headers)
            head.replaceOrAdd(name: "Host", value: "\(host):\(port)")
            head.replaceOrAdd(name: "Content-Length", value: String(body.count))
            head.replaceOrAdd(name: "Connection", value: "close")
            // One write of every part: a server that answers a bodiless request as soon as its
            // head arrives, and closes (Connection: close), must not find a part still unsent.
            var parts: [HTTPClientRequestPart] = [.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: head))]
            if !body.isEmpty { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            parts.append(.end(nil))
            try await outbound.write(contentsOf: parts)
            var reply = Reply(status: 0, headers: [:], body: [])
            for try await part in inbound {
                switch part {
                case .head(let response):
                    reply.status = Int(response.status.code)
                    for (name, value) in response.headers {
                        // A repeated field (Set-Cookie) keeps every value, one per line.
                        let key = name.lowercased()
                        reply.headers[key] = reply.headers[key].map { $0 + "\n" + value } ?? value
                    }
                case .body(var buffer):
                    reply.body += buffer.readBytes(length: buffer.readableBytes) ?? []
                case .end:
                    return reply
                }
            }
            return reply
        }
    }
}

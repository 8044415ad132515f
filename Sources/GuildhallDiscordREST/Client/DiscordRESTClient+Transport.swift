import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// An attempt that ran past the request timeout.
struct RequestTimeout: Error, Sendable, CustomStringConvertible {
    let timeout: Duration
    var description: String { "no complete response within \(timeout.compactDescription)" }
}

extension DiscordRESTClient {
    /// One attempt on the wire: headers, body, and the whole response read within the
    /// request timeout (AsyncHTTPClient's deadline covers only the response head, so the
    /// body is read under a timer of our own).
    func perform(_ request: DiscordRESTRequest, reason: String?) async throws -> Exchange {
        let http = makeHTTPRequest(request, reason: reason)
        let timeout = configuration.requestTimeout
        let limit = configuration.maximumResponseBytes
        let client = httpClient
        return try await Self.withTimeout(timeout) {
            let response = try await client.execute(http, timeout: .nanoseconds(timeout.nanoseconds))
            let buffer = try await response.body.collect(upTo: limit)
            return Exchange(status: Int(response.status.code), headers: response.headers, body: Data(buffer.readableBytesView))
        }
    }

    func makeHTTPRequest(_ request: DiscordRESTRequest, reason: String?) -> HTTPClientRequest {
        var http = HTTPClientRequest(url: configuration.normalizedBaseURL + request.route.pathAndQuery)
        http.method = request.route.method
        http.headers.add(name: "User-Agent", value: configuration.userAgent)
        switch request.route.authorization {
        case .bot:
            http.headers.add(name: "Authorization", value: "Bot \(configuration.token)")
        case .bearer(let token):
            http.headers.add(name: "Authorization", value: "Bearer \(token)")
        case .basic(let clientID, let clientSecret):
            http.headers.add(name: "Authorization", value: "Basic \(Data("\(clientID):\(clientSecret)".utf8).base64EncodedString())")
        case .none:
            break
        }
        // AsyncHTTPClient sets the framing (Content-Length, also 0 for an empty PUT) itself.
        if let body = request.body {
            let bytes = body.bytes
            http.headers.add(name: "Content-Type", value: body.contentType)
            http.body = .bytes(ByteBuffer(bytes: bytes))
        }
        if let reason {
            http.headers.add(name: "X-Audit-Log-Reason", value: reason)
        }
        return http
    }

    /// Runs `operation`, cancelling it and throwing `RequestTimeout` when `timeout` passes first.
    static func withTimeout<T: Sendable>(_ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw RequestTimeout(timeout: timeout)
            }
            return value
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

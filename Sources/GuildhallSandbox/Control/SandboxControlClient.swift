import Foundation
import GuildhallCore
import NIOHTTP1

/// Calls a sandbox's control API over HTTP, for tools that run in another process than the
/// sandbox (the gateway benchmark drives a `guildhall sandbox` child this way).
public struct SandboxControlClient: Sendable {
    /// The control API's root, e.g. `http://127.0.0.1:PORT/_sandbox`.
    public let controlURL: URL
    private let http: LoopbackHTTPClient

    public init(controlURL: URL, timeout: Duration = .seconds(10)) {
        self.controlURL = controlURL
        http = LoopbackHTTPClient(timeout: timeout)
    }

    /// Starts a traffic run (`POST /_sandbox/traffic`).
    public func startTraffic(_ plan: SandboxTrafficPlan) async throws -> SandboxTrafficStatus {
        try await call(.POST, "/traffic", body: try JSONEncoder().encode(plan), expecting: 201)
    }

    /// A traffic run's progress (`GET /_sandbox/traffic/{id}`).
    public func traffic(id: Int) async throws -> SandboxTrafficStatus {
        try await call(.GET, "/traffic/\(id)", body: nil, expecting: 200)
    }

    /// Stops a traffic run (`DELETE /_sandbox/traffic/{id}`).
    public func stopTraffic(id: Int) async throws {
        _ = try await exchange(.DELETE, "/traffic/\(id)", body: nil, expecting: 204)
    }

    private func call<Result: Decodable>(_ method: HTTPMethod, _ path: String, body: Data?, expecting status: Int) async throws -> Result {
        try JSONDecoder().decode(Result.self, from: Data(try await exchange(method, path, body: body, expecting: status)))
    }

    private func exchange(_ method: HTTPMethod, _ path: String, body: Data?, expecting status: Int) async throws -> [UInt8] {
        let url = controlURL.appendingPathComponent(String(path.dropFirst()))
        var headers: [(String, String)] = []
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let reply = try await http.send(method: method, url: url, headers: headers, body: body.map { Array($0) } ?? [])
        guard reply.status == status else {
            throw GuildhallError(
                .unavailable, "sandbox control API \(method) \(path) answered \(reply.status): \(String(decoding: reply.body.prefix(300), as: UTF8.self))"
            )
        }
        return reply.body
    }
}

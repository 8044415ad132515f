import Foundation
@testable import GuildhallAPI
import GuildhallDiscordModels
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A test client that holds every answer of the API to its OpenAPI document: the status
/// must be one the route documents, and the body must match the schema documented for that
/// status (the error shape for failures). A mismatch is recorded as a test issue, so every
/// API test is also a conformance test of what it receives.
struct OpenAPIConformingClient: TestClientProtocol {
    let inner: any TestClientProtocol
    let table: APIRouteTable

    var port: Int? { inner.port }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        let response = try await inner.executeRequest(uri: uri, method: method, headers: headers, body: body)
        for problem in Self.problems(uri: uri, method: method, status: Int(response.status.code), body: response.body, routes: table.all) {
            Issue.record("\(method.rawValue) \(uri) → \(response.status.code): \(problem)")
        }
        return response
    }

    /// What in `response` the document does not allow; empty for paths outside `/api/`.
    static func problems(uri: String, method: HTTPRequest.Method, status: Int, body: ByteBuffer, routes: [APIRoute]) -> [String] {
        let path = String(uri.split(separator: "?", maxSplits: 1).first ?? "")
        guard path.hasPrefix("/api/") else { return [] }
        guard let route = routes.first(where: { $0.method == method && matches($0.path, path) }) else {
            // No route: the router's own 404 (or 405), which answers in the error shape too.
            return status == 404 || status == 405 ? errorShapeProblems(body) : ["no documented route answers this path"]
        }
        if let answer = route.answers[status] {
            guard let schema = answer.schema else { return [] }
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)) else {
                return ["the body is not JSON, but the document gives it a schema"]
            }
            return schema.problems(value, at: "response").map { "\($0.field) \($0.problem)" }
        }
        guard route.errorStatuses.contains(status) else { return ["status \(status) is not documented for \(route.method.rawValue) \(route.path)"] }
        return errorShapeProblems(body)
    }

    static func errorShapeProblems(_ body: ByteBuffer) -> [String] {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)) else { return ["the error body is not JSON"] }
        return OpenAPIDocument.errorSchema.problems(value, at: "response").map { "\($0.field) \($0.problem)" }
    }

    /// Whether a documented path (`/api/v1/guilds/{guild_id}`) matches a concrete one.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        let expected = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let actual = path.split(separator: "/", omittingEmptySubsequences: false)
        guard expected.count == actual.count else { return false }
        return zip(expected, actual).allSatisfy { pattern, segment in
            (pattern.hasPrefix("{") && pattern.hasSuffix("}") && !segment.isEmpty) || pattern == segment
        }
    }
}

@Suite("OpenAPI conformance checker")
struct OpenAPIConformanceCheckerTests {
    static let route = APIRoute(
        .get, "/api/v1/things/{thing_id}", operationID: "getThing", summary: "A thing.", tag: "test", access: .session,
        pathParameters: ["thing_id": .integer(minimum: 1)],
        answers: [200: .init("The thing.", schema: .object(["name": .string()], required: ["name"]))]
    )

    static func problems(_ uri: String, _ status: Int, _ body: String, method: HTTPRequest.Method = .get) -> [String] {
        OpenAPIConformingClient.problems(uri: uri, method: method, status: status, body: ByteBuffer(string: body), routes: [route])
    }

    @Test("documented answers pass; a body that breaks its schema, an undocumented status and a bad error body do not")
    func catchesMismatches() {
        #expect(Self.problems("/api/v1/things/3", 200, #"{"name":"x"}"#).isEmpty)
        #expect(!Self.problems("/api/v1/things/3", 200, #"{"name":1}"#).isEmpty)
        #expect(!Self.problems("/api/v1/things/3?x=1", 200, "{}").isEmpty)
        #expect(!Self.problems("/api/v1/things/3", 200, "not json").isEmpty)
        #expect(!Self.problems("/api/v1/things/3", 409, "{}").isEmpty, "409 is not documented for this route")
        let error = #"{"error":{"code":"forbidden","message":"no","details":[],"request_id":"r"}}"#
        #expect(Self.problems("/api/v1/things/3", 403, error).isEmpty)
        #expect(!Self.problems("/api/v1/things/3", 403, "nope").isEmpty)
        #expect(!Self.problems("/api/v1/things/3", 403, #"{"error":{}}"#).isEmpty)
        #expect(Self.problems("/api/v1/nothing", 404, error).isEmpty, "the router's own 404 in the error shape")
        #expect(!Self.problems("/api/v1/other", 200, "{}", method: .post).isEmpty)
        #expect(Self.problems("/outside", 200, "text").isEmpty)
        #expect(OpenAPIConformingClient.matches("/a/{b}/c", "/a/1/c") && !OpenAPIConformingClient.matches("/a/{b}/c", "/a//c"))
    }
}

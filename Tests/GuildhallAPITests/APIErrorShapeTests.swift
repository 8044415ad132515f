import Foundation
@testable import GuildhallAPI
import GuildhallCore
import GuildhallHTTP
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import GuildhallDiscordModels

@Suite("one error shape for every failure")
struct APIErrorShapeTests {
    /// A route that fails on demand, to see every status in its shape.
    static let failing = APIRoute(
        .get, "/api/v1/test/fail/{status}", operationID: "fail", summary: "Fails with the given status.", tag: "test", access: .anyone,
        pathParameters: ["status": .string(minLength: 3, maxLength: 3)], answers: [200: .init("never")],
        additionalErrors: [402, 403, 405, 409, 413]
    )

    static let echo = APIRoute(
        .post, "/api/v1/test/echo", operationID: "echo", summary: "Echoes a checked body.", tag: "test", access: .anyone,
        query: ["verbose": .boolean, "count": .integer(minimum: 1, maximum: 5)],
        body: .object([
            "name": .string(minLength: 1, maxLength: 10), "id": .snowflake, "tags": .array(.string(values: ["a", "b"]), maxItems: 2),
            "nested": .object(["on": .boolean], required: ["on"]), "when": .nullable(.timestamp),
        ], required: ["name"]),
        answers: [200: .init("The name back.", schema: .object(["name": .string(), "count": .integer()], required: ["name", "count"]))]
    )

    struct Echo: Decodable { var name: String }

    static func withTestRoutes(_ api: APIRouter<GuildhallRequestContext>) {
        api.add(failing) { input in
            switch input.path("status") {
            case "400": throw APIError.badRequest("bad")
            case "403": throw GuildhallError(.forbidden, "no")
            case "404": throw GuildhallError(.notFound, "gone")
            case "409": throw GuildhallError(.conflict, "twice")
            case "422": throw GuildhallError(.invalidInput, "wrong")
            case "503": throw GuildhallError(.unavailable, "database down")
            case "599": throw HTTPError(.badGateway)
            case "598": throw HTTPError(.badRequest, message: "unreadable")
            case "597": throw HTTPError(.methodNotAllowed)
            case "596": throw HTTPError(.contentTooLarge)
            case "595": throw HTTPError(.init(code: 402))
            default: throw CancellationError()
            }
        }
        api.add(echo) { input in
            let body = try input.decode(Echo.self)
            return APIJSON.response(["name": JSONValue.string(body.name), "count": .integer(Int64(input.queryInteger("count") ?? 1))])
        }
    }

    @Test("statuses keep the shape, the code and the request id", arguments: [
        ("400", 400, "bad_request"), ("403", 403, "forbidden"), ("404", 404, "not_found"), ("409", 409, "conflict"),
        ("422", 422, "validation_failed"), ("503", 503, "unavailable"), ("500", 500, "internal_error"), ("599", 500, "internal_error"),
        ("598", 400, "bad_request"), ("597", 405, "method_not_allowed"), ("596", 413, "payload_too_large"), ("595", 402, "http_402"),
    ])
    func statuses(path: String, status: Int, code: String) async throws {
        let harness = try await APIHarness.make(extraRoutes: Self.withTestRoutes)
        try await harness.run { client in
            let response = try await client.execute(uri: "/api/v1/test/fail/\(path)", method: .get, headers: [.init("X-Request-Id")!: "req-12345678"])
            #expect(response.status.code == status)
            let error = try #require(response.apiError)
            #expect(error.error.code == code)
            #expect(error.error.requestID == "req-12345678")
            #expect(!error.error.message.isEmpty)
            #expect(response.headers[.contentType] == "application/json")
            if status == 503 { #expect(response.headers[.retryAfter] == "5") }
            if status == 500 { #expect(!error.error.message.contains("Cancellation"), "a 500 reveals nothing") }
        }
        let logged = harness.logs.all.filter { $0.message == "API request failed" || $0.message == "API request refused" }
        #expect(logged.count == 1)
        if status >= 500 {
            #expect(logged.first?.level == .error && logged.first?.metadata["code"] == code, "failures are logged with their code")
            #expect(logged.first?.metadata["request_id"] == "req-12345678")
        } else {
            #expect(logged.first?.level == .info && logged.first?.metadata["status"] == String(status))
        }
    }

    @Test("a route that does not exist is a 404 in the shape; paths outside /api keep their own answers")
    func unknownRoute() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { client in
            let missing = try await client.execute(uri: "/api/v1/nothing-here", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.apiError?.error.code == "not_found")
            let outside = try await client.execute(uri: "/outside", method: .get)
            #expect(String(buffer: outside.body) == "not the API")
        }
    }

    @Test("bodies: checked against the schema, unknown fields refused, nothing reaches the handler on a problem")
    func bodies() async throws {
        let harness = try await APIHarness.make(extraRoutes: Self.withTestRoutes)
        try await harness.run { client in
            func post(_ json: String, query: String = "") async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/test/echo" + query, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json))
            }
            let fine = try await post(#"{"name":"gg","id":"80351110224678912","tags":["a"],"nested":{"on":true},"when":null}"#, query: "?count=3&verbose=true")
            #expect(fine.status == .ok)
            #expect(fine.json == .object(["name": .string("gg"), "count": .integer(3)]))

            let cases: [(String, String, String)] = [
                (#"{"name":"gg","admin":true}"#, "body.admin", "is not a known field"),
                (#"{}"#, "body.name", "is required"),
                (#"{"name":""}"#, "body.name", "must be at least 1 characters"),
                (#"{"name":"way too long a name"}"#, "body.name", "must be at most 10 characters"),
                (#"{"name":7}"#, "body.name", "must be a string, not a number"),
                (#"{"name":"x","id":"12ab"}"#, "body.id", "must be a Discord id: a string of digits"),
                (#"{"name":"x","tags":["c"]}"#, "body.tags[0]", "must be one of a, b"),
                (#"{"name":"x","tags":["a","a","b"]}"#, "body.tags", "has more than 2 items"),
                (#"{"name":"x","nested":{}}"#, "body.nested.on", "is required"),
                (#"{"name":"x","nested":{"on":1}}"#, "body.nested.on", "must be a boolean, not a number"),
                (#"{"name":"x","when":-5}"#, "body.when", "must be milliseconds since 1970"),
                (#"{"name":"x","when":"soon"}"#, "body.when", "must be an integer, not a string"),
                (#"[1]"#, "body", "must be an object, not an array"),
            ]
            for (json, field, problem) in cases {
                let response = try await post(json)
                #expect(response.status == .unprocessableContent, "\(json)")
                let error = try #require(response.apiError, "\(json)")
                #expect(error.error.code == "validation_failed")
                #expect(error.error.details.contains(.init(field: field, problem: problem)), "\(json): \(error.error.details)")
            }
            let notJSON = try await post("{name:")
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.apiError?.error.details == [.init(field: "body", problem: "is not JSON")])
            let tooBig = try await post(#"{"name":""# + String(repeating: "x", count: 2_000) + #""}"#)
            #expect(tooBig.status == .contentTooLarge)
            #expect(tooBig.apiError?.error.code == "payload_too_large")
            let badQuery = try await post(#"{"name":"x"}"#, query: "?count=9&verbose=maybe&extra=1")
            #expect(badQuery.status == .unprocessableContent)
            #expect(Set(badQuery.apiError?.error.details.map(\.field) ?? []) == ["query.count", "query.verbose", "query.extra"])
        }
    }

    @Test("platform errors map to statuses; other errors become a 500 that says nothing")
    func mapping() {
        #expect(APIError.from(GuildhallError(.invalidKey, "k")).status == .unprocessableContent)
        #expect(APIError.from(GuildhallError(.internalError, "secret detail")).message.contains("secret") == false)
        #expect(APIError.from(APIError.conflict("c")).code == "conflict")
        #expect(APIError.rateLimited(retryAfterSeconds: 3, scope: "address").retryAfterSeconds == 3)
        #expect(APIError.invalid([.init(field: "body.a", problem: "p")]).description == "422 validation_failed: the request does not match its schema: body.a")
        #expect(APIRateLimitMiddleware<GuildhallRequestContext>.subject("::1") == "--1")
        #expect(APIRateLimitMiddleware<GuildhallRequestContext>.subject(nil) == "unknown")
        #expect(APIRateLimitMiddleware<GuildhallRequestContext>.subject("{}") == "unknown")
    }
}

import Foundation
@testable import GuildhallAPI
import GuildhallCore
import GuildhallJobs
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import GuildhallDiscordModels

@Suite("the OpenAPI document")
struct OpenAPIDocumentTests {
    @Test("served at /api/openapi.json, with every registered route, its parameters and error answers")
    func everyRouteIsDescribed() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { client in
            let response = try await client.execute(uri: "/api/openapi.json", method: .get)
            #expect(response.status == .ok)
            let document = try #require(response.json)
            #expect(document["openapi"]?.stringValue == "3.1.0")
            let paths = try #require(document["paths"])
            for route in harness.table.all {
                let operation = try #require(paths[route.path]?[route.method.rawValue.lowercased()], "\(route.method) \(route.path) is in the document")
                #expect(operation["operationId"]?.stringValue == route.operationID)
                let documented = Set(operation["responses"].map { value -> [String] in
                    if case .object(let fields) = value { return Array(fields.keys) }
                    return []
                } ?? [])
                for status in route.answers.keys.map(String.init) + route.errorStatuses.map(String.init) {
                    #expect(documented.contains(status), "\(route.path) documents \(status)")
                }
                if route.access == .operator { #expect(operation["security"] != nil) }
                let parameters = operation["parameters"]?.arrayValue ?? []
                #expect(parameters.count == route.placeholders.count + route.query.count)
            }
            #expect(document["components"]?["securitySchemes"]?["operatorToken"]?["scheme"]?.stringValue == "bearer")
        }
    }

    /// Calls each route the way an operator would, and checks that the answer's status is
    /// one the document gives for it, and its body matches the documented schema.
    @Test("every route answers inside its description")
    func answersMatchTheDocument() async throws {
        let harness = try await APIHarness.make()
        try await OperatorJobsRoutesTests.deadLetter("job-doc", harness)
        try await harness.run { client in
            for route in harness.table.all {
                var uri = route.path
                for name in route.placeholders { uri = uri.replacingOccurrences(of: "{\(name)}", with: "job-doc") }
                let response = try await client.execute(uri: uri, method: route.method, headers: APIHarness.operatorHeaders)
                let status = Int(response.status.code)
                if let answer = route.answers[status] {
                    if let schema = answer.schema {
                        let body = try #require(response.json, "\(route.path) answers JSON")
                        #expect(schema.problems(body, at: "response").isEmpty, "\(route.path): \(schema.problems(body, at: "response"))")
                    }
                } else {
                    #expect(route.errorStatuses.contains(status), "\(route.method) \(route.path) answered \(status), which it does not document")
                    let error = try #require(response.json)
                    #expect(OpenAPIDocument.errorSchema.problems(error, at: "response").isEmpty)
                }
            }
        }
    }

    @Test("schemas turn into JSON Schema")
    func jsonSchemas() {
        let schema = APISchema.object(["a": .nullable(.integer(minimum: 1, maximum: 9)), "b": .array(.snowflake, maxItems: 3)], required: ["a"])
        let json = schema.jsonSchema
        #expect(json["additionalProperties"] == .bool(false))
        #expect(json["required"] == .array([.string("a")]))
        #expect(json["properties"]?["b"]?["maxItems"] == .integer(3))
        #expect(json["properties"]?["b"]?["items"]?["pattern"] == .string("^[0-9]{1,20}$"))
        #expect(json["properties"]?["a"]?["oneOf"]?.arrayValue?.count == 2)
        #expect(APISchema.string(minLength: 1, maxLength: 2, values: ["x"]).jsonSchema["enum"] == .array([.string("x")]))
        #expect(APISchema.boolean.jsonSchema["type"] == .string("boolean"))
        #expect(APISchema.timestamp.jsonSchema["minimum"] == .integer(0))
        #expect(APISchema.boolean.problems(.double(1.5), at: "x") == [.init(field: "x", problem: "must be a boolean, not a number")])
        #expect(APISchema.integer().problems(.null, at: "x") == [.init(field: "x", problem: "must be an integer, not null")])
        #expect(APISchema.integer(minimum: 2).problems(.integer(1), at: "x").count == 1)
        #expect(APISchema.snowflake.problems(.bool(true), at: "x").first?.problem == "must be a Discord id (a string of digits), not a boolean")
        #expect(APISchema.array(.boolean).problems(.object([:]), at: "x").first?.problem == "must be an array, not an object")
        #expect(APISchema.object([:]).problems(.string("s"), at: "x").first?.problem == "must be an object, not a string")
        #expect(APISchema.string().problems(.integer(1), at: "x").first?.problem == "must be a string, not a number")
    }

    @Test("JSON values round-trip")
    func values() throws {
        let value = JSONValue.object(["a": .array([.null, .bool(true), .integer(-3), .double(1.5), .string("s")])])
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }
}

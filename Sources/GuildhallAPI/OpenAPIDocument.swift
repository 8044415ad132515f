import GuildhallCore
import GuildhallDiscordModels

/// Builds the OpenAPI 3.1 document from the registered routes; served at
/// `/api/openapi.json`.
public enum OpenAPIDocument {
    static let route = APIRoute(
        .get, "/api/openapi.json", operationID: "getOpenAPIDocument", summary: "This document.", tag: "meta", access: .anyone,
        answers: [200: .init("The OpenAPI 3.1 description of every route.", schema: nil)]
    )

    /// The error body every failure shares.
    public static let errorSchema = APISchema.object([
        "error": .object([
            "code": .string(minLength: 1), "message": .string(), "request_id": .nullable(.string()),
            "details": .array(.object(["field": .string(), "problem": .string()], required: ["field", "problem"])),
        ], required: ["code", "message", "details"]),
    ], required: ["error"])

    static let errorDescriptions: [Int: String] = [
        400: "The request could not be read.", 401: "No valid credentials.", 403: "Not allowed.", 404: "No such resource.",
        413: "The body is too large.", 422: "The request does not match its schema; `details` names each field.",
        429: "Too many requests; see Retry-After.", 500: "Our failure; the request id helps us find it.",
        503: "A dependency (database or Redis) is down; see Retry-After.",
    ]

    public static func build(_ routes: [APIRoute]) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for route in routes {
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = operation(route)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("Guildhall API"), "version": .string(GuildhallVersion.current),
                "description": .string("Every failure answers {\"error\": {\"code\", \"message\", \"details\", \"request_id\"}}."),
            ]),
            "paths": .object(paths.mapValues(JSONValue.object)),
            "components": .object([
                "schemas": .object(["Error": errorSchema.jsonSchema]),
                "securitySchemes": .object([
                    "operatorToken": .object(["type": .string("http"), "scheme": .string("bearer"), "description": .string("The deployment's OPERATOR_TOKEN.")]),
                ]),
            ]),
        ])
    }

    static func operation(_ route: APIRoute) -> JSONValue {
        var parameters: [JSONValue] = []
        for name in route.placeholders {
            parameters.append(parameter(name, in: "path", schema: route.pathParameters[name] ?? .string(), required: true))
        }
        for (name, schema) in route.query.sorted(by: { $0.key < $1.key }) {
            parameters.append(parameter(name, in: "query", schema: schema, required: false))
        }
        var responses: [String: JSONValue] = [:]
        for (status, answer) in route.answers {
            var response: [String: JSONValue] = ["description": .string(answer.description)]
            if let schema = answer.schema { response["content"] = .object(["application/json": .object(["schema": schema.jsonSchema])]) }
            responses[String(status)] = .object(response)
        }
        for status in route.errorStatuses {
            responses[String(status)] = .object([
                "description": .string(errorDescriptions[status] ?? "An error."),
                "content": .object(["application/json": .object(["schema": .object(["$ref": .string("#/components/schemas/Error")])])]),
            ])
        }
        var operation: [String: JSONValue] = [
            "operationId": .string(route.operationID), "summary": .string(route.summary), "tags": .array([.string(route.tag)]),
            "responses": .object(responses),
        ]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body = route.body {
            operation["requestBody"] = .object([
                "required": .bool(true), "content": .object(["application/json": .object(["schema": body.jsonSchema])]),
            ])
        }
        if route.access == .operator { operation["security"] = .array([.object(["operatorToken": .array([])])]) }
        return .object(operation)
    }

    static func parameter(_ name: String, in location: String, schema: APISchema, required: Bool) -> JSONValue {
        .object(["name": .string(name), "in": .string(location), "required": .bool(required), "schema": schema.jsonSchema])
    }
}

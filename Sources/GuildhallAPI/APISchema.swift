import Foundation
import GuildhallDiscordModels

/// The shape of a request body, a query parameter or a response: checked on every request
/// (unknown fields are refused) and written into the OpenAPI document, so the two cannot
/// drift apart.
public indirect enum APISchema: Sendable {
    /// Only the listed properties are allowed; `required` must be present.
    case object([String: APISchema], required: Set<String> = [])
    case array(APISchema, maxItems: Int? = nil)
    case string(minLength: Int? = nil, maxLength: Int? = nil, values: [String]? = nil)
    case integer(minimum: Int64? = nil, maximum: Int64? = nil)
    case boolean
    /// A Discord id: a string of 1 to 20 digits.
    case snowflake
    /// Milliseconds since 1970.
    case timestamp
    case nullable(APISchema)

    /// The problems of `value`, each with the path to it (`body.name`, `body.items[2]`).
    public func problems(_ value: JSONValue, at path: String) -> [APIError.Detail] {
        func problem(_ text: String) -> [APIError.Detail] { [APIError.Detail(field: path, problem: text)] }
        switch (self, value) {
        case (.nullable, .null):
            return []
        case (.nullable(let inner), _):
            return inner.problems(value, at: path)
        case (.object(let properties, let required), .object(let fields)):
            var found: [APIError.Detail] = []
            for name in required.sorted() where fields[name] == nil {
                found.append(.init(field: "\(path).\(name)", problem: "is required"))
            }
            for (name, field) in fields.sorted(by: { $0.key < $1.key }) {
                guard let schema = properties[name] else {
                    found.append(.init(field: "\(path).\(name)", problem: "is not a known field"))
                    continue
                }
                found += schema.problems(field, at: "\(path).\(name)")
            }
            return found
        case (.array(let items, let maxItems), .array(let elements)):
            if let maxItems, elements.count > maxItems { return problem("has more than \(maxItems) items") }
            return elements.enumerated().flatMap { items.problems($1, at: "\(path)[\($0)]") }
        case (.string(let minLength, let maxLength, let values), .string(let text)):
            if let minLength, text.count < minLength { return problem("must be at least \(minLength) characters") }
            if let maxLength, text.count > maxLength { return problem("must be at most \(maxLength) characters") }
            if let values, !values.contains(text) { return problem("must be one of \(values.joined(separator: ", "))") }
            return []
        case (.integer(let minimum, let maximum), .integer(let number)):
            if let minimum, number < minimum { return problem("must be at least \(minimum)") }
            if let maximum, number > maximum { return problem("must be at most \(maximum)") }
            return []
        case (.boolean, .bool):
            return []
        case (.snowflake, .string(let text)):
            let digits = !text.isEmpty && text.count <= 20 && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
            return digits && UInt64(text) != nil ? [] : problem("must be a Discord id: a string of digits")
        case (.timestamp, .integer(let number)):
            return number >= 0 ? [] : problem("must be milliseconds since 1970")
        default:
            return problem("must be \(expected), not \(value.kindName)")
        }
    }

    private var expected: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .integer, .timestamp: "an integer"
        case .boolean: "a boolean"
        case .snowflake: "a Discord id (a string of digits)"
        case .nullable(let inner): inner.expected + " or null"
        }
    }

    /// The JSON Schema (2020-12, as OpenAPI 3.1 uses it) of this shape.
    public var jsonSchema: JSONValue {
        switch self {
        case .object(let properties, let required):
            var schema: [String: JSONValue] = [
                "type": .string("object"), "additionalProperties": .bool(false),
                "properties": .object(properties.mapValues(\.jsonSchema)),
            ]
            if !required.isEmpty { schema["required"] = .array(required.sorted().map(JSONValue.string)) }
            return .object(schema)
        case .array(let items, let maxItems):
            var schema: [String: JSONValue] = ["type": .string("array"), "items": items.jsonSchema]
            if let maxItems { schema["maxItems"] = .integer(Int64(maxItems)) }
            return .object(schema)
        case .string(let minLength, let maxLength, let values):
            var schema: [String: JSONValue] = ["type": .string("string")]
            if let minLength { schema["minLength"] = .integer(Int64(minLength)) }
            if let maxLength { schema["maxLength"] = .integer(Int64(maxLength)) }
            if let values { schema["enum"] = .array(values.map(JSONValue.string)) }
            return .object(schema)
        case .integer(let minimum, let maximum):
            var schema: [String: JSONValue] = ["type": .string("integer")]
            if let minimum { schema["minimum"] = .integer(minimum) }
            if let maximum { schema["maximum"] = .integer(maximum) }
            return .object(schema)
        case .boolean:
            return .object(["type": .string("boolean")])
        case .snowflake:
            return .object(["type": .string("string"), "pattern": .string("^[0-9]{1,20}$")])
        case .timestamp:
            return .object(["type": .string("integer"), "minimum": .integer(0), "description": .string("milliseconds since 1970")])
        case .nullable(let inner):
            return .object(["oneOf": .array([inner.jsonSchema, .object(["type": .string("null")])])])
        }
    }
}

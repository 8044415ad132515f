import Foundation
import GuildhallDiscordModels

/// Checks JSON against the subset of JSON Schema that Discord's OpenAPI description uses:
/// `type` (single or a list, `null` included), `properties`, `required`, `items`, `$ref`,
/// `oneOf`/`anyOf`/`allOf`, `enum`, `const`, `pattern`, length, count and range limits, and
/// `additionalProperties` (a schema, or `false`). Unknown keywords are ignored.
struct JSONSchemaChecker {
    let document: JSONValue
    private let schemas: [String: JSONValue]

    init(specification url: URL) throws {
        document = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
        guard case .object(let components)? = document["components"]?["schemas"] else {
            throw TestGatewayClientError(message: "the document has no components.schemas")
        }
        schemas = components
    }

    static let specificationURL = URL(fileURLWithPath: "/work/shared/discord/openapi-v10.json")

    /// The schema of `method path` answering `status`, e.g. `("get", "/users/@me", 200)`.
    func responseSchema(_ method: String, _ path: String, status: Int) -> JSONValue? {
        guard let operation = document["paths"]?[path]?[method.lowercased()],
              case .object(let content)? = operation["responses"]?[String(status)]?["content"]
        else { return nil }
        return content["application/json"]?["schema"]
    }

    /// The JSON request body schema of `method path`.
    func requestSchema(_ method: String, _ path: String) -> JSONValue? {
        document["paths"]?[path]?[method.lowercased()]?["requestBody"]?["content"]?["application/json"]?["schema"]
    }

    /// Every way `value` departs from `schema`, as `$.path: problem` lines; empty when it conforms.
    func problems(_ value: JSONValue, _ schema: JSONValue, at path: String = "$") -> [String] {
        guard case .object(let rules) = schema else { return [] }
        var found: [String] = []
        if case .string(let reference)? = rules["$ref"] {
            let name = String(reference.split(separator: "/").last ?? "")
            guard let target = schemas[name] else { return ["\(path): unresolved \(reference)"] }
            found += problems(value, target, at: path)
        }
        if case .array(let all)? = rules["allOf"] {
            for item in all { found += problems(value, item, at: path) }
        }
        if case .array(let choices)? = rules["anyOf"] ?? rules["oneOf"] {
            // oneOf is checked as "at least one": the description's alternatives overlap (a
            // `{"type": "null"}` branch beside nullable types), so "exactly one" would refuse
            // payloads Discord itself sends.
            let failures = choices.map { problems(value, $0, at: path) }
            if !failures.contains(where: \.isEmpty) {
                let closest = failures.min { $0.count < $1.count } ?? []
                found.append("\(path): matches none of \(choices.count) alternatives; closest: \(closest.prefix(3).joined(separator: "; "))")
            }
        }
        if let type = rules["type"], !Self.matches(value, type: type) {
            return found + ["\(path): expected \(Self.describe(type)), got \(Self.kind(of: value))"]
        }
        if case .array(let options)? = rules["enum"], !options.contains(where: { Self.equal($0, value) }) {
            found.append("\(path): \(value) is not one of the enum values")
        }
        if let constant = rules["const"], !Self.equal(constant, value) {
            found.append("\(path): expected the constant \(constant)")
        }
        switch value {
        case .object(let members):
            if case .array(let required)? = rules["required"] {
                for case .string(let key) in required where members[key] == nil {
                    found.append("\(path): missing required \"\(key)\"")
                }
            }
            let properties: [String: JSONValue] = if case .object(let declared)? = rules["properties"] { declared } else { [:] }
            for (key, member) in members {
                if let property = properties[key] {
                    found += problems(member, property, at: "\(path).\(key)")
                } else if let additional = rules["additionalProperties"] {
                    if additional == .bool(false) {
                        found.append("\(path): unexpected property \"\(key)\"")
                    } else if case .object = additional {
                        found += problems(member, additional, at: "\(path).\(key)")
                    }
                }
            }
        case .array(let items):
            if let itemSchema = rules["items"] {
                for (index, item) in items.enumerated() { found += problems(item, itemSchema, at: "\(path)[\(index)]") }
            }
            if let minimum = rules["minItems"]?.integerValue, items.count < minimum { found.append("\(path): fewer than \(minimum) items") }
            if let maximum = rules["maxItems"]?.integerValue, items.count > maximum { found.append("\(path): more than \(maximum) items") }
        case .string(let text):
            if let minimum = rules["minLength"]?.integerValue, text.count < minimum { found.append("\(path): shorter than \(minimum)") }
            if let maximum = rules["maxLength"]?.integerValue, text.count > maximum { found.append("\(path): longer than \(maximum)") }
            if case .string(let pattern)? = rules["pattern"], text.range(of: pattern, options: .regularExpression) == nil {
                found.append("\(path): \"\(text)\" does not match \(pattern)")
            }
        case .integer, .double:
            let number: Double = if case .integer(let integer) = value { Double(integer) } else if case .double(let double) = value { double } else { 0 }
            if let minimum = Self.number(rules["minimum"]), number < minimum { found.append("\(path): below \(minimum)") }
            if let maximum = Self.number(rules["maximum"]), number > maximum { found.append("\(path): above \(maximum)") }
        default:
            break
        }
        return found
    }

    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .integer(let integer)?: Double(integer)
        case .double(let double)?: double
        default: nil
        }
    }

    private static func matches(_ value: JSONValue, type: JSONValue) -> Bool {
        switch type {
        case .string(let name): return matches(value, name: name)
        case .array(let names): return names.contains { if case .string(let name) = $0 { matches(value, name: name) } else { false } }
        default: return true
        }
    }

    private static func matches(_ value: JSONValue, name: String) -> Bool {
        switch (name, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
             ("integer", .integer), ("number", .integer), ("number", .double):
            true
        case ("integer", .double(let double)):
            double == double.rounded()
        default:
            false
        }
    }

    private static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .double(let b)), (.double(let b), .integer(let a)): Double(a) == b
        default: lhs == rhs
        }
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    private static func describe(_ type: JSONValue) -> String {
        if case .array(let names) = type { return names.compactMap(\.stringValue).joined(separator: "|") }
        return type.stringValue ?? "?"
    }
}

import Foundation
import GuildhallDiscordModels

/// Turns model values into the JSON Discord sends. The models leave out keys whose value is
/// absent; Discord writes many of those as an explicit `null` (the OpenAPI description marks
/// them required), and some fields the models do not carry at all. `complete` adds both,
/// never overwriting what the model wrote.
enum SandboxWire {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// The model as a JSON tree.
    static func json(_ value: some Encodable) -> JSONValue {
        (try? JSONValueEncoder().encode(value)) ?? .null
    }

    /// `value` with every key of `defaults` it lacks added.
    static func complete(_ value: JSONValue, with defaults: [String: JSONValue]) -> JSONValue {
        guard case .object(var members) = value else { return value }
        for (key, fallback) in defaults where members[key] == nil {
            members[key] = fallback
        }
        return .object(members)
    }

    /// Replaces `key` with `transform` of its value, when present.
    static func map(_ value: JSONValue, _ key: String, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        guard case .object(var members) = value, let inner = members[key] else { return value }
        members[key] = transform(inner)
        return .object(members)
    }

    /// Applies `transform` to each element of the array at `key`.
    static func mapEach(_ value: JSONValue, _ key: String, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        map(value, key) { inner in
            guard case .array(let items) = inner else { return inner }
            return .array(items.map(transform))
        }
    }

    static func set(_ value: JSONValue, _ key: String, _ newValue: JSONValue) -> JSONValue {
        guard case .object(var members) = value else { return value }
        members[key] = newValue
        return .object(members)
    }

    static func remove(_ value: JSONValue, _ keys: [String]) -> JSONValue {
        guard case .object(var members) = value else { return value }
        for key in keys { members[key] = nil }
        return .object(members)
    }

    static func bytes(_ value: JSONValue) -> [UInt8] {
        value.jsonBytes
    }

    static func string(_ value: some StringProtocol) -> JSONValue { .string(String(value)) }
    static func integer(_ value: Int) -> JSONValue { .integer(Int64(value)) }
}

import Foundation
import GuildhallCore
import GuildhallDiscordModels

/// A JSON request body read field by field, failing the way Discord does: 50109 for bytes
/// that are not JSON, 50035 with the field's path for a value of the wrong type or size.
struct RequestBody: Sendable {
    let fields: [String: JSONValue]

    init(fields: [String: JSONValue]) {
        self.fields = fields
    }

    /// Parses `bytes` as a JSON object; an empty body reads as `{}`.
    init(bytes: [UInt8]) throws(SandboxAPIError) {
        guard !bytes.isEmpty else {
            self.init(fields: [:])
            return
        }
        guard let value = try? JSONValue(parsing: bytes) else { throw .invalidJSON }
        guard case .object(let fields) = value else {
            throw .invalidFormBody([], code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType")
        }
        self.init(fields: fields)
    }

    /// Parses `bytes` as a JSON array (bulk command overwrite).
    static func array(_ bytes: [UInt8]) throws(SandboxAPIError) -> [JSONValue] {
        guard let value = try? JSONValue(parsing: bytes) else { throw .invalidJSON }
        guard case .array(let items) = value else {
            throw .invalidFormBody([], code: "LIST_TYPE_CONVERT", message: "Only iterables may be used in a ListType")
        }
        return items
    }

    func has(_ key: String) -> Bool { fields[key] != nil }

    func isNull(_ key: String) -> Bool { fields[key] == .null }

    static func typeError(_ path: [String], _ code: String, _ message: String) -> SandboxAPIError {
        .invalidFormBody(path, code: code, message: message)
    }

    func string(_ key: String, maxLength: Int? = nil, minLength: Int = 0, path: [String] = []) throws(SandboxAPIError) -> String? {
        guard let value = fields[key], value != .null else { return nil }
        guard case .string(let text) = value else {
            throw Self.typeError(path + [key], "BASE_TYPE_STRING", "Must be a string.")
        }
        if let maxLength, text.count > maxLength {
            throw Self.typeError(path + [key], "BASE_TYPE_MAX_LENGTH", "Must be \(maxLength) or fewer in length.")
        }
        if text.count < minLength {
            throw Self.typeError(path + [key], "BASE_TYPE_MIN_LENGTH", "Must be \(minLength) or more in length.")
        }
        return text
    }

    func integer(_ key: String, range: ClosedRange<Int64>? = nil, path: [String] = []) throws(SandboxAPIError) -> Int64? {
        guard let value = fields[key], value != .null else { return nil }
        var number: Int64?
        switch value {
        case .integer(let integer): number = integer
        case .string(let text): number = Int64(text)
        case .double(let double) where double == double.rounded(): number = Int64(exactly: double)
        default: number = nil
        }
        guard let number else { throw Self.typeError(path + [key], "NUMBER_TYPE_COERCE", "Value \"\(value)\" is not int.") }
        if let range, !range.contains(number) {
            throw Self.typeError(
                path + [key], range.upperBound == .max ? "NUMBER_TYPE_MIN" : "NUMBER_TYPE_MAX",
                "int value should be between \(range.lowerBound) and \(range.upperBound)."
            )
        }
        return number
    }

    func bool(_ key: String, path: [String] = []) throws(SandboxAPIError) -> Bool? {
        guard let value = fields[key], value != .null else { return nil }
        guard case .bool(let flag) = value else { throw Self.typeError(path + [key], "BASE_TYPE_BOOLEAN", "Must be either true or false.") }
        return flag
    }

    func snowflake(_ key: String, path: [String] = []) throws(SandboxAPIError) -> Snowflake? {
        guard let value = fields[key], value != .null else { return nil }
        return try Self.snowflake(value, path: path + [key])
    }

    static func snowflake(_ value: JSONValue, path: [String]) throws(SandboxAPIError) -> Snowflake {
        switch value {
        case .string(let text):
            if let id = Snowflake(text) { return id }
        case .integer(let number) where number >= 0:
            return Snowflake(UInt64(number))
        default:
            break
        }
        throw typeError(path, "NUMBER_TYPE_COERCE", "Value \"\(value)\" is not snowflake.")
    }

    func array(_ key: String, maxCount: Int? = nil, path: [String] = []) throws(SandboxAPIError) -> [JSONValue]? {
        guard let value = fields[key], value != .null else { return nil }
        guard case .array(let items) = value else { throw Self.typeError(path + [key], "BASE_TYPE_ARRAY", "Must be an array.") }
        if let maxCount, items.count > maxCount {
            throw Self.typeError(path + [key], "BASE_TYPE_MAX_LENGTH", "Must be \(maxCount) or fewer in length.")
        }
        return items
    }

    func snowflakes(_ key: String, maxCount: Int? = nil, path: [String] = []) throws(SandboxAPIError) -> [Snowflake]? {
        guard let items = try array(key, maxCount: maxCount, path: path) else { return nil }
        var result: [Snowflake] = []
        for (index, item) in items.enumerated() {
            result.append(try Self.snowflake(item, path: path + [key, String(index)]))
        }
        return result
    }

    func object(_ key: String, path: [String] = []) throws(SandboxAPIError) -> RequestBody? {
        guard let value = fields[key], value != .null else { return nil }
        guard case .object(let members) = value else {
            throw Self.typeError(path + [key], "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        }
        return RequestBody(fields: members)
    }

    /// Decodes `value` with a model type; a value the model refuses is a 50035 at the path
    /// the decoder reports, below `path`.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, path: [String]) throws(SandboxAPIError) -> T {
        try decode(type, data: Data(value.jsonBytes), path: path)
    }

    /// Decodes a whole request body with its model type (`CreateMessageRequest`, …).
    static func decode<T: Decodable>(_ type: T.Type, bytes: [UInt8]) throws(SandboxAPIError) -> T {
        let data = bytes.isEmpty ? Data("{}".utf8) : Data(bytes)
        guard (try? JSONValue(parsing: data)) != nil else { throw .invalidJSON }
        return try decode(type, data: data, path: [])
    }

    private static func decode<T: Decodable>(_ type: T.Type, data: Data, path: [String]) throws(SandboxAPIError) -> T {
        do {
            return try GatewayCoding.frameDecoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw formError(error, below: path)
        } catch {
            throw .invalidFormBody(path, code: "MODEL_TYPE_CONVERT", message: "Invalid value.")
        }
    }

    /// The 50035 Discord would send for what the decoder found wrong.
    static func formError(_ error: DecodingError, below path: [String]) -> SandboxAPIError {
        func keys(_ codingPath: [any CodingKey]) -> [String] {
            path + codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .invalidFormBody(keys(context.codingPath + [key]), code: "BASE_TYPE_REQUIRED", message: "This field is required")
        case .valueNotFound(_, let context):
            return .invalidFormBody(keys(context.codingPath), code: "BASE_TYPE_REQUIRED", message: "This field is required")
        case .typeMismatch(let type, let context):
            return .invalidFormBody(keys(context.codingPath), code: "BASE_TYPE_CONVERT", message: "Could not interpret the value as \(type).")
        case .dataCorrupted(let context):
            return .invalidFormBody(keys(context.codingPath), code: "BASE_TYPE_INVALID", message: context.debugDescription)
        @unknown default:
            return .invalidFormBody(path, code: "BASE_TYPE_INVALID", message: "Invalid value.")
        }
    }
}

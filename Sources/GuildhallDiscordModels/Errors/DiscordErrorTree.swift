/// The `errors` object of a Discord error body. It mirrors the request body: object keys and
/// array indexes nest down to `_errors` lists; a request-level error sits at the root.
public struct DiscordErrorTree: Hashable, Sendable {
    /// One problem at one place.
    public struct FieldError: Codable, Hashable, Sendable {
        /// Discord's code, e.g. `BASE_TYPE_REQUIRED`.
        public var code: String
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// The errors at this node (`_errors`).
    public var errors: [FieldError]
    /// Nested nodes by object key or array index.
    public var children: [String: DiscordErrorTree]

    public init(errors: [FieldError] = [], children: [String: DiscordErrorTree] = [:]) {
        self.errors = errors
        self.children = children
    }

    /// Builds the tree from errors with their paths (`["embeds", "0", "title"]`).
    public init(issues: [RequestValidationIssue]) {
        self.init()
        for issue in issues { insert(FieldError(code: issue.code, message: issue.message), at: issue.path[...]) }
    }

    private mutating func insert(_ error: FieldError, at path: ArraySlice<String>) {
        guard let head = path.first else {
            errors.append(error)
            return
        }
        children[head, default: DiscordErrorTree()].insert(error, at: path.dropFirst())
    }

    /// Every error with its dotted path (`embeds.0.title`; empty for request-level errors),
    /// ordered by path.
    public var flattened: [(path: String, error: FieldError)] {
        var result = errors.map { (path: "", error: $0) }
        for key in children.keys.sorted() {
            for entry in children[key]!.flattened {
                result.append((path: entry.path.isEmpty ? key : key + "." + entry.path, error: entry.error))
            }
        }
        return result
    }

    public var isEmpty: Bool { errors.isEmpty && children.isEmpty }
}

extension DiscordErrorTree: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        let intValue: Int? = nil
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { self.stringValue = String(intValue) }
        static let errors = Key(stringValue: "_errors")
    }

    /// Leaves that are not objects (some endpoints send a list of strings per field) become
    /// errors with an empty code, so nothing Discord said is dropped.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        errors = []
        children = [:]
        for key in container.allKeys {
            if key.stringValue == Key.errors.stringValue {
                errors = try container.decode([FieldError].self, forKey: key)
            } else if let node = try? container.decode(DiscordErrorTree.self, forKey: key) {
                children[key.stringValue] = node
            } else if let messages = try? container.decode([String].self, forKey: key) {
                children[key.stringValue] = DiscordErrorTree(errors: messages.map { FieldError(code: "", message: $0) })
            } else {
                let text = (try? container.decode(String.self, forKey: key)) ?? "unreadable error detail"
                children[key.stringValue] = DiscordErrorTree(errors: [FieldError(code: "", message: text)])
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        if !errors.isEmpty { try container.encode(errors, forKey: .errors) }
        for (key, node) in children { try container.encode(node, forKey: Key(stringValue: key)) }
    }
}

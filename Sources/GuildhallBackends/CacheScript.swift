import GuildhallCore

/// A value a script returns, the same shape from Lua and from Swift.
public enum ScriptValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case string(String)
    case array([ScriptValue])

    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var array: [ScriptValue]? {
        if case .array(let values) = self { return values }
        return nil
    }
}

/// An atomic operation on a few keys with two implementations that must agree: Lua for
/// Redis and a Swift closure for the in-process backend. The contract suite runs both.
public struct CacheScript: Sendable {
    public let name: String
    public let lua: String
    public let local: @Sendable (inout LocalScriptContext) throws -> ScriptValue

    public init(name: String, lua: String, local: @escaping @Sendable (inout LocalScriptContext) throws -> ScriptValue) {
        self.name = name
        self.lua = lua
        self.local = local
    }
}

/// What a Swift script twin may do: Redis's string and set commands on the in-process
/// store, under the store's lock, at one instant.
public struct LocalScriptContext {
    public let keys: [String]
    public let arguments: [String]
    var store: InProcessStore
    let now: UInt64

    init(keys: [String], arguments: [String], store: InProcessStore, now: UInt64) {
        self.keys = keys
        self.arguments = arguments
        self.store = store
        self.now = now
    }

    public func get(_ key: String) -> String? { store.get(key, now: now) }

    /// SET with optional PX and NX; returns false when NX found an existing key.
    @discardableResult
    public mutating func set(_ key: String, _ value: String, milliseconds: Int64?, onlyIfAbsent: Bool = false) -> Bool {
        if onlyIfAbsent, store.get(key, now: now) != nil { return false }
        store.set(key, value, expiresAt: milliseconds.map { now + UInt64($0) })
        return true
    }

    public mutating func increment(_ key: String, by delta: Int64) throws -> Int64 {
        try store.increment(key, by: delta, now: now)
    }

    /// PEXPIRE: false when the key is missing.
    @discardableResult
    public mutating func expire(_ key: String, milliseconds: Int64) -> Bool {
        store.expire(key, at: now + UInt64(max(0, milliseconds)), now: now)
    }

    /// PTTL: -2 missing, -1 no TTL, else milliseconds left.
    public func timeToLive(_ key: String) -> Int64 { store.pttl(key, now: now) }

    @discardableResult
    public mutating func delete(_ key: String) -> Bool { store.delete(key, now: now) }

    /// EXISTS for a value or a set.
    public func exists(_ key: String) -> Bool { store.exists(key, now: now) }

    /// SADD of one member; true when it was new.
    @discardableResult
    public mutating func addToSet(_ key: String, _ member: String) -> Bool { store.addToSet(key, member) }

    /// SMEMBERS (sorted).
    public func members(_ key: String) -> [String] { store.members(key) }

    /// RENAME; false when `key` is missing.
    @discardableResult
    public mutating func rename(_ key: String, to target: String) -> Bool { store.rename(key, to: target, now: now) }
}

import GuildhallCore
import Synchronization

/// Capabilities features offer one another without importing one another: a feature
/// provides a value for a protocol declared in the kit, another asks for it by that
/// protocol. Asking happens at use, not at start, so catalog order does not matter.
public final class CapabilityRegistry: Sendable {
    private let values = Mutex<[ObjectIdentifier: any Sendable]>([:])

    public init() {}

    public func provide<Capability>(_ type: Capability.Type, _ value: Capability) where Capability: Sendable {
        values.withLock { $0[ObjectIdentifier(type)] = value }
    }

    /// The provider of `type`, or nil when no registered feature offers it.
    public func lookup<Capability>(_ type: Capability.Type) -> Capability? {
        values.withLock { $0[ObjectIdentifier(type)] } as? Capability
    }

    /// The provider of `type`, or `unavailable` naming what is missing.
    public func require<Capability>(_ type: Capability.Type) throws -> Capability {
        guard let value = lookup(type) else {
            throw GuildhallError(.unavailable, "no feature in this build provides \(type)")
        }
        return value
    }
}

/// Members' levels in a guild (leveling provides it; giveaways' level requirement asks).
public protocol MemberLevels: Sendable {
    /// Whether levels are kept in `guild` at all (leveling switched on there).
    func areOn(in guild: Snowflake) async throws -> Bool
    func level(of user: Snowflake, in guild: Snowflake) async throws -> Int
}

/// `MemberLevels` asked of the registry at each call: the provider may start after the
/// feature that asks, or be absent from the build (then levels are off everywhere).
public struct RegisteredMemberLevels: MemberLevels {
    let capabilities: CapabilityRegistry

    public init(_ capabilities: CapabilityRegistry) {
        self.capabilities = capabilities
    }

    public func areOn(in guild: Snowflake) async throws -> Bool {
        guard let provider = capabilities.lookup(MemberLevels.self) else { return false }
        return try await provider.areOn(in: guild)
    }

    public func level(of user: Snowflake, in guild: Snowflake) async throws -> Int {
        try await capabilities.require(MemberLevels.self).level(of: user, in: guild)
    }
}

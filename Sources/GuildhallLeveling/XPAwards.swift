import GuildhallBackends
import GuildhallCore

/// What one message did to a member's XP.
public struct XPAward: Sendable, Equatable {
    /// False while the member's cooldown runs: nothing changed.
    public var awarded: Bool
    public var total: Int64
    public var levelBefore: Int
    public var levelAfter: Int

    public var leveledUp: Bool { levelAfter > levelBefore }
}

/// The hot path of leveling: one atomic script per message (cooldown, award and level-up
/// detection), on Redis or in-process, with no database call.
public struct XPAwards: Sendable {
    let cache: any CacheBackend

    public init(cache: any CacheBackend) {
        self.cache = cache
    }

    /// Awards `amount` XP to `user` unless their cooldown runs; starts the cooldown when it does.
    public func award(_ amount: Int64, to user: Snowflake, in guild: Snowflake, cooldownSeconds: Int) async throws -> XPAward {
        guard amount > 0, (0...LevelingRules.maximumCooldownSeconds).contains(cooldownSeconds) else {
            throw GuildhallError(.invalidInput, "an award needs positive XP and a cooldown of 0 to \(LevelingRules.maximumCooldownSeconds) s")
        }
        let keys = [try LevelingKeys.cooldown.key(guild: guild, user.description), try LevelingKeys.xp.key(guild: guild, user.description)]
        let result = try await cache.run(Self.script, keys: keys, arguments: [String(cooldownSeconds * 1_000), String(amount)])
        guard let values = result.array, values.count == 4, let awarded = values[0].integer, let total = values[1].integer,
              let before = values[2].integer, let after = values[3].integer else {
            throw GuildhallError(.internalError, "the XP script returned \(result)")
        }
        return XPAward(awarded: awarded == 1, total: total, levelBefore: Int(before), levelAfter: Int(after))
    }

    /// The member's live total (0 when they have none).
    public func total(of user: Snowflake, in guild: Snowflake) async throws -> Int64 {
        try await cache.get(try LevelingKeys.xp.key(guild: guild, user.description)).flatMap { Int64($0) } ?? 0
    }

    /// KEYS: cooldown, xp. ARGV: cooldown ms (0: none), amount.
    /// Returns {awarded 0|1, total, level before, level after}.
    static let script = CacheScript(
        name: "leveling_award",
        lua: """
        local function level(xp)
          local n = 0
          local need = 100
          while xp >= need do
            xp = xp - need
            n = n + 1
            need = 5 * n * n + 50 * n + 100
          end
          return n
        end
        local cooldown = tonumber(ARGV[1])
        local current = tonumber(redis.call('GET', KEYS[2]) or '0')
        if cooldown > 0 then
          if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', cooldown) then
            local lvl = level(current)
            return {0, current, lvl, lvl}
          end
        end
        local total = redis.call('INCRBY', KEYS[2], ARGV[2])
        return {1, total, level(current), level(total)}
        """,
        local: { context in
            let cooldown = Int64(context.arguments[0]) ?? 0
            let amount = Int64(context.arguments[1]) ?? 0
            let current = context.get(context.keys[1]).flatMap { Int64($0) } ?? 0
            if cooldown > 0, !context.set(context.keys[0], "1", milliseconds: cooldown, onlyIfAbsent: true) {
                let level = Int64(LevelingRules.level(forTotalXP: current))
                return .array([.integer(0), .integer(current), .integer(level), .integer(level)])
            }
            let total = try context.increment(context.keys[1], by: amount)
            return .array([
                .integer(1), .integer(total), .integer(Int64(LevelingRules.level(forTotalXP: current))),
                .integer(Int64(LevelingRules.level(forTotalXP: total))),
            ])
        }
    )
}

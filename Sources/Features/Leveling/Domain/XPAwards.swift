import GuildhallBackends
import GuildhallCore

/// What one message (or one admin change) did to a member's XP.
public struct XPAward: Sendable, Equatable {
    /// False while the member's cooldown runs: nothing changed.
    public var awarded: Bool
    public var total: Int64
    public var levelBefore: Int
    public var levelAfter: Int

    public init(awarded: Bool, total: Int64, levelBefore: Int, levelAfter: Int) {
        self.awarded = awarded
        self.total = total
        self.levelBefore = levelBefore
        self.levelAfter = levelAfter
    }

    public var leveledUp: Bool { levelAfter > levelBefore }
}

/// The live XP totals in the cache backend (Redis, or memory when embedded). The hot path
/// is one atomic script per message: the rebuild check, the cooldown, the award, the
/// level-up detection and the write-behind mark. No database call happens here.
public struct XPAwards: Sendable {
    let cache: any CacheBackend

    public init(cache: any CacheBackend) {
        self.cache = cache
    }

    /// Thrown when the guild's totals are not in the cache (first use, or Redis lost its
    /// data): the caller rebuilds from the database and tries again.
    public static let notLoaded = GuildhallError(notLoadedCode, "leveling totals are not loaded for this guild")
    public static let notLoadedCode: GuildhallError.Code = "leveling_not_loaded"

    /// Awards `amount` XP to `user` unless their cooldown runs; starts the cooldown when it does.
    public func award(_ amount: Int64, to user: Snowflake, in guild: Snowflake, cooldownSeconds: Int) async throws -> XPAward {
        guard amount > 0, (0...LevelingRules.maximumCooldownSeconds).contains(cooldownSeconds) else {
            throw GuildhallError(.invalidInput, "an award needs positive XP and a cooldown of 0 to \(LevelingRules.maximumCooldownSeconds) s")
        }
        let keys = [
            try LevelingKeys.ready.key(guild: guild), try LevelingKeys.cooldown.key(guild: guild, user.description),
            try LevelingKeys.xp.key(guild: guild, user.description), try LevelingKeys.dirty.key(guild: guild),
        ]
        return try Self.decode(try await cache.run(Self.awardScript, keys: keys, arguments: [String(cooldownSeconds * 1_000), String(amount), user.description]))
    }

    /// Awards several messages in one guild with one script, in order: what a busy guild's
    /// messages cost together is one round trip. A member twice in a batch earns once when
    /// a cooldown runs. The answers are in the order of `batch`.
    public func award(batch: [(user: Snowflake, amount: Int64)], in guild: Snowflake, cooldownSeconds: Int) async throws -> [XPAward] {
        guard !batch.isEmpty else { return [] }
        guard batch.allSatisfy({ $0.amount > 0 }), (0...LevelingRules.maximumCooldownSeconds).contains(cooldownSeconds) else {
            throw GuildhallError(.invalidInput, "an award needs positive XP and a cooldown of 0 to \(LevelingRules.maximumCooldownSeconds) s")
        }
        let keys = [try LevelingKeys.ready.key(guild: guild), try LevelingKeys.dirty.key(guild: guild)]
        var arguments = [String(cooldownSeconds * 1_000), try LevelingKeys.cooldown.prefix(guild: guild), try LevelingKeys.xp.prefix(guild: guild)]
        arguments.reserveCapacity(3 + 2 * batch.count)
        for item in batch {
            arguments.append(item.user.description)
            arguments.append(String(item.amount))
        }
        let result = try await cache.run(Self.awardBatchScript, keys: keys, arguments: arguments)
        guard let values = result.array else { throw GuildhallError(.internalError, "the XP batch script returned \(result)") }
        if values.count == 1, values[0].integer == -1 { throw Self.notLoaded }
        guard values.count == 4 * batch.count else { throw GuildhallError(.internalError, "the XP batch script returned \(values.count) values for \(batch.count) messages") }
        return try stride(from: 0, to: values.count, by: 4).map { try Self.decode(.array(Array(values[$0..<$0 + 4]))) }
    }

    /// Awards a minute in voice: like a message, with the voice key as the cooldown, so a
    /// member is paid at most once per `cooldownMilliseconds` however often ticks run.
    public func awardVoice(_ amount: Int64, to user: Snowflake, in guild: Snowflake, cooldownMilliseconds: Int) async throws -> XPAward {
        guard amount > 0, (1...60_000).contains(cooldownMilliseconds) else {
            throw GuildhallError(.invalidInput, "a voice award needs positive XP and a cooldown of 1 ms to 60 s")
        }
        let keys = [
            try LevelingKeys.ready.key(guild: guild), try LevelingKeys.voiceCooldown.key(guild: guild, user.description),
            try LevelingKeys.xp.key(guild: guild, user.description), try LevelingKeys.dirty.key(guild: guild),
        ]
        return try Self.decode(try await cache.run(Self.awardScript, keys: keys, arguments: [String(cooldownMilliseconds), String(amount), user.description]))
    }

    /// An admin change: `.add` (negative removes, never below 0) or `.set`.
    public enum Adjustment: Sendable, Equatable {
        case add(Int64)
        case set(Int64)
    }

    public static let maximumTotal: Int64 = 1_000_000_000_000

    public func adjust(_ user: Snowflake, in guild: Snowflake, _ adjustment: Adjustment) async throws -> XPAward {
        let (mode, value): (String, Int64)
        switch adjustment {
        case .add(let delta): (mode, value) = ("add", delta)
        case .set(let total): (mode, value) = ("set", total)
        }
        guard abs(value) <= Self.maximumTotal, mode == "add" || value >= 0 else {
            throw GuildhallError(.invalidInput, "XP must be 0 to \(Self.maximumTotal)")
        }
        let keys = [try LevelingKeys.ready.key(guild: guild), try LevelingKeys.xp.key(guild: guild, user.description), try LevelingKeys.dirty.key(guild: guild)]
        return try Self.decode(try await cache.run(
            Self.adjustScript, keys: keys, arguments: [mode, String(value), user.description, String(Self.maximumTotal)]
        ))
    }

    /// The member's live total (0 when they have none).
    public func total(of user: Snowflake, in guild: Snowflake) async throws -> Int64 {
        try await cache.get(try LevelingKeys.xp.key(guild: guild, user.description)).flatMap { Int64($0) } ?? 0
    }

    /// Whether the guild's totals are loaded.
    public func isLoaded(_ guild: Snowflake) async throws -> Bool {
        try await cache.get(try LevelingKeys.ready.key(guild: guild)) != nil
    }

    /// Loads durable totals into the cache without overwriting live ones (another process
    /// may have finished a rebuild and counted new XP already); `last` marks the guild ready.
    public func load(_ totals: [(user: Snowflake, xp: Int64)], into guild: Snowflake, last: Bool) async throws {
        let arguments = [try LevelingKeys.xp.prefix(guild: guild), last ? "1" : "0"] + totals.flatMap { [$0.user.description, String($0.xp)] }
        _ = try await cache.run(Self.loadScript, keys: [try LevelingKeys.ready.key(guild: guild)], arguments: arguments)
    }

    /// The write-behind's batch: members changed since the last flush with their totals. A
    /// batch that was taken and never finished (the flusher died) is returned again.
    public func beginFlush(_ guild: Snowflake) async throws -> [(user: Snowflake, xp: Int64)] {
        let keys = [try LevelingKeys.dirty.key(guild: guild), try LevelingKeys.flushing.key(guild: guild)]
        let result = try await cache.run(Self.beginFlushScript, keys: keys, arguments: [try LevelingKeys.xp.prefix(guild: guild)])
        guard let values = result.array, values.count % 2 == 0 else { throw GuildhallError(.internalError, "the flush script returned \(result)") }
        var batch: [(user: Snowflake, xp: Int64)] = []
        for index in stride(from: 0, to: values.count, by: 2) {
            // Redis hands numeric strings back as integers; the in-process twin as strings.
            guard let id = values[index].text.flatMap({ Snowflake($0) }), let total = values[index + 1].text.flatMap({ Int64($0) }) else { continue }
            if total >= 0 { batch.append((id, total)) }
        }
        return batch.sorted { $0.user < $1.user }
    }

    /// The database has the batch: forget it.
    public func finishFlush(_ guild: Snowflake) async throws {
        try await cache.delete([try LevelingKeys.flushing.key(guild: guild)])
    }

    /// Deletes the totals of `users` and the pending batches (reset-all).
    public func clear(_ users: [Snowflake], in guild: Snowflake) async throws {
        var keys = [try LevelingKeys.dirty.key(guild: guild), try LevelingKeys.flushing.key(guild: guild)]
        for user in users { keys.append(try LevelingKeys.xp.key(guild: guild, user.description)) }
        for chunk in stride(from: 0, to: keys.count, by: 500) {
            try await cache.delete(Array(keys[chunk..<min(keys.count, chunk + 500)]))
        }
    }

    static func decode(_ result: ScriptValue) throws -> XPAward {
        guard let values = result.array, values.count == 4, let awarded = values[0].integer, let total = values[1].integer,
              let before = values[2].integer, let after = values[3].integer else {
            throw GuildhallError(.internalError, "the XP script returned \(result)")
        }
        if awarded < 0 { throw notLoaded }
        return XPAward(awarded: awarded == 1, total: total, levelBefore: Int(before), levelAfter: Int(after))
    }

    /// Lua's copy of `LevelingRules.level(forTotalXP:)`.
    static let luaLevel = """
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
        """

    static func level(_ total: Int64) -> Int64 { Int64(LevelingRules.level(forTotalXP: total)) }

    /// A stored total, refused (as Lua's arithmetic refuses it) when it is not a number.
    static func storedTotal(_ text: String?) throws -> Int64 {
        guard let text else { return 0 }
        guard let value = Int64(text) else { throw GuildhallError(.internalError, "a stored XP total is not a number: '\(text.prefix(20))'") }
        return value
    }

    /// KEYS: ready, cooldown, xp, dirty. ARGV: cooldown ms (0: none), amount, user.
    /// Returns {awarded 1|0 (or -1: not loaded), total, level before, level after}.
    static let awardScript = CacheScript(
        name: "leveling_award",
        lua: luaLevel + """

        if redis.call('EXISTS', KEYS[1]) == 0 then return {-1, 0, 0, 0} end
        local cooldown = tonumber(ARGV[1])
        local current = tonumber(redis.call('GET', KEYS[3]) or '0')
        if cooldown > 0 then
          if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', cooldown) then
            local lvl = level(current)
            return {0, current, lvl, lvl}
          end
        end
        local total = redis.call('INCRBY', KEYS[3], ARGV[2])
        redis.call('SADD', KEYS[4], ARGV[3])
        return {1, total, level(current), level(total)}
        """,
        local: { context in
            guard context.exists(context.keys[0]) else { return .array([.integer(-1), .integer(0), .integer(0), .integer(0)]) }
            let cooldown = Int64(context.arguments[0]) ?? 0
            let amount = Int64(context.arguments[1]) ?? 0
            let current = try storedTotal(context.get(context.keys[2]))
            if cooldown > 0, !context.set(context.keys[1], "1", milliseconds: cooldown, onlyIfAbsent: true) {
                return .array([.integer(0), .integer(current), .integer(level(current)), .integer(level(current))])
            }
            let total = try context.increment(context.keys[2], by: amount)
            context.addToSet(context.keys[3], context.arguments[2])
            return .array([.integer(1), .integer(total), .integer(level(current)), .integer(level(total))])
        }
    )

    /// KEYS: ready, dirty. ARGV: cooldown ms (0: none), cooldown key prefix, XP key prefix,
    /// then user and amount for each message. Returns {-1} when not loaded, else four
    /// integers per message as `awardScript` returns them. The member keys are built from
    /// the prefixes, which carry the guild's hash tag, so one batch stays in one slot.
    static let awardBatchScript = CacheScript(
        name: "leveling_award_batch",
        lua: luaLevel + """

        if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
        local cooldown = tonumber(ARGV[1])
        local out = {}
        for i = 4, #ARGV, 2 do
          local user = ARGV[i]
          local xpKey = ARGV[3] .. user
          local current = tonumber(redis.call('GET', xpKey) or '0')
          if cooldown > 0 and not redis.call('SET', ARGV[2] .. user, '1', 'NX', 'PX', cooldown) then
            local lvl = level(current)
            out[#out + 1] = 0; out[#out + 1] = current; out[#out + 1] = lvl; out[#out + 1] = lvl
          else
            local total = redis.call('INCRBY', xpKey, ARGV[i + 1])
            redis.call('SADD', KEYS[2], user)
            out[#out + 1] = 1; out[#out + 1] = total; out[#out + 1] = level(current); out[#out + 1] = level(total)
          end
        end
        return out
        """,
        local: { context in
            guard context.exists(context.keys[0]) else { return .array([.integer(-1)]) }
            let cooldown = Int64(context.arguments[0]) ?? 0
            let (cooldownPrefix, xpPrefix) = (context.arguments[1], context.arguments[2])
            var out: [ScriptValue] = []
            var index = 3
            while index + 1 < context.arguments.count {
                let user = context.arguments[index]
                let amount = Int64(context.arguments[index + 1]) ?? 0
                index += 2
                let current = try storedTotal(context.get(xpPrefix + user))
                if cooldown > 0, !context.set(cooldownPrefix + user, "1", milliseconds: cooldown, onlyIfAbsent: true) {
                    out += [.integer(0), .integer(current), .integer(level(current)), .integer(level(current))]
                    continue
                }
                let total = try context.increment(xpPrefix + user, by: amount)
                context.addToSet(context.keys[1], user)
                out += [.integer(1), .integer(total), .integer(level(current)), .integer(level(total))]
            }
            return .array(out)
        }
    )

    /// KEYS: ready, xp, dirty. ARGV: add|set, value, user, maximum. Clamped to 0…maximum.
    static let adjustScript = CacheScript(
        name: "leveling_adjust",
        lua: luaLevel + """

        if redis.call('EXISTS', KEYS[1]) == 0 then return {-1, 0, 0, 0} end
        local current = tonumber(redis.call('GET', KEYS[2]) or '0')
        local total = tonumber(ARGV[2])
        if ARGV[1] == 'add' then total = current + total end
        if total < 0 then total = 0 end
        if total > tonumber(ARGV[4]) then total = tonumber(ARGV[4]) end
        redis.call('SET', KEYS[2], tostring(total))
        redis.call('SADD', KEYS[3], ARGV[3])
        return {1, total, level(current), level(total)}
        """,
        local: { context in
            guard context.exists(context.keys[0]) else { return .array([.integer(-1), .integer(0), .integer(0), .integer(0)]) }
            let current = try storedTotal(context.get(context.keys[1]))
            let value = Int64(context.arguments[1]) ?? 0
            let total = min(max(0, context.arguments[0] == "add" ? current + value : value), Int64(context.arguments[3]) ?? XPAwards.maximumTotal)
            context.set(context.keys[1], String(total), milliseconds: nil)
            context.addToSet(context.keys[2], context.arguments[2])
            return .array([.integer(1), .integer(total), .integer(level(current)), .integer(level(total))])
        }
    )

    /// KEYS: ready. ARGV: xp key prefix, last 1|0, then user, xp pairs. SET NX each.
    static let loadScript = CacheScript(
        name: "leveling_load",
        lua: """
        for i = 3, #ARGV, 2 do
          redis.call('SET', ARGV[1] .. ARGV[i], ARGV[i + 1], 'NX')
        end
        if ARGV[2] == '1' then redis.call('SET', KEYS[1], '1') end
        return 1
        """,
        local: { context in
            let arguments = context.arguments
            for index in stride(from: 2, to: arguments.count - 1, by: 2) {
                context.set(arguments[0] + arguments[index], arguments[index + 1], milliseconds: nil, onlyIfAbsent: true)
            }
            if arguments[1] == "1" { context.set(context.keys[0], "1", milliseconds: nil) }
            return .integer(1)
        }
    )

    /// KEYS: dirty, flushing. ARGV: xp key prefix. Returns user, xp pairs ("-1": no total).
    static let beginFlushScript = CacheScript(
        name: "leveling_begin_flush",
        lua: """
        if redis.call('EXISTS', KEYS[2]) == 0 then
          if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
          redis.call('RENAME', KEYS[1], KEYS[2])
        end
        local out = {}
        for _, member in ipairs(redis.call('SMEMBERS', KEYS[2])) do
          out[#out + 1] = member
          out[#out + 1] = redis.call('GET', ARGV[1] .. member) or '-1'
        end
        return out
        """,
        local: { context in
            if !context.exists(context.keys[1]) {
                guard context.exists(context.keys[0]) else { return .array([]) }
                context.rename(context.keys[0], to: context.keys[1])
            }
            var out: [ScriptValue] = []
            for member in context.members(context.keys[1]) {
                out.append(.string(member))
                out.append(.string(context.get(context.arguments[0] + member) ?? "-1"))
            }
            return .array(out)
        }
    )
}

extension ScriptValue {
    /// A string reply, or an integer reply as its digits.
    var text: String? {
        switch self {
        case .string(let value): return value
        case .integer(let value): return String(value)
        case .null, .array: return nil
        }
    }
}

import GuildhallRedis

/// The Redis driver's atomic steps, one Lua script each. They follow `JobQueueState` rule for
/// rule; the contract suite runs both. Keys (all of one queue, one Cluster slot):
/// ready (ZSET id → due ms), inflight (ZSET id → lease end ms), body (HASH id → envelope),
/// owner (HASH id → lease token), deliveries (HASH id → claims so far), dedupe (STRING).
enum RedisJobScripts {
    /// KEYS: ready, body, deliveries[, dedupe]. ARGV: id, envelope, due, dedupe ms (0: none).
    /// Returns {1, id} when added, {0, existing id} for a duplicate.
    static let enqueue = RedisScript("""
        if tonumber(ARGV[4]) > 0 then
          local seen = redis.call('GET', KEYS[4])
          if seen then return {0, seen} end
          redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[4])
        end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('HDEL', KEYS[3], ARGV[1])
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        return {1, ARGV[1]}
        """)

    /// KEYS: ready, inflight, body, owner, deliveries. ARGV: now, lease end, limit, token prefix.
    /// Returns {envelope, attempt, token, …}.
    static let claim = RedisScript("""
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
        local out = {}
        local n = 0
        for _, id in ipairs(ids) do
          redis.call('ZREM', KEYS[1], id)
          local body = redis.call('HGET', KEYS[3], id)
          if body and redis.call('HEXISTS', KEYS[4], id) == 0 then
            n = n + 1
            local attempt = redis.call('HINCRBY', KEYS[5], id, 1)
            local token = ARGV[4] .. ':' .. n
            redis.call('HSET', KEYS[4], id, token)
            redis.call('ZADD', KEYS[2], ARGV[2], id)
            out[#out + 1] = body
            out[#out + 1] = attempt
            out[#out + 1] = token
          end
        end
        return out
        """)

    /// KEYS: inflight, owner. ARGV: id, token, lease end. Returns 1, or 0 when not the holder.
    static let heartbeat = RedisScript("""
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        return 1
        """)

    /// KEYS: inflight, owner, body, deliveries. ARGV: id, token.
    static let complete = RedisScript("""
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        redis.call('HDEL', KEYS[4], ARGV[1])
        return 1
        """)

    /// KEYS: inflight, owner, body, ready. ARGV: id, token, envelope, due.
    static let retry = RedisScript("""
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
        redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
        return 1
        """)

    /// KEYS: inflight, owner, ready, deliveries. ARGV: id, token, now.
    static let release = RedisScript("""
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
        if redis.call('HINCRBY', KEYS[4], ARGV[1], -1) < 0 then redis.call('HSET', KEYS[4], ARGV[1], 0) end
        return 1
        """)

    /// KEYS: inflight, owner, ready. ARGV: now, limit. Returns how many leases were taken back.
    static let reclaim = RedisScript("""
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        for _, id in ipairs(ids) do
          redis.call('ZREM', KEYS[1], id)
          redis.call('HDEL', KEYS[2], id)
          redis.call('ZADD', KEYS[3], ARGV[1], id)
        end
        return #ids
        """)

    /// KEYS: ready, inflight. ARGV: now. Returns {ready, delayed, running}.
    static let stats = RedisScript("""
        local due = redis.call('ZCOUNT', KEYS[1], '-inf', ARGV[1])
        return {due, redis.call('ZCARD', KEYS[1]) - due, redis.call('ZCARD', KEYS[2])}
        """)
}

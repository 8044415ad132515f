import GuildhallRedis

/// The Lua twins of `RESTRateLimitState.acquire` and `.complete`. Time is Redis's own
/// (`TIME`), so every process sharing the server shares one clock; numbers are written with
/// `%d` so large millisecond values never turn into exponent notation.
enum RESTRateLimitScripts {
    /// Helpers both scripts start with: the clock and a bucket hash's load and store.
    static let prelude = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local function fmt(n) return string.format('%d', n) end
        local function load(key)
          local b = redis.call('HMGET', key, 'known', 'limit', 'remaining', 'reset_at', 'inflight', 'inflight_until', 'probe_until')
          local s = {known = b[1] == '1', limit = tonumber(b[2] or '0'), remaining = tonumber(b[3] or '0'),
            reset_at = tonumber(b[4] or '0'), inflight = tonumber(b[5] or '0'),
            inflight_until = tonumber(b[6] or '0'), probe_until = tonumber(b[7] or '0')}
          if now >= s.inflight_until then s.inflight = 0 end
          return s
        end
        local function store(key, s)
          redis.call('HSET', key, 'known', s.known and '1' or '0', 'limit', fmt(s.limit), 'remaining', fmt(s.remaining),
            'reset_at', fmt(s.reset_at), 'inflight', fmt(s.inflight), 'inflight_until', fmt(s.inflight_until),
            'probe_until', fmt(s.probe_until))
          local horizon = math.max(s.known and s.reset_at or 0, s.inflight_until, s.probe_until)
          local ttl = math.min(horizon - now + 1000, 86400000)
          if ttl <= 0 then redis.call('DEL', key) else redis.call('PEXPIRE', key, fmt(ttl)) end
        end
        local function hold_global(key, member, untilTime)
          redis.call('ZADD', key, fmt(untilTime), member)
          local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
          redis.call('PEXPIRE', key, fmt(math.min(tonumber(last[2]) - now + 1000, 600000)))
        end

        """

    /// KEYS: route mapping, bucket, global window, pause, invalid counter, and the bucket under
    /// the route's own key for the same major (a probe still out there counts here too).
    /// ARGV: expected hash ('' for none), counts toward global ('1'/'0'), request id, global
    /// limit, invalid budget, reservation timeout ms, probe poll ms.
    /// Returns {'remap', hash} | {'invalid', ms} | {'wait', ms, reason} | {'granted', probe}.
    static let acquire = RedisScript(prelude + """
        local mapped = redis.call('GET', KEYS[1]) or ''
        if mapped ~= ARGV[1] then return {'remap', mapped} end
        local invalid = tonumber(redis.call('GET', KEYS[5]) or '0')
        if invalid >= tonumber(ARGV[5]) then
          local left = redis.call('PTTL', KEYS[5])
          if left > 0 then return {'invalid', left} end
        end
        local counts = ARGV[2] == '1'
        if counts then
          local paused = redis.call('PTTL', KEYS[4])
          if paused > 0 then return {'wait', paused, 'globalPause'} end
        end
        local b = load(KEYS[2])
        local probe = 0
        if b.known and now < b.reset_at then
          if b.remaining <= 0 then return {'wait', b.reset_at - now, 'bucket'} end
        else
          local probing = math.max(b.probe_until, tonumber(redis.call('HGET', KEYS[6], 'probe_until') or '0'))
          if now < probing then return {'wait', math.min(tonumber(ARGV[7]), probing - now), 'probe'} end
          probe = 1
        end
        local hold = tonumber(ARGV[6])
        if counts then
          redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', fmt(now))
          if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[4]) then
            local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
            return {'wait', tonumber(first[2]) - now, 'global'}
          end
          hold_global(KEYS[3], ARGV[3], now + hold)
        end
        if probe == 1 then
          b.known = false
          b.probe_until = now + hold
        else
          b.remaining = b.remaining - 1
        end
        b.inflight = b.inflight + 1
        b.inflight_until = now + hold
        store(KEYS[2], b)
        return {'granted', probe}
        """)

    /// KEYS: route mapping, the ticket's bucket, the target bucket (the named hash's, or the
    /// ticket's), global window, pause, invalid counter.
    /// ARGV: probe ('1'/'0'), hash (''), headers describe the bucket ('1'/'0'), limit,
    /// remaining, reset-after ms, status ('' for none), global 429 ('1'/'0'), 429 delay ms,
    /// counts toward global, request id, global window ms, invalid request ('1'/'0'),
    /// invalid window ms. Returns the invalid count in the window (0 when not invalid).
    static let complete = RedisScript(prelude + """
        if redis.call('EXISTS', KEYS[2]) == 1 then
          local reserved = load(KEYS[2])
          reserved.inflight = math.max(0, reserved.inflight - 1)
          if ARGV[1] == '1' then reserved.probe_until = 0 end
          store(KEYS[2], reserved)
        end
        if ARGV[2] ~= '' then redis.call('SET', KEYS[1], ARGV[2], 'PX', '86400000') end
        local target = load(KEYS[3])
        if ARGV[3] == '1' then
          local reported = math.max(0, tonumber(ARGV[5]) - target.inflight)
          if target.known and now < target.reset_at then
            target.remaining = math.min(target.remaining, reported)
          else
            target.known = true
            target.remaining = reported
            target.reset_at = now + math.min(tonumber(ARGV[6]), 86399000)
          end
          target.limit = tonumber(ARGV[4])
        end
        if ARGV[7] == '429' then
          if ARGV[8] == '1' then
            local delay = math.min(tonumber(ARGV[9]), 599000)
            if delay > 0 and delay > redis.call('PTTL', KEYS[5]) then
              redis.call('SET', KEYS[5], fmt(now + delay), 'PX', fmt(delay))
            end
          else
            local delay = math.min(tonumber(ARGV[9]), 86399000)
            local base = 0
            if target.known and now < target.reset_at then base = target.reset_at end
            target.reset_at = math.max(base, now + delay)
            target.known = true
            target.remaining = 0
          end
        end
        store(KEYS[3], target)
        if ARGV[10] == '1' then hold_global(KEYS[4], ARGV[11], now + tonumber(ARGV[12])) end
        if ARGV[13] ~= '1' then return 0 end
        local count = redis.call('INCR', KEYS[6])
        if count == 1 or redis.call('PTTL', KEYS[6]) < 0 then redis.call('PEXPIRE', KEYS[6], ARGV[14]) end
        return count
        """)
}

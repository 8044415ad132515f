import GuildhallCore

extension CacheScript {
    /// Sets a versioned cache entry, `<version>|<value>`, unless the stored version is newer
    /// or equal, so a slow reader never puts an older copy back over a newer one.
    /// KEYS: the entry. ARGV: version, value, TTL in milliseconds. Returns 1 when stored.
    public static let storeIfNewer = CacheScript(
        name: "store_if_newer",
        lua: """
        local current = redis.call('GET', KEYS[1])
        if current then
          local version = tonumber(string.match(current, '^(%d+)|'))
          if version and version >= tonumber(ARGV[1]) then return 0 end
        end
        redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
        return 1
        """,
        local: { context in
            let key = context.keys[0]
            if let current = context.get(key), let bar = current.firstIndex(of: "|"),
               let version = Int64(current[..<bar]), version >= Int64(context.arguments[0])! {
                return .integer(0)
            }
            context.set(key, context.arguments[0] + "|" + context.arguments[1], milliseconds: Int64(context.arguments[2])!)
            return .integer(1)
        }
    )
}

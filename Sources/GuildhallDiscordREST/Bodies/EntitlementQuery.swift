import GuildhallCore

/// The filters of `GET /applications/{application_id}/entitlements` (FACTS §7).
public struct EntitlementQuery: Sendable, Hashable {
    public var userID: Snowflake?
    public var skuIDs: [Snowflake]
    public var guildID: Snowflake?
    public var before: Snowflake?
    public var after: Snowflake?
    /// 1–100 (Discord's default is 100).
    public var limit: Int
    public var excludeEnded: Bool?
    public var excludeDeleted: Bool?

    public init(
        userID: Snowflake? = nil, skuIDs: [Snowflake] = [], guildID: Snowflake? = nil, before: Snowflake? = nil,
        after: Snowflake? = nil, limit: Int = 100, excludeEnded: Bool? = nil, excludeDeleted: Bool? = nil
    ) {
        self.userID = userID
        self.skuIDs = skuIDs
        self.guildID = guildID
        self.before = before
        self.after = after
        self.limit = limit
        self.excludeEnded = excludeEnded
        self.excludeDeleted = excludeDeleted
    }

    /// The query string items, in a stable order; `sku_ids` comma-separated as Discord takes them.
    var items: [RouteQueryItem] {
        var items: [RouteQueryItem] = []
        if let userID { items.append(RouteQueryItem("user_id", userID.description)) }
        if !skuIDs.isEmpty { items.append(RouteQueryItem("sku_ids", skuIDs.map(\.description).joined(separator: ","))) }
        if let guildID { items.append(RouteQueryItem("guild_id", guildID.description)) }
        if let before { items.append(RouteQueryItem("before", before.description)) }
        if let after { items.append(RouteQueryItem("after", after.description)) }
        items.append(RouteQueryItem("limit", String(limit)))
        if let excludeEnded { items.append(RouteQueryItem("exclude_ended", String(excludeEnded))) }
        if let excludeDeleted { items.append(RouteQueryItem("exclude_deleted", String(excludeDeleted))) }
        return items
    }
}

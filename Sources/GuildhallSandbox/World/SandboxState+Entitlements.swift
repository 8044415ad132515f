import GuildhallCore
import GuildhallDiscordModels

/// SKUs and entitlements (FACTS.md §7): the documented list filters, test entitlements, and
/// the lifecycle the control API drives (purchase, expiry, refund), each with its event on
/// shard 0.
extension SandboxState {
    func entitlementJSON(_ entitlement: Entitlement) -> JSONValue {
        SandboxWire.complete(
            SandboxWire.json(entitlement),
            with: ["starts_at": .null, "ends_at": .null, "consumed": .bool(false)]
        )
    }

    func entitlementEvent(_ name: String, _ entitlement: Entitlement) -> SandboxDispatch {
        event(name, guild: nil, intents: 0, entitlementJSON(entitlement))
    }

    /// `GET /applications/{id}/entitlements`, with `user_id`, `sku_ids`, `guild_id`, `before`,
    /// `after`, `limit` (1–100), `exclude_ended` and `exclude_deleted` (default true).
    func listEntitlements(query: [String: String], now: Double) throws(SandboxAPIError) -> [Entitlement] {
        let limit = try Self.queryInteger(query, "limit", range: 1...100) ?? 100
        let userID = try Self.querySnowflake(query, "user_id")
        let guildID = try Self.querySnowflake(query, "guild_id")
        let before = try Self.querySnowflake(query, "before")
        let after = try Self.querySnowflake(query, "after")
        var skuIDs: Set<Snowflake>?
        if let text = query["sku_ids"] {
            var ids: Set<Snowflake> = []
            for part in text.split(separator: ",") {
                guard let id = Snowflake(part) else {
                    throw .invalidFormBody(["sku_ids"], code: "NUMBER_TYPE_COERCE", message: "Value \"\(part)\" is not snowflake.")
                }
                ids.insert(id)
            }
            skuIDs = ids
        }
        let excludeEnded = Self.queryBool(query, "exclude_ended") ?? false
        let excludeDeleted = Self.queryBool(query, "exclude_deleted") ?? true
        let nowStamp = Self.timestamp(now)
        let matching = entitlementOrder.compactMap { entitlements[$0] }.filter { entitlement in
            if let userID, entitlement.userID != userID { return false }
            if let guildID, entitlement.guildID != guildID { return false }
            if let skuIDs, !skuIDs.contains(entitlement.skuID) { return false }
            if let before, entitlement.id >= before { return false }
            if let after, entitlement.id <= after { return false }
            if excludeDeleted, entitlement.deleted { return false }
            if excludeEnded, let ends = entitlement.endsAt, ends <= nowStamp { return false }
            return true
        }
        return Array(after != nil ? matching.prefix(limit) : matching.suffix(limit))
    }

    /// Active entitlements of a user and guild: what an interaction payload carries.
    func activeEntitlements(userID: Snowflake, guildID: Snowflake?, now: Double) -> [Entitlement] {
        let nowStamp = Self.timestamp(now)
        return entitlementOrder.compactMap { entitlements[$0] }.filter {
            ($0.guildID == nil ? $0.userID == userID : $0.guildID == guildID) && $0.isActive(at: nowStamp)
        }
    }

    func requireOwner(userID: Snowflake?, guildID: Snowflake?) throws(SandboxAPIError) {
        if let guildID, guilds[guildID] == nil { throw .unknownGuild }
        if let userID, users[userID] == nil { throw .unknownUser }
    }

    /// `POST /applications/{id}/entitlements`: a test entitlement, valid until deleted.
    mutating func createTestEntitlement(bytes: [UInt8]) throws(SandboxAPIError) -> (Entitlement, [SandboxDispatch]) {
        let request = try RequestBody.decode(CreateTestEntitlementRequest.self, bytes: bytes)
        guard skus.contains(where: { $0.id == request.skuID }) else { throw .unknownSKU }
        let owner = request.ownerType.rawValue
        guard owner == 1 || owner == 2 else {
            throw .invalidFormBody(["owner_type"], code: "BASE_TYPE_CHOICES", message: "Value must be one of (1, 2).")
        }
        let userID = owner == 2 ? request.ownerID : nil
        let guildID = owner == 1 ? request.ownerID : nil
        try requireOwner(userID: userID, guildID: guildID)
        let duplicate = entitlements.values.contains {
            !$0.deleted && $0.type.rawValue == 4 && $0.skuID == request.skuID && $0.userID == userID && $0.guildID == guildID
        }
        guard !duplicate else { throw .entitlementAlreadyGranted }
        let entitlement = Entitlement(
            id: nextID(), skuID: request.skuID, applicationID: application.id, userID: userID, guildID: guildID,
            type: EntitlementType(rawValue: 4), deleted: false, consumed: false
        )
        store(entitlement)
        return (entitlement, [entitlementEvent("ENTITLEMENT_CREATE", entitlement)])
    }

    /// `DELETE /applications/{id}/entitlements/{id}`: only test entitlements (40019 otherwise).
    mutating func deleteTestEntitlement(id: Snowflake) throws(SandboxAPIError) -> [SandboxDispatch] {
        guard var entitlement = entitlements[id], !entitlement.deleted else { throw .unknownEntitlement }
        guard entitlement.type.rawValue == 4 else { throw .onlyTestEntitlements }
        entitlement.deleted = true
        entitlements[id] = entitlement
        return [entitlementEvent("ENTITLEMENT_DELETE", entitlement)]
    }

    mutating func consumeEntitlement(id: Snowflake) throws(SandboxAPIError) {
        guard var entitlement = entitlements[id], !entitlement.deleted else { throw .unknownEntitlement }
        entitlement.consumed = true
        entitlements[id] = entitlement
    }

    mutating func store(_ entitlement: Entitlement) {
        if entitlements[entitlement.id] == nil { entitlementOrder.append(entitlement.id) }
        entitlements[entitlement.id] = entitlement
    }

    // MARK: Control API: the lifecycle of a real purchase

    /// A purchase: starts now, no end (ENTITLEMENT_CREATE).
    mutating func grantEntitlement(
        skuID: Snowflake, userID: Snowflake?, guildID: Snowflake?, now: Double
    ) throws(SandboxAPIError) -> (Entitlement, [SandboxDispatch]) {
        guard skus.contains(where: { $0.id == skuID }) else { throw .unknownSKU }
        guard (userID == nil) != (guildID == nil) else {
            throw .invalidFormBody([], code: "BASE_TYPE_REQUIRED", message: "Give exactly one of user_id and guild_id.")
        }
        try requireOwner(userID: userID, guildID: guildID)
        // A guild subscription is bought by someone: the guild's owner here.
        let purchaser = userID ?? guildID.flatMap { guilds[$0]?.ownerID }
        let entitlement = Entitlement(
            id: nextID(), skuID: skuID, applicationID: application.id, userID: purchaser, guildID: guildID,
            type: EntitlementType(rawValue: 8), deleted: false, startsAt: Self.timestamp(now), consumed: false
        )
        store(entitlement)
        return (entitlement, [entitlementEvent("ENTITLEMENT_CREATE", entitlement)])
    }

    /// The subscription ended: `ends_at` set to now (ENTITLEMENT_UPDATE). Entitlements are not
    /// deleted on expiry.
    mutating func expireEntitlement(id: Snowflake, now: Double) throws(SandboxAPIError) -> (Entitlement, [SandboxDispatch]) {
        guard var entitlement = entitlements[id], !entitlement.deleted else { throw .unknownEntitlement }
        entitlement.endsAt = Self.timestamp(now)
        entitlements[id] = entitlement
        return (entitlement, [entitlementEvent("ENTITLEMENT_UPDATE", entitlement)])
    }

    /// A refund or removal by Discord (ENTITLEMENT_DELETE).
    mutating func revokeEntitlement(id: Snowflake) throws(SandboxAPIError) -> (Entitlement, [SandboxDispatch]) {
        guard var entitlement = entitlements[id], !entitlement.deleted else { throw .unknownEntitlement }
        entitlement.deleted = true
        entitlements[id] = entitlement
        return (entitlement, [entitlementEvent("ENTITLEMENT_DELETE", entitlement)])
    }
}

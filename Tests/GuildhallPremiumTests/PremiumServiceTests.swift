import Foundation
import GuildhallBot
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallJobs
@testable import GuildhallPremium
import FluentKit
import GuildhallStorage
import GuildhallTestSupport
import Synchronization
import Testing

@Suite("premium: plans, grace, entitlements and operator grants")
struct PremiumServiceTests {
    final class Clock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 3_786_912_000))
        func advance(days: Double) { now.withLock { $0 = $0.addingTimeInterval(days * 86_400) } }
        var date: Date { now.withLock { $0 } }
    }

    struct Harness {
        let database: GuildhallDatabase
        let premium: PremiumService
        let clock: Clock
        let logs: LogRecorder

        static func make() async throws -> Harness {
            let database = try await TestDatabase.open(.sqlite)
            try await GuildRecord(id: PremiumServiceTests.guild, name: "Premium test guild", ownerID: Snowflake(7)).create(on: database.database)
            let clock = Clock()
            let logs = LogRecorder()
            let premium = PremiumService(database: database, plans: PremiumServiceTests.table, grace: .seconds(3 * 86_400), logger: logs.logger()) { clock.date }
            return Harness(database: database, premium: premium, clock: clock, logs: logs)
        }
    }

    static let guild = Snowflake(80_351_110_224_678_912)

    static func entitlement(_ id: UInt64, guild: Snowflake? = PremiumServiceTests.guild, endsIn days: Double?, from clock: Clock, deleted: Bool = false) -> Entitlement {
        Entitlement(
            id: Snowflake(id), skuID: Snowflake(900), applicationID: Snowflake(901), guildID: guild, type: .applicationSubscription, deleted: deleted,
            startsAt: DiscordTimestamp(date: clock.date.addingTimeInterval(-86_400)),
            endsAt: days.map { DiscordTimestamp(date: clock.date.addingTimeInterval($0 * 86_400)) }
        )
    }

    /// A count and a yes-or-no row, as features contribute them, and the stand-in module's.
    static let things = PlanLimit(feature: "test", name: "things")
    static let extra = PlanLimit(feature: "test", name: "extra")
    static let table = PlanTable([
        PlanRow(things, title: "things", free: .count(3), premium: .count(30)),
        PlanRow(extra, title: "the extra", free: .allowed(false), premium: .allowed(true)),
    ] + TestPlans.rows)

    @Test("the plan table gives each tier its column; a limit it lacks allows nothing; JSON is nested by feature")
    func limits() throws {
        let free = Self.table.limits(for: .free)
        let premium = Self.table.limits(for: .premium)
        #expect(free.count(Self.things) == 3 && premium.count(Self.things) == 30)
        #expect(!free.allows(Self.extra) && premium.allows(Self.extra))
        #expect(free.allows(Self.things) && premium.count(Self.extra) == 0)
        let missing = PlanLimit(feature: "nobody", name: "declared")
        #expect(premium.count(missing) == 0 && !premium.allows(missing), "an undeclared limit allows nothing")
        #expect(PremiumTier.free < .premium && free.tier == .free)
        #expect(Self.table.row(Self.extra)?.title == "the extra" && Self.table.row(missing) == nil)
        #expect(PlanValue.count(3).description == "3" && PlanValue.allowed(true).description == "yes" && PlanValue.allowed(false).description == "no")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: try encoder.encode(premium), as: UTF8.self) == #"{"test":{"extra":true,"things":30},"test-premium":{"enabled":true}}"#)
    }

    @Test("a Discord subscription: premium while it runs, a grace period after it ends, then free; nothing is deleted")
    func subscriptionAndGrace() async throws {
        let harness = try await Harness.make()
        #expect(try await harness.premium.status(guild: Self.guild).tier == .free)
        #expect(try await harness.premium.record(Self.entitlement(1, endsIn: 10, from: harness.clock)))
        var status = try await harness.premium.status(guild: Self.guild)
        #expect(status.tier == .premium && status.source == .discord && status.graceUntil == nil)

        harness.clock.advance(days: 11)
        status = try await harness.premium.status(guild: Self.guild)
        #expect(status.tier == .premium, "one day after the end, the grace period still counts")
        #expect(status.graceUntil != nil)

        harness.clock.advance(days: 3)
        status = try await harness.premium.status(guild: Self.guild)
        #expect(status.tier == .free && status.source == .none)
        #expect(try await PremiumEntitlementRecord.query(on: harness.database.database).count() == 1, "the ended entitlement is kept")
        await harness.database.shutdown()
    }

    @Test("an update extends it, a delete (refund) ends it at once, a user's own subscription is not a guild's plan")
    func updatesAndDeletes() async throws {
        let harness = try await Harness.make()
        try await harness.premium.record(Self.entitlement(2, endsIn: 1, from: harness.clock))
        try await harness.premium.record(Self.entitlement(2, endsIn: 30, from: harness.clock))
        #expect(try await PremiumEntitlementRecord.query(on: harness.database.database).count() == 1, "the same entitlement, updated")
        harness.clock.advance(days: 10)
        #expect(try await harness.premium.status(guild: Self.guild).tier == .premium)
        try await harness.premium.revoke(Self.entitlement(2, endsIn: 30, from: harness.clock))
        #expect(try await harness.premium.status(guild: Self.guild).tier == .free, "a refund has no grace period")
        #expect(try await !harness.premium.record(Self.entitlement(3, guild: nil, endsIn: 30, from: harness.clock)))
        #expect(harness.logs.with(message: "entitlement recorded").count == 3)
        #expect(try await !harness.premium.record(Self.entitlement(4, guild: Snowflake(12345), endsIn: 30, from: harness.clock)), "a guild not seen yet waits for the sync")
        #expect(harness.logs.with(message: "entitlement for a guild Guildhall has not seen yet; the next sync records it").count == 1)
        await #expect(throws: GuildhallError.self) { try await harness.premium.grant(guild: Snowflake(12345), until: harness.clock.date.addingTimeInterval(86_400)) }
        await harness.database.shutdown()
    }

    @Test("operator grants: until a date, replaced by a new grant, ended by revoke; a past date is refused")
    func operatorGrants() async throws {
        let harness = try await Harness.make()
        try await harness.premium.grant(guild: Self.guild, until: harness.clock.date.addingTimeInterval(5 * 86_400))
        try await harness.premium.grant(guild: Self.guild, until: harness.clock.date.addingTimeInterval(50 * 86_400))
        let status = try await harness.premium.status(guild: Self.guild)
        #expect(status.tier == .premium && status.source == .operator)
        #expect(status.endsAt == harness.clock.date.addingTimeInterval(50 * 86_400))
        #expect(try await harness.premium.revokeGrants(guild: Self.guild) == 1, "the first grant was already replaced")
        #expect(try await harness.premium.status(guild: Self.guild).tier == .free)
        await #expect(throws: GuildhallError.self) { try await harness.premium.grant(guild: Self.guild, until: harness.clock.date.addingTimeInterval(-1)) }
        await harness.database.shutdown()
    }

    @Test("a refused premium check is logged with the guild and the feature; require throws")
    func refusals() async throws {
        let harness = try await Harness.make()
        #expect(try await !harness.premium.allows(Self.extra, guild: Self.guild))
        let error = await #expect(throws: GuildhallError.self) { try await harness.premium.require(Self.extra, guild: Self.guild) }
        #expect(error?.message == "the extra needs Guildhall Premium")
        let unnamed = await #expect(throws: GuildhallError.self) { try await harness.premium.require(PlanLimit(feature: "x", name: "y"), guild: Self.guild) }
        #expect(unnamed?.message == "x.y needs Guildhall Premium", "a limit the table lacks is refused under its key")
        let refused = harness.logs.with(message: "premium check refused")
        #expect(refused.count == 3)
        #expect(refused.first?.metadata["guild_id"] == Self.guild.description && refused.first?.metadata["feature"] == "test.extra")
        try await harness.premium.grant(guild: Self.guild, until: harness.clock.date.addingTimeInterval(86_400))
        try await harness.premium.require(Self.extra, guild: Self.guild)
        await harness.database.shutdown()
    }

    @Test("the sync records a whole listing; a failed listing changes nothing and downgrades nobody")
    func sync() async throws {
        let harness = try await Harness.make()
        let clock = harness.clock
        let good = PremiumSync(premium: harness.premium, logger: harness.logs.logger()) {
            [Self.entitlement(5, endsIn: 20, from: clock), Self.entitlement(6, guild: nil, endsIn: 20, from: clock)]
        }
        #expect(try await good.run() == 1)
        let failing = PremiumSync(premium: harness.premium, logger: harness.logs.logger()) { throw GuildhallError(.unavailable, "Discord is down") }
        await #expect(throws: GuildhallError.self) { try await failing.run() }
        #expect(try await harness.premium.status(guild: Self.guild).tier == .premium, "still premium after a failed sync")
        #expect(!harness.logs.with(message: "entitlement sync could not list Discord's entitlements; nothing changed").isEmpty)
        await harness.database.shutdown()
    }

    @Test("ENTITLEMENT_* events from the gateway reach the table; other events are ignored; a failure is logged")
    func gatewayEvents() async throws {
        let harness = try await Harness.make()
        let handler = PremiumEntitlementHandler(premium: harness.premium, logger: harness.logs.logger())
        let created = Self.entitlement(7, endsIn: 30, from: harness.clock)
        await handler.handle(ShardEvent(shardID: 0, sequence: 5, event: .entitlementCreate(created)))
        #expect(try await harness.premium.status(guild: Self.guild).tier == .premium)
        await handler.handle(ShardEvent(shardID: 0, sequence: 6, event: .entitlementUpdate(Self.entitlement(7, endsIn: 60, from: harness.clock))))
        await handler.handle(ShardEvent(shardID: 0, sequence: 7, event: .resumed))
        await handler.handle(ShardEvent(shardID: 0, sequence: 8, event: .entitlementDelete(created)))
        #expect(try await harness.premium.status(guild: Self.guild).tier == .free)
        await harness.database.shutdown()

        // A database that cannot be reached: the event is logged, not lost silently.
        let unreachable = try GuildhallDatabase(
            location: .postgres(.init(host: "127.0.0.1", port: try FreePort.loopback(), username: "nobody", password: nil, database: "none")),
            migrations: [], logger: TestDatabase.quietLogger
        )
        let broken = PremiumEntitlementHandler(premium: PremiumService(database: unreachable, plans: Self.table, logger: harness.logs.logger()), logger: harness.logs.logger())
        await broken.handle(ShardEvent(shardID: 0, sequence: 9, event: .entitlementCreate(created)))
        #expect(harness.logs.with(message: "entitlement event not recorded; the next sync will retry").count == 1)
        await unreachable.shutdown()
    }

    @Test("the hourly sync is a registered, scheduled job; it skips without credentials and records with them")
    func syncJob() async throws {
        let harness = try await Harness.make()
        let source = PremiumSyncSource()
        let system = try JobSystem.make(database: harness.database, driver: try InProcessJobDriver()) { registry in
            try PremiumJobs.register(in: &registry, premium: harness.premium, source: source)
        }
        #expect(system.registry.names.contains("premium.sync"))
        try await PremiumJobs.installSchedules(on: system.queue)
        try await PremiumJobs.installSchedules(on: system.queue)
        let schedules = try await JobScheduleRecord.query(on: harness.database.database).filter(\.$scheduleKey == PremiumJobs.syncScheduleKey).all()
        #expect(schedules.count == 1 && schedules.first?.intervalMilliseconds == 3_600_000, "installed once, hourly")

        #expect(try await PremiumJobs.runSync(premium: harness.premium, source: source, logger: harness.logs.logger()) == nil)
        #expect(!harness.logs.with(message: "premium sync skipped: this process has no Discord credentials to list entitlements with").isEmpty)
        let clock = harness.clock
        source.set { [Self.entitlement(11, endsIn: 5, from: clock)] }
        #expect(try await PremiumJobs.runSync(premium: harness.premium, source: source, logger: harness.logs.logger()) == 1)
        #expect(try await harness.premium.status(guild: Self.guild).tier == .premium)

        await harness.database.shutdown()
    }
}

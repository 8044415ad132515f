import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Testing

/// FACTS.md §5.2 as tables: who may act on whom, which roles may be handed out, and how long
/// a timeout may be.
@Suite("Role hierarchy")
struct RoleHierarchyTests {
    enum Person: String, CaseIterable, Sendable {
        case owner, admin, moderator, moderator2, peer, member, plain, bot, lowBot, timedOutModerator
    }

    struct World {
        let hierarchy: RoleHierarchy
        let roles: [String: Role]
        let people: [Person: PermissionSubject]
        let now = DiscordTimestamp(millisecondsSinceEpoch: 3_786_912_000_000)

        init() {
            var factory = MockFactory(seed: 52)
            let guildID = factory.snowflake()
            // Created in this order, so "peer" has a lower id than "moderator" at the same position.
            let peer = Role(id: factory.snowflake(), name: "Peer", position: 2, permissions: [.kickMembers])
            let everyone = Role(id: guildID, name: "@everyone", position: 0, permissions: [.viewChannel, .sendMessages])
            let member = Role(id: factory.snowflake(), name: "Member", position: 1, permissions: [.readMessageHistory])
            let moderator = Role(
                id: factory.snowflake(), name: "Moderator", position: 2,
                permissions: [.kickMembers, .banMembers, .moderateMembers, .manageNicknames, .manageRoles]
            )
            let admin = Role(id: factory.snowflake(), name: "Admin", position: 4, permissions: [.administrator])
            let botRole = Role(
                id: factory.snowflake(), name: "Guildhall", position: 5,
                permissions: [.kickMembers, .banMembers, .moderateMembers, .manageRoles, .manageNicknames], managed: true
            )
            let lowBotRole = Role(id: factory.snowflake(), name: "LowBot", position: 1, permissions: [.kickMembers, .banMembers, .manageRoles])
            let booster = Role(id: factory.snowflake(), name: "Booster", position: 1, permissions: [], managed: true)
            roles = ["everyone": everyone, "member": member, "moderator": moderator, "peer": peer, "admin": admin,
                     "bot": botRole, "lowBot": lowBotRole, "booster": booster]
            let ownerID = factory.snowflake()
            let guild = GuildPermissions(guildID: guildID, ownerID: ownerID, roles: Array(roles.values))
            hierarchy = RoleHierarchy(guild)
            var people: [Person: PermissionSubject] = [.owner: PermissionSubject(userID: ownerID)]
            let held: [Person: [Role]] = [
                .admin: [member, admin], .moderator: [member, moderator], .moderator2: [moderator], .peer: [peer],
                .member: [member], .plain: [], .bot: [botRole], .lowBot: [lowBotRole], .timedOutModerator: [moderator],
            ]
            for (person, roles) in held {
                people[person] = PermissionSubject(
                    userID: factory.snowflake(), roleIDs: roles.map(\.id),
                    communicationDisabledUntil: person == .timedOutModerator ? now.advanced(by: .seconds(3600)) : nil
                )
            }
            self.people = people
        }

        subscript(person: Person) -> PermissionSubject { people[person]! }
    }

    struct ActCase: Sendable, CustomTestStringConvertible {
        let actor: Person
        let action: ModerationAction
        let target: Person
        let expected: ModerationRefusal.Code?
        var testDescription: String { "\(actor) \(action) \(target) → \(expected?.rawValue ?? "allowed")" }
    }

    static let actCases: [ActCase] = [
        ActCase(actor: .moderator, action: .kick, target: .moderator, expected: .targetIsSelf),
        ActCase(actor: .owner, action: .ban, target: .owner, expected: .targetIsSelf),
        ActCase(actor: .admin, action: .kick, target: .owner, expected: .targetIsOwner),
        ActCase(actor: .bot, action: .ban, target: .owner, expected: .targetIsOwner),
        ActCase(actor: .moderator, action: .changeNickname, target: .owner, expected: .targetIsOwner),
        ActCase(actor: .owner, action: .kick, target: .admin, expected: nil),
        ActCase(actor: .owner, action: .ban, target: .bot, expected: nil),
        ActCase(actor: .owner, action: .timeout, target: .admin, expected: .targetIsAdministrator),
        ActCase(actor: .bot, action: .timeout, target: .admin, expected: .targetIsAdministrator),
        ActCase(actor: .moderator, action: .kick, target: .member, expected: nil),
        ActCase(actor: .moderator, action: .ban, target: .plain, expected: nil),
        ActCase(actor: .moderator, action: .timeout, target: .member, expected: nil),
        ActCase(actor: .moderator, action: .changeNickname, target: .member, expected: nil),
        ActCase(actor: .moderator, action: .kick, target: .moderator2, expected: .targetNotBelow),
        ActCase(actor: .moderator, action: .ban, target: .admin, expected: .targetNotBelow),
        ActCase(actor: .moderator, action: .kick, target: .bot, expected: .targetNotBelow),
        ActCase(actor: .admin, action: .timeout, target: .moderator, expected: nil),
        ActCase(actor: .admin, action: .ban, target: .bot, expected: .targetNotBelow),
        ActCase(actor: .bot, action: .kick, target: .admin, expected: nil),
        ActCase(actor: .member, action: .kick, target: .plain, expected: .missingPermissions),
        ActCase(actor: .peer, action: .ban, target: .member, expected: .missingPermissions),
        ActCase(actor: .lowBot, action: .timeout, target: .plain, expected: .missingPermissions),
        ActCase(actor: .lowBot, action: .kick, target: .member, expected: .targetNotBelow),
        ActCase(actor: .lowBot, action: .kick, target: .plain, expected: nil),
        ActCase(actor: .plain, action: .kick, target: .member, expected: .missingPermissions),
        ActCase(actor: .timedOutModerator, action: .kick, target: .member, expected: .missingPermissions),
        // Equal positions: the lower id ranks higher, so the peer outranks the moderator.
        ActCase(actor: .peer, action: .kick, target: .moderator2, expected: nil),
        ActCase(actor: .moderator2, action: .kick, target: .peer, expected: .targetNotBelow),
    ]

    @Test("may the actor act on the target", arguments: actCases)
    func act(_ testCase: ActCase) {
        let world = World()
        let decision = world.hierarchy.check(testCase.action, by: world[testCase.actor], on: world[testCase.target], at: world.now)
        #expect(decision.refusal?.code == testCase.expected)
        #expect(decision.isAllowed == (testCase.expected == nil))
        if let refusal = decision.refusal {
            #expect(refusal.party == .actor)
            #expect(refusal.message.hasPrefix("You "))
        }
    }

    @Test("refusals say which permission is missing")
    func missingPermission() throws {
        let world = World()
        let refusal = try #require(world.hierarchy.check(.ban, by: world[.member], on: world[.plain], at: world.now).refusal)
        #expect(refusal.missingPermissions == .banMembers)
        #expect(refusal.message.contains("BAN_MEMBERS"))
        #expect(refusal.description.hasPrefix("missing_permissions: "))
        #expect(throws: ModerationRefusal.self) { try world.hierarchy.check(.ban, by: world[.member], on: world[.plain], at: world.now).get() }
        try world.hierarchy.check(.ban, by: world[.moderator], on: world[.plain], at: world.now).get()
    }

    @Test("a command runs only when both the invoker and the bot may")
    func invokerAndBot() throws {
        let world = World()
        let both = world.hierarchy.check(.kick, invoker: world[.moderator], bot: world[.bot], on: world[.member], at: world.now)
        #expect(both == .allowed)
        let invokerFails = world.hierarchy.check(.kick, invoker: world[.member], bot: world[.bot], on: world[.plain], at: world.now)
        #expect(invokerFails.refusal?.party == .actor)
        let botFails = try #require(
            world.hierarchy.check(.kick, invoker: world[.admin], bot: world[.lowBot], on: world[.moderator], at: world.now).refusal
        )
        #expect(botFails.party == .bot)
        #expect(botFails.code == .targetNotBelow)
        #expect(botFails.message.hasPrefix("I cannot kick"))
        let botSelf = try #require(world.hierarchy.check(.ban, invoker: world[.owner], bot: world[.bot], on: world[.bot], at: world.now).refusal)
        #expect(botSelf.code == .targetIsSelf)
        #expect(botSelf.party == .bot)
        #expect(botSelf.message == "I cannot ban myself.")
        let botMissing = try #require(world.hierarchy.check(.timeout, by: world[.lowBot], on: world[.plain], as: .bot, at: world.now).refusal)
        #expect(botMissing.message == "I need the MODERATE_MEMBERS permission to time out members.")
    }

    struct RoleCase: Sendable, CustomTestStringConvertible {
        let actor: Person
        let role: String
        let expected: ModerationRefusal.Code?
        var testDescription: String { "\(actor) assigns \(role) → \(expected?.rawValue ?? "allowed")" }
    }

    static let roleCases: [RoleCase] = [
        RoleCase(actor: .moderator, role: "member", expected: nil),
        RoleCase(actor: .moderator, role: "moderator", expected: .roleNotBelow),
        RoleCase(actor: .moderator, role: "admin", expected: .roleNotBelow),
        RoleCase(actor: .moderator, role: "peer", expected: .roleNotBelow),
        RoleCase(actor: .moderator, role: "booster", expected: .roleIsManaged),
        RoleCase(actor: .moderator, role: "everyone", expected: .roleIsEveryone),
        RoleCase(actor: .member, role: "member", expected: .missingPermissions),
        RoleCase(actor: .timedOutModerator, role: "member", expected: .missingPermissions),
        RoleCase(actor: .owner, role: "admin", expected: nil),
        RoleCase(actor: .owner, role: "bot", expected: .roleIsManaged),
        RoleCase(actor: .admin, role: "moderator", expected: nil),
        RoleCase(actor: .admin, role: "admin", expected: .roleNotBelow),
        RoleCase(actor: .bot, role: "admin", expected: nil),
        RoleCase(actor: .lowBot, role: "member", expected: .roleNotBelow),
    ]

    @Test("may this role be assigned", arguments: roleCases)
    func assign(_ testCase: RoleCase) {
        let world = World()
        let roleID = world.roles[testCase.role]!.id
        let decision = world.hierarchy.checkRoleAssignment(roleID, by: world[testCase.actor], at: world.now)
        #expect(decision.refusal?.code == testCase.expected)
    }

    @Test("unknown roles, and invoker-then-bot role checks")
    func assignMore() throws {
        let world = World()
        var factory = MockFactory(seed: 7)
        #expect(world.hierarchy.checkRoleAssignment(factory.snowflake(), by: world[.owner], at: world.now).refusal?.code == .unknownRole)
        let memberRole = world.roles["member"]!.id
        #expect(world.hierarchy.checkRoleAssignment(memberRole, invoker: world[.moderator], bot: world[.bot], at: world.now) == .allowed)
        let botFails = try #require(world.hierarchy.checkRoleAssignment(memberRole, invoker: world[.admin], bot: world[.lowBot], at: world.now).refusal)
        #expect(botFails.party == .bot)
        #expect(botFails.message.contains("my highest role"))
        let botMissing = try #require(world.hierarchy.checkRoleAssignment(memberRole, by: world[.plain], as: .bot, at: world.now).refusal)
        #expect(botMissing.message == "I need the MANAGE_ROLES permission to assign roles.")
        #expect(botMissing.missingPermissions == .manageRoles)
    }

    @Test("highest roles and ranking")
    func ranking() {
        let world = World()
        #expect(world.hierarchy.highestRole(of: world[.admin]).name == "Admin")
        #expect(world.hierarchy.highestRole(of: world[.plain]).name == "@everyone")
        #expect(world.hierarchy.outranks(world[.bot], world[.admin]))
        #expect(!world.hierarchy.outranks(world[.plain], world[.plain]))
        let peer = world.roles["peer"]!, moderator = world.roles["moderator"]!
        #expect(RoleHierarchy.ranks(peer, above: moderator))
        #expect(!RoleHierarchy.ranks(moderator, above: peer))
        #expect(!RoleHierarchy.ranks(peer, above: peer))
        // Without a known @everyone role the hierarchy still has a floor at position 0.
        var factory = MockFactory(seed: 8)
        let bare = RoleHierarchy(GuildPermissions(guildID: factory.snowflake(), ownerID: factory.snowflake(), roles: []))
        #expect(bare.highestRole(of: PermissionSubject(userID: factory.snowflake())).position == 0)
        let guild = Guild(id: factory.snowflake(), name: "g", ownerID: factory.snowflake(), roles: [peer])
        #expect(RoleHierarchy(guild: guild).guild.roles.count == 1)
    }

    @Test("timeouts: in the future and at most 28 days", arguments: [
        (Int64(1), nil), (Int64(60), nil), (Int64(28 * 86_400), nil),
        (Int64(0), ModerationRefusal.Code.timeoutNotInFuture), (Int64(-60), .timeoutNotInFuture),
        (Int64(28 * 86_400 + 1), .timeoutTooLong), (Int64(365 * 86_400), .timeoutTooLong),
    ])
    func timeoutLength(seconds: Int64, expected: ModerationRefusal.Code?) {
        let now = DiscordTimestamp(millisecondsSinceEpoch: 3_786_912_000_000)
        let byUntil = RoleHierarchy.validateTimeout(until: now.advanced(by: .seconds(seconds)), now: now)
        #expect(byUntil.refusal?.code == expected)
        #expect(byUntil.refusal?.party == nil)
        #expect(RoleHierarchy.validateTimeout(length: .seconds(seconds), now: now) == byUntil)
    }

    @Test("one microsecond past 28 days is too long")
    func timeoutEdge() {
        let now = DiscordTimestamp(millisecondsSinceEpoch: 3_786_912_000_000)
        let limit = now.advanced(by: RoleHierarchy.maximumTimeout)
        #expect(RoleHierarchy.validateTimeout(until: limit, now: now).isAllowed)
        #expect(RoleHierarchy.validateTimeout(until: limit.advanced(by: .microseconds(1)), now: now).isRefused)
    }

    @Test("actions name their permission")
    func actions() {
        let expected: [ModerationAction: Permissions] = [
            .kick: .kickMembers, .ban: .banMembers, .timeout: .moderateMembers, .changeNickname: .manageNicknames,
        ]
        for action in ModerationAction.allCases {
            #expect(action.requiredPermission == expected[action])
            #expect(!action.verb.isEmpty)
        }
        #expect(ModerationRefusal.Code.timeoutTooLong.description == "timeout_too_long")
        #expect(ModerationDecision.allowed.then { .refused(ModerationRefusal(code: "x", party: nil, message: "m")) }.isRefused)
    }
}

import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Testing

/// FACTS.md §5.1 as tables: the base algorithm (steps 1–4), the channel algorithm
/// (steps 5–7) and the implicit rules.
@Suite("Permission algorithm")
struct GuildPermissionsTests {
    struct World {
        let guildID: Snowflake
        let ownerID: Snowflake
        let memberRole: Role
        let helperRole: Role
        let mutedRole: Role
        let adminRole: Role
        let guild: GuildPermissions
        let userID: Snowflake
        let otherUserID: Snowflake
        let now = DiscordTimestamp(millisecondsSinceEpoch: 3_786_912_000_000)

        init() {
            var factory = MockFactory(seed: 51)
            guildID = factory.snowflake()
            ownerID = factory.snowflake()
            memberRole = Role(id: factory.snowflake(), name: "Member", position: 1, permissions: [.addReactions, .embedLinks])
            helperRole = Role(id: factory.snowflake(), name: "Helper", position: 2, permissions: [.manageMessages, .kickMembers])
            mutedRole = Role(id: factory.snowflake(), name: "Muted", position: 3, permissions: [])
            adminRole = Role(id: factory.snowflake(), name: "Admin", position: 4, permissions: [.administrator])
            let everyone = Role(
                id: guildID, name: "@everyone", position: 0,
                permissions: [.viewChannel, .sendMessages, .readMessageHistory, .attachFiles, .mentionEveryone]
            )
            guild = GuildPermissions(guildID: guildID, ownerID: ownerID, roles: [everyone, memberRole, helperRole, mutedRole, adminRole])
            userID = factory.snowflake()
            otherUserID = factory.snowflake()
        }

        func subject(_ roles: [Role], timedOutFor seconds: Int64? = nil) -> PermissionSubject {
            PermissionSubject(
                userID: userID, roleIDs: roles.map(\.id),
                communicationDisabledUntil: seconds.map { now.advanced(by: .seconds($0)) }
            )
        }
    }

    static let everyoneBase: Permissions = [.viewChannel, .sendMessages, .readMessageHistory, .attachFiles, .mentionEveryone]

    @Test("base: @everyone alone, then roles OR'ed")
    func baseRoles() {
        let world = World()
        #expect(world.guild.everyonePermissions == Self.everyoneBase)
        #expect(world.guild.basePermissions(of: world.subject([])) == Self.everyoneBase)
        #expect(world.guild.basePermissions(of: world.subject([world.memberRole])) == Self.everyoneBase.union([.addReactions, .embedLinks]))
        #expect(
            world.guild.basePermissions(of: world.subject([world.memberRole, world.helperRole]))
                == Self.everyoneBase.union([.addReactions, .embedLinks, .manageMessages, .kickMembers])
        )
    }

    @Test("base: owner and ADMINISTRATOR hold everything; unknown roles count for nothing")
    func baseOwnerAndAdmin() throws {
        var world = World()
        let owner = PermissionSubject(userID: world.ownerID)
        #expect(world.guild.basePermissions(of: owner) == .all)
        #expect(world.guild.isAdministrator(owner))
        #expect(world.guild.basePermissions(of: world.subject([world.adminRole])) == .all)
        #expect(world.guild.isAdministrator(world.subject([world.adminRole])))
        #expect(!world.guild.isAdministrator(world.subject([world.helperRole])))
        var factory = MockFactory(seed: 99)
        let deleted = PermissionSubject(userID: world.userID, roleIDs: [factory.snowflake()])
        #expect(world.guild.basePermissions(of: deleted) == Self.everyoneBase)
        // A guild whose @everyone role is unknown starts from nothing.
        world = World()
        let bare = GuildPermissions(guildID: world.guildID, ownerID: world.ownerID, roles: [world.memberRole])
        #expect(bare.everyonePermissions.isEmpty)
        #expect(bare.basePermissions(of: world.subject([world.memberRole])) == [.addReactions, .embedLinks])
    }

    @Test("base: a running timeout leaves VIEW_CHANNEL and READ_MESSAGE_HISTORY; owners and admins are exempt")
    func baseTimeout() {
        let world = World()
        let timedOut = world.subject([world.helperRole], timedOutFor: 600)
        #expect(world.guild.basePermissions(of: timedOut, at: world.now) == [.viewChannel, .readMessageHistory])
        #expect(world.guild.basePermissions(of: timedOut) == Self.everyoneBase.union([.manageMessages, .kickMembers]))
        let expired = world.subject([world.helperRole], timedOutFor: -1)
        #expect(world.guild.basePermissions(of: expired, at: world.now).contains(.kickMembers))
        #expect(world.guild.basePermissions(of: world.subject([world.adminRole], timedOutFor: 600), at: world.now) == .all)
        let owner = PermissionSubject(userID: world.ownerID, communicationDisabledUntil: world.now.advanced(by: .seconds(600)))
        #expect(world.guild.basePermissions(of: owner, at: world.now) == .all)
    }

    struct ChannelCase: Sendable, CustomTestStringConvertible {
        let name: String
        let roles: [String]
        let overwrites: [String: (allow: Permissions, deny: Permissions)]
        let memberOverwrite: (allow: Permissions, deny: Permissions)?
        let expected: Permissions
        var testDescription: String { name }
    }

    static let channelCases: [ChannelCase] = [
        ChannelCase(name: "no overwrites keeps the base", roles: ["member"], overwrites: [:], memberOverwrite: nil,
                    expected: everyoneBase.union([.addReactions, .embedLinks])),
        ChannelCase(name: "@everyone deny VIEW hides the channel", roles: [], overwrites: ["everyone": ([], [.viewChannel])],
                    memberOverwrite: nil, expected: []),
        ChannelCase(name: "@everyone deny then role allow: allow wins", roles: ["member"],
                    overwrites: ["everyone": ([], [.sendMessages]), "member": ([.sendMessages], [])], memberOverwrite: nil,
                    expected: everyoneBase.union([.addReactions, .embedLinks])),
        ChannelCase(name: "between roles allow beats deny", roles: ["member", "helper"],
                    overwrites: ["member": ([], [.sendMessages]), "helper": ([.sendMessages], [])], memberOverwrite: nil,
                    expected: everyoneBase.union([.addReactions, .embedLinks, .manageMessages, .kickMembers])),
        ChannelCase(name: "role deny removes what @everyone allowed", roles: ["muted"],
                    overwrites: ["everyone": ([.addReactions], []), "muted": ([], [.sendMessages, .addReactions])], memberOverwrite: nil,
                    expected: [.viewChannel, .readMessageHistory]),
        ChannelCase(name: "member deny beats role allow", roles: ["member"],
                    overwrites: ["member": ([.manageMessages], [])], memberOverwrite: ([], [.manageMessages, .addReactions]),
                    expected: everyoneBase.union([.embedLinks])),
        ChannelCase(name: "member allow beats role deny", roles: ["member"],
                    overwrites: ["member": ([], [.sendMessages])], memberOverwrite: ([.sendMessages], []),
                    expected: everyoneBase.union([.addReactions, .embedLinks])),
        ChannelCase(name: "overwrites of roles the member lacks are ignored", roles: [],
                    overwrites: ["helper": ([.manageMessages], [.viewChannel])], memberOverwrite: nil, expected: everyoneBase),
        ChannelCase(name: "without SEND_MESSAGES the sending extras go", roles: ["member"],
                    overwrites: ["everyone": ([.sendTTSMessages], [.sendMessages])], memberOverwrite: nil,
                    expected: [.viewChannel, .readMessageHistory, .addReactions]),
        ChannelCase(name: "without VIEW_CHANNEL nothing is left", roles: ["helper"],
                    overwrites: ["helper": ([], [.viewChannel])], memberOverwrite: ([.manageMessages], []), expected: []),
        ChannelCase(name: "ADMINISTRATOR skips every overwrite", roles: ["admin"],
                    overwrites: ["everyone": ([], [.viewChannel]), "admin": ([], [.viewChannel])], memberOverwrite: ([], .all),
                    expected: .all),
    ]

    @Test("channel overwrites, in Discord's order", arguments: channelCases)
    func channel(_ testCase: ChannelCase) {
        let world = World()
        let roleByName = ["everyone": world.guildID, "member": world.memberRole.id, "helper": world.helperRole.id,
                          "muted": world.mutedRole.id, "admin": world.adminRole.id]
        let heldRoles = [world.memberRole, world.helperRole, world.mutedRole, world.adminRole].filter {
            testCase.roles.contains($0.name.lowercased())
        }
        var overwrites = testCase.overwrites.map { name, bits in
            PermissionOverwrite.role(roleByName[name]!, allow: bits.allow, deny: bits.deny)
        }
        if let own = testCase.memberOverwrite {
            overwrites.append(.member(world.userID, allow: own.allow, deny: own.deny))
        }
        // Another member's overwrite never applies.
        overwrites.append(.member(world.otherUserID, allow: .all, deny: []))
        let subject = world.subject(heldRoles)
        #expect(world.guild.channelPermissions(of: subject, overwrites: overwrites) == testCase.expected)
        let channel = Channel(id: world.guildID, type: .guildText, guildID: world.guildID, permissionOverwrites: overwrites)
        #expect(world.guild.permissions(of: subject, in: channel) == testCase.expected)
    }

    @Test("timed-out members keep VIEW_CHANNEL and READ_MESSAGE_HISTORY even where overwrites allow more")
    func channelTimeout() {
        let world = World()
        let overwrites = [PermissionOverwrite.role(world.helperRole.id, allow: [.sendMessages, .manageThreads])]
        let timedOut = world.subject([world.helperRole], timedOutFor: 60)
        #expect(world.guild.channelPermissions(of: timedOut, overwrites: overwrites, at: world.now) == [.viewChannel, .readMessageHistory])
        let hidden = [PermissionOverwrite.role(world.guildID, deny: [.viewChannel])]
        #expect(world.guild.channelPermissions(of: timedOut, overwrites: hidden, at: world.now) == [])
        #expect(world.guild.channelPermissions(of: world.subject([world.adminRole], timedOutFor: 60), overwrites: hidden, at: world.now) == .all)
    }

    @Test("threads use the parent's overwrites and SEND_MESSAGES_IN_THREADS")
    func threads() {
        let world = World()
        let parent = Channel(
            id: world.otherUserID, type: .guildText, guildID: world.guildID,
            permissionOverwrites: [.role(world.memberRole.id, allow: [.sendMessagesInThreads], deny: [.attachFiles])]
        )
        let thread = Channel(id: world.userID, type: .publicThread, guildID: world.guildID, parentID: parent.id)
        let member = world.subject([world.memberRole])
        let inThread = world.guild.permissions(of: member, in: thread, parent: parent)
        #expect(inThread.contains(.sendMessages))
        #expect(!inThread.contains(.attachFiles))
        let stranger = world.subject([])
        let strangerInThread = world.guild.permissions(of: stranger, in: thread, parent: parent)
        #expect(!strangerInThread.contains(.sendMessages))
        #expect(!strangerInThread.contains(.mentionEveryone))
        #expect(strangerInThread.contains(.viewChannel))
        // Without the parent, the thread's own overwrites (none here) apply.
        #expect(!world.guild.permissions(of: member, in: thread).contains(.sendMessages))
    }

    @Test("DMs allow a fixed set")
    func directMessages() {
        let world = World()
        let bare = Channel(id: world.otherUserID, type: .guildVoice, guildID: world.guildID)
        #expect(world.guild.permissions(of: world.subject([world.memberRole]), in: bare) == Self.everyoneBase.union([.addReactions, .embedLinks]))
        let dm = Channel(id: world.otherUserID, type: .dm)
        #expect(world.guild.permissions(of: world.subject([]), in: dm) == GuildPermissions.directMessagePermissions)
    }

    @Test("subjects from members")
    func subjects() throws {
        let world = World()
        let until = world.now.advanced(by: .seconds(5))
        let member = GuildMember(user: User(id: world.userID, username: "m"), roles: [world.helperRole.id], communicationDisabledUntil: until)
        let subject = try #require(PermissionSubject(member: member))
        #expect(subject.userID == world.userID)
        #expect(subject.roleIDs == [world.helperRole.id])
        #expect(subject.isTimedOut(at: world.now))
        #expect(!subject.isTimedOut(at: until))
        #expect(PermissionSubject(member: GuildMember(roles: [])) == nil)
        #expect(PermissionSubject(userID: world.otherUserID, member: GuildMember(roles: [world.memberRole.id])).roleIDs == [world.memberRole.id])
        #expect(!PermissionSubject(userID: world.userID).isTimedOut(at: world.now))
    }

    @Test("a guild value builds the same calculator")
    func fromGuild() {
        let world = World()
        let guild = Guild(id: world.guildID, name: "g", ownerID: world.ownerID, roles: Array(world.guild.roles.values))
        #expect(GuildPermissions(guild: guild) == world.guild)
    }
}

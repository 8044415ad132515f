import GuildhallCore
import GuildhallDiscordModels

/// Application commands: bulk overwrite and listing, globally and per guild.
extension SandboxState {
    /// Discord's per-scope caps: 100 slash commands, 15 user and 15 message commands.
    static let commandCaps: [Int: Int] = [1: 100, 2: 15, 3: 15, 4: 1]

    func commands(guildID: Snowflake?) throws(SandboxAPIError) -> [ApplicationCommand] {
        guard let guildID else { return globalCommands }
        guard guilds[guildID] != nil else { throw .missingAccess }
        return guildCommands[guildID] ?? []
    }

    /// Replaces every command of a scope with `bytes` (a JSON array of commands), keeping the
    /// id of a command whose name and type stay the same, as Discord does.
    mutating func overwriteCommands(guildID: Snowflake?, bytes: [UInt8]) throws(SandboxAPIError) -> [ApplicationCommand] {
        let existing = try commands(guildID: guildID)
        let items = try RequestBody.array(bytes)
        var issues: [RequestValidationIssue] = []
        var parsed: [ApplicationCommand] = []
        var seen: Set<String> = []
        var perType: [Int: Int] = [:]
        for (index, item) in items.enumerated() {
            let command = try RequestBody.decode(ApplicationCommand.self, from: item, path: [String(index)])
            issues += command.validationIssues().map {
                RequestValidationIssue(path: [String(index)] + $0.path, code: $0.code, message: $0.message)
            }
            let type = command.type?.rawValue ?? 1
            if !seen.insert("\(type):\(command.name)").inserted {
                issues.append(RequestValidationIssue(
                    path: [String(index), "name"], code: "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    message: "Application command names must be unique"
                ))
            }
            perType[type, default: 0] += 1
            parsed.append(command)
        }
        for (type, count) in perType.sorted(by: { $0.key < $1.key }) where count > Self.commandCaps[type, default: 100] {
            issues.append(RequestValidationIssue(
                path: [], code: "APPLICATION_COMMANDS_TOO_MANY", message: "Too many application commands of type \(type) (\(count))."
            ))
        }
        if !issues.isEmpty { throw .invalidFormBody(issues) }

        var stored: [ApplicationCommand] = []
        for var command in parsed {
            let type = command.type ?? .chatInput
            let previous = existing.first { $0.name == command.name && ($0.type ?? .chatInput) == type }
            command.id = previous?.id ?? nextID()
            command.type = type
            command.applicationID = application.id
            command.guildID = guildID
            command.version = previous.map { $0 == Self.normalized(command, like: $0) ? $0.version : nil } ?? nil
            if command.version == nil { command.version = nextID() }
            if guildID == nil, command.dmPermission == nil { command.dmPermission = true }
            stored.append(command)
        }
        if let guildID { guildCommands[guildID] = stored } else { globalCommands = stored }
        return stored
    }

    /// `command` with the server-set fields of `previous`, to tell whether anything changed.
    private static func normalized(_ command: ApplicationCommand, like previous: ApplicationCommand) -> ApplicationCommand {
        var command = command
        command.version = previous.version
        command.dmPermission = command.dmPermission ?? previous.dmPermission
        return command
    }

    /// A command as Discord returns it (`ApplicationCommandResponse`).
    func commandJSON(_ command: ApplicationCommand) -> JSONValue {
        let defaults: [String: JSONValue] = [
            "default_member_permissions": .null, "description": .string(""), "nsfw": .bool(false),
            "integration_types": .array([.integer(0)]), "contexts": .null, "description_localizations": .null,
            "name_localizations": .null,
        ]
        return SandboxWire.complete(SandboxWire.json(command), with: defaults)
    }

    /// The registered command an invocation names: the guild's first, then the global one.
    func registeredCommand(named name: String, type: Int, guildID: Snowflake?) -> ApplicationCommand? {
        let guildScope = guildID.flatMap { guildCommands[$0] } ?? []
        return (guildScope + globalCommands).first { $0.name == name && ($0.type?.rawValue ?? 1) == type }
    }
}

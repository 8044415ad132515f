import GuildhallCore
import GuildhallDiscordModels

/// The message fields of a create, edit, interaction response or webhook body, decoded with
/// the model's `CreateMessageRequest` and checked against Discord's limits (FACTS.md §8)
/// before anything is stored. `present` remembers which keys the body had, because an edit
/// tells "leave alone" (absent) from "clear" (null).
struct MessageDraft: Sendable {
    struct Mentions: Sendable, Equatable {
        var parse: Set<String>
        var users: [Snowflake]
        var roles: [Snowflake]

        /// Normal bot messages ping everything; interaction responses and webhooks only users.
        static let botDefault = Mentions(parse: ["users", "roles", "everyone"], users: [], roles: [])
        static let webhookDefault = Mentions(parse: ["users"], users: [], roles: [])
    }

    var content: String?
    var embeds: [Embed]?
    var components: [MessageComponent]?
    var flags: Int?
    var tts = false
    var nonce: MessageNonce?
    var enforceNonce = false
    var messageReference: MessageReference?
    var allowedMentions: Mentions?
    var stickerCount = 0
    var present: Set<String> = []

    var isEmpty: Bool {
        (content ?? "").isEmpty && (embeds ?? []).isEmpty && (components ?? []).isEmpty && stickerCount == 0
    }

    enum Kind: Sendable {
        /// A new message: it may not be empty.
        case create
        /// An edit, an interaction response or a webhook body: emptiness is the caller's call.
        case edit
    }

    /// Reads `bytes` as a message body, checked with the model's validators. `allowedFlags`
    /// are the flags this kind of message may set (others are a 50035).
    static func parse(_ bytes: [UInt8], kind: Kind = .create, allowedFlags: Int) throws(SandboxAPIError) -> MessageDraft {
        let raw = try RequestBody(bytes: bytes)
        let request = try RequestBody.decode(CreateMessageRequest.self, bytes: bytes)
        var draft = MessageDraft()
        draft.present = Set(raw.fields.keys)
        draft.content = request.content
        draft.embeds = request.embeds
        draft.components = request.components
        draft.flags = request.flags?.rawValue
        draft.tts = request.tts ?? false
        draft.nonce = request.nonce
        draft.enforceNonce = request.enforceNonce ?? false
        draft.messageReference = request.messageReference
        draft.stickerCount = request.stickerIDs?.count ?? 0
        if let mentions = request.allowedMentions {
            draft.allowedMentions = Mentions(
                parse: Set(mentions.parse.map(\.rawValue)), users: mentions.users ?? [], roles: mentions.roles ?? []
            )
        }
        var issues: [RequestValidationIssue]
        switch kind {
        case .create:
            issues = request.validationIssues()
        case .edit:
            issues = EditMessageRequest(
                content: request.content, embeds: request.embeds, flags: request.flags,
                allowedMentions: request.allowedMentions, components: request.components
            ).validationIssues()
        }
        var customIDs: Set<String> = []
        for component in (draft.components ?? []).flatMap(\.flattened) {
            guard let customID = component.customID, !customIDs.insert(customID).inserted else { continue }
            issues.append(RequestValidationIssue(
                path: ["components"], code: "COMPONENT_CUSTOM_ID_DUPLICATED", message: "Component custom id cannot be duplicated"
            ))
        }
        if let flags = draft.flags, flags & ~allowedFlags != 0 {
            issues.append(RequestValidationIssue(path: ["flags"], code: RequestValidationIssue.invalid, message: "Invalid flags for this message."))
        }
        for kind in (draft.allowedMentions?.parse ?? []).sorted() where !["users", "roles", "everyone"].contains(kind) {
            issues.append(RequestValidationIssue(
                path: ["allowed_mentions", "parse"], code: "BASE_TYPE_CHOICES",
                message: "Value must be one of ('roles', 'users', 'everyone')."
            ))
        }
        if !issues.isEmpty { throw SandboxAPIError(RequestValidationError(issues: issues).errorBody) }
        return draft
    }
}

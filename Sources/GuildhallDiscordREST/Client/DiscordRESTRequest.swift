import Foundation
import GuildhallCore
import GuildhallDiscordModels
import NIOHTTP1

/// A request body as sent.
public enum RESTRequestBody: Sendable, Hashable {
    /// `application/json`.
    case json(Data)
    /// `application/x-www-form-urlencoded` (the OAuth2 token endpoint accepts nothing else).
    case form([RouteQueryItem])

    /// Encodes `value` as JSON with Discord's conventions (keys as the models declare them).
    public static func json(encoding value: some Encodable) throws -> RESTRequestBody {
        do {
            // Straight to a tree and then to text: several times cheaper than JSONEncoder,
            // and every answer to an interaction goes through here.
            return .json(Data(try JSONValueEncoder().encode(value).jsonBytes))
        } catch {
            throw GuildhallError(.invalidInput, "request body could not be encoded as JSON", underlying: error)
        }
    }

    var contentType: String {
        switch self {
        case .json: return "application/json"
        case .form: return "application/x-www-form-urlencoded"
        }
    }

    var bytes: Data {
        switch self {
        case .json(let data): return data
        case .form(let items):
            // Form encoding: the unreserved set stays, everything else is %XX (spaces too,
            // which every form parser accepts).
            return Data(items.map { "\(PathEncoding.encodeSegment($0.name))=\(PathEncoding.encodeSegment($0.value))" }.joined(separator: "&").utf8)
        }
    }
}

/// One call to Discord: a route, an optional body, and an optional audit-log reason.
public struct DiscordRESTRequest: Sendable, Equatable {
    public var route: DiscordRoute
    public var body: RESTRequestBody?
    /// Written to the guild's audit log (`X-Audit-Log-Reason`), percent-encoded; 1–512 characters.
    public var auditLogReason: String?

    public init(route: DiscordRoute, body: RESTRequestBody? = nil, auditLogReason: String? = nil) {
        self.route = route
        self.body = body
        self.auditLogReason = auditLogReason
    }

    /// Discord takes reasons of 1–512 characters. An empty reason is as good as none.
    public static let maximumAuditLogReasonLength = 512

    /// The header value, or nil for no header; throws `invalid_input` for a reason Discord
    /// would refuse, before anything is sent.
    func encodedAuditLogReason() throws -> String? {
        guard let reason = auditLogReason, !reason.isEmpty else { return nil }
        guard reason.count <= Self.maximumAuditLogReasonLength else {
            throw GuildhallError(.invalidInput, "audit-log reason is \(reason.count) characters; Discord takes at most \(Self.maximumAuditLogReasonLength)")
        }
        return PathEncoding.encodeSegment(reason)
    }
}

/// A successful response: status, headers and the raw body.
public struct DiscordRESTResponse: Sendable {
    public let status: Int
    public let headers: HTTPHeaders
    public let body: Data

    public init(status: Int, headers: HTTPHeaders, body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

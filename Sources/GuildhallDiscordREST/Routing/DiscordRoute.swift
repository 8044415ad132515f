import Foundation
import GuildhallCore
import NIOHTTP1

/// How a request proves who it is.
public enum RESTAuthorization: Sendable, Hashable, CustomStringConvertible {
    /// `Authorization: Bot <token>` with the client's bot token.
    case bot
    /// `Authorization: Bearer <access_token>`: an OAuth2 user's token (dashboard calls).
    case bearer(String)
    /// HTTP Basic with the application's id and secret (the OAuth2 token endpoint).
    case basic(clientID: String, clientSecret: String)
    /// No header: the token is in the path (interaction callbacks and follow-ups).
    case none

    /// Safe for logs: never contains a secret.
    public var description: String {
        switch self {
        case .bot: return "bot"
        case .bearer: return "bearer"
        case .basic: return "basic"
        case .none: return "none"
        }
    }
}

/// One query parameter, in order (array parameters repeat the name).
public struct RouteQueryItem: Sendable, Hashable {
    public let name: String
    public let value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A REST call's address: method, path template, the filled-in path, its major parameter
/// and how it is rate limited. Built by the endpoint constructors (`DiscordRoute+Endpoints`)
/// or by `init(_:_:parameters:)` for anything else.
public struct DiscordRoute: Sendable, Equatable, CustomStringConvertible {
    public let method: HTTPMethod
    /// The path as Discord's spec writes it, e.g. `/channels/{channel_id}/messages`.
    public let template: String
    /// The path with every placeholder replaced by its percent-encoded value.
    public let path: String
    public let major: MajorParameter
    public var query: [RouteQueryItem]
    public var authorization: RESTAuthorization
    /// False for interaction callbacks and follow-ups, which Discord exempts from the
    /// global 50 requests/s (FACTS §3.2).
    public var countsTowardGlobalLimit: Bool
    /// True for an interaction's initial callback: its bucket is that one interaction, which
    /// takes exactly one answer, and it does not count toward the global limit, so the
    /// shared limiter has nothing to reserve or learn and is not asked (two Redis scripts
    /// saved on every click). A 429 is still waited out, and a 401/403/429 still counts
    /// toward the invalid-request guard.
    public var skipsLimiter = false

    /// Fills `template`'s `{name}` placeholders from `parameters`. Missing or unused
    /// parameters, and empty values, throw `invalid_input`: a route is never half-built.
    public init(
        _ method: HTTPMethod, _ template: String, parameters: [String: String] = [:],
        query: [RouteQueryItem] = [], authorization: RESTAuthorization = .bot, countsTowardGlobalLimit: Bool = true
    ) throws {
        guard template.hasPrefix("/") else {
            throw GuildhallError(.invalidInput, "route template '\(template)' must start with '/'")
        }
        var path = ""
        var used = Set<String>()
        var segments: [String: String] = [:]
        for segment in template.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            path += "/"
            guard segment.hasPrefix("{"), segment.hasSuffix("}"), segment.count > 2 else {
                path += segment
                continue
            }
            let name = String(segment.dropFirst().dropLast())
            guard let value = parameters[name], !value.isEmpty, value != ".", value != ".." else {
                throw GuildhallError(.invalidInput, "route \(method) \(template) needs a non-empty '\(name)' that is not a dot segment")
            }
            used.insert(name)
            segments[name] = value
            path += PathEncoding.encodeSegment(value)
        }
        let unused = Set(parameters.keys).subtracting(used)
        guard unused.isEmpty else {
            throw GuildhallError(.invalidInput, "route \(method) \(template) has no placeholder for \(unused.sorted())")
        }
        self.method = method
        self.template = template
        self.path = path
        self.major = try Self.major(template: template, values: segments)
        self.query = query
        self.authorization = authorization
        self.countsTowardGlobalLimit = countsTowardGlobalLimit
    }

    /// `POST /channels/{channel_id}/messages`: what logs and metrics call this route.
    public var description: String { "\(method.rawValue) \(template)" }

    /// The route's name in limiter keys: method and template as one key segment
    /// (`POST.channels.channel_id.messages`). Discord may limit methods differently, so the
    /// method is part of it.
    public var limiterRouteID: String {
        // Byte by byte: it runs for every request. Templates are ASCII; braces go, and each
        // `/` starts a segment.
        var id = Array(method.rawValue.utf8)
        var segmentStarted = false
        for byte in template.utf8 {
            switch byte {
            case UInt8(ascii: "/"):
                segmentStarted = false
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: "-"):
                if !segmentStarted {
                    id.append(UInt8(ascii: "."))
                    segmentStarted = true
                }
                id.append(byte)
            default:
                break
            }
        }
        return String(decoding: id, as: UTF8.self)
    }

    /// The path and query as sent, e.g. `/guilds/1/members?limit=1000&after=0`.
    public var pathAndQuery: String {
        guard !query.isEmpty else { return path }
        let items = query.map { "\(PathEncoding.encodeSegment($0.name))=\(PathEncoding.encodeSegment($0.value))" }
        return path + "?" + items.joined(separator: "&")
    }

    /// Discord's major parameters: the first resource of `/channels`, `/guilds`, `/webhooks`
    /// (with its token when present) and, by the same reasoning, `/interactions`.
    private static func major(template: String, values: [String: String]) throws -> MajorParameter {
        let parts = template.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[1].hasPrefix("{") else { return .none }
        let first = String(parts[1].dropFirst().dropLast())
        let token = parts.count >= 3 && parts[2].hasPrefix("{") ? values[String(parts[2].dropFirst().dropLast())] : nil
        func snowflake() throws -> Snowflake {
            guard let id = values[first].flatMap({ Snowflake($0) }) else {
                throw GuildhallError(.invalidInput, "'\(values[first] ?? "")' is not a snowflake for {\(first)} in \(template)")
            }
            return id
        }
        switch parts[0] {
        case "channels": return .channel(try snowflake())
        case "guilds": return .guild(try snowflake())
        case "webhooks": return .webhook(try snowflake(), token: token ?? "")
        case "interactions": return .interaction(try snowflake(), token: token ?? "")
        default: return .none
        }
    }
}

/// Percent-encoding for path segments, query items and the audit-log reason header:
/// everything but RFC 3986's unreserved characters is encoded, so `/`, `?`, `#`, `:` and
/// spaces in user-supplied values never change the request's shape.
public enum PathEncoding {
    public static func encodeSegment(_ value: String) -> String {
        var encoded = ""
        encoded.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

import NIOCore

/// Which RESP version to ask the server for.
public enum RedisProtocolVersion: Int, Sendable {
    /// RESP2 only: no HELLO, AUTH and SELECT as separate commands.
    case resp2 = 2
    /// HELLO 3 first, and RESP2 when the server rejects HELLO.
    case resp3 = 3
}

/// Where the server is and how the client talks to it.
public struct RedisConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int
    /// Connections in the pool (subscriptions get their own, besides these).
    public var poolSize: Int
    public var connectTimeout: TimeAmount
    /// How long a command may wait for its reply before it fails and its connection is closed.
    public var commandTimeout: TimeAmount
    public var protocolVersion: RedisProtocolVersion
    /// Sent as CLIENT SETNAME (in HELLO for RESP3) so connections show up in CLIENT LIST.
    public var clientName: String?
    /// First wait before reconnecting after a failed connect; doubled after each failure.
    public var reconnectInitialDelay: TimeAmount
    /// Cap on the reconnect wait.
    public var reconnectMaximumDelay: TimeAmount

    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        poolSize: Int = 4,
        connectTimeout: TimeAmount = .seconds(5),
        commandTimeout: TimeAmount = .seconds(5),
        protocolVersion: RedisProtocolVersion = .resp3,
        clientName: String? = nil,
        reconnectInitialDelay: TimeAmount = .milliseconds(50),
        reconnectMaximumDelay: TimeAmount = .seconds(2)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.poolSize = poolSize
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.protocolVersion = protocolVersion
        self.clientName = clientName
        self.reconnectInitialDelay = reconnectInitialDelay
        self.reconnectMaximumDelay = reconnectMaximumDelay
    }

    /// Parses `redis://[[user]:password@]host[:port][/db][?protocol=2|3]`.
    ///
    /// `rediss://` (TLS) is refused: this client has no TLS. Every malformed part throws a
    /// `RedisError` with code `.invalidConfiguration` and a message naming the part.
    public init(url: String, poolSize: Int = 4) throws(RedisError) {
        self.init(poolSize: poolSize)
        guard let schemeEnd = url.firstRange(of: "://") else {
            throw Self.invalid("URL '\(url)' has no scheme; expected redis://host:port")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        switch scheme {
        case "redis":
            break
        case "rediss":
            throw Self.invalid("rediss:// (TLS) is not supported by this client; use redis:// on a trusted network")
        default:
            throw Self.invalid("unsupported URL scheme '\(scheme)'; expected redis://")
        }
        var rest = url[schemeEnd.upperBound...]

        var query: Substring = ""
        if let questionMark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: questionMark)...]
            rest = rest[..<questionMark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = try Self.percentDecoded(userInfo[..<colon], part: "user name")
                username = user.isEmpty ? nil : user
                password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...], part: "password")
            } else {
                // `redis://secret@host`: a lone user-info part is the password, as redis-cli reads it.
                password = try Self.percentDecoded(userInfo, part: "password")
            }
        }

        var hostPart = rest
        var portPart: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else {
                throw Self.invalid("IPv6 host in '\(url)' has no closing ']'")
            }
            let afterClose = hostPart.index(after: close)
            if afterClose < hostPart.endIndex {
                guard hostPart[afterClose] == ":" else {
                    throw Self.invalid("unexpected text after IPv6 host in '\(url)'")
                }
                portPart = hostPart[hostPart.index(after: afterClose)...]
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty else {
            throw Self.invalid("URL '\(url)' has no host")
        }
        host = String(hostPart)
        if let portPart {
            guard let value = Int(portPart), (1...65535).contains(value) else {
                throw Self.invalid("port '\(portPart)' is not a number from 1 to 65535")
            }
            port = value
        }
        if !path.isEmpty {
            guard let value = Int(path), value >= 0 else {
                throw Self.invalid("database '\(path)' is not a non-negative number")
            }
            database = value
        }
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1)
            let name = pair[0]
            let value = pair.count > 1 ? pair[1] : ""
            switch name {
            case "protocol":
                guard let number = Int(value), let version = RedisProtocolVersion(rawValue: number) else {
                    throw Self.invalid("protocol '\(value)' must be 2 or 3")
                }
                protocolVersion = version
            default:
                throw Self.invalid("unknown URL parameter '\(name)'")
            }
        }
        guard poolSize >= 1 else {
            throw Self.invalid("pool size \(poolSize) must be at least 1")
        }
    }

    private static func invalid(_ message: String) -> RedisError {
        RedisError(.invalidConfiguration, message)
    }

    private static func percentDecoded(_ text: Substring, part: String) throws(RedisError) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard iterator.count >= 2,
                  let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            else {
                throw invalid("bad percent-escape in the \(part)")
            }
            bytes.append(value)
            iterator = iterator.dropFirst(2)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

import GuildhallRedis
import Testing

@Suite("Redis configuration")
struct RedisConfigurationTests {
    @Test func fullURL() throws {
        let configuration = try RedisConfiguration(url: "redis://bot:s%40cret@cache.internal:6380/3?protocol=2", poolSize: 8)
        #expect(configuration.host == "cache.internal")
        #expect(configuration.port == 6380)
        #expect(configuration.username == "bot")
        #expect(configuration.password == "s@cret")
        #expect(configuration.database == 3)
        #expect(configuration.poolSize == 8)
        #expect(configuration.protocolVersion == .resp2)
    }

    @Test func defaults() throws {
        let configuration = try RedisConfiguration(url: "redis://localhost")
        #expect(configuration.host == "localhost")
        #expect(configuration.port == 6379)
        #expect(configuration.username == nil)
        #expect(configuration.password == nil)
        #expect(configuration.database == 0)
        #expect(configuration.protocolVersion == .resp3)
    }

    @Test func passwordOnlyForms() throws {
        let colon = try RedisConfiguration(url: "redis://:pw@h:1")
        #expect(colon.username == nil)
        #expect(colon.password == "pw")
        let bare = try RedisConfiguration(url: "REDIS://pw@h")
        #expect(bare.password == "pw")
    }

    @Test func ipv6Host() throws {
        let configuration = try RedisConfiguration(url: "redis://[::1]:7000/1?protocol=3")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 7000)
        #expect(configuration.database == 1)
        #expect(try RedisConfiguration(url: "redis://[::1]").port == 6379)
    }

    @Test("bad URLs name what is wrong", arguments: [
        ("localhost:6379", "no scheme"),
        ("rediss://localhost", "TLS"),
        ("http://localhost", "scheme 'http'"),
        ("redis://", "no host"),
        ("redis://:pw@", "no host"),
        ("redis://host:0", "port '0'"),
        ("redis://host:99999", "port '99999'"),
        ("redis://host:abc", "port 'abc'"),
        ("redis://host/x", "database 'x'"),
        ("redis://host/-1", "database '-1'"),
        ("redis://host?protocol=4", "protocol '4'"),
        ("redis://host?tls=yes", "unknown URL parameter 'tls'"),
        ("redis://[::1", "closing ']'"),
        ("redis://[::1]x", "after IPv6"),
        ("redis://a:b%zz@host", "percent-escape in the password"),
        ("redis://u%4:b@host", "percent-escape in the user name"),
    ])
    func badURL(url: String, fragment: String) {
        do {
            _ = try RedisConfiguration(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func poolSizeMustBePositive() {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://h", poolSize: 0) }
    }

    @Test func errorDescriptions() {
        let plain = RedisError(.timeout, "slow")
        #expect(plain.description == "RedisError.timeout: slow")
        #expect(plain.serverErrorPrefix == nil)
        let wrapped = RedisError(.connectionFailed, "down", underlying: RedisError(.timeout, "inner"))
        #expect(wrapped.description.contains("inner"))
        #expect(RedisError(.server, "WRONGTYPE Operation against a key").serverErrorPrefix == "WRONGTYPE")
        #expect(RedisError.Code.poolClosed.description == "poolClosed")
        #expect(RedisError.Code("custom") == RedisError.Code("custom"))
    }

    @Test func scriptDigestIsSHA1() {
        #expect(RedisScript("").sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(RedisScript("abc").sha1 == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(RedisScript("return 1").sha1 == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")
        let long = String(repeating: "a", count: 1000)
        #expect(RedisScript(long).sha1 == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
    }
}

import Foundation
import GuildhallCore
import GuildhallFixtures
import NIOHTTP1
import Testing
@testable import GuildhallDiscordREST

@Suite("REST routes, headers and retry policy (pure)")
struct RouteAndHeaderTests {
    @Test("major parameters: channel, guild, webhook with token, interaction, none")
    func majors() throws {
        var factory = MockFactory.random()
        let (channel, guild, application, message) = (factory.snowflake(), factory.snowflake(), factory.snowflake(), factory.snowflake())
        #expect(try DiscordRoute.createMessage(channelID: channel).major == .channel(channel))
        #expect(try DiscordRoute.guildMember(.GET, guildID: guild, userID: message).major == .guild(guild))
        #expect(try DiscordRoute.followup(applicationID: application, token: "t1").major == .webhook(application, token: "t1"))
        #expect(try DiscordRoute.interactionCallback(interactionID: message, token: "t2").major == .interaction(message, token: "t2"))
        #expect(try DiscordRoute.gatewayBot().major == .none)
        #expect(try DiscordRoute.globalCommands(applicationID: application).major == .none)
        // Different majors name different limiter segments; tokens only as digests.
        let webhook = MajorParameter.webhook(application, token: "secret-token")
        #expect(webhook.limiterSegment == "w\(application.rawValue)-\(TokenDigest.hex("secret-token"))")
        #expect(!webhook.limiterSegment.contains("secret") && !webhook.description.contains("secret"))
        #expect(MajorParameter.webhook(application, token: "a").limiterSegment != MajorParameter.webhook(application, token: "b").limiterSegment)
        #expect(MajorParameter.interaction(message, token: "x").description == "interaction \(message)")
        #expect(MajorParameter.channel(channel).description == "channel \(channel)")
        #expect(MajorParameter.guild(guild).limiterSegment == "g\(guild.rawValue)")
        #expect(MajorParameter.none.limiterSegment == "none" && MajorParameter.none.description == "none")
    }

    @Test("limiter route ids keep method and template, never values")
    func routeIDs() throws {
        var factory = MockFactory.random()
        let id = factory.snowflake()
        #expect(try DiscordRoute.message(.DELETE, channelID: id, messageID: id).limiterRouteID == "DELETE.channels.channel_id.messages.message_id")
        #expect(try DiscordRoute.message(.PATCH, channelID: id, messageID: id).limiterRouteID == "PATCH.channels.channel_id.messages.message_id")
        #expect(try DiscordRoute.ownReaction(.PUT, channelID: id, messageID: id, emoji: "🎉").limiterRouteID == "PUT.channels.channel_id.messages.message_id.reactions.emoji_name.me")
        #expect(try DiscordRoute.followupMessage(.PATCH, applicationID: id, token: "t", messageID: nil).limiterRouteID == "PATCH.webhooks.webhook_id.webhook_token.messages.original")
        #expect(try DiscordRoute.message(.GET, channelID: id, messageID: id).description == "GET /channels/{channel_id}/messages/{message_id}")
    }

    @Test("routes are built whole or not at all")
    func routeErrors() {
        #expect(throws: GuildhallError.self) { try DiscordRoute(.GET, "channels/{channel_id}") }
        #expect(throws: GuildhallError.self) { try DiscordRoute(.GET, "/channels/{channel_id}") }
        #expect(throws: GuildhallError.self) { try DiscordRoute(.GET, "/channels/{channel_id}", parameters: ["channel_id": ""]) }
        #expect(throws: GuildhallError.self) { try DiscordRoute(.GET, "/channels/{channel_id}", parameters: ["channel_id": "1", "extra": "2"]) }
        #expect(throws: GuildhallError.self) { try DiscordRoute(.GET, "/channels/{channel_id}", parameters: ["channel_id": "not-a-snowflake"]) }
        #expect(throws: GuildhallError.self) { try DiscordRoute(.GET, "/channels/{channel_id}", parameters: ["channel_id": "."]) }
        #expect(throws: Never.self) { try DiscordRoute(.GET, "/other/{thing}", parameters: ["thing": "a b/c?d#e"]) }
        let route = try? DiscordRoute(.GET, "/other/{thing}", parameters: ["thing": "a b/c?d#e"], query: [RouteQueryItem("q", "x&y=z")])
        #expect(route?.path == "/other/a%20b%2Fc%3Fd%23e")
        #expect(route?.pathAndQuery == "/other/a%20b%2Fc%3Fd%23e?q=x%26y%3Dz")
        #expect(route?.major == MajorParameter.none)
        #expect(PathEncoding.encodeSegment("\t\n~") == "%09%0A~")
    }

    @Test("authorization descriptions never carry secrets")
    func authorizationDescriptions() {
        #expect(RESTAuthorization.bearer("secret").description == "bearer")
        #expect(RESTAuthorization.basic(clientID: "id", clientSecret: "secret").description == "basic")
        #expect(RESTAuthorization.bot.description == "bot" && RESTAuthorization.none.description == "none")
    }

    @Test("rate-limit headers are read, and malformed ones ignored")
    func headers() {
        var headers = HTTPHeaders()
        headers.add(name: "X-RateLimit-Limit", value: "5")
        headers.add(name: "x-ratelimit-remaining", value: " 4 ")
        headers.add(name: "X-RateLimit-Reset-After", value: "1.234")
        headers.add(name: "X-RateLimit-Bucket", value: "abcd1234ef")
        headers.add(name: "X-RateLimit-Scope", value: "Shared")
        headers.add(name: "X-RateLimit-Global", value: "true")
        headers.add(name: "Retry-After", value: "2")
        let parsed = RateLimitHeaders(headers: headers)
        #expect(parsed == RateLimitHeaders(limit: 5, remaining: 4, resetAfter: .milliseconds(1_234), bucket: "abcd1234ef", scope: .shared, isGlobal: true, retryAfter: .seconds(2)))
        #expect(parsed.describesBucket && parsed.isGlobalLimit)

        var fallback = HTTPHeaders()
        fallback.add(name: "X-RateLimit-Reset", value: "1000.5")
        let now = Date(timeIntervalSince1970: 1000)
        #expect(RateLimitHeaders(headers: fallback, now: now).resetAfter == .milliseconds(500))

        var bad = HTTPHeaders()
        bad.add(name: "X-RateLimit-Limit", value: "-1")
        bad.add(name: "X-RateLimit-Remaining", value: "many")
        bad.add(name: "X-RateLimit-Reset-After", value: "inf")
        bad.add(name: "X-RateLimit-Bucket", value: "bad:hash{0}")
        bad.add(name: "X-RateLimit-Scope", value: "galaxy")
        bad.add(name: "Retry-After", value: "-3")
        let ignored = RateLimitHeaders(headers: bad)
        #expect(ignored == RateLimitHeaders())
        #expect(!ignored.describesBucket && !ignored.isGlobalLimit)
        #expect(RateLimitHeaders(scope: .global).isGlobalLimit)
    }

    @Test("backoff doubles from the initial wait, is capped, and jitters between half and all")
    func backoff() {
        let policy = RetryPolicy(maximumRetries: 5, initialBackoff: .milliseconds(100), maximumBackoff: .seconds(1))
        #expect(policy.backoff(afterFailures: 1, jitter: 1) == .milliseconds(100))
        #expect(policy.backoff(afterFailures: 2, jitter: 1) == .milliseconds(200))
        #expect(policy.backoff(afterFailures: 3, jitter: 0) == .milliseconds(200))
        #expect(policy.backoff(afterFailures: 5, jitter: 1) == .seconds(1))
        #expect(policy.backoff(afterFailures: 64, jitter: 0.5) == .milliseconds(750))
        #expect(policy.backoff(afterFailures: 0, jitter: 7) == .milliseconds(100))
        let huge = RetryPolicy(initialBackoff: .seconds(1_000_000_000), maximumBackoff: .seconds(2_000_000_000))
        #expect(huge.backoff(afterFailures: 40, jitter: 1) == .seconds(2_000_000_000))
    }

    @Test("token digests are stable, 16 hex digits, and differ between tokens")
    func digests() {
        #expect(TokenDigest.hex("") == "cbf29ce484222325")
        #expect(TokenDigest.hex("a") == "af63dc4c8601ec8c")
        #expect(TokenDigest.hex("token-one") != TokenDigest.hex("token-two"))
        #expect(TokenDigest.hex(String(repeating: "z", count: 300)).count == 16)
    }

    @Test("request bodies and reasons encode as Discord expects")
    func bodies() throws {
        let form = RESTRequestBody.form([RouteQueryItem("a b", "c&d"), RouteQueryItem("e", "é")])
        #expect(String(decoding: form.bytes, as: UTF8.self) == "a%20b=c%26d&e=%C3%A9")
        #expect(form.contentType == "application/x-www-form-urlencoded")
        #expect(RESTRequestBody.json(Data("{}".utf8)).contentType == "application/json")
        #expect(throws: GuildhallError.self) { _ = try RESTRequestBody.json(encoding: Double.nan) }
        let route = try DiscordRoute.gatewayBot()
        #expect(try DiscordRESTRequest(route: route, auditLogReason: "").encodedAuditLogReason() == nil)
        #expect(try DiscordRESTRequest(route: route, auditLogReason: String(repeating: "é", count: 512)).encodedAuditLogReason()?.count == 512 * 6)
        #expect(throws: GuildhallError.self) { try DiscordRESTRequest(route: route, auditLogReason: String(repeating: "é", count: 513)).encodedAuditLogReason() }
    }

    @Test("errors describe themselves without secrets")
    func errorDescriptions() {
        let error = DiscordRESTError(.rateLimited, "slow down", route: "GET /x", status: 429, retryAfter: .milliseconds(1_500), attempts: 2, underlying: GuildhallError(.unavailable, "inner"))
        #expect("\(error)" == "rate_limited on GET /x: slow down [HTTP 429] [retry after 1s500ms] (unavailable: inner)")
        #expect(error.jsonCode == nil)
        #expect(DiscordRESTError.Code("custom").description == "custom")
    }
}

import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import GuildhallTestSupport
import Testing
@testable import GuildhallDiscordREST

/// What the client logs: enough to debug a rate limit, never a secret.
@Suite("REST client logging")
struct ClientLoggingTests {
    @Test("rate limits, retries and refusals are logged with their route; tokens and secrets never are")
    func logsWithoutSecrets() async throws {
        let calls = HitCounter()
        let server = try await ScriptedDiscordServer.start { request in
            switch calls.next() {
            case 1: return .json(429, ServerBuckets.tooManyRequestsBody(retryAfter: 0.05), headers: [("X-RateLimit-Scope", "user")])
            case 2: return .json(502, #"{"message": "Bad Gateway", "code": 0}"#)
            default:
                if request.path.hasSuffix("/oauth2/token") {
                    return .json(200, #"{"access_token": "a", "token_type": "Bearer", "expires_in": 1, "scope": "identify"}"#)
                }
                return request.method == "GET" ? .json(403, #"{"message": "Missing Access", "code": 50001}"#) : .noContent()
            }
        }
        let capture = LogRecorder()
        var factory = MockFactory.random()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL), logs: capture)
        let secrets = [TestClients.token, "user-secret-access", "interaction-secret-token", "client-secret-value"]
        try await client.createInteractionResponse(interactionID: factory.snowflake(), token: secrets[2], .reply("hi"))
        _ = await TestClients.error { _ = try await client.getCurrentUser(accessToken: secrets[1]) }
        _ = try await client.oauth2ClientCredentials(clientID: "42", clientSecret: secrets[3], scopes: ["identify"])

        let lines = capture.all
        #expect(lines.contains { $0.level == .warning && $0.message == "discord rest rate limited" && $0.metadata["scope"] == "user" })
        #expect(lines.contains { $0.level == .warning && $0.message == "discord rest retrying" && $0.metadata["reason"] == "server_error" })
        #expect(lines.contains { $0.level == .info && $0.message == "discord rest refused" && $0.metadata["code"] == "50001" })
        #expect(lines.contains { $0.message == "discord rest response" && $0.metadata["route"] == "POST /oauth2/token" })
        for line in lines {
            for secret in secrets {
                #expect(!line.text.contains(secret), "a secret reached the logs: \(line.text)")
            }
        }
        await server.stop()
    }

    @Test("value types of the public surface build and describe themselves")
    func publicValues() {
        let token = OAuth2TokenResponse(accessToken: "a", expiresIn: 60, scope: "identify guilds")
        #expect(token.tokenType == "Bearer" && token.refreshToken == nil && token.scopes == ["identify", "guilds"])
        let name = "custom_code"
        #expect(DiscordRESTError.Code(name).rawValue == name)
    }
}

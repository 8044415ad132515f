import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Testing
@testable import GuildhallSandbox

@Suite("OAuth2: authorize, token, Bearer access")
struct OAuthTests {
    static let redirect = "http://127.0.0.1:9/callback"

    func authorizePath(_ sandbox: SandboxHarness, scope: String = "identify guilds email", extra: String = "") -> String {
        let encodedRedirect = Self.redirect.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        return "/oauth2/authorize?response_type=code&client_id=\(sandbox.applicationID)&redirect_uri=\(encodedRedirect)&scope=\(scope.replacingOccurrences(of: " ", with: "%20"))&state=xyz\(extra)"
    }

    func form(_ items: [String: String]) -> [UInt8] {
        Array(SandboxOAuthRoutes.encode(items).utf8)
    }

    /// Logs in as `userID` and exchanges the code; returns the token response.
    func login(_ sandbox: SandboxHarness, as userID: Snowflake, scope: String = "identify guilds email") async throws -> JSONValue {
        let redirect = try await sandbox.call(.GET, authorizePath(sandbox, scope: scope, extra: "&login_as=\(userID)"), auth: .none)
        let location = try #require(redirect.header("location"))
        let components = try #require(URLComponents(string: location))
        let code = try #require(components.queryItems?.first { $0.name == "code" }?.value)
        let state = sandbox.state
        let token = try await sandbox.call(.POST, "/api/v10/oauth2/token", raw: form([
            "grant_type": "authorization_code", "code": code, "redirect_uri": Self.redirect,
            "client_id": state.application.id.description, "client_secret": state.application.clientSecret,
        ]), contentType: "application/x-www-form-urlencoded", auth: .none)
        #expect(token.status == 200, "\(token.text)")
        return token.json
    }

    @Test("the authorize page lists the sandbox people; login_as redirects back with a code and the state")
    func authorize() async throws {
        try await SandboxHarness.with { sandbox in
            let page = try await sandbox.call(.GET, authorizePath(sandbox), auth: .none)
            #expect(page.status == 200 && page.header("content-type")?.hasPrefix("text/html") == true)
            for name in ["Ada", "Bram", "Cleo", "Dev", "Eve"] { #expect(page.text.contains("Log in as \(name)")) }
            #expect(page.text.contains("sandbox Discord") && page.text.contains("access_denied"))
            let ada = sandbox.persona("ada")
            let redirect = try await sandbox.call(.GET, authorizePath(sandbox, extra: "&login_as=\(ada)"), auth: .none)
            #expect(redirect.status == 302)
            let location = try #require(redirect.header("location"))
            #expect(location.hasPrefix(Self.redirect + "?code=") && location.hasSuffix("&state=xyz"))
            let bot = try await sandbox.call(.GET, authorizePath(sandbox, scope: "bot", extra: "&login_as=\(ada)&guild_id=5&permissions=8"), auth: .none)
            #expect(bot.header("location")?.contains("guild_id=5") == true && bot.header("location")?.contains("permissions=8") == true)
            let viaAPI = try await sandbox.call(.GET, "/api/v10" + authorizePath(sandbox), auth: .none)
            #expect(viaAPI.status == 200)

            let wrongClient = try await sandbox.call(.GET, "/oauth2/authorize?client_id=1&redirect_uri=http://x/", auth: .none)
            #expect(wrongClient.status == 400 && wrongClient.text.contains("Unknown application"))
            let noRedirect = try await sandbox.call(.GET, "/oauth2/authorize?client_id=\(sandbox.applicationID)", auth: .none)
            #expect(noRedirect.status == 400)
            let botUser = try await sandbox.call(.GET, authorizePath(sandbox, extra: "&login_as=\(sandbox.botID)"), auth: .none)
            #expect(botUser.status == 400 && botUser.text.contains("Unknown user"))
        }
        try await SandboxHarness.with({ $0.oauthRedirectURIs = ["http://127.0.0.1:9/only"] }) { sandbox in
            let refused = try await sandbox.call(.GET, authorizePath(sandbox), auth: .none)
            #expect(refused.status == 400)
        }
    }

    @Test("code exchange gives a Bearer token; users/@me and users/@me/guilds answer for that person")
    func bearerAccess() async throws {
        try await SandboxHarness.with { sandbox in
            let ada = sandbox.persona("ada")
            let token = try await login(sandbox, as: ada)
            #expect(token["token_type"]?.stringValue == "Bearer" && token["expires_in"]?.integerValue == 604_800)
            #expect(token["scope"]?.stringValue == "identify guilds email" && token["refresh_token"] != nil)
            let access = try #require(token["access_token"]?.stringValue)
            let me = try await sandbox.api(.GET, "/users/@me", auth: .bearer(access)).json
            #expect(me["id"]?.stringValue == ada.description && me["email"]?.stringValue == "ada@sandbox.invalid")
            let guilds = try await sandbox.api(.GET, "/users/@me/guilds", auth: .bearer(access)).json.arrayValue
            #expect(guilds.count == 4)
            let owned = guilds.filter { $0["owner"]?.boolValue == true }
            #expect(owned.count == 2)
            #expect(owned.allSatisfy { $0["permissions"]?.stringValue == String(SandboxPermissionBits.all) })
            let authorization = try await sandbox.api(.GET, "/oauth2/@me", auth: .bearer(access)).json
            #expect(authorization["user"]?["id"]?.stringValue == ada.description && authorization["scopes"]?.arrayValue.count == 3)

            let eve = try await login(sandbox, as: sandbox.persona("eve"), scope: "identify")
            let eveAccess = try #require(eve["access_token"]?.stringValue)
            #expect(try await sandbox.api(.GET, "/users/@me", auth: .bearer(eveAccess)).json["email"] == nil)
            let noScope = try await sandbox.api(.GET, "/users/@me/guilds", auth: .bearer(eveAccess))
            #expect(noScope.status == 401)
            #expect(try await sandbox.api(.GET, "/gateway/bot", auth: .bearer(access)).status == 401)

            let refreshed = try await sandbox.call(.POST, "/api/oauth2/token", raw: form([
                "grant_type": "refresh_token", "refresh_token": token["refresh_token"]!.stringValue!,
            ]), contentType: "application/x-www-form-urlencoded", auth: .none,
                headers: [("Authorization", "Basic " + Data("\(sandbox.applicationID):\(sandbox.state.application.clientSecret)".utf8).base64EncodedString())])
            #expect(refreshed.status == 200, "\(refreshed.text)")
            #expect(try await sandbox.api(.GET, "/users/@me", auth: .bearer(access)).status == 401, "the old token is replaced")
            let newAccess = try #require(refreshed.json["access_token"]?.stringValue)
            #expect(try await sandbox.api(.GET, "/users/@me", auth: .bearer(newAccess)).status == 200)
            let revoked = try await sandbox.call(.POST, "/api/v10/oauth2/token/revoke", raw: form(["token": newAccess]),
                                                 contentType: "application/x-www-form-urlencoded", auth: .none)
            #expect(revoked.status == 200)
            #expect(try await sandbox.api(.GET, "/users/@me", auth: .bearer(newAccess)).status == 401)
        }
    }

    @Test("the token endpoint takes forms only, authenticates the client, and uses each code once")
    func tokenRefusals() async throws {
        try await SandboxHarness.with { sandbox in
            let state = sandbox.state
            let client = ["client_id": state.application.id.description, "client_secret": state.application.clientSecret]
            let json = try await sandbox.call(.POST, "/api/v10/oauth2/token", json: .object(["grant_type": .string("authorization_code")]), auth: .none)
            #expect(json.status == 400 && json.json["error"]?.stringValue == "invalid_request")
            func post(_ items: [String: String]) async throws -> SandboxHarness.Reply {
                try await sandbox.call(.POST, "/api/v10/oauth2/token", raw: form(items), contentType: "application/x-www-form-urlencoded", auth: .none)
            }
            #expect(try await post(["grant_type": "authorization_code", "code": "x", "client_id": "1", "client_secret": "no"]).status == 401)
            #expect(try await post(client.merging(["grant_type": "authorization_code", "code": "nope"]) { $1 }).json["error"]?.stringValue == "invalid_grant")
            #expect(try await post(client.merging(["grant_type": "authorization_code"]) { $1 }).json["error"]?.stringValue == "invalid_request")
            #expect(try await post(client.merging(["grant_type": "refresh_token"]) { $1 }).json["error"]?.stringValue == "invalid_request")
            #expect(try await post(client.merging(["grant_type": "refresh_token", "refresh_token": "x"]) { $1 }).json["error"]?.stringValue == "invalid_grant")
            #expect(try await post(client.merging(["grant_type": "password"]) { $1 }).json["error"]?.stringValue == "unsupported_grant_type")
            let credentials = try await post(client.merging(["grant_type": "client_credentials", "scope": "identify applications.commands.update"]) { $1 })
            #expect(credentials.status == 200 && credentials.json["refresh_token"] == nil)

            let redirect = try await sandbox.call(.GET, authorizePath(sandbox, extra: "&login_as=\(sandbox.persona("cleo"))"), auth: .none)
            let code = try #require(URLComponents(string: redirect.header("location")!)?.queryItems?.first { $0.name == "code" }?.value)
            let wrongRedirect = try await post(client.merging(["grant_type": "authorization_code", "code": code, "redirect_uri": "http://elsewhere/"]) { $1 })
            #expect(wrongRedirect.json["error"]?.stringValue == "invalid_grant")
            #expect(try await post(client.merging(["grant_type": "authorization_code", "code": code]) { $1 }).json["error"]?.stringValue == "invalid_grant", "codes work once")
        }
    }

    @Test("the OAuth ledger expires codes and tokens")
    func ledgerExpiry() throws {
        var ledger = SandboxOAuthLedger()
        let code = ledger.issueCode(for: Snowflake(1), scopes: ["identify"], redirectURI: "r", now: 0)
        #expect(ledger.exchange(code: code, redirectURI: "r", now: 601) == nil)
        let fresh = ledger.issueCode(for: Snowflake(1), scopes: ["identify"], redirectURI: "r", now: 0)
        let exchanged = ledger.exchange(code: fresh, redirectURI: nil, now: 1)
        let (access, refresh, _) = try #require(exchanged)
        #expect(ledger.grant(forAccessToken: access, now: 2) != nil)
        #expect(ledger.grant(forAccessToken: access, now: 1 + 604_801) == nil)
        ledger.revoke(token: refresh)
        #expect(ledger.grant(forAccessToken: access, now: 2) == nil)
    }
}

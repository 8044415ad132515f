import Foundation
import GuildhallDiscordModels
import Testing

@Suite("Discord error bodies")
struct ErrorBodyTests {
    @Test("well-known bodies encode code and Discord's message")
    func wellKnown() throws {
        let body = DiscordAPIErrorBody(code: .missingPermissions)
        #expect(try JSONHelpers.string(body) == #"{"code":50013,"message":"Missing Permissions"}"#)
        #expect(body.description == "Discord error 50013 (MISSING_PERMISSIONS): Missing Permissions")
        #expect(try JSONHelpers.roundTrip(body) == body)
        let custom = DiscordAPIErrorBody(code: .unknownInteraction, message: "Unknown interaction", errors: DiscordErrorTree())
        #expect(try JSONHelpers.string(custom) == #"{"code":10062,"message":"Unknown interaction"}"#)
        let error: any Error = body
        #expect(error is DiscordAPIErrorBody)
    }

    @Test("a 50035 body nests issues where they occurred and flattens back")
    func invalidFormBody() throws {
        let issues = [
            RequestValidationIssue(path: ["embeds", "0", "title"], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 256 or fewer in length."),
            RequestValidationIssue(path: ["content"], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length."),
            RequestValidationIssue(path: [], code: "APPLICATION_COMMAND_TOO_LARGE", message: "Too large"),
            RequestValidationIssue(path: ["content"], code: "SECOND", message: "Another"),
        ]
        let body = DiscordAPIErrorBody.invalidFormBody(issues)
        let object = try JSONHelpers.object(body)
        #expect(object["code"] as? Int == 50035)
        #expect(object["message"] as? String == "Invalid Form Body")
        let errors = try #require(object["errors"] as? [String: Any])
        let title = (((errors["embeds"] as? [String: Any])?["0"] as? [String: Any])?["title"] as? [String: Any])?["_errors"] as? [[String: String]]
        #expect(title == [["code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 256 or fewer in length."]])
        #expect((errors["_errors"] as? [[String: String]])?.first?["code"] == "APPLICATION_COMMAND_TOO_LARGE")
        let decoded = try JSONHelpers.roundTrip(body)
        #expect(decoded == body)
        let flat = try #require(decoded.errors?.flattened)
        #expect(flat.map(\.path) == ["", "content", "content", "embeds.0.title"])
        #expect(body.description.contains("embeds.0.title: Must be 256 or fewer in length."))
        #expect(body.description.contains("; Too large"))
        #expect(issues[0].description == "embeds.0.title: Must be 256 or fewer in length.")
        #expect(issues[2].description == "Too large")
        #expect(DiscordErrorTree().isEmpty)
        #expect(!(body.errors?.isEmpty ?? true))
    }

    @Test("odd error trees keep what Discord said")
    func oddTrees() throws {
        let body = try JSONHelpers.decode(DiscordAPIErrorBody.self, #"{"code":50035,"message":"m","errors":{"a":["one","two"],"b":"text","c":5}}"#)
        let tree = try #require(body.errors)
        #expect(tree.children["a"]?.errors.map(\.message) == ["one", "two"])
        #expect(tree.children["b"]?.errors.map(\.message) == ["text"])
        #expect(tree.children["c"]?.errors.map(\.message) == ["unreadable error detail"])
        #expect(tree.children["a"]?.errors.first?.code == "")
    }

    @Test("429 bodies encode retry_after and global")
    func rateLimit() throws {
        let body = DiscordRateLimitBody(retryAfter: 1.5, global: true)
        #expect(try JSONHelpers.string(body) == #"{"global":true,"message":"You are being rate limited.","retry_after":1.5}"#)
        let shared = DiscordRateLimitBody(message: "m", retryAfter: 3, global: false, code: .generalError)
        #expect(try JSONHelpers.roundTrip(shared) == shared)
    }
}

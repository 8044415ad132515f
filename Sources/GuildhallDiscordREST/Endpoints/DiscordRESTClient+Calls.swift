import Foundation
import GuildhallCore
import GuildhallDiscordModels

/// The plumbing the typed endpoints share: building the request (bad input becomes an
/// `invalid_request` error before anything is sent), then sending and decoding.
extension DiscordRESTClient {
    func prepared(_ endpoint: String, _ build: () throws -> DiscordRESTRequest) throws -> DiscordRESTRequest {
        do {
            return try build()
        } catch let error as GuildhallError {
            throw DiscordRESTError(.invalidRequest, error.message, route: endpoint, underlying: error)
        } catch let error as RequestValidationError {
            // The same body Discord would answer with, so callers handle both alike.
            throw DiscordRESTError(.invalidRequest, error.description, route: endpoint, apiError: error.errorBody, underlying: error)
        }
    }

    /// Checks a list of bodies, locating each problem under its index as Discord does.
    static func validate(_ items: [some ValidatableRequest]) throws {
        let issues = items.enumerated().flatMap { index, item in
            item.validationIssues().map { RequestValidationIssue(path: [String(index)] + $0.path, code: $0.code, message: $0.message) }
        }
        if !issues.isEmpty { throw RequestValidationError(issues: issues) }
    }

    func call<Response: Decodable>(_ endpoint: String, as type: Response.Type = Response.self, _ build: () throws -> DiscordRESTRequest) async throws -> Response {
        try await send(try prepared(endpoint, build), as: Response.self)
    }

    func callIgnoringResponse(_ endpoint: String, _ build: () throws -> DiscordRESTRequest) async throws {
        _ = try await send(try prepared(endpoint, build))
    }

    /// Throws `invalid_input` unless `value` is within `range`.
    static func require(_ value: Int, in range: ClosedRange<Int>, _ name: String) throws {
        guard range.contains(value) else {
            throw GuildhallError(.invalidInput, "\(name) must be \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
    }

    /// Mentions parse nothing unless the caller said which may ping: a missing
    /// `allowed_mentions` would let Discord's defaults ping everyone the text names.
    static func safeMentions(_ mentions: AllowedMentions?) -> AllowedMentions {
        mentions ?? .parseNothing
    }
}

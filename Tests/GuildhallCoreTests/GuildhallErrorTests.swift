@testable import GuildhallCore
import Testing

@Suite("GuildhallError")
struct GuildhallErrorTests {
    @Test("every shared code has its stable raw value", arguments: [
        (GuildhallError.Code.invalidConfiguration, "invalid_configuration"),
        (.invalidInput, "invalid_input"),
        (.invalidKey, "invalid_key"),
        (.notFound, "not_found"),
        (.conflict, "conflict"),
        (.unavailable, "unavailable"),
        (.notImplemented, "not_implemented"),
        (.forbidden, "forbidden"),
        (.internalError, "internal_error"),
    ])
    func sharedCodes(code: GuildhallError.Code, raw: String) {
        #expect(code.rawValue == raw)
        #expect(code.description == raw)
        #expect(code == GuildhallError.Code(raw))
    }

    @Test func codesAreExtensibleByLiteralAndInitializer() {
        let literal: GuildhallError.Code = "premium_required"
        let built = GuildhallError.Code("premium_required")
        #expect(literal == built)
        #expect(literal.hashValue == built.hashValue)
        #expect(literal != .forbidden)
        #expect(Set<GuildhallError.Code>([literal, built, .forbidden]).count == 2)
    }

    @Test func descriptionWithoutUnderlying() {
        let error = GuildhallError(.notFound, "guild 42 has no settings")
        #expect(error.code == .notFound)
        #expect(error.message == "guild 42 has no settings")
        #expect(error.underlying == nil)
        #expect(error.description == "not_found: guild 42 has no settings")
        #expect("\(error)" == "not_found: guild 42 has no settings")
    }

    @Test func descriptionIncludesTheUnderlyingError() {
        let cause = GuildhallError(.unavailable, "redis is down")
        let error = GuildhallError(.internalError, "lookup failed", underlying: cause)
        #expect(error.description == "internal_error: lookup failed (unavailable: redis is down)")
        let underlying = try? #require(error.underlying as? GuildhallError)
        #expect(underlying?.code == .unavailable)
    }

    @Test func fieldsAreMutable() {
        var error = GuildhallError(.conflict, "first")
        error.code = .forbidden
        error.message = "second"
        #expect(error.description == "forbidden: second")
    }
}

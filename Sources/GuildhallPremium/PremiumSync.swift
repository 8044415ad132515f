import GuildhallCore
import GuildhallDiscordModels
import Logging

/// The periodic sync: every entitlement Discord lists for the application, recorded. When
/// the listing fails, nothing is recorded and nobody is downgraded; the error is thrown so
/// the job that runs this retries.
public struct PremiumSync: Sendable {
    /// Lists every entitlement of the application (the REST client's paged listing).
    public typealias Lister = @Sendable () async throws -> [Entitlement]

    let premium: PremiumService
    let list: Lister
    let logger: Logger

    public init(premium: PremiumService, logger: Logger, list: @escaping Lister) {
        self.premium = premium
        self.logger = logger
        self.list = list
    }

    @discardableResult
    public func run() async throws -> Int {
        let entitlements: [Entitlement]
        do {
            entitlements = try await list()
        } catch {
            logger.warning("entitlement sync could not list Discord's entitlements; nothing changed", metadata: ["error": "\(error)"])
            throw GuildhallError(.unavailable, "the entitlement listing failed; plans are left as they were", underlying: error)
        }
        return try await premium.sync(entitlements)
    }
}

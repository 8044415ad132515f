import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallPremium
import Logging

/// ENTITLEMENT_CREATE, UPDATE and DELETE from the gateway, into the premium table. A failure
/// is logged and left for the periodic sync to repair; it never downgrades anyone.
public struct PremiumEntitlementHandler: GatewayEventHandler {
    let premium: PremiumService
    let logger: Logger

    public init(premium: PremiumService, logger: Logger) {
        self.premium = premium
        self.logger = logger
    }

    public func handle(_ event: ShardEvent) async {
        do {
            switch event.event {
            case .entitlementCreate(let entitlement), .entitlementUpdate(let entitlement):
                try await premium.record(entitlement)
            case .entitlementDelete(let entitlement):
                try await premium.revoke(entitlement)
            default:
                return
            }
        } catch {
            logger.error("entitlement event not recorded; the next sync will retry", metadata: ["event": "\(event.event.name)", "error": "\(error)"])
        }
    }
}

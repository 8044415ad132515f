import Foundation
@testable import GuildhallDashboard
import GuildhallPremium
import Testing

@Suite("the plan as the overview shows it")
struct PremiumLabelTests {
    @Test("free, premium without an end, premium until a date, and a grace period")
    func labels() {
        let end = Date(timeIntervalSince1970: 3_786_912_000)
        #expect(DashboardPages.premiumLabel(PremiumStatus(tier: .free, source: .none)) == "Free")
        #expect(DashboardPages.premiumLabel(PremiumStatus(tier: .premium, source: .discord)) == "Premium")
        #expect(DashboardPages.premiumLabel(PremiumStatus(tier: .premium, source: .operator, endsAt: end)) == "Premium until 2090-01-01 00:00 UTC")
        #expect(DashboardPages.premiumLabel(PremiumStatus(tier: .premium, source: .discord, endsAt: end, graceUntil: end.addingTimeInterval(3 * 86_400)))
            == "Premium (ended; grace period until 2090-01-04 00:00 UTC)")
    }
}

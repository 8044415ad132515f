import GuildhallGuildSettings
import GuildhallPremium

/// The module catalog the settings tests use: the two features this build ships, plus two
/// stand-ins (a plain one and a premium-only one) so the platform's toggles, premium checks
/// and caches are tested without depending on which features exist.
public enum TestModules {
    public static let catalog = ModuleCatalog([
        ModuleDescriptor(id: "leveling", title: "Leveling"),
        ModuleDescriptor(id: "giveaways", title: "Giveaways"),
        ModuleDescriptor(id: .testPlain, title: "Plain test module"),
        ModuleDescriptor(id: .testPremium, title: "Premium test module", premium: TestPlans.premiumModule),
    ])
}

extension ModuleID {
    /// A registered module with no premium need (tests only).
    public static let testPlain: ModuleID = "test-plain"
    /// A registered module that needs premium (tests only).
    public static let testPremium: ModuleID = "test-premium"
}

/// Plan rows for the stand-in modules, beside the features' own rows in tests that need them.
public enum TestPlans {
    /// The premium test module's switch: off on the free plan, on with premium.
    public static let premiumModule = PlanLimit(feature: "test-premium", name: "enabled")

    public static let rows = [PlanRow(premiumModule, title: "the premium test module", free: .allowed(false), premium: .allowed(true))]
}

/// The parts of a feature's layers that are rules and words rather than registered things:
/// who may do what, what it logs and counts, how premium gates it, which suites test it,
/// and why a layer does not apply.
public struct FeatureNotes: Sendable, Equatable {
    public var permissions: [String]
    public var logging: [String]
    public var premium: [String]
    /// Names of the test suites that cover the feature; the contract test checks they exist.
    public var testSuites: [String]
    /// Extra words for layers the declarations already wire (shown after the parts).
    public var extra: [FeatureLayer: [String]]
    /// Layers that do not apply, with the reason.
    public var notApplicable: [FeatureLayer: String]

    public init(
        permissions: [String] = [], logging: [String] = [], premium: [String] = [], testSuites: [String] = [],
        extra: [FeatureLayer: [String]] = [:], notApplicable: [FeatureLayer: String] = [:]
    ) {
        self.permissions = permissions
        self.logging = logging
        self.premium = premium
        self.testSuites = testSuites
        self.extra = extra
        self.notApplicable = notApplicable
    }
}

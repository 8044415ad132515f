/// A setting a feature declares for the operator: its environment variable, its flag
/// (`--set NAME=VALUE`), its default and its check. The platform resolves every registered
/// feature's settings with its own, at start, and a bad value stops the process with a
/// message that names the variable.
public struct FeatureSetting: Sendable {
    /// The environment variable, e.g. `VOICE_XP_TICK_SECONDS`; also the name given to `--set`.
    public let variable: String
    /// What it sets, for `guildhall features` and `--help`.
    public let help: String
    public let defaultValue: String
    /// The problem with a value, in words that name the variable; nil when it is fine.
    public let problem: @Sendable (String) -> String?

    public init(variable: String, help: String, defaultValue: String, problem: @escaping @Sendable (String) -> String?) {
        precondition(variable.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" } && !variable.isEmpty, "\(variable) is not an environment variable name")
        precondition(problem(defaultValue) == nil, "the default of \(variable) fails its own check")
        self.variable = variable
        self.help = help
        self.defaultValue = defaultValue
        self.problem = problem
    }

    /// A whole number in `range`, `unit` naming what it counts ("seconds").
    public static func integer(_ variable: String, help: String, default value: Int, range: ClosedRange<Int>, unit: String) -> FeatureSetting {
        FeatureSetting(variable: variable, help: help, defaultValue: String(value)) { text in
            guard let number = Int(text), range.contains(number) else {
                return "\(variable) must be a whole number of \(unit) from \(range.lowerBound) to \(range.upperBound), got '\(text)'"
            }
            return nil
        }
    }
}

extension GuildhallConfiguration {
    /// A feature setting's value: the one resolved at start, or its default.
    public func value(of setting: FeatureSetting) -> String {
        featureValues[setting.variable] ?? setting.defaultValue
    }

    /// A whole-number feature setting (declared with `FeatureSetting.integer`, so it parses).
    public func integer(_ setting: FeatureSetting) -> Int {
        Int(value(of: setting)) ?? Int(setting.defaultValue) ?? 0
    }

    /// Sets a feature setting after checking it, as resolving would (tests and tools).
    public mutating func set(_ setting: FeatureSetting, to value: String) throws {
        if let problem = setting.problem(value) { throw GuildhallError(.invalidConfiguration, problem) }
        featureValues[setting.variable] = value
    }

    /// Resolves feature settings: `flags` (from `--set NAME=VALUE`) win over the
    /// environment, which wins over the default. A flag for a setting no feature declares
    /// is refused, naming the ones that exist.
    public mutating func resolveFeatureSettings(_ settings: [FeatureSetting], environment: [String: String], flags: [String: String]) throws {
        let known = Set(settings.map(\.variable))
        for name in flags.keys.sorted() where !known.contains(name) {
            throw GuildhallError(
                .invalidConfiguration, "--set \(name): no registered feature has that setting (known: \(known.sorted().joined(separator: ", ")))"
            )
        }
        for setting in settings {
            guard let value = flags[setting.variable] ?? environment[setting.variable] else { continue }
            try set(setting, to: value)
        }
    }
}

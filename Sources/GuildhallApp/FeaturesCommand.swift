import ArgumentParser
import GuildhallCore
import GuildhallKit

/// `guildhall features [--json]`: the lock matrix, feature × layer.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Print every registered feature and its state in each of the protocol's eleven layers."
    )

    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let registry = FeatureCatalog.registry
        print(json ? try FeatureMatrix.json(for: registry) : FeatureMatrix.text(for: registry))
        let violations = registry.violations()
        if !violations.isEmpty {
            throw GuildhallError(.internalError, "the feature contract is broken:\n" + violations.joined(separator: "\n"))
        }
    }
}

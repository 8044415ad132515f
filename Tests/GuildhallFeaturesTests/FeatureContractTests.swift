import Foundation
import GuildhallApp
import GuildhallCore
import GuildhallKit
import GuildhallGuildSettings
import GuildhallGuildSettingsFeature
import GuildhallGiveaways
import GuildhallLeveling
import GuildhallPremium
import Testing

/// THE FEATURE CONTRACT TEST: every feature the build ships is wired through every layer
/// of the protocol, or says why not; its lifecycle document exists with every section;
/// the suites it names exist; and its schema and keys are the ones the platform knows.
/// Missing docs or suites fail here on purpose: a feature is not done without them.
@Suite("FeatureContractTests")
struct FeatureContractTests {
    static let featureIDs = FeatureCatalog.registry.manifests.map(\.id)

    static func manifest(_ id: String) throws -> FeatureManifest {
        try #require(FeatureCatalog.registry.manifest(id: id), "feature '\(id)' is not registered")
    }

    static func root() throws -> URL {
        try #require(Repository.root, "no Package.swift above \(#filePath)")
    }

    /// The `## ` heading problems of a document under the repository root; fails when the file is absent.
    static func documentProblems(_ relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let url = try root().appendingPathComponent(relativePath)
        try #require(FileManager.default.fileExists(atPath: url.path), "\(relativePath) does not exist", sourceLocation: sourceLocation)
        return FeatureDocument.problems(in: try String(contentsOf: url, encoding: .utf8))
    }

    @Test func registryIsNotEmptyAndHasGuildSettings() {
        #expect(!Self.featureIDs.isEmpty)
        #expect(Self.featureIDs.contains(GuildSettingsFeature.id))
        #expect(Set(Self.featureIDs).count == Self.featureIDs.count)
    }

    @Test func registryHasNoViolations() {
        let violations = FeatureCatalog.registry.violations()
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }

    @Test("every layer accounted for", arguments: featureIDs)
    func everyLayerAccountedFor(id: String) throws {
        let manifest = try Self.manifest(id)
        #expect(manifest.unaccountedLayers.isEmpty, "\(id): \(manifest.unaccountedLayers.map(\.rawValue))")
        #expect(!manifest.name.trimmingCharacters(in: .whitespaces).isEmpty)
        #expect(!manifest.summary.trimmingCharacters(in: .whitespaces).isEmpty)
    }

    @Test("lifecycle document exists with every section in order", arguments: featureIDs)
    func lifecycleDocument(id: String) throws {
        let manifest = try Self.manifest(id)
        let problems = try Self.documentProblems(manifest.documentPath)
        #expect(problems.isEmpty, "\(manifest.documentPath): \(problems.joined(separator: "; "))")
    }

    @Test func templateHasEverySectionInOrder() throws {
        let problems = try Self.documentProblems("docs/features/_template.md")
        #expect(problems.isEmpty, "docs/features/_template.md: \(problems.joined(separator: "; "))")
    }

    @Test("named test suites exist under Tests/", arguments: featureIDs)
    func namedSuitesExist(id: String) throws {
        let manifest = try Self.manifest(id)
        guard case .wired(let suites)? = manifest.status(of: .tests) else {
            Issue.record("\(id): the tests layer must be wired with the names of its suites")
            return
        }
        let declared = try Self.declaredTypeNames()
        #expect(declared.contains("FeatureContractTests"), "the scan finds this very suite")
        for suite in suites {
            #expect(declared.contains(suite), "\(id) names test suite '\(suite)', which no struct or @Suite under Tests/ declares")
        }
    }

    /// Names of structs, classes, enums and actors declared in the Swift files under Tests/.
    static func declaredTypeNames() throws -> Set<String> {
        // A declaration starts its line, after attributes (`@Suite("…")`) and modifiers.
        let declaration = /^(?:@\w+(?:\([^)]*\))?\s+|(?:public|package|internal|fileprivate|private|final)\s+)*(?:struct|class|enum|actor)\s+([A-Za-z_][A-Za-z0-9_]*)/
        var names = Set<String>()
        for file in try Repository.swiftFiles(under: "Tests") {
            for line in file.text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("//") { continue }
                if let match = trimmed.firstMatch(of: declaration) { names.insert(String(match.1)) }
            }
        }
        return names
    }

    static func feature(_ id: String) throws -> any Feature {
        try #require(FeatureCatalog.registry.features.first { $0.info.id == id }, "feature '\(id)' is not registered")
    }

    @Test("every migration a feature declares is in the catalog's schema", arguments: featureIDs)
    func migrationsAreInTheCatalog(id: String) throws {
        let known = FeatureCatalog.migrations.map(\.name)
        for migration in try Self.feature(id).migrations {
            #expect(known.contains(migration.name), "migration \(migration.name) is not in FeatureCatalog.migrations")
        }
    }

    @Test("every key kind a feature declares is in its Redis layer with its TTL", arguments: featureIDs)
    func keyKindsAreInTheRedisLayer(id: String) throws {
        let feature = try Self.feature(id)
        #expect(Keyspace.duplicates(in: feature.keyKinds).isEmpty)
        guard !feature.keyKinds.isEmpty else { return }
        guard case .wired(let parts)? = feature.manifest.status(of: .redis) else {
            Issue.record("\(id) declares key kinds but its redis layer is not wired")
            return
        }
        for kind in feature.keyKinds {
            #expect(parts.contains { $0.contains(kind.pattern) }, "\(kind.pattern) is not listed in the redis layer")
            if let ttl = kind.ttl {
                #expect(parts.contains { $0.contains(kind.pattern) && $0.contains("TTL \(ttl.compactDescription)") })
            }
        }
    }

    @Test("the manifest is the one derived from the declarations, naming suites and document", arguments: featureIDs)
    func manifestIsDerived(id: String) throws {
        let feature = try Self.feature(id)
        #expect(feature.manifest == feature.derivedManifest, "a registered feature may not describe itself in prose instead of declarations")
        #expect(feature.manifest.status(of: .tests) == .wired(parts: feature.notes.testSuites))
        #expect(feature.manifest.documentPath == "docs/features/\(id).md")
    }

    @Test("the plan table is the features' rows: the limits the issues give, free and premium")
    func planTable() {
        let table = FeatureCatalog.registry.plans
        let free = table.limits(for: .free)
        let premium = table.limits(for: .premium)
        #expect((free.count(GiveawayPlan.running), free.count(GiveawayPlan.winners), free.count(GiveawayPlan.days)) == (10, 20, 14))
        #expect((premium.count(GiveawayPlan.running), premium.count(GiveawayPlan.winners), premium.count(GiveawayPlan.days)) == (100, 50, 60))
        #expect(!free.allows(LevelingPlan.roleMultipliers) && premium.allows(LevelingPlan.roleMultipliers))
        #expect(!free.allows(LevelingPlan.voiceXP) && premium.allows(LevelingPlan.voiceXP))
        #expect(table.rows.allSatisfy { row in FeatureCatalog.registry.features.contains { $0.info.id == row.limit.feature } }, "every row belongs to a registered feature")
    }

    @Test("a feature may declare only its own plan limits, and a premium module's limit must be declared")
    func planLimitOwnership() {
        struct Borrower: Feature {
            var info: FeatureInfo { FeatureInfo(id: "borrower", name: "Borrower", summary: "Reads another's limit.", module: ModuleDescriptor(id: "borrower", title: "B", premium: PlanLimit(feature: "borrower", name: "on"))) }
            var planLimits: [PlanRow] { [PlanRow(GiveawayPlan.running, title: "stolen", free: .count(1), premium: .count(2))] }
            var notes: FeatureNotes { FeatureNotes() }
            func start(_ context: FeatureContext) async throws -> FeatureRuntime { FeatureRuntime() }
        }
        let violations = FeatureRegistry([Borrower()]).violations()
        #expect(violations.contains("borrower declares plan limit giveaways.running, which belongs to feature 'giveaways'"))
        #expect(violations.contains("borrower's module needs plan limit borrower.on, which it does not declare"))
    }

    @Test func guildSettingsOffersExactlyTheRegisteredModules() throws {
        let registry = FeatureCatalog.registry
        let modules = registry.modules.ids.map(\.rawValue)
        #expect(modules == registry.features.compactMap { $0.info.module?.id.rawValue })
        #expect(modules.allSatisfy { id in registry.features.contains { $0.info.id == id } }, "a module is offered only by the registered feature of that id")
        let settings = try Self.feature(GuildSettingsFeature.id)
        let choices = settings.commands.first { $0.name == "modules" }?.options?.first { $0.name == "enable" }?.options?.first?.choices?.compactMap { $0.value.stringValue }
        #expect(choices == modules)
    }

    /// The protocol wants every gap visible: print each pending and not-applicable layer with its reason.
    @Test("pending and not-applicable layers are shown with their reasons", arguments: featureIDs)
    func gapsAreVisible(id: String) throws {
        let manifest = try Self.manifest(id)
        for layer in FeatureLayer.allCases {
            switch manifest.status(of: layer) {
            case .pending(let reason)?:
                #expect(!reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
                print("[feature \(id)] \(layer.title): pending — \(reason)")
            case .notApplicable(let reason)?:
                #expect(!reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
                print("[feature \(id)] \(layer.title): not applicable — \(reason)")
            case .wired?, nil:
                break
            }
        }
    }
}

/// The dependency rule, read from the sources: the platform below the kit imports no
/// feature and not the kit; a feature imports no other feature. Only the app (the catalog)
/// and tests bring features together.
@Suite("the dependency rule")
struct DependencyRuleTests {
    /// Every feature target, read from `Package.swift`: folder under `Sources/Features/` →
    /// target name. A new feature is checked without editing this test.
    static func featureTargets() throws -> [String: String] {
        let manifest = try String(contentsOf: try #require(Repository.root).appendingPathComponent("Package.swift"), encoding: .utf8)
        let target = /\.target\(name: "(\w+)", dependencies: featureDependencies, path: "Sources\/Features\/(\w+)"/
        return Dictionary(uniqueKeysWithValues: manifest.matches(of: target).map { (String($0.2), String($0.1)) })
    }

    static var features: [String] { (try? featureTargets().values.sorted()) ?? [] }

    static func imports(in file: (path: String, text: String)) -> Set<String> {
        Set(file.text.split(separator: "\n").compactMap { line -> String? in
            let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            guard let index = words.firstIndex(of: "import"), index + 1 < words.count, words[..<index].allSatisfy({ $0.hasPrefix("@") }) else { return nil }
            return String(words[index + 1])
        })
    }

    @Test("no platform library imports a feature or the kit")
    func platformImportsNoFeature() throws {
        let files = try Repository.swiftFiles(under: "Sources")
        let platform = files.filter { !$0.path.hasPrefix("Sources/Features/") && !$0.path.hasPrefix("Sources/GuildhallApp/") && !$0.path.hasPrefix("Sources/guildhall/") && !$0.path.hasPrefix("Sources/GuildhallKit/") }
        #expect(platform.count > 100, "found the platform's sources")
        #expect(Self.features.contains("GuildhallGuildSettingsFeature"), "the feature targets come from Package.swift")
        for file in platform {
            let forbidden = Self.imports(in: file).intersection(Self.features + ["GuildhallKit"])
            #expect(forbidden.isEmpty, "\(file.path) imports \(forbidden.sorted())")
        }
        for file in files where file.path.hasPrefix("Sources/GuildhallKit/") {
            #expect(Self.imports(in: file).isDisjoint(with: Self.features), "\(file.path): the kit knows no feature")
        }
    }

    @Test("a feature imports no other feature: they meet through capabilities")
    func featuresImportNoFeature() throws {
        let folders = try Self.featureTargets()
        #expect(folders["Leveling"] == "GuildhallLeveling" && folders["Giveaways"] == "GuildhallGiveaways" && folders.count >= 3, "read from Package.swift: \(folders)")
        let files = try Repository.swiftFiles(under: "Sources/Features")
        #expect(!files.isEmpty)
        for file in files {
            let folder = String(file.path.dropFirst("Sources/Features/".count).prefix { $0 != "/" })
            let others = Set(Self.features).subtracting([folders[folder] ?? ""])
            let found = Self.imports(in: file).intersection(others)
            #expect(found.isEmpty, "\(file.path) imports \(found.sorted())")
        }
        #expect(Self.imports(in: ("x", "import A\n@testable import B\n  import C // why\nlet importer = 1")) == ["A", "B", "C"])
    }
}

/// Every Redis key is built through `RedisKeyKind`, so the text that starts a key may
/// appear only in the keyspace's own two files. Comment lines are documentation, not keys.
@Suite("NoKeyBuiltOutsideKeyspace")
struct NoKeyBuiltOutsideKeyspace {
    static let allowed: Set<String> = ["Sources/GuildhallCore/RedisKey.swift", "Sources/GuildhallCore/RedisKeyKind.swift"]

    @Test func noKeyBuiltOutsideKeyspace() throws {
        let files = try Repository.swiftFiles(under: "Sources")
        #expect(files.count > 10, "found the product sources")
        #expect(files.contains { $0.path == "Sources/GuildhallCore/RedisKey.swift" })
        var hits: [(file: String, line: Int, text: String)] = []
        for file in files where !Self.allowed.contains(file.path) {
            for (index, line) in file.text.components(separatedBy: "\n").enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("//") { continue }
                if line.contains("\"bot:") || line.contains("bot:{") {
                    hits.append((file.path, index + 1, trimmed))
                }
            }
        }
        for hit in hits {
            Issue.record("\(hit.file):\(hit.line) builds a Redis key outside the keyspace: \(hit.text)")
        }
    }
}

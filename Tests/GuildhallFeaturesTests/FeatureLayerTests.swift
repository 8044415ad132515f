import Foundation
import GuildhallCore
import GuildhallKit
import Testing

@Suite("FeatureLayer")
struct FeatureLayerTests {
    @Test func elevenLayersInProtocolOrder() {
        #expect(FeatureLayer.allCases.map(\.rawValue) == [
            "bot", "api", "database", "redis", "worker", "dashboard", "permissions", "logging", "premium", "tests", "docs",
        ])
    }

    @Test("titles", arguments: [
        (FeatureLayer.bot, "Bot"), (.api, "API"), (.database, "Database"), (.redis, "Redis"), (.worker, "Worker"),
        (.dashboard, "Dashboard"), (.permissions, "Permissions"), (.logging, "Logging"), (.premium, "Premium"),
        (.tests, "Tests"), (.docs, "Docs"),
    ])
    func title(layer: FeatureLayer, title: String) {
        #expect(layer.title == title)
    }

    @Test func orderFollowsDeclaration() {
        #expect(FeatureLayer.bot < .api)
        #expect(FeatureLayer.tests < .docs)
        #expect(!(FeatureLayer.docs < .bot))
        #expect(!(FeatureLayer.redis < .redis))
        #expect(FeatureLayer.allCases.shuffled().sorted() == FeatureLayer.allCases)
        #expect([FeatureLayer.docs, .bot, .premium, .api].sorted() == [.bot, .api, .premium, .docs])
    }

    @Test func codableAsRawValue() throws {
        let data = try JSONEncoder().encode([FeatureLayer.redis, .docs])
        #expect(String(decoding: data, as: UTF8.self) == #"["redis","docs"]"#)
        #expect(try JSONDecoder().decode([FeatureLayer].self, from: data) == [.redis, .docs])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FeatureLayer.self, from: Data(#""cache""#.utf8))
        }
    }
}

@Suite("LayerStatus")
struct LayerStatusTests {
    @Test("accounted for", arguments: [
        (LayerStatus.wired(parts: ["migration 0001"]), true),
        (.wired(parts: ["a", "b"]), true),
        (.wired(parts: []), false),
        (.wired(parts: [""]), false),
        (.wired(parts: ["a", "  "]), false),
        (.wired(parts: ["\n\t"]), false),
        (.notApplicable(reason: "nothing is delayed"), true),
        (.notApplicable(reason: ""), false),
        (.notApplicable(reason: " \n "), false),
        (.pending(reason: "issue #3"), true),
        (.pending(reason: ""), false),
        (.pending(reason: "\t"), false),
    ])
    func accountedFor(status: LayerStatus, expected: Bool) {
        #expect(status.isAccountedFor == expected)
    }

    @Test func kindAndDetail() {
        #expect(LayerStatus.wired(parts: ["a", "b"]).kind == "wired")
        #expect(LayerStatus.wired(parts: ["a", "b"]).detail == ["a", "b"])
        #expect(LayerStatus.notApplicable(reason: "r").kind == "not_applicable")
        #expect(LayerStatus.notApplicable(reason: "r").detail == ["r"])
        #expect(LayerStatus.pending(reason: "p").kind == "pending")
        #expect(LayerStatus.pending(reason: "p").detail == ["p"])
        #expect(LayerStatus.wired(parts: []).detail.isEmpty)
    }

    @Test func equality() {
        #expect(LayerStatus.pending(reason: "x") == .pending(reason: "x"))
        #expect(LayerStatus.pending(reason: "x") != .notApplicable(reason: "x"))
        #expect(LayerStatus.wired(parts: ["x"]) != .wired(parts: ["y"]))
    }
}

@Suite("FeatureManifest")
struct FeatureManifestTests {
    @Test func documentPathDefaultsToTheFeatureId() {
        let manifest = FeatureManifest(id: "leveling", name: "Leveling", summary: "XP.", layers: [:])
        #expect(manifest.documentPath == "docs/features/leveling.md")
        let custom = FeatureManifest(id: "x", name: "X", summary: "s", documentPath: "docs/other.md", layers: [:])
        #expect(custom.documentPath == "docs/other.md")
        #expect(custom.id == "x" && custom.name == "X" && custom.summary == "s")
    }

    @Test func emptyManifestAccountsForNothing() {
        let manifest = FeatureManifest(id: "empty", name: "Empty", summary: "", layers: [:])
        #expect(manifest.unaccountedLayers == FeatureLayer.allCases)
        #expect(!manifest.isComplete)
        #expect(manifest.status(of: .redis) == nil)
    }

    @Test func completeManifest() {
        let manifest = Manifests.complete()
        #expect(manifest.unaccountedLayers.isEmpty)
        #expect(manifest.isComplete)
        #expect(manifest.status(of: .worker) == .notApplicable(reason: "nothing runs later"))
        #expect(manifest.status(of: .redis) == .wired(parts: ["redis part"]))
    }

    @Test func pendingIsAccountedForButNotComplete() {
        let manifest = Manifests.pending()
        #expect(manifest.unaccountedLayers.isEmpty)
        #expect(!manifest.isComplete)
    }

    @Test func unaccountedLayersAreListedInOrder() {
        let manifest = Manifests.broken()
        #expect(manifest.unaccountedLayers == [.bot, .redis, .premium])
        #expect(!manifest.isComplete)
    }

    @Test("a single bad layer makes the manifest incomplete", arguments: FeatureLayer.allCases)
    func singleBadLayer(layer: FeatureLayer) {
        var layers = Manifests.complete().layers
        for status in [LayerStatus.wired(parts: [" "]), .notApplicable(reason: ""), .pending(reason: "later")] {
            layers[layer] = status
            let manifest = FeatureManifest(id: "f", name: "F", summary: "s", layers: layers)
            #expect(!manifest.isComplete)
            #expect(manifest.unaccountedLayers == (status.isAccountedFor ? [] : [layer]))
        }
        layers[layer] = nil
        let missing = FeatureManifest(id: "f", name: "F", summary: "s", layers: layers)
        #expect(!missing.isComplete)
        #expect(missing.unaccountedLayers == [layer])
    }
}

@Suite("FeatureRegistry")
struct FeatureRegistryTests {
    @Test func emptyRegistryHasNoViolations() {
        let registry = FeatureRegistry([])
        #expect(registry.violations().isEmpty)
        #expect(registry.manifests.isEmpty)
        #expect(registry.manifest(id: "anything") == nil)
    }

    @Test func manifestsKeepRegistrationOrder() {
        let registry = FeatureRegistry([StubFeature(manifest: Manifests.pending()), StubFeature(manifest: Manifests.complete())])
        #expect(registry.manifests.map(\.id) == ["pending-feature", "complete-feature"])
        #expect(registry.modules.modules.isEmpty, "features without a module add none")
        #expect(registry.manifest(id: "complete-feature") == Manifests.complete())
        #expect(registry.manifest(id: "missing") == nil)
        #expect(registry.violations().isEmpty, "pending layers with reasons are not violations")
    }

    @Test func missingLayersAndBlankReasonsAreViolations() {
        let registry = FeatureRegistry([StubFeature(manifest: Manifests.broken())])
        #expect(registry.violations() == [
            "broken-feature: layer bot is missing or has no parts and no reason",
            "broken-feature: layer redis is missing or has no parts and no reason",
            "broken-feature: layer premium is missing or has no parts and no reason",
        ])
    }

    @Test func duplicateIdsAreViolations() {
        let registry = FeatureRegistry([
            StubFeature(manifest: Manifests.complete(id: "dup")),
            StubFeature(manifest: Manifests.pending(id: "other")),
            StubFeature(manifest: Manifests.pending(id: "dup")),
            StubFeature(manifest: Manifests.complete(id: "dup")),
        ])
        #expect(registry.violations() == [
            "feature id 'dup' is registered twice",
            "feature id 'dup' is registered twice",
        ])
        #expect(registry.manifest(id: "dup")?.name == "Complete", "the first registration is found")
    }

    @Test func violationsFromSeveralFeaturesAreAllReported() {
        let registry = FeatureRegistry([
            StubFeature(manifest: Manifests.broken(id: "a")),
            StubFeature(manifest: FeatureManifest(id: "a", name: "A again", summary: "", layers: [:])),
        ])
        let violations = registry.violations()
        #expect(violations.count == 3 + 1 + FeatureLayer.allCases.count)
        #expect(violations.contains("feature id 'a' is registered twice"))
        #expect(violations.filter { $0.hasPrefix("a: layer docs") }.count == 1)
    }
}

/// What features offer one another through the kit, without importing one another.
@Suite("CapabilityRegistry")
struct CapabilityRegistryTests {
    struct FixedLevels: MemberLevels {
        let on: Bool
        func areOn(in guild: Snowflake) async throws -> Bool { on }
        func level(of user: Snowflake, in guild: Snowflake) async throws -> Int { 7 }
    }

    @Test("a capability is found by its protocol once provided; asking for a missing one says which")
    func provideAndRequire() throws {
        let registry = CapabilityRegistry()
        #expect(registry.lookup(MemberLevels.self) == nil)
        let error = #expect(throws: GuildhallError.self) { _ = try registry.require(MemberLevels.self) }
        #expect(error?.code == .unavailable && error?.message.contains("MemberLevels") == true)
        registry.provide(MemberLevels.self, FixedLevels(on: true))
        #expect(registry.lookup(MemberLevels.self) != nil)
        #expect(throws: Never.self) { _ = try registry.require(MemberLevels.self) }
    }

    @Test("levels asked at use: off everywhere without a provider, forwarded once one is registered")
    func registeredMemberLevels() async throws {
        let registry = CapabilityRegistry()
        let levels = RegisteredMemberLevels(registry)
        let guild = Snowflake(80_351_110_224_678_912)
        #expect(try await !levels.areOn(in: guild))
        await #expect(throws: GuildhallError.self) { _ = try await levels.level(of: guild, in: guild) }
        registry.provide(MemberLevels.self, FixedLevels(on: true))
        #expect(try await levels.areOn(in: guild))
        #expect(try await levels.level(of: guild, in: guild) == 7)
    }

    @Test("a feature that declares nothing beyond its words has empty declarations")
    func defaults() async throws {
        let stub = StubFeature(manifest: Manifests.complete())
        #expect(stub.migrations.isEmpty && stub.keyKinds.isEmpty && stub.jobKinds.isEmpty && stub.planLimits.isEmpty && stub.configuration.isEmpty)
        #expect(stub.commands.isEmpty && stub.componentPrefixes.isEmpty && stub.gatewayEvents.isEmpty && stub.routes.isEmpty && stub.tabs.isEmpty)
        #expect(stub.services.isEmpty && stub.id == "complete-feature")
    }
}

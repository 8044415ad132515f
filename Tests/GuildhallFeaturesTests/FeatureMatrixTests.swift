import Foundation
import GuildhallKit
import Testing

@Suite("FeatureMatrix")
struct FeatureMatrixTests {
    static let registry = FeatureRegistry([
        StubFeature(manifest: Manifests.complete(id: "a-very-long-feature-identifier")),
        StubFeature(manifest: Manifests.pending(id: "pend")),
        StubFeature(manifest: Manifests.broken(id: "broken")),
    ])

    @Test func tableHasAHeaderAndARowPerFeature() throws {
        let text = FeatureMatrix.text(for: Self.registry)
        let lines = text.components(separatedBy: "\n")
        let header = lines[0]
        #expect(header.hasPrefix("feature "))
        #expect(header.hasSuffix(" complete"))
        for title in ["Bot", "API", "Datab", "Redis", "Worke", "Dashb", "Permi", "Loggi", "Premi", "Tests", "Docs"] {
            #expect(header.contains(" \(title)"), "\(title)")
        }
        #expect(!header.contains("Dashboard"), "titles are cut to five characters")
        let rows = Array(lines[1...3])
        #expect(rows[0].hasPrefix("a-very-long-feature-identifier ✔"))
        #expect(rows[0].hasSuffix(" yes"))
        #expect(rows[1].hasPrefix("pend "))
        #expect(rows[1].hasSuffix(" no"))
        #expect(rows[2].hasPrefix("broken "))
        #expect(rows[2].hasSuffix(" no"))
        // Fixed width: the header and every row are as long as each other, column for column.
        let width = "a-very-long-feature-identifier".count
        for row in rows {
            let body = row.hasSuffix(" yes") ? row.dropLast(" yes".count) : row.dropLast(" no".count)
            #expect(body.count == header.count - " complete".count, "\(row)")
            let cells = row.dropFirst(width).split(separator: " ")
            #expect(cells.count == FeatureLayer.allCases.count + 1, "\(row)")
        }
        #expect(lines[4] == "")
        #expect(lines[5] == "✔ wired   – not applicable   … pending   ✘ missing")
    }

    @Test func symbolsPerLayer() throws {
        let text = FeatureMatrix.text(for: Self.registry)
        let lines = text.components(separatedBy: "\n")
        func cells(_ row: String, idWidth: Int) -> [String] {
            row.dropFirst(idWidth).split(separator: " ").map(String.init)
        }
        let width = "a-very-long-feature-identifier".count
        let complete = cells(lines[1], idWidth: width)
        let pending = cells(lines[2], idWidth: width)
        let broken = cells(lines[3], idWidth: width)
        let index = { (layer: FeatureLayer) in FeatureLayer.allCases.firstIndex(of: layer)! }
        #expect(complete[index(.redis)] == "✔")
        #expect(complete[index(.worker)] == "–")
        #expect(pending[index(.api)] == "…")
        #expect(pending[index(.dashboard)] == "…")
        #expect(broken[index(.redis)] == "✘")
        #expect(broken[index(.premium)] == "✘", "a blank reason counts as missing")
        #expect(broken[index(.bot)] == "✘", "wired without parts counts as missing")
        #expect(broken[index(.docs)] == "✔")
    }

    @Test func detailsListEveryLayerWithItsReason() {
        let text = FeatureMatrix.text(for: Self.registry)
        #expect(text.contains("\npend — Pending: Some layers pending.\n"))
        #expect(text.contains("\n  … API: arrives with the API (issue #5)\n"))
        #expect(text.contains("\n  – Worker: nothing runs later\n"))
        #expect(text.contains("\n  ✔ Redis: redis part\n"))
        #expect(text.contains("\n  ✘ Redis: MISSING\n"))
        #expect(text.contains("\n  ✘ Premium:    \n"))
        #expect(text.contains("\n  ✘ Bot: \n"))
        let detailLines = text.components(separatedBy: "\n").filter { $0.hasPrefix("  ") }
        #expect(detailLines.count == 3 * FeatureLayer.allCases.count)
    }

    @Test func multiplePartsAreJoined() {
        var layers = Manifests.complete().layers
        layers[.logging] = .wired(parts: ["log a", "metric b"])
        let registry = FeatureRegistry([StubFeature(manifest: FeatureManifest(id: "x", name: "X", summary: "s", layers: layers))])
        #expect(FeatureMatrix.text(for: registry).contains("  ✔ Logging: log a; metric b"))
    }

    @Test func shortIdsArePaddedToSevenColumns() {
        let registry = FeatureRegistry([StubFeature(manifest: Manifests.complete(id: "ab"))])
        let lines = FeatureMatrix.text(for: registry).components(separatedBy: "\n")
        #expect(lines[0].hasPrefix("feature Bot  "))
        #expect(lines[1].hasPrefix("ab      ✔    "))
    }

    @Test func emptyRegistryStillHasHeaderAndLegend() {
        let lines = FeatureMatrix.text(for: FeatureRegistry([])).components(separatedBy: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("feature Bot   API   Datab"))
        #expect(lines[2].hasPrefix("✔ wired"))
    }

    // MARK: JSON

    struct Matrix: Decodable {
        struct Feature: Decodable {
            let id: String, name: String, summary: String, document: String, complete: Bool
            let layers: [String: Layer]
        }
        struct Layer: Decodable, Equatable { let status: String; let detail: [String] }
        let features: [Feature]
        let violations: [String]
    }

    @Test func jsonCarriesStatusesIncludingMissing() throws {
        let json = try FeatureMatrix.json(for: Self.registry)
        let matrix = try JSONDecoder().decode(Matrix.self, from: Data(json.utf8))
        #expect(matrix.features.map(\.id) == ["a-very-long-feature-identifier", "pend", "broken"])
        #expect(matrix.violations == Self.registry.violations())
        #expect(matrix.violations.count == 3)
        for feature in matrix.features {
            #expect(Set(feature.layers.keys) == Set(FeatureLayer.allCases.map(\.rawValue)))
            #expect(feature.document == "docs/features/\(feature.id).md")
        }
        let complete = matrix.features[0], pending = matrix.features[1], broken = matrix.features[2]
        #expect(complete.complete)
        #expect(complete.name == "Complete")
        #expect(complete.summary == "Everything wired.")
        #expect(complete.layers["redis"] == .init(status: "wired", detail: ["redis part"]))
        #expect(complete.layers["worker"] == .init(status: "not_applicable", detail: ["nothing runs later"]))
        #expect(!pending.complete)
        #expect(pending.layers["api"] == .init(status: "pending", detail: ["arrives with the API (issue #5)"]))
        #expect(!broken.complete)
        #expect(broken.layers["redis"] == .init(status: "missing", detail: []))
        #expect(broken.layers["premium"] == .init(status: "missing", detail: ["   "]))
        #expect(broken.layers["bot"] == .init(status: "missing", detail: []))
        #expect(broken.layers["docs"]?.status == "wired")
    }

    @Test func jsonIsPrettySortedAndKeepsSlashes() throws {
        let json = try FeatureMatrix.json(for: FeatureRegistry([StubFeature(manifest: Manifests.complete())]))
        #expect(json.contains("\"document\" : \"docs/features/complete-feature.md\""))
        #expect(!json.contains("\\/"))
        #expect(json.contains("\n"))
        let features = try #require(json.range(of: "\"features\""))
        let violations = try #require(json.range(of: "\"violations\""))
        #expect(features.lowerBound < violations.lowerBound)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["violations"] as? [Any])?.isEmpty == true)
    }

    @Test func jsonForAnEmptyRegistry() throws {
        let matrix = try JSONDecoder().decode(Matrix.self, from: Data(try FeatureMatrix.json(for: FeatureRegistry([])).utf8))
        #expect(matrix.features.isEmpty)
        #expect(matrix.violations.isEmpty)
    }
}

@Suite("FeatureDocument")
struct FeatureDocumentTests {
    static func document(_ sections: [String], body: String = "Text.\n") -> String {
        "# Feature\n\nIntro.\n\n" + sections.map { "## \($0)\n\n\(body)\n" }.joined()
    }

    @Test func fourteenNumberedSections() {
        #expect(FeatureDocument.requiredSections.count == 14)
        for (index, section) in FeatureDocument.requiredSections.enumerated() {
            #expect(section.hasPrefix("\(index + 1). "), "\(section)")
        }
        #expect(FeatureDocument.requiredSections.first == "1. Lifecycle")
        #expect(FeatureDocument.requiredSections.last == "14. Regression safety")
    }

    @Test func completeDocumentHasNoProblems() {
        #expect(FeatureDocument.problems(in: Self.document(FeatureDocument.requiredSections)).isEmpty)
    }

    @Test func extraSectionsAndTrailingSpacesAreFine() {
        var sections = FeatureDocument.requiredSections
        sections.insert("Notes", at: 3)
        sections.append("Appendix")
        var markdown = Self.document(sections, body: "### Sub-heading\n\n- a list\n")
        markdown = markdown.replacingOccurrences(of: "## 4. Redis keys\n", with: "## 4. Redis keys   \n")
        #expect(FeatureDocument.problems(in: markdown).isEmpty)
    }

    @Test func emptyDocumentMissesEverything() {
        let problems = FeatureDocument.problems(in: "")
        #expect(problems == FeatureDocument.requiredSections.map { "missing section '## \($0)'" })
    }

    @Test("each missing section is named", arguments: FeatureDocument.requiredSections)
    func missingSection(section: String) {
        let sections = FeatureDocument.requiredSections.filter { $0 != section }
        #expect(FeatureDocument.problems(in: Self.document(sections)) == ["missing section '## \(section)'"])
    }

    @Test func wrongHeadingLevelsDoNotCount() {
        var markdown = Self.document(FeatureDocument.requiredSections)
        markdown = markdown.replacingOccurrences(of: "## 2. Database schema\n", with: "### 2. Database schema\n")
        markdown = markdown.replacingOccurrences(of: "## 5. API routes and validation\n", with: "# 5. API routes and validation\n")
        markdown = markdown.replacingOccurrences(of: "## 6. Bot commands\n", with: "##6. Bot commands\n")
        #expect(FeatureDocument.problems(in: markdown) == [
            "missing section '## 2. Database schema'",
            "missing section '## 5. API routes and validation'",
            "missing section '## 6. Bot commands'",
        ])
    }

    @Test func swappedSectionsAreOutOfOrder() {
        var sections = FeatureDocument.requiredSections
        sections.swapAt(1, 2)
        #expect(FeatureDocument.problems(in: Self.document(sections)) == ["section '## 3. Migration (forward and rollback)' is out of order"])
    }

    @Test func reversedDocumentReportsEverySectionAfterTheFirst() {
        let problems = FeatureDocument.problems(in: Self.document(FeatureDocument.requiredSections.reversed()))
        #expect(problems == FeatureDocument.requiredSections.dropFirst().map { "section '## \($0)' is out of order" })
    }

    @Test func missingAndOutOfOrderTogether() {
        var sections = FeatureDocument.requiredSections
        sections.removeAll { $0 == "7. Worker jobs" }
        sections.swapAt(0, sections.count - 1)
        let problems = FeatureDocument.problems(in: Self.document(sections))
        #expect(problems.contains("missing section '## 7. Worker jobs'"))
        #expect(problems.contains { $0.hasSuffix("is out of order") })
    }

    /// `problems` splits on the Character "\n"; in Swift "\r\n" is one Character, so a
    /// document with Windows line endings is one long line and every section is "missing".
    @Test func crlfLineEndingsAreRead() {
        let markdown = Self.document(FeatureDocument.requiredSections).replacingOccurrences(of: "\n", with: "\r\n")
        do {
            #expect(FeatureDocument.problems(in: markdown).isEmpty)
        }
    }
}

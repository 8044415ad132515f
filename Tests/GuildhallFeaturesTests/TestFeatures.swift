import Foundation
import GuildhallKit

/// A feature that shows a given manifest, for the registry and matrix tests (real features
/// derive theirs from their declarations).
struct StubFeature: Feature {
    let manifest: FeatureManifest

    var info: FeatureInfo { FeatureInfo(id: manifest.id, name: manifest.name, summary: manifest.summary, documentPath: manifest.documentPath) }
    var notes: FeatureNotes { FeatureNotes() }

    func start(_ context: FeatureContext) async throws -> FeatureRuntime { FeatureRuntime() }
}

enum Manifests {
    /// Every layer accounted for: wired or not applicable.
    static func complete(id: String = "complete-feature") -> FeatureManifest {
        var layers: [FeatureLayer: LayerStatus] = [:]
        for layer in FeatureLayer.allCases { layers[layer] = .wired(parts: ["\(layer.rawValue) part"]) }
        layers[.worker] = .notApplicable(reason: "nothing runs later")
        return FeatureManifest(id: id, name: "Complete", summary: "Everything wired.", layers: layers)
    }

    /// Accounted for, but with pending layers.
    static func pending(id: String = "pending-feature") -> FeatureManifest {
        var layers = complete().layers
        layers[.api] = .pending(reason: "arrives with the API (issue #5)")
        layers[.dashboard] = .pending(reason: "arrives with the dashboard (issue #6)")
        return FeatureManifest(id: id, name: "Pending", summary: "Some layers pending.", layers: layers)
    }

    /// Missing the redis layer and a blank reason on premium.
    static func broken(id: String = "broken-feature") -> FeatureManifest {
        var layers = complete().layers
        layers[.redis] = nil
        layers[.premium] = .notApplicable(reason: "   ")
        layers[.bot] = .wired(parts: [])
        return FeatureManifest(id: id, name: "Broken", summary: "Layers missing.", layers: layers)
    }
}

/// The repository root: the nearest folder above this file that holds Package.swift.
enum Repository {
    static let root: URL? = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return nil
    }()

    /// Every `.swift` file under `folder` (relative to the root), as (relative path, text), sorted by path.
    static func swiftFiles(under folder: String) throws -> [(path: String, text: String)] {
        guard let root else { return [] }
        let base = root.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, String)] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            files.append((relative, try String(contentsOf: url, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }
}

import Foundation

/// Renders the lock matrix (feature × layer) for `guildhall features`.
public enum FeatureMatrix {
    /// A fixed-width table: ✔ wired, – not applicable, … pending, ✘ missing; then the reasons.
    public static func text(for registry: FeatureRegistry) -> String {
        let layers = FeatureLayer.allCases
        let manifests = registry.manifests
        let idWidth = max(7, manifests.map(\.id.count).max() ?? 0)
        var lines: [String] = []
        var header = "feature".padding(toLength: idWidth, withPad: " ", startingAt: 0)
        for layer in layers { header += " " + layer.title.prefix(5).padding(toLength: 5, withPad: " ", startingAt: 0) }
        header += " complete"
        lines.append(header)
        for manifest in manifests {
            var row = manifest.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
            for layer in layers {
                row += " " + symbol(manifest.status(of: layer)).padding(toLength: 5, withPad: " ", startingAt: 0)
            }
            row += manifest.isComplete ? " yes" : " no"
            lines.append(row)
        }
        lines.append("")
        lines.append("✔ wired   – not applicable   … pending   ✘ missing")
        for manifest in manifests {
            lines.append("")
            lines.append("\(manifest.id) — \(manifest.name): \(manifest.summary)")
            for layer in layers {
                let status = manifest.status(of: layer)
                let detail = status?.detail.joined(separator: "; ") ?? "MISSING"
                lines.append("  \(symbol(status)) \(layer.title): \(detail)")
            }
            for setting in manifest.settings { lines.append("  ⚙ Setting: \(setting)") }
        }
        return lines.joined(separator: "\n")
    }

    static func symbol(_ status: LayerStatus?) -> String {
        guard let status, status.isAccountedFor else { return "✘" }
        switch status {
        case .wired: return "✔"
        case .notApplicable: return "–"
        case .pending: return "…"
        }
    }

    /// The same matrix as JSON: `{"features": [{"id", "name", "summary", "document", "complete", "layers": {layer: {"status", "detail"}}}], "violations": [...]}`.
    public static func json(for registry: FeatureRegistry) throws -> String {
        struct Layer: Encodable { let status: String; let detail: [String] }
        struct Feature: Encodable {
            let id: String, name: String, summary: String, document: String, complete: Bool
            let layers: [String: Layer]
            let settings: [String]
        }
        struct Matrix: Encodable { let features: [Feature]; let violations: [String] }
        let features = registry.manifests.map { manifest in
            Feature(
                id: manifest.id, name: manifest.name, summary: manifest.summary,
                document: manifest.documentPath, complete: manifest.isComplete,
                layers: Dictionary(uniqueKeysWithValues: FeatureLayer.allCases.map { layer in
                    let status = manifest.status(of: layer)
                    return (layer.rawValue, Layer(
                        status: status.map { $0.isAccountedFor ? $0.kind : "missing" } ?? "missing",
                        detail: status?.detail ?? []
                    ))
                }),
                settings: manifest.settings
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Matrix(features: features, violations: registry.violations()))
        return String(decoding: data, as: UTF8.self)
    }
}

import GuildhallCore
/// What a feature declares about itself in every layer: the protocol made executable.
public struct FeatureManifest: Sendable, Equatable {
    public let id: String
    public let name: String
    public let summary: String
    /// Path of the feature's lifecycle document, relative to the repository root.
    public let documentPath: String
    public let layers: [FeatureLayer: LayerStatus]
    /// The operator's settings, one line each (`VOICE_XP_TICK_SECONDS (default 60): …`).
    public let settings: [String]

    public init(id: String, name: String, summary: String, documentPath: String? = nil, layers: [FeatureLayer: LayerStatus], settings: [String] = []) {
        self.settings = settings
        self.id = id
        self.name = name
        self.summary = summary
        self.documentPath = documentPath ?? "docs/features/\(id).md"
        self.layers = layers
    }

    public func status(of layer: FeatureLayer) -> LayerStatus? { layers[layer] }

    /// Layers that are absent, or present without parts or a reason.
    public var unaccountedLayers: [FeatureLayer] {
        FeatureLayer.allCases.filter { layers[$0]?.isAccountedFor != true }
    }

    /// True when every layer is wired or truly does not apply (nothing pending or missing).
    public var isComplete: Bool {
        FeatureLayer.allCases.allSatisfy { layer in
            switch layers[layer] {
            case .wired?, .notApplicable?: return layers[layer]!.isAccountedFor
            case .pending?, nil: return false
            }
        }
    }
}

extension RedisKeyKind {
    /// How a feature's Redis layer lists this key: its pattern, its TTL (or why it has
    /// none) and its cleanup; the contract test looks for the TTL in this line.
    public var manifestLine: String {
        switch lifetime {
        case .expiring(let ttl): return "\(pattern) TTL \(ttl.compactDescription) — \(cleanup)"
        case .persistent(let reason): return "\(pattern) no TTL (\(reason)) — \(cleanup)"
        case .channel: return "\(pattern) pub/sub channel — \(cleanup)"
        }
    }
}

import GuildhallCore

extension Feature {
    /// The feature's row of the lock matrix, derived from its declarations: a layer is wired
    /// by what the feature registers there, or carries the reason it does not apply.
    public var manifest: FeatureManifest { derivedManifest }

    public var derivedManifest: FeatureManifest {
        let notes = notes
        var layers: [FeatureLayer: LayerStatus] = [:]
        func set(_ layer: FeatureLayer, _ parts: [String]) {
            let all = parts.isEmpty ? [] : parts + (notes.extra[layer] ?? [])
            if !all.isEmpty {
                layers[layer] = .wired(parts: all)
            } else if let reason = notes.notApplicable[layer] {
                layers[layer] = .notApplicable(reason: reason)
            }
        }
        set(.bot, commands.map { "/\($0.name)" } + componentPrefixes.map { "component \($0):…" }
            + gatewayEvents.map { "\($0.events.joined(separator: ", ")) (intents \($0.intents.rawValue))" })
        set(.api, routes.map { "\($0.method.rawValue) \($0.path)" })
        set(.database, migrations.map { "migration \($0.name)" })
        set(.redis, keyKinds.map(\.manifestLine))
        set(.worker, jobKinds.map { "job \($0)" } + services.map { "service \($0.name) (\($0.roles.map(\.rawValue).sorted().joined(separator: ", ")))" })
        set(.dashboard, tabs.map { "tab \($0.title): /dashboard/guilds/{id}/\($0.path) (\($0.leastAccess.rawValue) and above)" })
        set(.permissions, notes.permissions)
        set(.logging, notes.logging)
        let need: [String] = switch info.premium {
        case .free: []
        case .limitedByPlan: ["free, with limits from the plan table"]
        case .premiumOnly: ["premium only: every use checks the plan"]
        }
        set(.premium, need + planLimits.map { "plan limit \($0.limit) (\($0.title)): free \($0.free), premium \($0.premium)" } + notes.premium)
        set(.tests, notes.testSuites)
        set(.docs, [info.documentPath])
        return FeatureManifest(
            id: info.id, name: info.name, summary: info.summary, documentPath: info.documentPath, layers: layers,
            settings: configuration.map { "\($0.variable) (default \($0.defaultValue); --set \($0.variable)=…): \($0.help)" }
        )
    }
}

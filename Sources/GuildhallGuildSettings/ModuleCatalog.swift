import GuildhallPremium

/// One module a guild can switch on, as its feature registers it.
public struct ModuleDescriptor: Sendable, Equatable {
    public let id: ModuleID
    public let title: String
    /// The plan limit (a yes-or-no row) switching it on needs, if any.
    public let premium: PlanLimit?

    public init(id: ModuleID, title: String, premium: PlanLimit? = nil) {
        self.id = id
        self.title = title
        self.premium = premium
    }
}

/// The modules this build registers, in the registry's order. `/modules`, the API's module
/// list, its OpenAPI enum and the overview page offer exactly these; a stored toggle for a
/// module not in the catalog is kept in the database and offered nowhere.
public struct ModuleCatalog: Sendable, Equatable {
    public let modules: [ModuleDescriptor]

    public init(_ modules: [ModuleDescriptor]) {
        var seen = Set<ModuleID>()
        for module in modules {
            precondition(ModuleID.isWellFormed(module.id.rawValue), "module id '\(module.id)' must be lowercase letters, digits and hyphens")
            precondition(seen.insert(module.id).inserted, "module '\(module.id)' is registered twice")
        }
        self.modules = modules
    }

    public var ids: [ModuleID] { modules.map(\.id) }

    public func descriptor(_ id: ModuleID) -> ModuleDescriptor? {
        modules.first { $0.id == id }
    }

    /// Parses a user-supplied name, case-insensitively; nil when no registered module has it.
    public func named(_ name: String) -> ModuleDescriptor? {
        descriptor(ModuleID(name.trimmingCharacters(in: .whitespaces).lowercased()))
    }

    /// Each registered module with its state; a premium module switched on under a plan that
    /// no longer allows it shows as paused (its settings are kept).
    public func states(_ settings: ModuleSettings, limits: TierLimits) -> [ModuleState] {
        modules.map { module in
            let enabled = settings.isEnabled(module.id)
            let allowed = module.premium.map { limits.allows($0) } ?? true
            return ModuleState(module: module, enabled: enabled, paused: enabled && !allowed)
        }
    }
}

/// A registered module as one guild has it.
public struct ModuleState: Sendable, Equatable {
    public let module: ModuleDescriptor
    public let enabled: Bool
    public let paused: Bool
}

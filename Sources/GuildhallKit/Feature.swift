import FluentKit
import GuildhallAPI
import GuildhallCore
import GuildhallDiscordModels
import GuildhallGuildSettings
import GuildhallPremium

/// A feature: one vertical slice of Guildhall. Everything the platform needs to know about
/// it is declared here, in code, before anything runs (the `guildhall features` matrix and
/// the contract test read the declarations); `start` then builds its running parts from the
/// platform's context. The platform knows no feature by name: the app's catalog lists them.
public protocol Feature: Sendable {
    /// Id, name, summary, premium need, and whether guilds switch it on as a module.
    var info: FeatureInfo { get }
    /// Schema this feature owns, each migration with its revert, in order.
    var migrations: [any Migration] { get }
    /// Redis key kinds, each with its TTL (or why it has none) and its cleanup.
    var keyKinds: [RedisKeyKind] { get }
    /// Names of the jobs it registers (`leveling.level-up`).
    var jobKinds: [String] { get }
    /// The rows it adds to the plan table: each limit it reads, with its value on each plan.
    var planLimits: [PlanRow] { get }
    /// Its settings for the operator (environment variable, `--set` flag, default, check).
    var configuration: [FeatureSetting] { get }
    /// Slash commands it registers with Discord, with options and default permissions.
    var commands: [ApplicationCommand] { get }
    /// `custom_id` prefixes of the buttons, selects and modals it answers.
    var componentPrefixes: [String] { get }
    /// Gateway events it handles and the intents each needs.
    var gatewayEvents: [GatewaySubscription] { get }
    /// API routes it mounts; their schemas land in the OpenAPI document.
    var routes: [APIRoute] { get }
    /// Dashboard tabs it adds to a guild's pages.
    var tabs: [DashboardTabDeclaration] { get }
    /// Long-running services it starts, and in which roles.
    var services: [FeatureServiceDeclaration] { get }
    /// What the declarations above cannot say: permission rules, logs and metrics, premium
    /// gating, the suites that test it, and why a layer does not apply.
    var notes: FeatureNotes { get }
    /// The feature's row of the lock matrix; derived from the declarations (`derivedManifest`).
    /// The contract test holds every registered feature to the derived one.
    var manifest: FeatureManifest { get }

    /// Builds the feature's running parts for one process. Called once, in catalog order,
    /// after the platform's database, backends and job queue exist.
    func start(_ context: FeatureContext) async throws -> FeatureRuntime
}

extension Feature {
    public var migrations: [any Migration] { [] }
    public var keyKinds: [RedisKeyKind] { [] }
    public var jobKinds: [String] { [] }
    public var planLimits: [PlanRow] { [] }
    public var configuration: [FeatureSetting] { [] }
    public var commands: [ApplicationCommand] { [] }
    public var componentPrefixes: [String] { [] }
    public var gatewayEvents: [GatewaySubscription] { [] }
    public var routes: [APIRoute] { [] }
    public var tabs: [DashboardTabDeclaration] { [] }
    public var services: [FeatureServiceDeclaration] { [] }
    public var id: String { info.id }
}

/// Who a feature is, in words.
public struct FeatureInfo: Sendable, Equatable {
    public let id: String
    public let name: String
    public let summary: String
    /// The premium capability the feature as a whole needs (nil: free, perhaps with limits).
    public let premium: PremiumRequirement
    /// Present when guilds switch this feature on and off (`/modules`, the overview page).
    public let module: ModuleDescriptor?
    /// The lifecycle document, relative to the repository root.
    public let documentPath: String

    public enum PremiumRequirement: Sendable, Equatable {
        case free
        /// Free, with limits from the plan table.
        case limitedByPlan
        case premiumOnly
    }

    public init(id: String, name: String, summary: String, premium: PremiumRequirement = .free, module: ModuleDescriptor? = nil, documentPath: String? = nil) {
        self.id = id
        self.name = name
        self.summary = summary
        self.premium = premium
        self.module = module
        self.documentPath = documentPath ?? "docs/features/\(id).md"
    }
}

/// Gateway events a feature reacts to, and the intents the bot must ask for to get them.
public struct GatewaySubscription: Sendable, Equatable {
    public let events: [String]
    public let intents: GatewayIntents

    public init(_ events: [String], intents: GatewayIntents) {
        self.events = events
        self.intents = intents
    }
}

/// A dashboard tab a feature adds: its title, its path under `/dashboard/guilds/{id}/`, and
/// the least access level that may open it (lower levels neither see nor open it).
public struct DashboardTabDeclaration: Sendable, Equatable {
    public let title: String
    public let path: String
    public let leastAccess: APIRoute.GuildRequirement

    public init(title: String, path: String, leastAccess: APIRoute.GuildRequirement = .view) {
        self.title = title
        self.path = path
        self.leastAccess = leastAccess
    }
}

/// A long-running service a feature starts, by name, and the roles that run it.
public struct FeatureServiceDeclaration: Sendable, Equatable {
    public let name: String
    public let roles: Set<FeatureRole>

    public init(_ name: String, roles: Set<FeatureRole>) {
        self.name = name
        self.roles = roles
    }
}

/// The process roles a feature's services can run in.
public enum FeatureRole: String, Sendable, CaseIterable, Hashable {
    case serve, gateway, worker, api

    /// Whether this role runs jobs (the worker, and `serve` which is every role at once).
    public var runsJobs: Bool { self == .serve || self == .worker }
    /// Whether this role holds the gateway.
    public var runsBot: Bool { self == .serve || self == .gateway }
    /// Whether this role serves the API and dashboard.
    public var servesHTTP: Bool { self == .serve || self == .api }
}

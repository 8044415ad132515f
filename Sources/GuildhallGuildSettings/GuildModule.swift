import GuildhallPremium
import Foundation

/// The modules a guild can switch on. The catalogue is closed: an unknown name is an error.
public enum GuildModule: String, CaseIterable, Codable, Sendable, Comparable {
    case leveling, giveaways, moderation, reminders, ai

    public var title: String {
        switch self {
        case .leveling: return "Leveling"
        case .giveaways: return "Giveaways"
        case .moderation: return "Moderation and automod"
        case .reminders: return "Reminders and scheduled messages"
        case .ai: return "AI assistant"
        }
    }

    public static func < (lhs: GuildModule, rhs: GuildModule) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a user-supplied name, case-insensitively.
    public static func named(_ name: String) -> GuildModule? {
        GuildModule(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased())
    }
}

extension GuildModule {
    /// The premium capability a module needs, if any (the AI assistant is premium only).
    public var premiumFeature: PremiumFeature? {
        self == .ai ? .aiAssistant : nil
    }
}

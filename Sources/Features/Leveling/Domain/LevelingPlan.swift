import GuildhallPremium

/// Leveling's rows of the plan table.
public enum LevelingPlan {
    /// XP multipliers by role.
    public static let roleMultipliers = PlanLimit(feature: "leveling", name: "role_multipliers")
    /// XP for time in voice.
    public static let voiceXP = PlanLimit(feature: "leveling", name: "voice_xp")

    public static let rows = [
        PlanRow(roleMultipliers, title: "role XP multipliers", free: .allowed(false), premium: .allowed(true)),
        PlanRow(voiceXP, title: "voice XP", free: .allowed(false), premium: .allowed(true)),
    ]
}

import GuildhallPremium

/// Giveaways' rows of the plan table.
public enum GiveawayPlan {
    /// Giveaways running at once in a guild.
    public static let running = PlanLimit(feature: "giveaways", name: "running")
    /// Winners one giveaway may draw.
    public static let winners = PlanLimit(feature: "giveaways", name: "winners")
    /// Days a giveaway may last.
    public static let days = PlanLimit(feature: "giveaways", name: "days")

    public static let rows = [
        PlanRow(running, title: "giveaways running at once", free: .count(10), premium: .count(100)),
        PlanRow(winners, title: "winners per giveaway", free: .count(20), premium: .count(50)),
        PlanRow(days, title: "days a giveaway may last", free: .count(14), premium: .count(60)),
    ]
}

import GuildhallCore

/// Which reward roles a member should gain and lose at a level: with `stack`, every reward
/// up to the level; with `replace`, only the highest one reached. Roles that are not
/// rewards are never touched.
public struct RoleRewardPlan: Sendable, Equatable {
    public var add: [Snowflake]
    public var remove: [Snowflake]

    public var isEmpty: Bool { add.isEmpty && remove.isEmpty }

    public init(add: [Snowflake], remove: [Snowflake]) {
        self.add = add
        self.remove = remove
    }

    public static func plan(rewards: [LevelingConfig.Reward], mode: LevelingConfig.RewardMode, level: Int, currentRoles: Set<Snowflake>) -> RoleRewardPlan {
        let reached = rewards.filter { $0.level <= level }.sorted { ($0.level, $0.roleID) < ($1.level, $1.roleID) }
        let wanted: Set<Snowflake>
        switch mode {
        case .stack:
            wanted = Set(reached.map(\.roleID))
        case .replace:
            let top = reached.last?.level
            wanted = Set(reached.filter { $0.level == top }.map(\.roleID))
        }
        let rewardRoles = Set(rewards.map(\.roleID))
        return RoleRewardPlan(
            add: wanted.subtracting(currentRoles).sorted(),
            remove: currentRoles.intersection(rewardRoles).subtracting(wanted).sorted()
        )
    }
}

import GuildhallCore

/// Picks winners from the stored entrants: uniformly, without replacement, skipping
/// entrants who may not win (left the server, bots, requirements no longer met, earlier
/// winners on a reroll). Pure apart from the eligibility check it is given.
///
/// The generator is the system's by default: `SystemRandomNumberGenerator` reads the
/// kernel's CSPRNG (getrandom on Linux), so a draw cannot be predicted from earlier ones.
public enum WinnerDraw {
    /// Draws up to `count` winners. Each entrant is checked at most once, and only when it
    /// comes up, so a draw with many entrants asks about few of them. Fewer than `count`
    /// winners come back when too few entrants are eligible, none when nobody is.
    public static func draw(
        from entrants: [Snowflake], count: Int, excluding excluded: Set<Snowflake> = [],
        using generator: inout some RandomNumberGenerator,
        isEligible: (Snowflake) async throws -> Bool
    ) async rethrows -> [Snowflake] {
        guard count > 0 else { return [] }
        // Entries are unique in storage; a duplicate here still wins at most once.
        var pool = Array(Set(entrants).subtracting(excluded)).sorted()
        var winners: [Snowflake] = []
        var remaining = pool.count
        // Partial Fisher-Yates: position `remaining - 1` takes a uniformly chosen entrant
        // from the part not yet drawn, so every order of draws is equally likely.
        while winners.count < count, remaining > 0 {
            let pick = Int.random(in: 0..<remaining, using: &generator)
            pool.swapAt(pick, remaining - 1)
            let candidate = pool[remaining - 1]
            remaining -= 1
            if try await isEligible(candidate) {
                winners.append(candidate)
            }
        }
        return winners
    }
}

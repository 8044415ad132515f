/// Waits, checking every 20 ms, until `condition` holds or `timeout` passes; returns whether
/// it held. A check that throws counts as not yet. The one poll-until of every test target:
/// a test that waits for something waits for its positive signal here, never a bare sleep.
public func waitUntil(timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return (try? await condition()) == true
}

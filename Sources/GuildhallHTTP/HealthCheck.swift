import Foundation
import GuildhallCore
import Synchronization

/// The state of one dependency as `/healthz` reports it.
public struct DependencyStatus: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case up, down, notConfigured = "not_configured" }
    public let state: State
    public let latencyMilliseconds: Double?
    public let detail: String?

    public init(state: State, latencyMilliseconds: Double? = nil, detail: String? = nil) {
        self.state = state
        self.latencyMilliseconds = latencyMilliseconds
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case state = "status", latencyMilliseconds = "latency_ms", detail
    }
}

/// Something `/healthz` checks: a name and a bounded check.
public struct HealthProbe: Sendable {
    public let name: String
    let check: @Sendable () async throws -> Void

    public init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }

    /// A dependency this role does not use (e.g. Redis in the embedded role).
    public static func notConfigured(_ name: String, reason: String) -> HealthProbe {
        HealthProbe(name: name) { throw NotConfigured(reason: reason) }
    }

    struct NotConfigured: Error { let reason: String }

    /// Runs the check with a deadline; a check that does not answer in time is down. The
    /// answer does not wait for a check that ignores cancellation: it is left to finish alone.
    func run(timeout: Duration) async -> DependencyStatus {
        let started = ContinuousClock.now
        let outcome = await Self.race(timeout: timeout, check)
        switch outcome {
        case .success:
            let elapsed = ContinuousClock.now - started
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            return DependencyStatus(state: .up, latencyMilliseconds: (milliseconds * 1000).rounded() / 1000)
        case .failure(let notConfigured as NotConfigured):
            return DependencyStatus(state: .notConfigured, detail: notConfigured.reason)
        case .failure(let error):
            return DependencyStatus(state: .down, detail: "\(error)")
        }
    }

    /// The first of: the body's result, or a timeout error after `timeout`.
    static func race(timeout: Duration, _ body: @escaping @Sendable () async throws -> Void) async -> Result<Void, any Error> {
        let settled = Mutex<CheckedContinuation<Result<Void, any Error>, Never>?>(nil)
        let work = Mutex<[Task<Void, Never>]>([])
        let result = await withCheckedContinuation { continuation in
            settled.withLock { $0 = continuation }
            let finish: @Sendable (Result<Void, any Error>) -> Void = { result in
                settled.withLock { pending in
                    pending?.resume(returning: result)
                    pending = nil
                }
            }
            let check = Task {
                do {
                    try await body()
                    finish(.success(()))
                } catch {
                    finish(.failure(error))
                }
            }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                finish(.failure(GuildhallError(.unavailable, "no answer within \(timeout)")))
            }
            work.withLock { $0 = [check, timer] }
        }
        for task in work.withLock({ $0 }) { task.cancel() }
        return result
    }
}

/// The body of `/healthz`.
public struct HealthReport: Sendable, Codable, Equatable {
    public let status: String
    public let version: String
    public let role: String
    public let dependencies: [String: DependencyStatus]

    /// 200 when every configured dependency is up, 503 otherwise.
    public var isHealthy: Bool { status == "ok" }
}

/// Builds `/healthz` answers for one role.
public struct HealthCheck: Sendable {
    public let role: String
    public let probes: [HealthProbe]
    public let timeout: Duration

    public init(role: String, probes: [HealthProbe], timeout: Duration = .seconds(2)) {
        self.role = role
        self.probes = probes
        self.timeout = timeout
    }

    public func report() async -> HealthReport {
        var results: [String: DependencyStatus] = [:]
        await withTaskGroup(of: (String, DependencyStatus).self) { group in
            for probe in probes {
                group.addTask { (probe.name, await probe.run(timeout: timeout)) }
            }
            for await (name, status) in group { results[name] = status }
        }
        let healthy = results.values.allSatisfy { $0.state != .down }
        return HealthReport(status: healthy ? "ok" : "degraded", version: GuildhallVersion.current, role: role, dependencies: results)
    }
}

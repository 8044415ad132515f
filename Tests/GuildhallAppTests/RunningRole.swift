import Foundation
@testable import GuildhallApp
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallHTTP
import GuildhallJobs
import ServiceLifecycle

/// A `serve` ServiceGroup running inside the test process on a free port.
struct RunningRole {
    let platform: Platform
    let group: ServiceGroup
    let port: Int
    let task: Task<Void, any Error>

    static func start(configuration: GuildhallConfiguration) async throws -> RunningRole {
        MetricsBootstrap.bootstrap()
        var configuration = configuration
        configuration.port = 0
        let platform = try await Platform.open(configuration: configuration, role: .serve, logger: TestDatabase.quietLogger, migrate: true)
        return try await start(platform: platform)
    }

    /// Runs `platform`'s role: the worker group for `.worker`, the serve group otherwise.
    static func start(platform: Platform, jobs: JobRoleSettings = JobRoleSettings()) async throws -> RunningRole {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let group = platform.role == .worker
            ? try RoleRunner.workerGroup(platform: platform, jobs: jobs) { port in continuation.yield(port) }
            : try RoleRunner.serveGroup(platform: platform, jobs: jobs) { port in continuation.yield(port) }
        let task = Task { try await group.run() }
        var bound = 0
        for await port in ports {
            bound = port
            break
        }
        return RunningRole(platform: platform, group: group, port: bound, task: task)
    }

    /// SIGTERM's path: graceful shutdown of the whole group; returns the group's outcome.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

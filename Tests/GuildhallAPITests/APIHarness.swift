import Foundation
@testable import GuildhallAPI
import GuildhallBackends
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallHTTP
import GuildhallJobs
import GuildhallStorage
import GuildhallTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import GuildhallDiscordModels

/// The API on a real loopback socket (HummingbirdTesting's live mode), over a fresh SQLite
/// database with the job tables, in-process backends unless given others.
struct APIHarness {
    static let operatorToken = String(repeating: "7", count: 40)

    let database: GuildhallDatabase
    let jobs: JobSystem
    let table: APIRouteTable
    let logs: LogRecorder
    let application: Application<RouterResponder<GuildhallRequestContext>>

    static func make(
        operatorToken: String? = APIHarness.operatorToken, addressLimit: Int = 1_000, cache: (any CacheBackend)? = nil,
        extraRoutes: (APIRouter<GuildhallRequestContext>) -> Void = { _ in }
    ) async throws -> APIHarness {
        let database = try await TestDatabase.open(.sqlite)
        let jobs = try JobSystem.make(database: database, driver: try InProcessJobDriver())
        let router = Router(context: GuildhallRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        let api = APIMount.mount(
            on: router, settings: APISettings(operatorToken: operatorToken, addressLimit: addressLimit, maximumBodyBytes: 1_024),
            cache: cache ?? Backends.inProcess().cache, jobs: jobs.admin
        )
        extraRoutes(api)
        router.get("/outside") { _, _ -> String in "not the API" }
        let logs = LogRecorder()
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logs.logger(label: "api"))
        return APIHarness(database: database, jobs: jobs, table: api.table, logs: logs, application: application)
    }

    /// Runs `body` with a client connected over a real socket, then closes the database.
    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        do {
            try await application.test(.live) { client in try await body(OpenAPIConformingClient(inner: client, table: table)) }
            await database.shutdown()
        } catch {
            await database.shutdown()
            throw error
        }
    }

    static var operatorHeaders: HTTPFields { [.authorization: "Bearer \(operatorToken)"] }
}

extension TestResponse {
    /// The body as the API's error shape.
    var apiError: APIErrorBody? { try? JSONDecoder().decode(APIErrorBody.self, from: Data(buffer: body)) }

    var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)) }
}

extension JSONValue {
    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}

import Foundation
import Hummingbird

/// `/healthz` and `/metrics`, served by every role that serves HTTP.
public enum ObservabilityRoutes {
    public static func register<Context: RequestContext>(on router: Router<Context>, health: HealthCheck) {
        router.get("/healthz") { _, _ -> Response in
            let report = await health.report()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = try encoder.encode(report)
            return Response(
                status: report.isHealthy ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: MetricsBootstrap.exposition()))
            )
        }
    }
}

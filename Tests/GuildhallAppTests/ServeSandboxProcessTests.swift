import Foundation
import GuildhallTestSupport
import Testing

/// Issue #3's last acceptance line, with the real binary: `guildhall serve` with no token
/// starts the sandbox in-process, says so in its log, and its bot connects to it.
@Suite("serve with no DISCORD_TOKEN")
struct ServeSandboxProcessTests {
    @Test("the sandbox starts in-process, the log says it is the sandbox, and the gateway reports up in /healthz")
    func serveRunsTheSandbox() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RoleProcess.binary.path), "build the guildhall binary first: \(RoleProcess.binary.path)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName(prefix: "serve-sandbox"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try FreePort.loopback()
        let serve = try RoleProcess(
            role: "serve", arguments: ["--port", String(port), "--database-url", "sqlite://" + folder.appendingPathComponent("guildhall.sqlite").path],
            folder: folder
        )
        let gatewayUp = await waitUntil(timeout: .seconds(60)) {
            let health = try await HTTPProbe.get(port: port, path: "/healthz")
            let body = try JSONSerialization.jsonObject(with: health.body) as? [String: Any]
            let gateway = (body?["dependencies"] as? [String: Any])?["gateway"] as? [String: Any]
            return health.status == 200 && gateway?["status"] as? String == "up"
        }
        try #require(gatewayUp, "serve never reported its gateway up: \(serve.log.suffix(2000))")
        let log = serve.log
        #expect(log.contains("SANDBOX DISCORD: no DISCORD_TOKEN is set"))
        #expect(log.contains("not to discord.com"))
        serve.kill()
    }
}

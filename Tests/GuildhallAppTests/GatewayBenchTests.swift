import ArgumentParser
import Foundation
@testable import GuildhallApp
import GuildhallCore
import GuildhallTestSupport
import Testing

@Suite("bench gateway")
struct GatewayBenchTests {
    @Test("the in-process sandbox's traffic arrives whole and in sequence, with events in flight")
    func inProcessRun() async throws {
        var runner = GatewayBenchRunner()
        runner.events = 20_000
        runner.shards = 2
        runner.guilds = 8
        runner.members = 5
        runner.placement = .inProcess
        runner.socketFreeFrames = 2_000
        let report = try await runner.run()
        #expect(report.events == 20_000)
        #expect(report.sequenceProblems == 0)
        #expect(report.contentBytes > 0, "the events were decoded down to their content")
        #expect(report.eventsPerSecond > 0)
        #expect(!report.inFlightSamples.isEmpty)
        #expect(report.socketFree?.events == 4_000)
        let text = report.description
        #expect(text.contains("20000 MESSAGE_CREATE"))
        #expect(text.contains("in this process"))
        #expect(text.contains("without sockets"))
        #expect(text.contains("cores"))
        let cpu = try #require(report.cpu, "Linux's /proc gives the CPU seconds")
        #expect(cpu.shares.map(\.name) == ["guildhall"] && cpu.total > 0, "the sandbox runs in this process: one share")
        #expect(text.contains("events per CPU-second"))
    }

    @Test("a guildhall sandbox child process serves the run and is stopped afterwards")
    func childProcessRun() async throws {
        var runner = GatewayBenchRunner()
        runner.events = 5_000
        runner.shards = 1
        runner.guilds = 4
        runner.members = 5
        runner.placement = .process
        runner.socketFreeFrames = 0
        runner.executable = RoleProcess.binary
        // An instrumented child writes its coverage profile here, never into the suite's.
        runner.childEnvironment = ["LLVM_PROFILE_FILE": FileManager.default.temporaryDirectory.appendingPathComponent("bench-sandbox-%p.profraw").path]
        let report = try await runner.run()
        #expect(report.events == 5_000)
        #expect(report.sequenceProblems == 0)
        #expect(report.socketFree == nil)
        #expect(report.description.contains("a separate guildhall sandbox process"))
        #expect(report.cpu?.shares.map(\.name) == ["guildhall", "sandbox"], "the child's CPU seconds are counted too")
    }

    @Test("a child that prints no banner is stopped and reported")
    func childWithoutBanner() async throws {
        let error = await #expect(throws: GuildhallError.self) {
            _ = try await SandboxChildProcess.start(executable: URL(fileURLWithPath: "/bin/sleep"), arguments: ["30"], timeout: .milliseconds(300))
        }
        #expect(error?.message.contains("printed no banner") == true)
    }

    @Test("the banner is read from the sandbox's output, log lines and all")
    func banner() {
        let text = """
            {"level":"info","msg":"Server started"}
            sandbox Discord listening (this is NOT discord.com)
            DISCORD_TOKEN=abc.def
            gateway: ws://127.0.0.1:5/gateway
            control API: http://127.0.0.1:5/_sandbox
            """
        #expect(SandboxChildProcess.banner(in: text) == .init(
            token: "abc.def", gatewayURL: "ws://127.0.0.1:5/gateway", controlURL: URL(string: "http://127.0.0.1:5/_sandbox")!
        ))
        #expect(SandboxChildProcess.banner(in: "DISCORD_TOKEN=x\n") == nil)
    }

    @Test("bad numbers and placements are refused before anything starts")
    func validation() {
        for arguments in [["--events", "10"], ["--shards", "0"], ["--guilds", "0"], ["--members", "0"], ["--max-backlog", "0"],
                          ["--socket-free-frames", "-1"], ["--sandbox", "cloud"]] {
            #expect(throws: (any Error).self, "\(arguments)") { _ = try GuildhallCommand.parseAsRoot(["bench", "gateway"] + arguments) }
        }
        #expect(throws: Never.self) { _ = try GuildhallCommand.parseAsRoot(["bench", "gateway", "--events", "5000", "--sandbox", "in-process"]) }
    }
}

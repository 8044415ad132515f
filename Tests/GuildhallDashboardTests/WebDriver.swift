import Foundation
@testable import GuildhallSandbox
import GuildhallTestSupport
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#endif

/// A WebDriver client for Debian's chromedriver and headless Chromium: enough to open pages,
/// click, read text, resize the window and take screenshots. Each instance starts its own
/// chromedriver on a free loopback port and stops it (SIGKILL: children of the test runner
/// have SIGTERM blocked).
final class WebDriver: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    private let process: Process
    private let base: String
    private var session = ""
    private let http = LoopbackHTTPClient(timeout: .seconds(30))

    private init(process: Process, port: Int) {
        self.process = process
        base = "http://127.0.0.1:\(port)"
    }

    static func start() async throws -> WebDriver {
        let port = try FreePort.loopback()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestEnvironment.chromedriver())
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let driver = WebDriver(process: process, port: port)
        let ready = await waitUntil(timeout: .seconds(20)) {
            let status = try await driver.request(.GET, "/status")
            return (status["value"] as? [String: Any])?["ready"] as? Bool == true
        }
        guard ready else {
            driver.stop()
            throw Failure(description: "chromedriver did not become ready on port \(port)")
        }
        let created = try await driver.request(.POST, "/session", [
            "capabilities": ["alwaysMatch": ["goog:chromeOptions": [
                "binary": try TestEnvironment.chromium(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"],
            ]]],
        ])
        guard let value = created["value"] as? [String: Any], let session = value["sessionId"] as? String else {
            driver.stop()
            throw Failure(description: "chromedriver made no session: \(created)")
        }
        driver.session = session
        return driver
    }

    func stop() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }

    func quit() async {
        _ = try? await request(.DELETE, "/session/\(session)")
        stop()
    }

    // MARK: Commands

    func go(_ url: String) async throws {
        _ = try await command(.POST, "url", ["url": url])
    }

    var currentURL: String {
        get async throws { try await command(.GET, "url")["value"] as? String ?? "" }
    }

    func setWindow(width: Int, height: Int) async throws {
        _ = try await command(.POST, "window/rect", ["width": width, "height": height])
    }

    /// The first element matching `css`, waiting up to `timeout` for it to appear.
    func element(_ css: String, timeout: Duration = .seconds(10)) async throws -> String {
        let found = LockedText()
        _ = await waitUntil(timeout: timeout) {
            let reply = try await self.command(.POST, "element", ["using": "css selector", "value": css])
            let id = (reply["value"] as? [String: Any])?.first { $0.key.hasPrefix("element-") }?.value as? String
            found.set(id ?? "")
            return id != nil
        }
        guard !found.value.isEmpty else { throw Failure(description: "no element matches \(css) on \(try await currentURL)") }
        return found.value
    }

    func elements(_ css: String) async throws -> [String] {
        let reply = try await command(.POST, "elements", ["using": "css selector", "value": css])
        return (reply["value"] as? [[String: Any]] ?? []).compactMap { $0.first { $0.key.hasPrefix("element-") }?.value as? String }
    }

    func click(_ css: String) async throws {
        let id = try await element(css)
        _ = try await command(.POST, "element/\(id)/click", [:])
    }

    /// Empties a field and types `text` into it, as a person would.
    func type(_ css: String, _ text: String) async throws {
        let id = try await element(css)
        _ = try await command(.POST, "element/\(id)/clear", [:])
        if !text.isEmpty { _ = try await command(.POST, "element/\(id)/value", ["text": text]) }
    }

    /// The current value of a form field (what the page's script filled in).
    func value(_ css: String) async throws -> String {
        let id = try await element(css)
        return try await command(.GET, "element/\(id)/property/value")["value"] as? String ?? ""
    }

    func text(_ css: String) async throws -> String {
        let id = try await element(css)
        return try await command(.GET, "element/\(id)/text")["value"] as? String ?? ""
    }

    /// Waits until the text of `css` satisfies `condition`; returns the last text seen.
    @discardableResult
    func waitForText(_ css: String, timeout: Duration = .seconds(10), _ condition: @escaping @Sendable (String) -> Bool) async throws -> String {
        let last = LockedText()
        let met = await waitUntil(timeout: timeout) {
            let text = try await self.text(css)
            last.set(text)
            return condition(text)
        }
        guard met else { throw Failure(description: "\(css) never showed the expected text; last: \(last.value)") }
        return last.value
    }

    /// Saves a PNG of the window under the test command's screenshot folder.
    func screenshot(_ name: String) async throws {
        let reply = try await command(.GET, "screenshot")
        guard let encoded = reply["value"] as? String, let data = Data(base64Encoded: encoded) else {
            throw Failure(description: "no screenshot came back")
        }
        let folder = try TestEnvironment.screenshotFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try data.write(to: folder.appendingPathComponent(name + ".png"))
    }

    // MARK: Wire

    private func command(_ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        try await request(method, "/session/\(session)/\(path)", body)
    }

    private func request(_ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []
        let reply = try await http.send(
            method: method, url: URL(string: base + path)!, headers: body == nil ? [] : [("Content-Type", "application/json")], body: bytes
        )
        let json = (try? JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any] ?? [:]
        if reply.status >= 400, let value = json["value"] as? [String: Any], let error = value["error"] as? String {
            throw Failure(description: "WebDriver \(method) \(path): \(error): \(value["message"] as? String ?? "")")
        }
        return json
    }
}

final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    var value: String { lock.withLock { text } }
    func set(_ new: String) { lock.withLock { text = new } }
}

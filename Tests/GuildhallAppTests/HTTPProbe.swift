import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A minimal HTTP client for loopback tests (URLSession, no caching, short timeout).
enum HTTPProbe {
    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    static func get(port: Int, path: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send("GET", port: port, path: path, headers: headers, body: nil)
    }

    static func post(port: Int, path: String, body: Data, headers: [String: String] = [:]) async throws -> Reply {
        try await send("POST", port: port, path: path, headers: headers, body: body)
    }

    static func send(_ method: String, port: Int, path: String, headers: [String: String], body: Data?) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 10
        request.cachePolicy = .reloadIgnoringLocalCacheData
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields["\(key)"] = "\(value)" }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }
}

import ArgumentParser
@testable import GuildhallApp

/// Parses arguments as `guildhall …` would and runs the command they select.
func runGuildhall(_ arguments: [String]) async throws {
    let parsed = try GuildhallCommand.parseAsRoot(arguments)
    if var command = parsed as? any AsyncParsableCommand {
        try await command.run()
    } else {
        var command = parsed
        try command.run()
    }
}

import Foundation
import GuildhallCore

/// A feature's dashboard files, read once at start from the folder its target copies into
/// its bundle: `*.mustache` templates and `*.js` scripts. Nothing is fetched at run time.
public struct DashboardAssets: Sendable {
    /// The feature's id: its templates are named `<feature>/<name>` in the shell's library and
    /// its scripts are served under `/dashboard/assets/features/<feature>/`.
    public let feature: String
    public let templates: [String: String]
    public let scripts: [String: [UInt8]]

    public init(feature: String, templates: [String: String], scripts: [String: [UInt8]] = [:]) {
        self.feature = feature
        self.templates = templates
        self.scripts = scripts
    }

    /// Reads the templates and scripts of `folder` (the copied `Resources` of a bundle).
    public static func load(feature: String, bundle: Bundle, folder: String = "Resources") throws -> DashboardAssets {
        let directory = try resourceFolder(in: bundle, named: folder, containing: nil)
        var templates: [String: String] = [:]
        var scripts: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
            let url = directory.appendingPathComponent(name)
            if name.hasSuffix(".mustache") {
                templates[String(name.dropLast(".mustache".count))] = try String(contentsOf: url, encoding: .utf8)
            } else if name.hasSuffix(".js") {
                scripts[name] = Array(try Data(contentsOf: url))
            }
        }
        return DashboardAssets(feature: feature, templates: templates, scripts: scripts)
    }

    /// Where SwiftPM put a copied folder differs by platform; take the candidate that exists
    /// (and holds `file`, when given).
    static func resourceFolder(in bundle: Bundle, named folder: String, containing file: String?) throws -> URL {
        let candidates = [bundle.bundleURL.appendingPathComponent(folder), bundle.resourceURL, bundle.resourceURL?.appendingPathComponent(folder)]
        let found = candidates.compactMap { $0 }.first { url in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else { return false }
            return file.map { FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path) } ?? (url.lastPathComponent == folder)
        }
        guard let found else { throw GuildhallError(.internalError, "the dashboard files '\(folder)' are missing from the build (\(bundle.bundleURL.path))") }
        return found
    }
}

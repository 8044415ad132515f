import Foundation

/// The protocol's fourteen lifecycle steps, as the section headings every
/// `docs/features/<id>.md` must carry, in this order.
public enum FeatureDocument {
    public static let requiredSections: [String] = [
        "1. Lifecycle",
        "2. Database schema",
        "3. Migration (forward and rollback)",
        "4. Redis keys",
        "5. API routes and validation",
        "6. Bot commands",
        "7. Worker jobs",
        "8. Dashboard",
        "9. Permissions",
        "10. Logging and analytics",
        "11. Premium gating",
        "12. Tests",
        "13. Coverage",
        "14. Regression safety",
    ]

    /// The required `## ` headings missing from a document, or out of order.
    public static func problems(in markdown: String) -> [String] {
        let headings = markdown.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)).trimmingCharacters(in: .whitespaces) }
        var problems: [String] = []
        var lastIndex = -1
        for section in requiredSections {
            guard let index = headings.firstIndex(of: section) else {
                problems.append("missing section '## \(section)'")
                continue
            }
            if index < lastIndex { problems.append("section '## \(section)' is out of order") }
            lastIndex = index
        }
        return problems
    }
}

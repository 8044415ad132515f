/// `data` of a MODAL_SUBMIT interaction: the modal's id and its filled-in components.
public struct ModalSubmitInteractionData: Codable, Hashable, Sendable {
    public var customID: String
    public var components: [MessageComponent]
    public var resolved: ResolvedData?

    public init(customID: String, components: [MessageComponent], resolved: ResolvedData? = nil) {
        self.customID = customID
        self.components = components
        self.resolved = resolved
    }

    /// What the user typed, by text input `custom_id`, wherever the inputs are nested.
    public var textInputValues: [String: String] {
        var result: [String: String] = [:]
        for case .textInput(let input) in components.flatMap(\.flattened) {
            if let value = input.value { result[input.customID] = value }
        }
        return result
    }

    /// What the user picked, by select `custom_id`.
    public var selectedValues: [String: [String]] {
        var result: [String: [String]] = [:]
        for case .selectMenu(let menu) in components.flatMap(\.flattened) {
            if let values = menu.values { result[menu.customID] = values }
        }
        return result
    }

    enum CodingKeys: String, CodingKey {
        case components, resolved
        case customID = "custom_id"
    }
}

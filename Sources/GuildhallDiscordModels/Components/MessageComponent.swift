/// A component in a message or modal, by its `type`. Types this build does not model decode
/// as `.unknown`, keeping their JSON so they encode back unchanged.
public indirect enum MessageComponent: Hashable, Sendable {
    case actionRow(ActionRow)
    case button(Button)
    /// String, user, role, mentionable and channel selects (types 3, 5, 6, 7, 8).
    case selectMenu(SelectMenu)
    case textInput(TextInput)
    case textDisplay(TextDisplay)
    case label(Label)
    case unknown(type: ComponentType, payload: JSONValue)

    public var type: ComponentType {
        switch self {
        case .actionRow: .actionRow
        case .button: .button
        case .selectMenu(let menu): menu.type
        case .textInput: .textInput
        case .textDisplay: .textDisplay
        case .label: .label
        case .unknown(let type, _): type
        }
    }

    /// The developer-chosen id of interactive components.
    public var customID: String? {
        switch self {
        case .button(let button): button.customID
        case .selectMenu(let menu): menu.customID
        case .textInput(let input): input.customID
        default: nil
        }
    }

    /// This component and every component nested in it, depth first.
    public var flattened: [MessageComponent] {
        switch self {
        case .actionRow(let row): [self] + row.components.flatMap(\.flattened)
        case .label(let label): [self] + label.component.flattened
        default: [self]
        }
    }
}

extension MessageComponent: Codable {
    private enum TypeKey: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let type = try decoder.container(keyedBy: TypeKey.self).decode(ComponentType.self, forKey: .type)
        switch type {
        case .actionRow: self = .actionRow(try ActionRow(from: decoder))
        case .button: self = .button(try Button(from: decoder))
        case .textInput: self = .textInput(try TextInput(from: decoder))
        case .textDisplay: self = .textDisplay(try TextDisplay(from: decoder))
        case .label: self = .label(try Label(from: decoder))
        case _ where type.isSelectMenu: self = .selectMenu(try SelectMenu(from: decoder))
        default: self = .unknown(type: type, payload: try JSONValue(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .actionRow(let row): try row.encode(to: encoder)
        case .button(let button): try button.encode(to: encoder)
        case .selectMenu(let menu):
            try menu.encode(to: encoder)
            return
        case .textInput(let input): try input.encode(to: encoder)
        case .textDisplay(let display): try display.encode(to: encoder)
        case .label(let label): try label.encode(to: encoder)
        case .unknown(_, let payload):
            try payload.encode(to: encoder)
            return
        }
        // The structs leave their fixed type out; it goes in the same JSON object.
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
    }
}

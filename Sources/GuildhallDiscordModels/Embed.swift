/// A rich embed. Discord's limits (FACTS.md §8) are checked by the validation of the
/// request bodies that carry embeds (`CreateMessageRequest.validationIssues()` and others).
public struct Embed: Codable, Hashable, Sendable {
    public var title: String?
    /// `rich` for bot embeds; link previews carry other types.
    public var type: String?
    public var description: String?
    public var url: String?
    public var timestamp: DiscordTimestamp?
    public var color: Int?
    public var footer: Footer?
    public var image: Media?
    public var thumbnail: Media?
    public var video: Media?
    public var provider: Provider?
    public var author: Author?
    public var fields: [Field]?

    public init(
        title: String? = nil, type: String? = nil, description: String? = nil, url: String? = nil,
        timestamp: DiscordTimestamp? = nil, color: Int? = nil, footer: Footer? = nil, image: Media? = nil,
        thumbnail: Media? = nil, video: Media? = nil, provider: Provider? = nil, author: Author? = nil,
        fields: [Field]? = nil
    ) {
        self.title = title
        self.type = type
        self.description = description
        self.url = url
        self.timestamp = timestamp
        self.color = color
        self.footer = footer
        self.image = image
        self.thumbnail = thumbnail
        self.video = video
        self.provider = provider
        self.author = author
        self.fields = fields
    }

    public struct Footer: Codable, Hashable, Sendable {
        public var text: String
        public var iconURL: String?
        public var proxyIconURL: String?

        public init(text: String, iconURL: String? = nil, proxyIconURL: String? = nil) {
            self.text = text
            self.iconURL = iconURL
            self.proxyIconURL = proxyIconURL
        }

        enum CodingKeys: String, CodingKey {
            case text
            case iconURL = "icon_url"
            case proxyIconURL = "proxy_icon_url"
        }
    }

    /// An image, thumbnail or video.
    public struct Media: Codable, Hashable, Sendable {
        public var url: String
        public var proxyURL: String?
        public var height: Int?
        public var width: Int?

        public init(url: String, proxyURL: String? = nil, height: Int? = nil, width: Int? = nil) {
            self.url = url
            self.proxyURL = proxyURL
            self.height = height
            self.width = width
        }

        enum CodingKeys: String, CodingKey {
            case url, height, width
            case proxyURL = "proxy_url"
        }
    }

    public struct Provider: Codable, Hashable, Sendable {
        public var name: String?
        public var url: String?

        public init(name: String? = nil, url: String? = nil) {
            self.name = name
            self.url = url
        }
    }

    public struct Author: Codable, Hashable, Sendable {
        public var name: String
        public var url: String?
        public var iconURL: String?
        public var proxyIconURL: String?

        public init(name: String, url: String? = nil, iconURL: String? = nil, proxyIconURL: String? = nil) {
            self.name = name
            self.url = url
            self.iconURL = iconURL
            self.proxyIconURL = proxyIconURL
        }

        enum CodingKeys: String, CodingKey {
            case name, url
            case iconURL = "icon_url"
            case proxyIconURL = "proxy_icon_url"
        }
    }

    public struct Field: Codable, Hashable, Sendable {
        public var name: String
        public var value: String
        public var inline: Bool?

        public init(name: String, value: String, inline: Bool? = nil) {
            self.name = name
            self.value = value
            self.inline = inline
        }
    }
}

/// Discord's documented size limits (FACTS.md §4.1, §4.3, §4.5, §8).
public enum DiscordLimits {
    public static let messageContentLength = 2_000
    public static let embedsPerMessage = 10
    public static let embedTitleLength = 256
    public static let embedDescriptionLength = 4_096
    public static let embedFields = 25
    public static let embedFieldNameLength = 256
    public static let embedFieldValueLength = 1_024
    public static let embedFooterTextLength = 2_048
    public static let embedAuthorNameLength = 256
    public static let embedTotalCharacters = 6_000
    public static let allowedMentionIDs = 100
    public static let nonceLength = 25
    public static let stickersPerMessage = 3
    public static let actionRowsPerMessage = 5
    public static let componentsPerV2Message = 40
    public static let buttonsPerRow = 5
    public static let customIDLength = 100
    public static let buttonLabelLength = 80
    public static let selectOptions = 25
    public static let autocompleteChoices = 25
    public static let modalTitleLength = 45
    public static let modalComponents = 5
    public static let commandNameLength = 32
    public static let commandDescriptionLength = 100
    public static let commandOptions = 25
    public static let commandChoices = 25
    public static let nicknameLength = 32
}

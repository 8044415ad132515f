import Testing
@testable import GuildhallDiscordModels

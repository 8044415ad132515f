import Testing
@testable import GuildhallDiscordGateway

import Testing
@testable import GuildhallDiscordREST

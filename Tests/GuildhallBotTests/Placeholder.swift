import Testing
@testable import GuildhallBot

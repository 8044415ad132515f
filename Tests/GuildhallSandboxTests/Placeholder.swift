import Testing
@testable import GuildhallSandbox

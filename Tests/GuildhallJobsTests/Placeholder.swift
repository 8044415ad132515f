import Testing
@testable import GuildhallJobs

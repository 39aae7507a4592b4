import Fluent
import XCTest
@testable import LanternApp

/// A read that must write: the coordinator, a signer, opening the version just sent for signatures
/// shows as having seen it, on the page they are reading (the read is done again as a change).
final class SignerSeesPlanTests: XCTestCase {
    func testTheCoordinatorOpeningTheSentVersionHasSeenIt() async throws {
        try await onEveryEngine { w in
            let (planID, _) = try await PlanLifecycleTests.sentPlan(w)
            let page = try await w.web(.GET, "/plans/\(planID)", as: "coordinator")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("Has seen the plan"), "[\(w.engine)] the page shows the coordinator has seen it")
            let statuses = try await PlanFollowUpTests.statuses(w, planID)
            XCTAssertEqual(statuses["coordinator"], "viewed", "[\(w.engine)]")
        }
    }
}

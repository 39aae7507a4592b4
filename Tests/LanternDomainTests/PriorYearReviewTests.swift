@testable import LanternDomain
import XCTest

/// Next year's review of the past year, drafted from this year's outcomes and progress.
final class PriorYearReviewTests: XCTestCase {
    func d(_ s: String) -> CalendarDate { CalendarDate(s)! }

    func outcome(_ status: OutcomeStatus = .inProgress, measure: ProgressMeasure = .percentage, target: Double? = 80) -> PlannedOutcome {
        PlannedOutcome(id: "o1", text: "A paid job with animals", inOwnWords: true, lifeDomain: nil, measure: nil, startDate: d("2026-01-05"),
                       targetDate: d("2026-12-31"), status: status, statusReason: status == .discontinued ? "The shelter closed" : nil,
                       steps: [ActionStep(id: "s1", outcomeID: "o1", text: "Job tasks without a prompt", responsible: .provider, circleMemberID: nil,
                                          organizationID: nil, paid: true, frequency: nil, schedule: nil, byDate: nil, measure: measure, target: target)])
    }

    func points(_ values: [Double]) -> [String: [ProgressPoint]] {
        ["s1": values.enumerated().map { ProgressPoint(d("2026-02-02").adding(days: 7 * $0.offset), $0.element) }]
    }

    func testWhereEachOutcomeEnded() {
        XCTAssertEqual(PriorYearReview.result(outcome(.achieved), .init()), .achieved, "the team's own status comes first")
        XCTAssertEqual(PriorYearReview.result(outcome(.discontinued), .init()), .discontinued)
        XCTAssertEqual(PriorYearReview.result(outcome(.changed), .init()), .changed)
        XCTAssertEqual(PriorYearReview.result(outcome(), .init()), .notWorking, "nothing recorded on a measured step")
        XCTAssertEqual(PriorYearReview.result(outcome(), .init(points: points([40, 50, 60, 70, 80, 85]))), .achieved, "at the target")
        XCTAssertEqual(PriorYearReview.result(outcome(), .init(points: points([40, 50, 60, 65, 70, 72]))), .continuing, "on the way")
        XCTAssertEqual(PriorYearReview.result(outcome(), .init(points: points([60, 62, 61, 45, 44, 40]))), .notWorking, "moving away")
        XCTAssertEqual(PriorYearReview.result(outcome(measure: .count, target: 1), .init(points: points([5, 4, 3, 2, 1, 1]))), .achieved,
                       "a count meant to go down reaches its target from above")
        XCTAssertEqual(PriorYearReview.result(outcome(target: nil), .init(points: points([40, 50]))), .continuing, "no target to reach")
    }

    func testTheEvidenceIsInWords() {
        let evidence = PriorYearReview.Evidence(points: points([40, 50, 60]),
                                                reviews: ["o1": .init(on: d("2026-06-01"), working: "Short shifts.", notWorking: "Bus delays.")],
                                                views: ["o1": .init(on: d("2026-10-01"), rating: .goingWell, comment: "I like the dogs")])
        let entries = PriorYearReview.entries(for: [outcome(.discontinued)], evidence: evidence)
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries[0].text("outcome"), "A paid job with animals")
        XCTAssertEqual(entries[0].text("result"), "discontinued")
        XCTAssertEqual(entries[0].text("evidence"), """
        Why it stopped: The shelter closed
        Job tasks without a prompt: 3 entries from 2026-02-02 to 2026-02-16. The latest is 60%, up from 40% at the start. The target is 80% by 2026-12-31: 50% of the way there.
        Last review (2026-06-01). Working: Short shifts. Not working: Bus delays.
        The person said on 2026-10-01: going well, “I like the dogs”.
        """)
        // What the section accepts: the drafted entries pass its own checks.
        let spec = PlanSections.spec("prior-year")!
        let (_, errors) = spec.normalize(["outcomeReview": .array(entries.map(JSONValue.object)), "whatIsWorking": .string("x"), "whatIsNotWorking": .string("y")],
                                         circleMembers: [])
        XCTAssertEqual(errors, [])
    }
}

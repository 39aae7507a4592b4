@testable import LanternDomain
import XCTest

final class SectionContentTests: XCTestCase {
    let member = "7d1c7f0e-0000-4000-8000-000000000001"

    func testBlankRowsAreDroppedAndTextIsTrimmed() {
        let risks = PlanSections.spec("risks")!
        let (content, errors) = risks.normalize([
            "risks": .array([
                .object(["risk": .string("  Falls  "), "kind": .string("health"), "mitigation": .string("")]),
                .object(["risk": .string(""), "kind": .string(""), "level": .string("")]),
            ]),
            "backupPlan": .string("   "),
        ], circleMembers: [])
        XCTAssertEqual(errors, [])
        XCTAssertEqual(content, ["risks": .array([.object(["risk": .string("Falls"), "kind": .string("health")])])])
    }

    func testEveryProblemNamesItsFieldByPosition() {
        let spec = PlanSections.spec("rights")!
        let (_, errors) = spec.normalize([
            "rightsExplained": .string("perhaps"),
            "colour": .string("blue"),
            "modifications": .array([
                .object(["right": .string("visitors")]),
                .object(["assessedNeed": .string("x"), "reviewBy": .string("2026-02-30")]),
                .object(["right": .string("flying"), "committeeDecision": .number(3)]),
            ]),
        ], circleMembers: [])
        XCTAssertEqual(errors.map(\.field), ["colour", "rightsExplained", "modifications.1.reviewBy", "modifications.1.right", "modifications.2.right", "modifications.2.committeeDecision"])
        XCTAssertEqual(errors.first { $0.field == "modifications.1.right" }?.message, "Right that is limited is needed for each entry in Limits on rights.")
        XCTAssertTrue(errors.first { $0.field == "modifications.1.reviewBy" }!.message.contains("YYYY-MM-DD"))
    }

    func testCircleMembersMustBeInThisPersonsCircle() {
        let spec = PlanSections.spec("who-is-important")!
        let (ok, none) = spec.normalize(["people": .array([.object(["circleMemberId": .string(member.uppercased())])])], circleMembers: [member])
        XCTAssertEqual(none, [])
        XCTAssertEqual(ok.entries("people").first?.text("circleMemberId"), member)
        let (_, errors) = spec.normalize(["people": .array([.object(["circleMemberId": .string("7d1c7f0e-0000-4000-8000-00000000000f")])])], circleMembers: [member])
        XCTAssertEqual(errors.map(\.field), ["people.0.circleMemberId"])
    }

    func testLimitsOnLengthAndControlCharacters() {
        let spec = PlanSections.spec("support-needs")!
        let (_, errors) = spec.normalize(["howToSupport": .string(String(repeating: "a", count: 4001)), "whatWorks": .string("ok\u{0007}")], circleMembers: [])
        XCTAssertEqual(errors.map(\.field), ["howToSupport", "whatWorks"])
        XCTAssertTrue(errors[0].message.contains("at most 4000"))
    }

    func testCompletenessNamesTheFirstMissingField() {
        let spec = PlanSections.spec("funds")!
        XCTAssertFalse(spec.isComplete(nil))
        XCTAssertFalse(spec.isComplete(["level": .string("some_help")]))
        XCTAssertEqual(spec.missing(in: ["level": .string("some_help")]).map(\.key), ["whoManages", "safeguards"])
        XCTAssertTrue(spec.isComplete(["level": .string("some_help"), "whoManages": .string("Sister"), "safeguards": .string("Receipts")]))
    }

    func testEveryPlanTypeHasItsOwnSectionsAndEveryKeyIsUnique() {
        XCTAssertEqual(Set(PlanSections.sections.map(\.key)).count, PlanSections.sections.count)
        XCTAssertTrue(PlanSections.sections(for: .californiaIFSP).map(\.key).contains("present-levels"))
        XCTAssertFalse(PlanSections.sections(for: .californiaIFSP).map(\.key).contains("employment"))
        XCTAssertTrue(PlanSections.sections(for: .californiaIPP).map(\.key).contains("health-status"))
        XCTAssertTrue(PlanSections.sections(for: .missouriISP).map(\.key).contains("prior-year"))
        for spec in PlanSections.sections { XCTAssertFalse(spec.planTypes.isEmpty, spec.key) }
    }

    func testCalendarArithmetic() {
        XCTAssertEqual(CalendarDate("2026-01-31")!.adding(months: 1).description, "2026-02-28")
        XCTAssertEqual(CalendarDate("2024-01-31")!.adding(months: 1).description, "2024-02-29")
        XCTAssertEqual(CalendarDate("2026-03-02")!.adding(months: -14).description, "2025-01-02")
        XCTAssertEqual(CalendarDate("2026-12-31")!.adding(days: 1).description, "2027-01-01")
        XCTAssertEqual(CalendarDate("2024-06-15")!.months(until: CalendarDate("2026-09-14")!), 26)
        XCTAssertEqual(CalendarDate("2024-06-15")!.months(until: CalendarDate("2026-09-15")!), 27)
    }

    func testAnOutcomeNamesItsLifeAreaAndStatusFromTheirLists() {
        let spec = PlanSections.spec("outcomes")!
        let (content, errors) = spec.normalize(["outcomes": .array([
            .object(["outcome": .string("Ride the bus to work"), "lifeDomain": .string("community_living"), "status": .string("discontinued"),
                     "statusReason": .string("Moved next to work; walks now"), "startDate": .string("2026-03-01")]),
            .object(["outcome": .string("Cook once a week"), "lifeDomain": .string("cooking"), "status": .string("paused")]),
        ])], circleMembers: [])
        XCTAssertEqual(errors.map(\.field), ["outcomes.1.lifeDomain", "outcomes.1.status"])
        XCTAssertEqual(content.entries("outcomes").first?.text("statusReason"), "Moved next to work; walks now")
        XCTAssertEqual(LifeDomain.allCases.count, 6, "the six Charting the LifeCourse domains")
    }
}


@testable import LanternDomain
import XCTest

/// Intake deadlines from the rule packs, at their boundaries; and satisfaction summaries.
final class IntakeDeadlinesTests: XCTestCase {
    func d(_ text: String) -> CalendarDate { CalendarDate(text)! }
    var engine: RuleEngine { get throws { try RuleEngine(library: RulePackLibrary.shared.get()) } }

    func testEarlyStartGives45DaysFromTheReferralToTheFirstIFSPMeeting() throws {
        let rules = try engine.intakeDeadlines(for: .californiaIFSP)
        XCTAssertEqual(rules.map(\.withinDays), [45, 45])
        XCTAssertTrue(rules.allSatisfy { $0.citation.hasPrefix("34 CFR 303.310(a)") })
        // Referred on 31 December: 45 days later is 14 February.
        let referral = ReferralFacts(id: "r", person: "Pip", planType: .californiaIFSP, referredOn: d("2026-12-31"))
        let items = Deadlines.intake(referral, rules: rules)
        XCTAssertEqual(items.map(\.kind), [.eligibilityDecision, .firstPlanMeeting])
        XCTAssertEqual(items.map(\.due), [d("2027-02-14"), d("2027-02-14")])
        XCTAssertEqual(items.map(\.showFrom), [d("2026-12-31"), d("2026-12-31")], "they show at once")
        XCTAssertEqual(items.map(\.key), ["intake-eligibility:r", "intake-first-meeting:r"])
        // Across a leap day: referred 15 February 2028, due 31 March (29 days of February).
        XCTAssertEqual(Deadlines.intake(ReferralFacts(id: "r", person: "Pip", planType: .californiaIFSP, referredOn: d("2028-02-15")), rules: rules).first?.due, d("2028-03-31"))
    }

    func testAnIPPIsDue60DaysAfterTheAssessmentWhichIsDue120DaysAfterTheReferral() throws {
        let rules = try engine.intakeDeadlines(for: .californiaIPP)
        var referral = ReferralFacts(id: "r", person: "Ada", planType: .californiaIPP, referredOn: d("2026-11-01"))
        var items = Deadlines.intake(referral, rules: rules)
        XCTAssertEqual(items.map(\.kind), [.eligibilityDecision], "the 60 days wait for the assessment")
        XCTAssertEqual(items.first?.due, d("2027-03-01"), "120 days from 1 November")
        XCTAssertEqual(items.first?.citation.hasPrefix("Cal. Welf. & Inst. Code § 4643(a)"), true)
        referral.assessedOn = d("2027-01-31"); referral.decision = .eligible
        items = Deadlines.intake(referral, rules: rules)
        XCTAssertEqual(items.map(\.kind), [.firstPlanMeeting], "decided: only the meeting is owed")
        XCTAssertEqual(items.first?.due, d("2027-04-01"), "60 days from 31 January")
        XCTAssertEqual(items.first?.showFrom, d("2027-01-31"))
        referral.firstMeetingHeld = true
        XCTAssertEqual(Deadlines.intake(referral, rules: rules), [], "held: nothing is owed")
    }

    func testNotEligibleOwesNoMeetingAndPacksWithoutLimitsOweNothing() throws {
        var referral = ReferralFacts(id: "r", person: "Ada", planType: .californiaIPP, referredOn: d("2026-11-01"), assessedOn: d("2026-12-01"), decision: .notEligible)
        XCTAssertEqual(Deadlines.intake(referral, rules: try engine.intakeDeadlines(for: .californiaIPP)), [])
        referral.decision = .provisional
        XCTAssertEqual(Deadlines.intake(referral, rules: try engine.intakeDeadlines(for: .californiaIPP)).map(\.kind), [.firstPlanMeeting], "provisional eligibility admits")
        XCTAssertEqual(try engine.intakeDeadlines(for: .missouriISP), [], "Missouri's packs set no intake limit")
        XCTAssertEqual(try engine.reviewOnChange(for: .missouriISP)?.withinDays, 30, "Missouri takes the federal limit after a change")
        XCTAssertTrue(try engine.reviewOnChange(for: .californiaIFSP)?.citation.hasPrefix("34 CFR 303.342(b)(1)") ?? false)
    }

    func testThePacksAreCheckedForBrokenIntakeLimits() throws {
        var pack = try XCTUnwrap(RulePackLibrary.shared.get().packs["california-ifsp"])
        pack.intake = [IntakeDeadline(step: .eligibility, from: .referral, withinDays: 0, citation: "")]
        pack.reviewOnChange = ReviewOnRequest(withinDays: 400, citation: "x")
        let problems = RulePackLibrary.validate([pack])
        XCTAssertTrue(problems.contains("california-ifsp intake eligibility: needs 1 to 365 days and a citation"), "\(problems)")
        XCTAssertTrue(problems.contains("california-ifsp reviewOnChange: needs 1 to 365 days and a citation"), "\(problems)")
    }

    func testASurveyAfterAMeetingIsDueInTwoWeeksAndOnceAYear() {
        let after = Deadlines.satisfactionAfterMeeting(meetingID: "m", person: "Ada", heldOn: d("2026-12-25"))
        XCTAssertEqual(after.due, d("2027-01-08"))
        XCTAssertEqual(after.kind, .satisfactionSurvey)
        let yearly = Deadlines.satisfactionYearly(personID: "p", person: "Ada", last: d("2024-02-29"))
        XCTAssertEqual(yearly.due, d("2025-02-28"), "a leap-day answer is due again on 28 February")
        XCTAssertEqual(yearly.showFrom, d("2025-01-29"))
        XCTAssertEqual(yearly.key, "satisfaction-yearly:p:2025-02-28", "each year's survey is its own task")
    }

    func testSatisfactionByQuarter() {
        let trend = SatisfactionTrend([
            SurveyScore(answeredOn: d("2026-03-31"), ratings: [.happy, .okay]),
            SurveyScore(answeredOn: d("2026-01-01"), ratings: [.unhappy]),
            SurveyScore(answeredOn: d("2026-04-01"), ratings: [.happy, .happy, .okay, .unhappy]),
            SurveyScore(answeredOn: d("2026-05-01"), ratings: []),
        ])
        XCTAssertEqual(trend.quarters.map(\.label), ["2026 Q1", "2026 Q2"])
        XCTAssertEqual(trend.quarters.map(\.surveys), [2, 1], "a survey with no answer does not count")
        XCTAssertEqual(trend.quarters[0].mean, 2.0, accuracy: 1e-9, "(3 + 2 + 1) / 3")
        XCTAssertEqual(trend.quarters[1].mean, 2.25, accuracy: 1e-9)
        XCTAssertEqual(trend.quarters[0].happyShare, 1.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(trend.quarters[1].happyShare, 0.5, accuracy: 1e-9)
        XCTAssertEqual(SurveyScore(answeredOn: d("2026-01-01"), ratings: []).mean, nil)
    }
}

@testable import LanternDomain
import XCTest

/// The dates coordination runs on, at their boundaries: leap days, month ends, a plan that ends
/// before its anniversary.
final class DeadlinesTests: XCTestCase {
    func d(_ text: String) -> CalendarDate { CalendarDate(text)! }

    func testCalendarDatesReadAndWriteWithLeadingZeros() {
        for text in ["2026-11-05", "0987-01-09", "2024-02-29", "1999-12-31"] {
            XCTAssertEqual(CalendarDate(text)?.description, text)
        }
        XCTAssertEqual(CalendarDate(Date(timeIntervalSince1970: 0)).description, "1970-01-01")
        XCTAssertEqual(CalendarDate.padded(7, 3), "007")
        XCTAssertEqual(CalendarDate.padded(12345, 2), "12345")
    }

    func testTheNextPlanIsDueTheDayBeforeTheAnniversary() {
        let item = Deadlines.nextPlan(planID: "p", person: "Ada", type: .missouriISP, start: d("2026-03-01"), end: d("2027-02-28"))
        XCTAssertEqual(item.due, d("2027-02-28"))
        XCTAssertEqual(item.showFrom, d("2026-12-30"), "60 days before")
        XCTAssertEqual(item.key, "next-plan:p")
        XCTAssertEqual(item.citation, "42 CFR 441.301(c)(3)")
        // A month end: 31 January + 12 months is 31 January, so the day before is 30 January.
        XCTAssertEqual(Deadlines.nextPlan(planID: "p", person: "Ada", type: .federalHCBS, start: d("2026-01-31"), end: nil).due, d("2027-01-30"))
        // Started on a leap day: the anniversary is 28 February, due the 27th.
        XCTAssertEqual(Deadlines.nextPlan(planID: "p", person: "Ada", type: .federalHCBS, start: d("2028-02-29"), end: nil).due, d("2029-02-27"))
        // A plan that ends sooner is due by its end.
        XCTAssertEqual(Deadlines.nextPlan(planID: "p", person: "Ada", type: .missouriISP, start: d("2026-03-01"), end: d("2026-09-30")).due, d("2026-09-30"))
    }

    func testAnIFSPIsReviewedEverySixMonths() {
        XCTAssertEqual(Deadlines.ifspReview(planID: "p", person: "Pip", meeting: d("2026-05-15")).due, d("2026-11-15"))
        // 31 August + 6 months is the last day of February.
        XCTAssertEqual(Deadlines.ifspReview(planID: "p", person: "Pip", meeting: d("2026-08-31")).due, d("2027-02-28"))
        XCTAssertEqual(Deadlines.ifspReview(planID: "p", person: "Pip", meeting: d("2027-08-31")).due, d("2028-02-29"), "a leap year")
        XCTAssertEqual(Deadlines.ifspReview(planID: "p", person: "Pip", meeting: d("2026-05-15")).showFrom, d("2026-10-16"))
    }

    func testTheEarlyStartTransitionAtThree() {
        let items = Deadlines.transition(person: "Pip", personID: "c1", birth: d("2024-02-29"))
        XCTAssertEqual(Deadlines.thirdBirthday(d("2024-02-29")), d("2027-02-28"), "born on a leap day: 3 on 28 February")
        XCTAssertEqual(items.map(\.kind), [.transitionNotice, .transitionConference])
        // At least 90 days before 2027-02-28 is 2026-11-30; the window opens 9 months before, 2026-05-28.
        XCTAssertEqual(items.map(\.due), [d("2026-11-30"), d("2026-11-30")])
        XCTAssertEqual(items.map(\.showFrom), [d("2026-05-28"), d("2026-05-28")])
        XCTAssertEqual(items.map(\.citation), ["34 CFR 303.209(b)", "34 CFR 303.209(c)"])
        XCTAssertEqual(items.first?.key, "transition-notice:c1:2027-02-28")
        // Across a year end: 3 on 2027-01-15, notice by 2026-10-17.
        XCTAssertEqual(Deadlines.transition(person: "Pip", personID: "c2", birth: d("2024-01-15")).first?.due, d("2026-10-17"))
    }

    func testARequestedReviewKeepsTheDateItWasGiven() {
        let item = Deadlines.requestedReview(requestID: "r1", person: "Ada", requestedOn: d("2026-11-16"), due: d("2026-12-16"), citation: "WIC 4646.5(b)")
        XCTAssertEqual(item.due, d("2026-12-16"))
        XCTAssertEqual(item.showFrom, d("2026-11-16"))
        XCTAssertEqual(item.citation, "WIC 4646.5(b)")
    }

    func testMonitoringContactsAtTheirFrequency() {
        // Monthly from 31 January: the end of February.
        let monthly = Deadlines.monitoringContact(personID: "a", person: "Ada", last: d("2026-01-31"), since: d("2025-06-01"), frequency: .monthly)
        XCTAssertEqual(monthly.due, d("2026-02-28"))
        XCTAssertEqual(monthly.showFrom, d("2026-02-21"), "a week ahead")
        XCTAssertEqual(monthly.key, "monitoring:a:2026-02-28", "a new contact makes a new key")
        // No contact yet: from the start of coordination.
        XCTAssertEqual(Deadlines.monitoringContact(personID: "a", person: "Ada", last: nil, since: d("2026-11-30"), frequency: .quarterly).due, d("2027-02-28"))
        XCTAssertEqual(Deadlines.monitoringContact(personID: "a", person: "Ada", last: d("2027-08-31"), since: d("2020-01-01"), frequency: .twiceAYear).due, d("2028-02-29"))
        XCTAssertEqual(ContactFrequency.yearly.months, 12)
    }
}

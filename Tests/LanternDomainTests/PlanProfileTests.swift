@testable import LanternDomain
import XCTest

/// The one-page profile is made from the plan's sections, never written apart from them.
final class PlanProfileTests: XCTestCase {
    let names = [Fixtures.circle[0]: "Jo Fixture", Fixtures.circle[1]: "Gwen Fixture"]

    func testTheProfileSaysWhatThePlanSaysInTheOrderThePersonReadsIt() {
        let sections = ExamplePlan.sections(for: .missouriISP, name: "Avery", circle: Fixtures.circle, guardian: Fixtures.circle[1], meetingDate: Fixtures.meeting)
        let profile = PlanProfile.build(.missouriISP, sections: sections, names: names, previous: nil)
        XCTAssertEqual(profile.parts.map(\.key), ["admired", "important-to", "support", "not-working", "people", "outcomes"])
        XCTAssertEqual(profile.parts.map(\.heading).first, "What people like and admire about me")
        let all = profile.parts.flatMap(\.items)
        XCTAssertFalse(all.contains(where: \.isNew), "a first plan has nothing new")
        // Interests are what matters to the person, not what others admire in them.
        let interests = sections["strengths"]!.entries("items").filter { $0.text("kind") == "interest" }.compactMap { $0.text("description") }
        XCTAssertFalse(interests.isEmpty)
        for interest in interests {
            XCTAssertTrue(profile.parts[1].items.contains { $0.text == interest })
            XCTAssertFalse(profile.parts[0].items.contains { $0.text == interest })
        }
        // A communication chart row reads as what the person does, what it means and what helps.
        let row = sections["communication-chart"]!.entries("rows")[0]
        let support = profile.parts[2].items.map(\.text)
        XCTAssertTrue(support.contains { $0.hasPrefix(row.text("personDoes")!.replacingOccurrences(of: ".", with: "")) && $0.contains("What helps:") }, "\(support)")
        // People come from the circle by name; someone no longer in the circle is left out.
        XCTAssertTrue(profile.parts[4].items.allSatisfy { $0.text.hasPrefix("Jo Fixture") || $0.text.hasPrefix("Gwen Fixture") })
        let outcome = sections["outcomes"]!.entries("outcomes")[0]
        XCTAssertEqual(profile.parts[5].items.first?.ownWords, outcome.bool("inOwnWords") == true)
    }

    func testOnlyWhatTheLastSignedVersionDidNotSayIsNew() {
        let old = ExamplePlan.sections(for: .missouriISP, name: "Avery", circle: Fixtures.circle, guardian: Fixtures.circle[1], meetingDate: Fixtures.meeting)
        var new = old
        var outcomes = new["outcomes"]!.entries("outcomes")
        outcomes.append(["outcome": .string("Take the bus to the library on my own."), "inOwnWords": .bool(true)])
        new["outcomes"]!["outcomes"] = .array(outcomes.map(JSONValue.object))
        new["support-needs"]!["whatDoesNotWork"] = nil
        let profile = PlanProfile.build(.missouriISP, sections: new, names: names, previous: old)
        let fresh = profile.parts.flatMap { part in part.items.filter(\.isNew).map { "\(part.key): \($0.text)" } }
        XCTAssertEqual(fresh, ["outcomes: Take the bus to the library on my own."])
        XCTAssertFalse(profile.parts.map(\.key).contains("not-working"), "a part the plan no longer fills is left out")
        // The same words moved to another part count as new there.
        var moved = old
        moved["support-needs"]!["whatWorks"] = old["support-needs"]!["whatDoesNotWork"]
        let movedProfile = PlanProfile.build(.missouriISP, sections: moved, names: names, previous: old)
        XCTAssertEqual(movedProfile.parts.first { $0.key == "support" }?.items.filter(\.isNew).count, 1)
    }

    func testAnEarlyStartProfileSpeaksForTheFamily() {
        let sections = ExamplePlan.sections(for: .californiaIFSP, name: "Pip", circle: Fixtures.circle, guardian: Fixtures.circle[1], meetingDate: Fixtures.meeting)
        let profile = PlanProfile.build(.californiaIFSP, sections: sections, names: names, previous: nil)
        XCTAssertEqual(profile.parts.first?.heading, "What people like and admire about our child")
        XCTAssertTrue(profile.parts.contains { $0.heading == "What is important to our family" })
        XCTAssertEqual(profile.translatableTexts.prefix(2), ["About me", "New"])
        XCTAssertEqual(Set(profile.translatableTexts).count, profile.translatableTexts.count, "each text is translated once")
    }

    func testEveryPlanTypeSaysHowSoonARequestedReviewIsDue() throws {
        let engine = RuleEngine(library: try RulePackLibrary.bundled())
        for type in PlanType.allCases {
            let limit = try XCTUnwrap(engine.reviewOnRequest(for: type), "\(type)")
            XCTAssertEqual(limit.withinDays, 30)
        }
        XCTAssertEqual(engine.reviewOnRequest(for: .californiaIPP)?.citation, "Cal. Welf. & Inst. Code § 4646.5(b)")
        // The budget goes with the person's copy of an adult plan; an IFSP has no budget.
        XCTAssertNotNil(engine.budgetWithCopy(for: .missouriISP))
        XCTAssertNotNil(engine.budgetWithCopy(for: .californiaIPP), "California takes the federal setting")
        XCTAssertNil(engine.budgetWithCopy(for: .californiaIFSP))
        XCTAssertTrue(engine.reviewOnRequest(for: .missouriISP)?.citation.contains("441.301(c)(3)") ?? false, "Missouri takes the federal limit")
        var broken = try XCTUnwrap(try RulePackLibrary.bundled().packs["california-ipp"])
        broken.reviewOnRequest = ReviewOnRequest(withinDays: 0, citation: "")
        XCTAssertTrue(RulePackLibrary.validate([broken]).contains("california-ipp reviewOnRequest: needs 1 to 365 days and a citation"))
    }
}

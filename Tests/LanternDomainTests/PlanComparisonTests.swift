@testable import LanternDomain
import XCTest

final class PlanComparisonTests: XCTestCase {
    func testChangedWordsAreMarked() {
        let runs = PlanComparison.words("Staff walk beside on the stairs", "Staff and family walk beside on all stairs")
        XCTAssertEqual(runs.map(\.kind), [.same, .added, .same, .removed, .added, .same])
        XCTAssertEqual(runs.map(\.text), ["Staff", "and family", "walk beside on", "the", "all", "stairs"])
        XCTAssertEqual(PlanComparison.words("", "New text").map(\.kind), [.added])
    }

    func testSectionsAddedRemovedAndChangedAreListedInEditorOrder() {
        let old = ExamplePlan.sections(for: .missouriISP, name: "Avery", circle: Fixtures.circle, guardian: Fixtures.circle[1], meetingDate: Fixtures.meeting)
        var new = old
        new["funds"] = nil
        new["legal"] = nil
        var risks = new["risks"]!.entries("risks")
        risks[0]["mitigation"] = .string("Bed alarm; staff check every hour; seizure log")
        risks.append(["risk": .string("Falls in the shower"), "kind": .string("safety")])
        new["risks"]!["risks"] = .array(risks.map(JSONValue.object))
        new["risks"]!["crisisPlan"] = nil
        new["rights"]!["rightsUnderstood"] = .bool(false)
        var oldWithoutLegal = old
        oldWithoutLegal["legal"] = nil
        var newWithLegal = new
        newWithLegal["legal"] = old["legal"]

        let changes = PlanComparison.compare(.missouriISP, old: oldWithoutLegal, new: newWithLegal)
        XCTAssertEqual(changes.map(\.key), ["risks", "rights", "legal", "funds"])
        XCTAssertEqual(changes.map(\.change), [.changed, .changed, .added, .removed])
        let risk = changes[0].fields
        XCTAssertEqual(risk.map(\.label), ["Risks › entry 1 › How it is reduced", "Risks › entry 3", "Crisis plan"])
        XCTAssertEqual(risk.map(\.change), [.changed, .added, .removed])
        XCTAssertEqual(risk[0].words.filter { $0.kind != .same }.map(\.text), ["two hours;", "hour;"])
        XCTAssertEqual(risk[1].after, "Risk: Falls in the shower; Kind of risk: Safety")
        XCTAssertEqual(changes[1].fields.first?.before, "Yes")
        XCTAssertEqual(changes[1].fields.first?.after, "No")
        XCTAssertEqual(PlanComparison.compare(.missouriISP, old: old, new: old), [])
    }
}

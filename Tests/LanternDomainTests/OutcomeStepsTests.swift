@testable import LanternDomain
import XCTest

/// The outcomes section: entries keep the ids Lantern gave them, steps point at outcomes that exist,
/// and the rules across fields of an outcome or a step.
final class OutcomeStepsTests: XCTestCase {
    let spec = PlanSections.spec("outcomes")!
    let provider = "0d000000-0000-4000-8000-000000000001"
    let member = Fixtures.circle[0]
    var context: SectionContext { SectionContext(circleMembers: Set(Fixtures.circle), organizations: [provider]) }

    func testNewEntriesGetIdsAndSavedOnesKeepThem() {
        let kept = "0c7e0a11-0000-4000-8000-00000000a009"
        let (content, errors) = spec.normalize(["outcomes": .array([
            .object(["id": .string(kept.uppercased()), "outcome": .string("Cook a meal")]),
            .object(["outcome": .string("Swim")]),
            .object(["id": .string(UUID().uuidString)]),  // an id alone is a blank row
        ])], context: context)
        XCTAssertEqual(errors, [])
        let ids = content.entries("outcomes").compactMap { $0.text("id") }
        XCTAssertEqual(ids.count, 2)
        XCTAssertEqual(ids[0], kept, "ids are kept, in lower case")
        XCTAssertNotNil(UUID(uuidString: ids[1]))
        let (_, twice) = spec.normalize(["outcomes": .array([.object(["id": .string(kept), "outcome": .string("A")]), .object(["id": .string(kept), "outcome": .string("B")])])], context: context)
        XCTAssertEqual(twice.map(\.field), ["outcomes.1.id"])
        let (_, notAnID) = spec.normalize(["outcomes": .array([.object(["id": .string("7"), "outcome": .string("A")])])], context: context)
        XCTAssertEqual(notAnID.map(\.field), ["outcomes.0.id"])
    }

    func testStepsPointAtOutcomesAndSayWhoDoesThem() {
        let outcome = "0c7e0a11-0000-4000-8000-00000000a001"
        func steps(_ step: SectionContent) -> [FieldError] {
            spec.normalize(["outcomes": .array([.object(["id": .string(outcome), "outcome": .string("A job")])]), "steps": .array([.object(step)])], context: context).1
        }
        let base: SectionContent = ["outcomeId": .string(outcome), "step": .string("Practise"), "responsibleKind": .string("person"), "progressMeasure": .string("count")]
        XCTAssertEqual(steps(base), [])
        var elsewhere = base; elsewhere["outcomeId"] = .string(UUID().uuidString)
        XCTAssertEqual(steps(elsewhere).map(\.field), ["steps.0.outcomeId"])
        var circle = base; circle["responsibleKind"] = .string("circle")
        XCTAssertEqual(steps(circle).map(\.field), ["steps.0.circleMemberId"])
        circle["circleMemberId"] = .string(member)
        XCTAssertEqual(steps(circle), [])
        var byProvider = base; byProvider["responsibleKind"] = .string("provider"); byProvider["organizationId"] = .string(UUID().uuidString)
        XCTAssertEqual(steps(byProvider).map(\.field), ["steps.0.organizationId"], "only a provider that serves the person")
        byProvider["organizationId"] = .string(provider)
        XCTAssertEqual(steps(byProvider), [])
        var target = base; target["target"] = .string("ten")
        XCTAssertEqual(steps(target).map(\.field), ["steps.0.target"])
        target["progressMeasure"] = .string("percentage"); target["target"] = .string("101")
        XCTAssertEqual(steps(target).map(\.field), ["steps.0.target"])
        target["progressMeasure"] = .string("rating"); target["target"] = .number(6)
        XCTAssertEqual(steps(target).map(\.field), ["steps.0.target"])
        target["progressMeasure"] = .string("narrative"); target["target"] = .number(1)
        XCTAssertEqual(steps(target).map(\.field), ["steps.0.target"])
        target["progressMeasure"] = .string("percentage"); target["target"] = .string("80")
        XCTAssertEqual(steps(target), [])
    }

    func testAChangedOrDiscontinuedOutcomeSaysWhy() {
        for status in ["changed", "discontinued"] {
            let (_, errors) = spec.normalize(["outcomes": .array([.object(["outcome": .string("Swim"), "status": .string(status)])])], context: context)
            XCTAssertEqual(errors.map(\.field), ["outcomes.0.statusReason"], status)
            let (_, given) = spec.normalize(["outcomes": .array([.object(["outcome": .string("Swim"), "status": .string(status), "statusReason": .string("The pool closed")])])], context: context)
            XCTAssertEqual(given, [])
        }
    }

    func testAServiceNamesAnOutcomeOfThePlan() {
        let services = PlanSections.spec("services")!
        let outcome = "0c7e0a11-0000-4000-8000-00000000a001"
        let entry: SectionContent = ["service": .string("Job coaching"), "outcomeId": .string(outcome)]
        XCTAssertEqual(services.normalize(["services": .array([.object(entry)])], context: context).1.map(\.field), ["services.0.outcomeId"])
        var known = context; known.references["outcomes"] = [outcome]
        XCTAssertEqual(services.normalize(["services": .array([.object(entry)])], context: known).1, [])
    }
}

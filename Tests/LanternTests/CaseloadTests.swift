import Fluent
import Vapor
import XCTest
@testable import LanternApp

/// Caseloads weighted by intensity against each coordinator's limit, and the conflict-of-interest
/// rule: a coordinator who works for one of the person's providers needs a documented exception.
final class CaseloadTests: XCTestCase {
    func testTheWeightOfACaseloadAndItsLimit() {
        let rules = CaseloadRules()
        let load = Caseload(standard: 26, high: 2, limit: nil, rules: rules)
        XCTAssertEqual(load.weighted, 30, "26 standard + 2 high at weight 2")
        XCTAssertEqual(load.limit, 30, "the default limit")
        XCTAssertFalse(load.isOver, "at the limit is not over")
        XCTAssertTrue(load.wouldExceed(adding: .standard))
        XCTAssertFalse(Caseload(standard: 27, high: 0, limit: nil, rules: rules).wouldExceed(adding: .standard), "28 of 30")
        XCTAssertFalse(Caseload(standard: 28, high: 0, limit: nil, rules: rules).wouldExceed(adding: .high), "30 of 30")
        XCTAssertTrue(Caseload(standard: 29, high: 0, limit: nil, rules: rules).wouldExceed(adding: .high), "31 of 30")
        XCTAssertTrue(Caseload(standard: 10, high: 0, limit: 9, rules: rules).isOver, "a coordinator's own limit")
        XCTAssertEqual(Caseload(standard: 5, high: 5, limit: nil, rules: CaseloadRules(standardWeight: 1, highWeight: 3)).weighted, 20)
    }

    func testPlansReviewedWithinAYearAgainstTheFederalTarget() {
        let today = CalendarDate("2026-11-18")!
        XCTAssertTrue(ReviewShare.isWithinYear(start: CalendarDate("2025-11-19")!, today: today))
        XCTAssertFalse(ReviewShare.isWithinYear(start: CalendarDate("2025-11-18")!, today: today), "a year to the day is past")
        XCTAssertTrue(ReviewShare.isWithinYear(start: today, today: today))
        XCTAssertFalse(ReviewShare.isWithinYear(start: CalendarDate("2026-11-19")!, today: today), "a plan not yet in force")
        // On a leap day, a year back is 28 February.
        XCTAssertFalse(ReviewShare.isWithinYear(start: CalendarDate("2027-02-28")!, today: CalendarDate("2028-02-29")!))
        XCTAssertTrue(ReviewShare.isWithinYear(start: CalendarDate("2027-03-01")!, today: CalendarDate("2028-02-29")!))
        XCTAssertTrue(ReviewShare(reviewed: 9, people: 10).meetsTarget, "90% is the target")
        XCTAssertFalse(ReviewShare(reviewed: 8, people: 9).meetsTarget, "88.9%")
        XCTAssertNil(ReviewShare(reviewed: 0, people: 0).share)
    }

    func testSupervisorsSeeTheShareOfPlansReviewedWithinAYear() async throws {
        try await onEveryEngine { w in
            var view = try await w.api(.GET, "/api/v1/caseloads", as: "supervisor")
            var share = view.object["reviewedWithin12Months"] as? [String: Any]
            XCTAssertEqual(share?["reviewed"] as? Int, 0, view.body)
            XCTAssertEqual(share?["people"] as? Int, 1, "Ada, on the supervisor's team")
            XCTAssertEqual(share?["meetsTarget"] as? Bool, false)
            _ = try await OutcomeProgressTests.planInEffect(w)
            view = try await w.api(.GET, "/api/v1/caseloads", as: "supervisor")
            share = view.object["reviewedWithin12Months"] as? [String: Any]
            XCTAssertEqual(share?["reviewed"] as? Int, 1, view.body)
            XCTAssertEqual(share?["share"] as? Double, 1)
            XCTAssertEqual(share?["target"] as? Double, 0.9)
            let page = try await w.web(.GET, "/caseloads", as: "supervisor")
            XCTAssertTrue(page.body.contains("1 of 1 people in services (100%)"), page.body)
        }
    }

    func testAssigningOverTheLimitNeedsAReasonAndSupervisorsSeeWhoIsOver() async throws {
        try await onEveryEngine { w in
            let own = w.own.text, target = w.coordinatorA2.text
            // Ada needs intense support; the second coordinator's own limit is 1.
            let intense = try await w.api(.PATCH, "/api/v1/people/\(own)", as: "coordinator", json: ["intensity": "high"], headers: ["If-Match": "*"])
            XCTAssertEqual(intense.status, .ok, intense.body)
            XCTAssertEqual(intense.object["intensity"] as? String, "high")
            let wrong = try await w.api(.PATCH, "/api/v1/people/\(own)", as: "coordinator", json: ["intensity": "extreme"], headers: ["If-Match": "*"])
            XCTAssertEqual(wrong.fieldErrors, ["intensity"])
            let limited = try await w.api(.PATCH, "/api/v1/users/\(target)", as: "admin", json: ["caseloadLimit": 1], headers: ["If-Match": "*"])
            XCTAssertEqual(limited.status, .ok, limited.body)
            XCTAssertEqual(limited.object["caseloadLimit"] as? Double, 1)
            let notCoordinator = try await w.api(.PATCH, "/api/v1/users/\(w["staff"].user.text)", as: "admin", json: ["caseloadLimit": 10], headers: ["If-Match": "*"])
            XCTAssertEqual(notCoordinator.fieldErrors, ["caseloadLimit"])

            let assign: [String: Any] = ["coordinatorId": target, "reason": "Casey is on leave"]
            let refused = try await w.api(.POST, "/api/v1/people/\(own)/coordinator-assignments", as: "supervisor", json: assign)
            XCTAssertEqual(refused.fieldErrors, ["overLimitReason"], refused.body)
            XCTAssertTrue(refused.body.contains("would be 2 of a limit of 1"), refused.body)
            var withReason = assign
            withReason["overLimitReason"] = "Only coordinator who speaks the person's language; for three months"
            let assigned = try await w.api(.POST, "/api/v1/people/\(own)/coordinator-assignments", as: "supervisor", json: withReason)
            XCTAssertEqual(assigned.status, .created, assigned.body)
            XCTAssertEqual(assigned.object["overLimitReason"] as? String, "Only coordinator who speaks the person's language; for three months")
            try await expectTrue((try await w.lastAudit()?.detail ?? "").contains("over the caseload limit"))

            let view = try await w.api(.GET, "/api/v1/caseloads", as: "supervisor")
            XCTAssertEqual(view.status, .ok, view.body)
            let loads = (view.object["caseloads"] as? [[String: Any]]) ?? []
            let second = loads.first { $0["coordinatorId"] as? String == target }
            XCTAssertEqual(second?["weighted"] as? Double, 2)
            XCTAssertEqual(second?["highIntensity"] as? Int, 1)
            XCTAssertEqual(second?["over"] as? Bool, true)
            XCTAssertEqual(Set(loads.compactMap { $0["coordinatorId"] as? String }), [w.coordinatorA.text, target], "a supervisor sees their own team")
            let mine = try await w.api(.GET, "/api/v1/caseloads", as: "coordinator")
            XCTAssertEqual(((mine.object["caseloads"] as? [[String: Any]]) ?? []).compactMap { $0["coordinatorId"] as? String }, [w.coordinatorA.text])
            try await expectEqual(try await w.api(.GET, "/api/v1/caseloads", as: "staff").status, .forbidden)
            let page = try await w.web(.GET, "/caseloads", as: "supervisor")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("1 coordinator is over their limit"), page.body)
        }
    }

    func testACoordinatorWhoWorksForAProviderOfThePersonNeedsADocumentedException() async throws {
        try await onEveryEngine { w in
            let own = w.own.text, target = w.coordinatorA2.text
            // The second coordinator works for Provider A, which serves Ada.
            let moved = try await w.api(.PATCH, "/api/v1/users/\(target)", as: "admin", json: ["organizationId": w.providerA.text], headers: ["If-Match": "*"])
            XCTAssertEqual(moved.status, .ok, moved.body)
            let assign: [String: Any] = ["coordinatorId": target, "reason": "Moved to a rural county"]
            let refused = try await w.api(.POST, "/api/v1/people/\(own)/coordinator-assignments", as: "supervisor", json: assign)
            XCTAssertEqual(refused.fieldErrors, ["conflictFirewall"], refused.body)
            XCTAssertTrue(refused.body.contains("441.301(c)(1)(vi)"))
            var documented = assign
            documented["conflictFirewall"] = "Reports to the coordination supervisor; Provider A's managers do not see coordination notes."
            let assigned = try await w.api(.POST, "/api/v1/people/\(own)/coordinator-assignments", as: "supervisor", json: documented)
            XCTAssertEqual(assigned.status, .created, assigned.body)

            var view = try await w.api(.GET, "/api/v1/caseloads", as: "supervisor")
            let conflicts = (view.object["conflicts"] as? [[String: Any]]) ?? []
            XCTAssertEqual(conflicts.count, 1, view.body)
            XCTAssertEqual(conflicts.first?["exceptionDocumented"] as? Bool, true)
            XCTAssertEqual(conflicts.first?["organization"] as? String, "Provider A")

            // A plan that gives Provider A a step: no finding while the exception stands.
            let planID = try await PlanAPITests.startPlan(w, .missouriISP, for: w.own, as: "supervisor")
            try await PlanAPITests.writeExample(w, plan: planID, type: .missouriISP, circle: [w.ownMember.text], guardian: w.ownMember.text, provider: w.providerA.text, as: "supervisor")
            var findings = try await w.api(.GET, "/api/v1/plans/\(planID)/findings", as: "supervisor")
            XCTAssertFalse(findings.body.contains("hcbs.conflict-of-interest"), findings.body)

            // Back to the first coordinator: the exception ends. Then linking Provider B to a coordinator
            // who works for it needs one too.
            let back = try await w.api(.POST, "/api/v1/people/\(own)/coordinator-assignments", as: "supervisor", json: ["coordinatorId": w.coordinatorA.text, "reason": "Back from leave"])
            XCTAssertEqual(back.status, .created, back.body)
            view = try await w.api(.GET, "/api/v1/caseloads", as: "supervisor")
            XCTAssertEqual(((view.object["conflicts"] as? [[String: Any]]) ?? []).count, 0, view.body)
            let open = try await ConflictException.query(on: w.app.db).filter(\.$endedOn == nil).count()
            XCTAssertEqual(open, 0, "the exception ended with the assignment")

            // Casey now works for Provider A too, without an exception: the plan is flagged and the
            // supervisor documents the exception from the person's record.
            let caseyMoved = try await w.api(.PATCH, "/api/v1/users/\(w.coordinatorA.text)", as: "admin", json: ["organizationId": w.providerA.text], headers: ["If-Match": "*"])
            XCTAssertEqual(caseyMoved.status, .ok, caseyMoved.body)
            findings = try await w.api(.GET, "/api/v1/plans/\(planID)/findings", as: "supervisor")
            let finding = ((findings.object["findings"] as? [[String: Any]]) ?? []).first { $0["ruleId"] as? String == "hcbs.conflict-of-interest" }
            XCTAssertEqual(finding?["citation"] as? String, "42 CFR 441.301(c)(1)(vi)", findings.body)
            XCTAssertTrue((finding?["message"] as? String ?? "").contains("works for Provider A"))
            let personPage = try await w.web(.GET, "/people/\(own)", as: "supervisor")
            XCTAssertTrue(personPage.body.contains("Document the exception"))
            let byCoordinator = try await w.api(.POST, "/api/v1/people/\(own)/conflict-exceptions", as: "coordinator",
                                                json: ["organizationId": w.providerA.text, "conflictFirewall": "Separate reporting lines"])
            XCTAssertEqual(byCoordinator.status, .forbidden, "a supervisor documents the exception")
            let wrongProvider = try await w.api(.POST, "/api/v1/people/\(own)/conflict-exceptions", as: "supervisor",
                                                json: ["organizationId": w.providerB.text, "conflictFirewall": "Separate reporting lines"])
            XCTAssertEqual(wrongProvider.fieldErrors, ["organizationId"])
            let exception = try await w.api(.POST, "/api/v1/people/\(own)/conflict-exceptions", as: "supervisor",
                                            json: ["organizationId": w.providerA.text, "conflictFirewall": "Separate reporting lines; the only qualified provider within 60 miles"])
            XCTAssertEqual(exception.status, .created, exception.body)
            findings = try await w.api(.GET, "/api/v1/plans/\(planID)/findings", as: "supervisor")
            XCTAssertFalse(findings.body.contains("hcbs.conflict-of-interest"), findings.body)

            // Linking another provider Casey does not work for needs nothing; one Casey works for does.
            let other = try await w.api(.POST, "/api/v1/people/\(own)/providers", as: "supervisor", json: ["organizationId": w.providerB.text])
            XCTAssertEqual(other.status, .created, other.body)
        }
    }
}

/// One rule, every door: a person created with a coordinator is assigned through the same rule as a
/// later assignment, so the caseload limit applies there too.
final class AssignmentRuleDoorTests: XCTestCase {
    func testCreatingAPersonWithACoordinatorObeysTheCaseloadLimit() async throws {
        try await onEveryEngine { w in
            let limited = try await w.api(.PATCH, "/api/v1/users/\(w.coordinatorA.text)", as: "admin", json: ["caseloadLimit": 1], headers: ["If-Match": "*"])
            XCTAssertEqual(limited.status, .ok, limited.body)
            var body: [String: Any] = ["legalGivenName": "Rue", "legalFamilyName": "Testwell", "birthDate": "1999-02-03", "primaryLanguage": "English",
                                       "residenceType": "family_home", "legalStatus": "self", "coordinatorId": w.coordinatorA.text]
            let people = try await Person.query(on: w.app.db).count()
            let refused = try await w.api(.POST, "/api/v1/people", as: "supervisor", json: body)
            XCTAssertEqual(refused.status, .unprocessableEntity, refused.body)
            XCTAssertEqual(refused.fieldErrors, ["overLimitReason"])
            try await expectEqual(try await Person.query(on: w.app.db).count(), people, "nothing is half-written")
            body["overLimitReason"] = "The only coordinator who knows the family"
            let made = try await w.api(.POST, "/api/v1/people", as: "supervisor", json: body)
            XCTAssertEqual(made.status, .created, made.body)
            let id = try XCTUnwrap(UUID(uuidString: made.object["id"] as? String ?? ""))
            let assignment = try await CoordinatorAssignment.query(on: w.app.db).filter(\.$person.$id == id).first()
            XCTAssertEqual(assignment?.overLimitReason, "The only coordinator who knows the family")
            XCTAssertEqual(assignment?.$coordinator.id, w.coordinatorA)
            // Under the limit, no reason is asked for.
            body["coordinatorId"] = w.coordinatorA2.text
            body.removeValue(forKey: "overLimitReason")
            let underLimit = try await w.api(.POST, "/api/v1/people", as: "supervisor", json: body)
            XCTAssertEqual(underLimit.status, .created, underLimit.body)
        }
    }
}

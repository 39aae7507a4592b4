import Fluent
import Vapor
import XCTest
@testable import LanternApp

/// Intake with its deadlines, the choice of coordinator, planning meetings, satisfaction surveys, the
/// person's decisions (a refused service, a significant change, leaving services) and the dashboard.
/// The test clock starts on 2026-11-18.
final class IntakeAndMeetingsTests: XCTestCase {
    static func run(_ w: TestWorld) async throws -> TaskScheduler.Run { try await TaskSchedulerTests.run(w) }

    static func openTasks(_ w: TestWorld, person: String) async throws -> [CoordinationTask] {
        try await CoordinationTask.query(on: w.app.db).filter(\.$person.$id == UUID(uuidString: person)!).filter(\.$status == "open").sort(\.$kind).all()
    }

    func testAnEarlyStartReferralRunsToItsFirstMeetingWithinTheDeadlines() async throws {
        try await onEveryEngine { w in
            let child = try await w.api(.POST, "/api/v1/people", as: "coordinator", json: [
                "legalGivenName": "Noor", "legalFamilyName": "Testwell", "birthDate": "2025-09-01", "primaryLanguage": "English",
                "residenceType": "family_home", "legalStatus": "minor_with_parent",
            ])
            XCTAssertEqual(child.status, .created, child.body)
            let id = child.object["id"] as! String
            let path = "/api/v1/people/\(id)/referrals"

            // Bad input: each field says what is wrong, and nothing is kept.
            let bad = try await w.api(.POST, path, as: "coordinator", json: ["planType": "california_ifsp", "referredOn": "2026-11-19", "source": "neighbour", "reason": "x"])
            XCTAssertEqual(bad.status, .unprocessableEntity, bad.body)
            XCTAssertEqual(Set(bad.fieldErrors), ["referredOn", "source", "referrerName"])
            try await expectEqual(try await Referral.query(on: w.app.db).count(), 0)
            try await expectEqual(try await w.api(.POST, path, as: "staff", json: [
                "planType": "california_ifsp", "referredOn": "2026-11-10", "source": "doctor", "referrerName": "Dr. Test", "reason": "x",
            ]).status, .notFound, "provider staff do not see this child")

            let made = try await w.api(.POST, path, as: "coordinator", json: [
                "planType": "california_ifsp", "referredOn": "2026-11-10", "source": "doctor", "referrerName": "Dr. Test", "referrerContact": "(573) 555-0100",
                "reason": "Not walking at 14 months.",
            ])
            XCTAssertEqual(made.status, .created, made.body)
            let referralID = made.object["id"] as! String
            XCTAssertEqual((made.object["deadlines"] as? [[String: Any]])?.compactMap { $0["dueOn"] as? String }, ["2026-12-25", "2026-12-25"], "45 days from 10 November")
            try await expectEqual(try await w.lastAudit()?.category, AuditCategory.intake.rawValue)
            try await expectEqual(try await w.api(.POST, path, as: "coordinator", json: [
                "planType": "california_ifsp", "referredOn": "2026-11-11", "source": "family", "referrerName": "Parent", "reason": "Again",
            ]).status, .conflict, "one referral waits for its decision at a time")

            // The scheduler makes both intake tasks, due on day 45.
            _ = try await Self.run(w)
            var tasks = try await Self.openTasks(w, person: id)
            XCTAssertEqual(tasks.map(\.kind), ["eligibility_decision", "first_plan_meeting"])
            XCTAssertEqual(Set(tasks.map(\.dueOn)), ["2026-12-25"])
            XCTAssertTrue(tasks.allSatisfy { $0.citation.hasPrefix("34 CFR 303.310(a)") })

            // The decision: checked across its dates.
            let decide = "\(path)/\(referralID)/eligibility"
            for (body, field) in [(["assessedOn": "2026-11-12", "decision": "not_eligible", "decidedOn": "2026-11-13"], "decisionBasis"),
                                  (["assessedOn": "2026-11-14", "decision": "eligible", "decidedOn": "2026-11-13"], "decidedOn"),
                                  (["assessedOn": "2026-11-09", "decision": "eligible", "decidedOn": "2026-11-13"], "assessedOn")] {
                let refused = try await w.api(.POST, decide, as: "coordinator", json: body)
                XCTAssertEqual(refused.status, .unprocessableEntity, "\(body): \(refused.body)")
                XCTAssertEqual(refused.fieldErrors, [field], "\(body)")
            }
            let decided = try await w.api(.POST, decide, as: "coordinator", json: ["assessedOn": "2026-11-12", "decision": "eligible", "decidedOn": "2026-11-13", "decisionBasis": "Evaluation"])
            XCTAssertEqual(decided.status, .ok, decided.body)
            try await expectEqual(try await Person.find(UUID(uuidString: id)!, on: w.app.db)?.status, "waiting", "eligible: waiting for the first plan")
            try await expectEqual(try await w.api(.POST, decide, as: "coordinator", json: ["assessedOn": "2026-11-12", "decision": "eligible", "decidedOn": "2026-11-13"]).status, .conflict)
            _ = try await Self.run(w)
            tasks = try await Self.openTasks(w, person: id)
            XCTAssertEqual(tasks.map(\.kind), ["first_plan_meeting"], "the decision's task is done")
            try await expectEqual(try await CoordinationTask.query(on: w.app.db).filter(\.$kind == "eligibility_decision").first()?.status, "done")

            // The first meeting: the family chooses when and where; invitees come from the child's circle.
            let parent = try await w.api(.POST, "/api/v1/people/\(id)/circle", as: "coordinator", json: ["name": "Sasha Testwell", "relationship": "parent"])
            XCTAssertEqual(parent.status, .created, parent.body)
            let parentID = parent.object["id"] as! String
            let meetings = "/api/v1/people/\(id)/meetings"
            let stranger = try await w.api(.POST, meetings, as: "coordinator", json: [
                "meetsOn": "2026-11-20", "startsAt": "10:00", "place": "Home", "facilitator": "coordinator", "inviteeIds": [w.ownMember.text],
            ])
            XCTAssertEqual(stranger.status, .unprocessableEntity, "someone else's circle: \(stranger.body)")
            XCTAssertEqual(stranger.fieldErrors, ["inviteeIds"])
            let badTime = try await w.api(.POST, meetings, as: "coordinator", json: ["meetsOn": "2026-11-20", "startsAt": "25:00", "place": "Home", "facilitator": "c"])
            XCTAssertEqual(badTime.fieldErrors, ["startsAt"])
            let meeting = try await w.api(.POST, meetings, as: "coordinator", json: [
                "meetsOn": "2026-11-20", "startsAt": "09:30", "place": "Home", "chosenByPerson": true, "facilitator": "coordinator",
                "inviteeIds": [parentID], "accommodations": ["pictures", "breaks"], "advocate": "Parent advocate",
            ])
            XCTAssertEqual(meeting.status, .created, meeting.body)
            XCTAssertEqual(meeting.object["accommodations"] as? [String], ["pictures", "breaks"])
            let meetingID = meeting.object["id"] as! String
            let outcome = "\(meetings)/\(meetingID)/outcome"
            let early = try await w.api(.POST, outcome, as: "coordinator", json: ["status": "held", "attendedIds": [parentID]])
            XCTAssertEqual(early.status, .unprocessableEntity, "not held before its day: \(early.body)")
            w.clock.advance(by: 2 * 86_400)
            let held = try await w.api(.POST, outcome, as: "coordinator", json: ["status": "held", "attendedIds": [parentID], "notes": "The IFSP was agreed."])
            XCTAssertEqual(held.status, .ok, held.body)
            XCTAssertEqual(held.object["attendedIds"] as? [String], [parentID])
            try await expectEqual(try await w.api(.POST, outcome, as: "coordinator", json: ["status": "cancelled"]).status, .conflict)
            try await expectEqual(try await CoordinationTask.query(on: w.app.db).filter(\.$kind == "first_plan_meeting").first()?.status, "done", "held within 45 days")

            // A satisfaction survey follows the meeting, and answering it closes the task.
            _ = try await Self.run(w)
            tasks = try await Self.openTasks(w, person: id)
            XCTAssertEqual(tasks.map(\.kind), ["satisfaction_survey"])
            XCTAssertEqual(tasks.first?.dueOn, "2026-12-04", "two weeks after the meeting")
            let surveys = "/api/v1/people/\(id)/satisfaction"
            for (answers, why) in [(["listened": 3] as [String: Any], "a question for the person, not the family"), (["services": 4], "4 is off the scale"), ([:], "nothing answered")] {
                let refused = try await w.api(.POST, surveys, as: "coordinator", json: ["respondent": "family", "answeredOn": "2026-11-20", "answers": answers])
                XCTAssertEqual(refused.status, .unprocessableEntity, why)
                XCTAssertEqual(refused.fieldErrors, ["answers"], why)
            }
            let answered = try await w.api(.POST, surveys, as: "coordinator", json: [
                "respondent": "family", "answeredOn": "2026-11-20", "meetingId": meetingID, "answers": ["services": 3, "planning": 2, "coordinator": 3], "comment": "Thank you",
            ])
            XCTAssertEqual(answered.status, .created, answered.body)
            XCTAssertEqual(answered.object["mean"] as? Double, 2.67)
            XCTAssertEqual(answered.object["coordinatorId"] as? String, w.coordinatorA.text, "kept with the coordinator of the time")
            try await expectEqual(try await Self.openTasks(w, person: id).count, 0)
            let list = try await w.api(.GET, surveys, as: "supervisor")
            XCTAssertEqual((list.object["trend"] as? [[String: Any]])?.compactMap { $0["quarter"] as? String }, ["2026 Q4"], list.body)
            try await expectEqual(try await w.api(.GET, surveys, as: "coordinator2").status, .notFound)
        }
    }

    func testThePersonAndTheirGuardianAnswerSurveysForThemselvesOnly() async throws {
        try await onEveryEngine { w in
            let own = "/api/v1/people/\(w.own.text)/satisfaction"
            let body: [String: Any] = ["respondent": "person", "answeredOn": "2026-11-18", "answers": ["services": 3, "safe": 2]]
            try await expectEqual(try await w.api(.POST, own, as: "person", json: body).status, .created)
            try await expectEqual(try await w.api(.POST, own, as: "guardian", json: body).status, .created)
            try await expectEqual(try await w.api(.POST, own, as: "staff", json: body).status, .forbidden, "provider staff see the person but do not answer for them")
            try await expectEqual(try await w.api(.POST, "/api/v1/people/\(w.other.text)/satisfaction", as: "person", json: body).status, .notFound)
            try await expectEqual(try await w.api(.POST, "/api/v1/people/\(w.other.text)/satisfaction", as: "guardian", json: body).status, .notFound)
            // A web form, answered with the faces.
            let form = try await w.web(.POST, "/people/\(w.own.text)/satisfaction", as: "person", form: [
                ("respondent", "person"), ("answeredOn", "2026-11-18"), ("answer-person-services", "1"), ("answer-person-choices", "3"), ("comment", "<b>more outings</b>"),
            ])
            XCTAssertEqual(form.status, .seeOther, form.body)
            let page = try await w.web(.GET, "/people/\(w.own.text)/satisfaction", as: "person")
            XCTAssertTrue(page.body.contains("&lt;b&gt;more outings&lt;/b&gt;"), "typed words are escaped")
            XCTAssertTrue(page.body.contains("role=\"img\""), "the chart")
            // (3 + 2) + (3 + 2) + (1 + 3) over six answers.
            XCTAssertTrue(page.body.contains("Satisfaction in 2026 Q4: a mean of 2.3 out of 3 from 3 surveys."), "and the sentence that says what it shows")
            let empty = try await w.web(.POST, "/people/\(w.own.text)/satisfaction", as: "person", form: [("respondent", "person"), ("answeredOn", "2026-11-18"), ("comment", "kept")])
            XCTAssertEqual(empty.status, .unprocessableEntity)
            XCTAssertTrue(empty.body.contains("Answer at least one question.") && empty.body.contains(">kept</textarea>"), "the error, and what was typed is kept")
        }
    }

    static func planWithServices(_ w: TestWorld) async throws -> (plan: String, entry: String) {
        try await ServicesTests.addService(w)
        let planID = try await PlanAPITests.startPlan(w, .missouriISP, for: w.own)
        try await PlanAPITests.writeExample(w, plan: planID, type: .missouriISP, circle: [w.ownMember.text], guardian: w.ownMember.text, provider: w.providerA.text)
        let write = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/services", as: "coordinator", json: ServicesTests.services(w, duplicate: false), headers: ["If-Match": "\"1\""])
        XCTAssertEqual(write.status, .ok, write.body)
        try await PlanLifecycleTests.sentPlanSigned(w, planID)
        let authorizations = (try await w.api(.GET, "/api/v1/authorizations", as: "coordinator").object["items"] as? [[String: Any]]) ?? []
        return (planID, authorizations.first?["serviceEntryId"] as? String ?? "")
    }

    func testThePersonRefusesAServiceAndThePlanFollows() async throws {
        try await onEveryEngine { w in
            let (planID, entry) = try await Self.planWithServices(w)
            let path = "/api/v1/plans/\(planID)/refusals"
            let unknown = try await w.api(.POST, path, as: "coordinator", json: ["serviceEntryId": "nope", "refusedOn": "2026-11-18"])
            XCTAssertEqual(unknown.fieldErrors, ["serviceEntryId"], unknown.body)
            try await expectEqual(try await w.api(.POST, path, as: "staff", json: ["serviceEntryId": entry, "refusedOn": "2026-11-18"]).status, .forbidden)
            let refused = try await w.api(.POST, path, as: "coordinator", json: ["serviceEntryId": entry, "refusedOn": "2026-11-18", "reason": "I would rather go with my sister."])
            XCTAssertEqual(refused.status, .created, refused.body)
            XCTAssertEqual(refused.object["serviceName"] as? String, "Outings")
            try await expectEqual(try await w.api(.POST, path, as: "coordinator", json: ["serviceEntryId": entry, "refusedOn": "2026-11-18"]).status, .conflict)
            let authorization = try await Authorization.query(on: w.app.db).filter(\.$serviceEntryID == entry).first()
            XCTAssertEqual(authorization?.status, "ended")
            XCTAssertEqual(authorization?.endedOn, "2026-11-18")
            let requests = (try await w.api(.GET, "/api/v1/plans/\(planID)/review-requests", as: "coordinator").object["items"] as? [[String: Any]]) ?? []
            XCTAssertEqual(requests.compactMap { $0["trigger"] as? String }, ["refusal"])
            XCTAssertEqual(requests.first?["dueOn"] as? String, "2026-12-18", "30 days to follow the decision in the plan")
            _ = try await Self.run(w)
            try await expectEqual(try await Self.openTasks(w, person: w.own.text).map(\.kind).contains("change_review"), true)

            // A significant change asks for a review too, and says what changed.
            let change = "/api/v1/plans/\(planID)/review-requests"
            let silent = try await w.api(.POST, change, as: "coordinator", json: ["trigger": "significant_change", "requestedBy": "Provider A", "requestedByRole": "provider", "requestedOn": "2026-11-17"])
            XCTAssertEqual(silent.fieldErrors, ["reason"], silent.body)
            let changed = try await w.api(.POST, change, as: "coordinator", json: ["trigger": "significant_change", "requestedBy": "Provider A", "requestedByRole": "provider",
                                                                                  "requestedOn": "2026-11-17", "reason": "Moved to a shared apartment"])
            XCTAssertEqual(changed.status, .created, changed.body)
            XCTAssertEqual(changed.object["dueOn"] as? String, "2026-12-17")
            XCTAssertEqual(changed.object["trigger"] as? String, "significant_change")
            let asked = try await w.api(.POST, change, as: "coordinator", json: ["requestedBy": "Provider A", "requestedByRole": "provider", "requestedOn": "2026-11-17"])
            XCTAssertEqual(asked.fieldErrors, ["requestedByRole"], "a request (not a change) still comes from the person or family")
        }
    }

    func testLeavingServicesEndsThePlanAndItsServicesAndKeepsTheRecord() async throws {
        try await onEveryEngine { w in
            let (planID, _) = try await Self.planWithServices(w)
            let own = w.own.text
            let future = try await w.api(.POST, "/api/v1/people/\(own)/leave", as: "coordinator", json: ["leftOn": "2026-11-19", "reason": "Moved"])
            XCTAssertEqual(future.fieldErrors, ["leftOn"])
            try await expectEqual(try await w.api(.POST, "/api/v1/people/\(own)/leave", as: "staff", json: ["leftOn": "2026-11-18", "reason": "Moved"]).status, .forbidden)
            let left = try await w.api(.POST, "/api/v1/people/\(own)/leave", as: "coordinator", json: ["leftOn": "2026-11-18", "reason": "Moved out of state"])
            XCTAssertEqual(left.status, .ok, left.body)
            XCTAssertEqual(left.object["status"] as? String, "exited")
            let plan = try await Plan.find(UUID(uuidString: planID)!, on: w.app.db)
            XCTAssertEqual(plan?.status, "ended")
            XCTAssertEqual(plan?.endReason, "Left services: Moved out of state")
            try await expectEqual(try await Authorization.query(on: w.app.db).filter(\.$status == "active").count(), 0)
            try await expectEqual(try await WaitingListEntry.query(on: w.app.db).filter(\.$endedOn == nil).count(), 0)
            try await expectEqual(try await CoordinatorAssignment.query(on: w.app.db).filter(\.$person.$id == w.own).filter(\.$endsOn == nil).count(), 0)
            try await expectEqual(try await w.api(.GET, "/api/v1/people/\(own)", as: "coordinator").status, .ok, "the record is kept, and the coordinator still sees it")
            try await expectEqual(try await w.api(.POST, "/api/v1/people/\(own)/leave", as: "coordinator", json: ["leftOn": "2026-11-18", "reason": "Again"]).status, .conflict)
        }
    }

    func testThePersonChoosesTheirCoordinatorOrCoordinatesThemselves() async throws {
        try await onEveryEngine { w in
            let path = "/api/v1/people/\(w.own.text)/coordinator-assignments"
            let one = try await w.api(.POST, path, as: "supervisor", json: ["coordinatorId": w.coordinatorA2.text, "reason": "Chosen", "chosenBy": "person", "optionsOffered": [w.coordinatorA2.text]])
            XCTAssertEqual(one.fieldErrors, ["optionsOffered"], "a choice needs two options: \(one.body)")
            let outside = try await w.api(.POST, path, as: "supervisor", json: ["coordinatorId": w.coordinatorA2.text, "reason": "Chosen", "chosenBy": "person",
                                                                               "optionsOffered": [w.coordinatorA.text, w.coordinatorB.text]])
            XCTAssertEqual(outside.fieldErrors, ["optionsOffered"], "the one chosen was offered")
            let unsaid = try await w.api(.POST, path, as: "supervisor", json: ["coordinatorId": w.coordinatorA2.text, "reason": "Chosen", "optionsOffered": [w.coordinatorA.text, w.coordinatorA2.text]])
            XCTAssertEqual(unsaid.fieldErrors, ["chosenBy"])
            let chosen = try await w.api(.POST, path, as: "supervisor", json: ["coordinatorId": w.coordinatorA2.text, "reason": "The person chose", "chosenBy": "person",
                                                                              "optionsOffered": [w.coordinatorA.text, w.coordinatorA2.text]])
            XCTAssertEqual(chosen.status, .created, chosen.body)
            XCTAssertEqual(chosen.object["chosenBy"] as? String, "person")
            XCTAssertEqual(chosen.object["optionsOffered"] as? [String], [w.coordinatorA.text, w.coordinatorA2.text])

            let own = "/api/v1/people/\(w.own.text)/self-coordination"
            try await expectEqual(try await w.api(.POST, own, as: "coordinator", json: [:]).status, .notFound, "no longer on this coordinator's caseload")
            let selfDirected = try await w.api(.POST, own, as: "supervisor", json: ["reason": "I want to arrange my own services."])
            XCTAssertEqual(selfDirected.status, .ok, selfDirected.body)
            XCTAssertEqual(selfDirected.object["selfCoordinatedSince"] as? String, "2026-11-18")
            XCTAssertNil(selfDirected.object["coordinatorId"] as? String)
            try await expectEqual(try await w.api(.POST, own, as: "admin", json: [:]).status, .conflict)
            // Assigning a coordinator again ends self-direction.
            let back = try await w.api(.POST, path, as: "admin", json: ["coordinatorId": w.coordinatorA.text, "reason": "Asked for help again", "chosenBy": "assigned"])
            XCTAssertEqual(back.status, .created, back.body)
            try await expectEqual(try await Person.find(w.own, on: w.app.db)?.selfCoordinatedSince, nil)
        }
    }

    func testTheDashboardDrawsTogetherWhatIsDue() async throws {
        try await onEveryEngine { w in
            let (planID, _) = try await Self.planWithServices(w)
            _ = try await w.api(.POST, "/api/v1/people/\(w.own.text)/meetings", as: "coordinator", json: [
                "meetsOn": "2026-11-25", "startsAt": "14:00", "place": "Library", "facilitator": "Ada", "planId": planID,
            ])
            _ = try await w.api(.POST, "/api/v1/people/\(w.own.text)/satisfaction", as: "person", json: ["respondent": "person", "answeredOn": "2026-11-18", "answers": ["services": 3]])
            _ = try await Self.run(w)
            let mine = try await w.api(.GET, "/api/v1/dashboard", as: "coordinator")
            XCTAssertEqual(mine.status, .ok, mine.body)
            let counts = mine.object["counts"] as? [String: Any] ?? [:]
            XCTAssertEqual(counts["meetingsNext14Days"] as? Int, 1)
            XCTAssertEqual(counts["plansInEffect"] as? Int, 1)
            XCTAssertNil(mine.object["caseloads"] as? [Any], "a coordinator sees their own work, not the team's caseloads")
            XCTAssertEqual((mine.object["waiting"] as? [[String: Any]])?.first?["service"] as? String, "Respite")
            XCTAssertEqual((mine.object["satisfactionByCoordinator"] as? [[String: Any]])?.first?["surveys"] as? Int, 1)
            let team = try await w.api(.GET, "/api/v1/dashboard", as: "supervisor")
            XCTAssertEqual((team.object["caseloads"] as? [Any])?.count, 2, "the supervisor's two coordinators: \(team.body)")
            XCTAssertNotNil(team.object["reviewedWithin12Months"] as? [String: Any])
            let other = try await w.api(.GET, "/api/v1/dashboard", as: "coordinator2")
            XCTAssertEqual((other.object["counts"] as? [String: Any])?["meetingsNext14Days"] as? Int, 0, "another caseload's meeting is not shown")
            for who in ["staff", "person", "guardian"] {
                try await expectEqual(try await w.api(.GET, "/api/v1/dashboard", as: who).status, .forbidden, who)
            }
            let page = try await w.web(.GET, "/dashboard", as: "supervisor")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("<h1>Dashboard</h1>"))
            let home = try await w.web(.GET, "/", as: "coordinator")
            XCTAssertEqual(home.headers.first(name: .location), "/dashboard")
            try await expectEqual(try await w.web(.GET, "/", as: "staff").headers.first(name: .location), "/people")
        }
    }
}

import Fluent
import Vapor
import XCTest
@testable import LanternApp

/// The task scheduler: what is due becomes a task once, with one reminder in the outbox, however
/// many schedulers run at once; tasks close when their reason goes; coordinators see and complete
/// their own.
final class TaskSchedulerTests: XCTestCase {
    static func run(_ w: TestWorld) async throws -> TaskScheduler.Run {
        let now = w.clock.now()
        return try await TaskScheduler.runAudited(on: w.app.db, today: CalendarDate(now), now: now)
    }

    /// The people of the test world answered their yearly satisfaction survey today, so that the tests
    /// of other tasks see only those.
    static func surveysAnswered(_ w: TestWorld) async throws {
        for person in [w.own, w.other] {
            let s = SatisfactionSurvey()
            s.id = UUID(); s.$person.id = person; s.respondent = "person"; s.answeredOn = CalendarDate(w.clock.now()).description
            try s.setAnswers(["services": 3]); s.recordedByID = w.coordinatorA
            try await s.create(on: w.app.db)
        }
    }

    func testEachTaskIsMadeOnceEvenWhenSchedulersRace() async throws {
        try await onEveryEngine { w in
            // A child in Early Start, born on a leap day: 3 on 2027-02-28, so the school district is told by 2026-11-30.
            let child = try await w.api(.POST, "/api/v1/people", as: "coordinator", json: [
                "legalGivenName": "Pip", "legalFamilyName": "Testwell", "birthDate": "2024-02-29", "primaryLanguage": "English",
                "residenceType": "family_home", "legalStatus": "minor_with_parent", "status": "active",
            ])
            XCTAssertEqual(child.status, .created, child.body)
            let childID = child.object["id"] as! String

            try await Self.surveysAnswered(w)
            // Several instances run the scheduler at the same moment.
            let runs = try await withThrowingTaskGroup(of: TaskScheduler.Run.self) { group in
                for _ in 0..<4 { group.addTask { try await Self.run(w) } }
                return try await group.reduce(into: [TaskScheduler.Run]()) { $0.append($1) }
            }
            XCTAssertEqual(runs.map(\.created).reduce(0, +), 2, "the notice and the conference, once each: \(runs)")
            let tasks = try await CoordinationTask.query(on: w.app.db).all()
            XCTAssertEqual(tasks.map(\.kind).sorted(), ["transition_conference", "transition_notice"])
            XCTAssertEqual(Set(tasks.map(\.dueOn)), ["2026-11-30"])
            XCTAssertEqual(Set(tasks.map { $0.$person.id.text }), [childID])
            let emails = try await OutboxEmail.query(on: w.app.db).all()
            XCTAssertEqual(emails.count, 2, "one reminder per task")
            XCTAssertEqual(Set(emails.map(\.toAddress)), ["coordinator@test.example"])
            let again = try await Self.run(w)
            XCTAssertEqual(again.created, 0)
            try await expectEqual(try await AuditEntry.query(on: w.app.db).filter(\.$category == AuditCategory.tasks.rawValue).count(), 2, "each task made is audited once")
            try await expectEqual(try await CoordinationTask.query(on: w.app.db).count(), 2)

            // The coordinator's list: due, not yet overdue; the day after the due date, overdue.
            var list = try await w.api(.GET, "/api/v1/tasks", as: "coordinator")
            var items = (list.object["items"] as? [[String: Any]]) ?? []
            XCTAssertEqual(items.compactMap { $0["overdue"] as? Bool }, [false, false], list.body)
            w.clock.advance(by: 13 * 86_400)
            list = try await w.api(.GET, "/api/v1/tasks", as: "coordinator")
            items = (list.object["items"] as? [[String: Any]]) ?? []
            XCTAssertEqual(items.compactMap { $0["overdue"] as? Bool }, [true, true], "2026-12-01 is past 2026-11-30")
            let others = try await w.api(.GET, "/api/v1/tasks", as: "coordinator2")
            XCTAssertEqual((others.object["items"] as? [Any])?.count, 0, "not on another caseload")
            try await expectEqual(try await w.api(.GET, "/api/v1/tasks", as: "staff").status, .forbidden)

            // Done once; another coordinator cannot reach it.
            let id = items.first?["id"] as? String ?? ""
            try await expectEqual(try await w.api(.POST, "/api/v1/tasks/\(id)/done", as: "coordinator2", json: [:]).status, .notFound)
            let done = try await w.api(.POST, "/api/v1/tasks/\(id)/done", as: "coordinator", json: ["note": "Letter sent to the school district"])
            XCTAssertEqual(done.status, .ok, done.body)
            XCTAssertEqual(done.object["status"] as? String, "done")
            try await expectEqual(try await w.api(.POST, "/api/v1/tasks/\(id)/done", as: "coordinator", json: [:]).status, .conflict)
            try await expectEqual(try await w.lastAudit()?.category, AuditCategory.tasks.rawValue)
        }
    }

    func testARequestedReviewBecomesATaskThatClosesWhenTheReviewStarts() async throws {
        try await onEveryEngine { w in
            let (planID, _) = try await PlanLifecycleTests.sentPlan(w)
            try await PlanFollowUpTests.signAll(w, planID)
            try await Self.surveysAnswered(w)
            let asked = try await w.api(.POST, "/api/v1/plans/\(planID)/review-requests", as: "coordinator",
                                        json: ["requestedBy": "Gwen Testwell", "requestedByRole": "guardian", "requestedOn": "2026-11-16"])
            XCTAssertEqual(asked.status, .created, asked.body)
            var run = try await Self.run(w)
            XCTAssertEqual(run.created, 1, "\(run)")
            var task = try await CoordinationTask.query(on: w.app.db).first()
            XCTAssertEqual(task?.kind, "requested_review")
            XCTAssertEqual(task?.dueOn, "2026-12-16")
            XCTAssertEqual(task?.status, "open")
            let page = try await w.web(.GET, "/tasks", as: "coordinator")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("Review the person asked for: Ada Testwell"), page.body)

            // Starting the new version answers the request; the next run closes the task.
            let next = try await w.api(.POST, "/api/v1/plans/\(planID)/versions", as: "coordinator", json: ["reason": "Review Gwen asked for"])
            XCTAssertEqual(next.status, .created, next.body)
            run = try await Self.run(w)
            XCTAssertEqual(run.closed, 1, "\(run)")
            task = try await CoordinationTask.query(on: w.app.db).first()
            XCTAssertEqual(task?.status, "closed")
        }
    }

    func testMonitoringContactsAreDueAtTheirFrequencyAndAContactAnswersTheTask() async throws {
        try await onEveryEngine { w in
            let own = w.own.text
            try await Self.surveysAnswered(w)
            // Ada's coordination began on 2025-01-01; monthly contact, none recorded: long overdue.
            let set = try await w.api(.PATCH, "/api/v1/people/\(own)", as: "coordinator", json: ["contactFrequency": "monthly"], headers: ["If-Match": "*"])
            XCTAssertEqual(set.status, .ok, set.body)
            XCTAssertEqual(set.object["contactFrequency"] as? String, "monthly")
            var contacts = try await w.api(.GET, "/api/v1/people/\(own)/contacts", as: "coordinator")
            XCTAssertEqual(contacts.object["nextDue"] as? String, "2025-02-01")
            XCTAssertEqual(contacts.object["overdue"] as? Bool, true)
            var run = try await Self.run(w)
            XCTAssertEqual(run.created, 1, "\(run)")
            let task = try await CoordinationTask.query(on: w.app.db).filter(\.$kind == "monitoring_contact").first()
            XCTAssertEqual(task?.dueOn, "2025-02-01")

            for (body, field) in [(["contactOn": "2026-11-19", "kind": "phone", "findings": "Fine"], "contactOn"),
                                  (["contactOn": "2026-11-17", "kind": "letter", "findings": "Fine"], "kind"),
                                  (["contactOn": "2026-11-17", "kind": "phone", "findings": " "], "findings")] {
                let refused = try await w.api(.POST, "/api/v1/people/\(own)/contacts", as: "coordinator", json: body)
                XCTAssertEqual(refused.fieldErrors, [field], "\(body): \(refused.body)")
            }
            try await expectEqual(try await w.api(.POST, "/api/v1/people/\(own)/contacts", as: "staff",
                                                  json: ["contactOn": "2026-11-17", "kind": "phone", "findings": "Fine"]).status, .forbidden)
            let recorded = try await w.api(.POST, "/api/v1/people/\(own)/contacts", as: "coordinator",
                                           json: ["contactOn": "2026-11-17", "kind": "face_to_face", "findings": "Ada likes the new job coach", "followUp": "Visit the shelter in December"])
            XCTAssertEqual(recorded.status, .created, recorded.body)
            try await expectEqual(try await w.lastAudit()?.category, AuditCategory.monitoring.rawValue)
            let answered = try await CoordinationTask.query(on: w.app.db).filter(\.$kind == "monitoring_contact").first()
            XCTAssertEqual(answered?.status, "done")
            XCTAssertEqual(answered?.note, "Face to face contact on 2026-11-17")
            contacts = try await w.api(.GET, "/api/v1/people/\(own)/contacts", as: "coordinator")
            XCTAssertEqual(contacts.object["nextDue"] as? String, "2026-12-17")
            XCTAssertEqual(contacts.object["overdue"] as? Bool, false)
            let page = try await w.web(.GET, "/people/\(own)/contacts", as: "coordinator")
            XCTAssertTrue(page.body.contains("Ada likes the new job coach"), page.body)
            // The next one shows a week before it is due, once.
            run = try await Self.run(w)
            XCTAssertEqual(run.created, 0, "2026-12-17 is more than a week away")
            w.clock.advance(by: 23 * 86_400)
            run = try await Self.run(w)
            XCTAssertEqual(run.created, 1, "on 2026-12-11 the contact due 2026-12-17 shows")
        }
    }
}

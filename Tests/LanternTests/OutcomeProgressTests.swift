import Fluent
import Vapor
import XCTest
@testable import LanternApp

/// Progress on outcomes: who may record on which step, what a value must be, what each role sees,
/// reviews and the person's own view, progress following the steps into a new version, and the bulk
/// endpoint's partial acceptance.
final class OutcomeProgressTests: XCTestCase {
    typealias IDs = ExamplePlan.IDs

    /// A signed Missouri ISP for `own` (example content; provider A has the paid step), in effect.
    static func planInEffect(_ w: TestWorld) async throws -> String {
        let (planID, _) = try await PlanLifecycleTests.sentPlan(w)
        try await PlanFollowUpTests.signAll(w, planID)
        return planID
    }

    static func entry(_ date: String, _ value: Any?, note: String? = nil) -> [String: Any] {
        var body: [String: Any] = ["date": date]
        if let value { body["value"] = value }
        if let note { body["note"] = note }
        return body
    }

    func testEachRoleRecordsOnlyOnItsStepsAndSeesOnlyWhatItNeeds() async throws {
        try await onEveryEngine { w in
            let own = w.own.text
            let providerStep = "/api/v1/people/\(own)/steps/\(IDs.providerStep)/entries"
            let personStep = "/api/v1/people/\(own)/steps/\(IDs.personStep)/entries"

            // Nothing to record against until a plan is in effect.
            let draft = try await w.api(.POST, providerStep, as: "coordinator", json: Self.entry("2026-11-17", 50))
            XCTAssertEqual(draft.status, .conflict, draft.body)
            let planID = try await Self.planInEffect(w)

            // Provider staff: their organisation's step only, and only the outcome it serves.
            let staffView = try await w.api(.GET, "/api/v1/people/\(own)/outcomes", as: "staff")
            XCTAssertEqual(staffView.status, .ok, staffView.body)
            let staffOutcomes = (staffView.object["outcomes"] as? [[String: Any]]) ?? []
            XCTAssertEqual(staffOutcomes.compactMap { $0["id"] as? String }, [IDs.firstOutcome])
            XCTAssertEqual(((staffOutcomes.first?["steps"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }, [IDs.providerStep])
            let coordinatorView = try await w.api(.GET, "/api/v1/people/\(own)/outcomes", as: "coordinator")
            let all = (coordinatorView.object["outcomes"] as? [[String: Any]]) ?? []
            XCTAssertEqual(all.count, 2)
            XCTAssertEqual(all.flatMap { ($0["steps"] as? [[String: Any]]) ?? [] }.count, 3)
            XCTAssertEqual(coordinatorView.object["planId"] as? String, planID)

            let recorded = try await w.api(.POST, providerStep, as: "staff", json: Self.entry("2026-11-17", 85, note: "Sorted the feed bins alone"))
            XCTAssertEqual(recorded.status, .created, recorded.body)
            XCTAssertEqual(recorded.object["outcomeId"] as? String, IDs.firstOutcome)
            XCTAssertEqual(recorded.object["planId"] as? String, planID)
            XCTAssertEqual(recorded.object["organizationId"] as? String, w.providerA.text)
            let audit = try await w.lastAudit()
            XCTAssertEqual(audit?.category, AuditCategory.progress.rawValue)
            XCTAssertEqual(audit?.personID, own)

            // Another organisation's step is not there for staff; the person's own step is the person's.
            let staffOnPersonStep = try await w.api(.POST, personStep, as: "staff", json: Self.entry("2026-11-17", 1))
            XCTAssertEqual(staffOnPersonStep.status, .notFound)
            let personOnOwnStep = try await w.api(.POST, personStep, as: "person", json: Self.entry("2026-11-18", 1))
            XCTAssertEqual(personOnOwnStep.status, .created, personOnOwnStep.body)
            let personOnProviderStep = try await w.api(.POST, providerStep, as: "person", json: Self.entry("2026-11-18", 60))
            XCTAssertEqual(personOnProviderStep.status, .forbidden)
            let guardianRecords = try await w.api(.POST, personStep, as: "guardian", json: Self.entry("2026-11-18", 1))
            XCTAssertEqual(guardianRecords.status, .forbidden)
            let elsewhere = try await w.api(.POST, "/api/v1/people/\(w.other.text)/steps/\(IDs.providerStep)/entries", as: "coordinator", json: Self.entry("2026-11-17", 50))
            XCTAssertEqual(elsewhere.status, .notFound)

            // Values checked against the step's measure; dates not in the future or before the outcome started.
            for (body, field) in [(Self.entry("2026-11-17", 150), "value"), (Self.entry("2026-11-17", nil), "value"), (Self.entry("2026-11-17", "lots"), "value"),
                                  (Self.entry("2026-11-20", 50), "date"), (Self.entry("2026-11-10", 50), "date"), (["date": "2026-11-17", "value": 5, "by": "me"], "by")] {
                let refused = try await w.api(.POST, providerStep, as: "coordinator", json: body)
                XCTAssertEqual(refused.status, .unprocessableEntity, "\(body): \(refused.body)")
                XCTAssertEqual(refused.fieldErrors, [field], "\(body)")
            }
            let tomorrow = try await w.api(.POST, providerStep, as: "coordinator", json: Self.entry("2026-11-19", 40))
            XCTAssertEqual(tomorrow.status, .created, "one day of slack for time zones")
            let count = try await w.api(.POST, personStep, as: "coordinator", json: Self.entry("2026-11-17", 1.5))
            XCTAssertEqual(count.fieldErrors, ["value"], "a count is a whole number")
            var withID = Self.entry("2026-11-18", 70); withID["externalId"] = "maple-001"
            try await expectEqual(try await w.api(.POST, providerStep, as: "staff", json: withID).status, .created)
            try await expectEqual(try await w.api(.POST, providerStep, as: "staff", json: withID).status, .conflict, "a retry is not recorded twice")

            // Reviews are the coordinator's; the person's view is theirs; neither is shown to provider staff.
            let reviewPath = "/api/v1/people/\(own)/outcomes/\(IDs.firstOutcome)/reviews"
            let review = ["reviewedOn": "2026-11-18", "working": "Short shifts", "notWorking": "Bus delays", "nextSteps": "Try the earlier bus"]
            try await expectEqual(try await w.api(.POST, reviewPath, as: "staff", json: review).status, .forbidden)
            try await expectEqual(try await w.api(.POST, reviewPath, as: "coordinator", json: ["reviewedOn": "2026-11-18"]).fieldErrors.sorted(), ["nextSteps", "notWorking", "working"])
            try await expectEqual(try await w.api(.POST, reviewPath, as: "coordinator", json: review).status, .created)
            let viewPath = "/api/v1/people/\(own)/outcomes/\(IDs.firstOutcome)/views"
            try await expectEqual(try await w.api(.POST, viewPath, as: "staff", json: ["feeling": "okay"]).status, .forbidden)
            try await expectEqual(try await w.api(.POST, viewPath, as: "person", json: ["feeling": "great"]).fieldErrors, ["feeling"])
            try await expectEqual(try await w.api(.POST, viewPath, as: "person", json: ["feeling": "going_well", "comment": "I like the dogs"]).status, .created)
            try await expectEqual(try await w.api(.POST, "/api/v1/people/\(own)/outcomes/\(UUID().uuidString)/views", as: "person", json: ["feeling": "okay"]).status, .notFound)

            let coordinatorDetail = try await w.api(.GET, "/api/v1/people/\(own)/outcomes/\(IDs.firstOutcome)", as: "coordinator")
            XCTAssertEqual((coordinatorDetail.object["reviews"] as? [Any])?.count, 1)
            XCTAssertEqual(((coordinatorDetail.object["views"] as? [[String: Any]])?.first)?["comment"] as? String, "I like the dogs")
            XCTAssertEqual(((coordinatorDetail.object["services"] as? [[String: Any]])?.first)?["service"] as? String, "Supported employment",
                           "the service that names the outcome is traced to it")
            let charts = (coordinatorDetail.object["charts"] as? [[String: Any]]) ?? []
            XCTAssertEqual(charts.first { $0["stepId"] as? String == IDs.providerStep }?["summary"] as? String,
                           "3 entries from 2026-11-17 to 2026-11-19. The latest is 40%, down from 85% at the start. The target is 80% by 2027-05-02, and the latest is below it.")
            let staffDetail = try await w.api(.GET, "/api/v1/people/\(own)/outcomes/\(IDs.firstOutcome)", as: "staff")
            XCTAssertEqual((staffDetail.object["reviews"] as? [Any])?.count, 0)
            XCTAssertEqual((staffDetail.object["views"] as? [Any])?.count, 0)
            XCTAssertEqual((staffDetail.object["services"] as? [Any])?.count, 0)
            try await expectEqual(try await w.api(.GET, "/api/v1/people/\(own)/outcomes/\(IDs.secondOutcome)", as: "staff").status, .notFound,
                           "an outcome with none of the organisation's steps is not shown to its staff")

            // Entries a page at a time.
            let page = try await w.api(.GET, "/api/v1/people/\(own)/outcomes/\(IDs.firstOutcome)/entries?limit=2", as: "coordinator")
            XCTAssertEqual((page.object["items"] as? [Any])?.count, 2)
            XCTAssertEqual(page.object["nextCursor"] as? String, "2")
            let staffEntries = try await w.api(.GET, "/api/v1/people/\(own)/outcomes/\(IDs.firstOutcome)/entries", as: "staff")
            XCTAssertEqual(Set(((staffEntries.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["stepId"] as? String }), [IDs.providerStep],
                           "staff see the entries of their own steps only")

            // The next version keeps the ids, so what was recorded follows the outcome.
            let next = try await w.api(.POST, "/api/v1/plans/\(planID)/versions", as: "coordinator", json: ["reason": "New job coach"])
            let nextID = next.object["id"] as! String
            try await expectEqual(try await w.api(.POST, "/api/v1/plans/\(nextID)/submit", as: "coordinator").status, .ok)
            try await PlanFollowUpTests.signAll(w, nextID)
            let after = try await w.api(.GET, "/api/v1/people/\(own)/outcomes", as: "coordinator")
            XCTAssertEqual(after.object["planId"] as? String, nextID)
            let steps = ((after.object["outcomes"] as? [[String: Any]]) ?? []).flatMap { ($0["steps"] as? [[String: Any]]) ?? [] }
            XCTAssertEqual(steps.first { $0["id"] as? String == IDs.providerStep }?["lastEntryOn"] as? String, "2026-11-19")
        }
    }

    /// A plan in effect whose outcomes section is gone (read in the same query as the plan) has no
    /// steps to record on and no outcomes to show, and says so rather than failing.
    func testAPlanInEffectWithoutOutcomesHasNothingToRecordOn() async throws {
        try await onEveryEngine { w in
            let planID = try await Self.planInEffect(w)
            let path = "/api/v1/people/\(w.own.text)/steps/\(IDs.providerStep)/entries"
            try await expectEqual(try await w.api(.POST, path, as: "coordinator", json: Self.entry("2026-11-17", 50)).status, .created)
            try await PlanSection.query(on: w.app.db).filter(\.$plan.$id == UUID(uuidString: planID)!).filter(\.$sectionKey == "outcomes").delete()
            let refused = try await w.api(.POST, path, as: "coordinator", json: Self.entry("2026-11-17", 50))
            XCTAssertEqual(refused.status, .notFound, refused.body)
            let board = try await w.api(.GET, "/api/v1/people/\(w.own.text)/outcomes", as: "coordinator")
            XCTAssertEqual(board.status, .ok, board.body)
            XCTAssertEqual((board.object["outcomes"] as? [Any])?.count, 0)
            try await expectEqual(try await w.api(.GET, "/api/v1/people/\(w.own.text)/outcomes/\(IDs.firstOutcome)", as: "coordinator").status, .notFound)
        }
    }

    func testTheBulkEndpointKeepsTheGoodEntriesAndSaysWhyEachOtherWasRefused() async throws {
        try await onEveryEngine { w in
            _ = try await Self.planInEffect(w)
            func item(_ person: UUID, _ step: String, _ date: String, _ value: Any, external: String? = nil) -> [String: Any] {
                var e: [String: Any] = ["personId": person.text, "stepId": step, "date": date, "value": value]
                if let external { e["externalId"] = external }
                return e
            }
            let entries: [Any] = [
                item(w.own, IDs.providerStep, "2026-11-16", 40, external: "a1"),
                item(w.own, IDs.providerStep, "2026-11-17", 140, external: "a2"),
                item(w.other, IDs.providerStep, "2026-11-17", 50, external: "a3"),
                item(w.own, IDs.personStep, "2026-11-17", 1, external: "a4"),
                item(w.own, IDs.providerStep, "2026-11-18", 55, external: "a1"),
                "not an entry",
                item(w.own, IDs.providerStep, "2026-11-18", 60, external: "a6"),
            ]
            let reply = try await w.api(.POST, "/api/v1/progress-entries/bulk", as: "staff", json: ["entries": entries])
            XCTAssertEqual(reply.status, .ok, reply.body)
            XCTAssertEqual(reply.object["accepted"] as? Int, 2)
            XCTAssertEqual(reply.object["refused"] as? Int, 5)
            let results = (reply.object["results"] as? [[String: Any]]) ?? []
            XCTAssertEqual(results.compactMap { $0["status"] as? String }, ["accepted", "refused", "refused", "refused", "refused", "refused", "accepted"])
            XCTAssertEqual(((results[1]["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }, ["value"])
            XCTAssertEqual(((results[4]["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }, ["externalId"])
            let kept = try await ProgressEntry.query(on: w.app.db).all()
            XCTAssertEqual(kept.compactMap(\.externalID).sorted(), ["a1", "a6"])
            XCTAssertEqual(Set(kept.map(\.source)), ["bulk"])
            let denied = try await AuditEntry.query(on: w.app.db).filter(\.$personID == w.other.text).filter(\.$outcome == "denied").count()
            XCTAssertEqual(denied, 1, "the refusal to record for someone unseen is audited")

            // Sending the batch again adds nothing.
            let again = try await w.api(.POST, "/api/v1/progress-entries/bulk", as: "staff", json: ["entries": entries])
            XCTAssertEqual(again.object["accepted"] as? Int, 0)
            try await expectEqual(try await ProgressEntry.query(on: w.app.db).count(), 2)

            // A body that is not a batch at all is refused whole.
            try await expectEqual(try await w.api(.POST, "/api/v1/progress-entries/bulk", as: "staff", json: ["entries": [] as [Any]]).status, .unprocessableEntity)
            try await expectEqual(try await w.api(.POST, "/api/v1/progress-entries/bulk", as: "staff", json: ["items": entries]).status, .unprocessableEntity)
            let tooMany = Array(repeating: item(w.own, IDs.providerStep, "2026-11-18", 60) as Any, count: 1001)
            try await expectEqual(try await w.api(.POST, "/api/v1/progress-entries/bulk", as: "staff", json: ["entries": tooMany]).fieldErrors, ["entries"])

            // A full batch goes in whole (more than one statement's worth), each result naming its stored entry.
            let full = (0..<1000).map { item(w.own, IDs.providerStep, "2026-11-18", 60, external: "full-\($0)") as Any }
            let fullReply = try await w.api(.POST, "/api/v1/progress-entries/bulk", as: "staff", json: ["entries": full])
            XCTAssertEqual(fullReply.object["accepted"] as? Int, 1000, fullReply.body)
            let answered = Set(((fullReply.object["results"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
            let stored = Set(try await ProgressEntry.query(on: w.app.db).all().map { $0.id!.text })
            XCTAssertEqual(answered.count, 1000)
            XCTAssertEqual(stored.count, 1002)
            XCTAssertTrue(answered.isSubset(of: stored))
        }
    }

    func testTheOutcomePagesAndForms() async throws {
        try await onEveryEngine { w in
            _ = try await Self.planInEffect(w)
            let own = w.own.text
            let summary = try await w.web(.GET, "/people/\(own)/outcomes", as: "coordinator")
            XCTAssertEqual(summary.status, .ok)
            XCTAssertTrue(summary.body.contains("Action steps for: &quot;I want a paid job with animals.&quot;"), summary.body)
            let form = "/people/\(own)/outcomes/\(IDs.firstOutcome)/steps/\(IDs.providerStep)/record"
            try await expectEqual(try await w.web(.GET, form, as: "staff").status, .ok)
            let refused = try await w.web(.POST, form, as: "staff", form: [("date", "2026-11-17"), ("value", "101"), ("note", "kept <b>")])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.contains("The percentage must be from 0 to 100."))
            XCTAssertTrue(refused.body.contains("kept &lt;b&gt;"), "what was typed comes back, escaped")
            let saved = try await w.web(.POST, form, as: "staff", form: [("date", "2026-11-17"), ("value", "75%"), ("note", "")])
            XCTAssertEqual(saved.status, .seeOther, saved.body)
            let detail = try await w.web(.GET, "/people/\(own)/outcomes/\(IDs.firstOutcome)", as: "staff")
            XCTAssertTrue(detail.body.contains("<figure class=\"chart\">"))
            XCTAssertTrue(detail.body.contains("1 entry from 2026-11-17 to 2026-11-17."))
            XCTAssertFalse(detail.body.contains("Reviews by the coordinator"), "provider staff do not see the team's reviews")
            try await expectEqual(try await w.web(.GET, "/people/\(own)/outcomes/\(IDs.firstOutcome)/how-it-is-going", as: "staff").status, .forbidden)
            let said = try await w.web(.POST, "/people/\(own)/outcomes/\(IDs.firstOutcome)/how-it-is-going", as: "person", form: [("feeling", "okay"), ("comment", ""), ("helpedBy", "")])
            XCTAssertEqual(said.status, .seeOther, said.body)
        }
    }

    func testNextYearsPlanStartsItsReviewFromThisYearsProgressAndTheCoordinatorSeesWhatNeedsAttention() async throws {
        try await onEveryEngine { w in
            let planID = try await Self.planInEffect(w)
            let own = w.own.text
            for (day, value) in [("2026-11-16", 40), ("2026-11-17", 60), ("2026-11-18", 85)] {
                try await expectEqual(try await w.api(.POST, "/api/v1/people/\(own)/steps/\(IDs.providerStep)/entries", as: "staff", json: Self.entry(day, value)).status, .created)
            }
            _ = try await w.api(.POST, "/api/v1/people/\(own)/outcomes/\(IDs.firstOutcome)/views", as: "person", json: ["feeling": "going_well"])

            // Nothing needs attention yet; twenty quiet days later, every step does.
            let now = try await w.api(.GET, "/api/v1/outcomes/attention", as: "coordinator")
            XCTAssertEqual(now.status, .ok, now.body)
            XCTAssertEqual((now.object["items"] as? [Any])?.count, 0)
            let page = try await w.web(.GET, "/outcomes/attention", as: "coordinator")
            XCTAssertTrue(page.body.contains("Nothing needs attention now."), page.body)
            w.clock.advance(by: 20 * 86_400)
            let later = try await w.api(.GET, "/api/v1/outcomes/attention", as: "coordinator")
            let items = (later.object["items"] as? [[String: Any]]) ?? []
            XCTAssertEqual(Set(items.compactMap { ($0["step"] as? [String: Any])?["id"] as? String }), [IDs.providerStep, IDs.personStep, IDs.circleStep])
            XCTAssertEqual(Set(items.compactMap { $0["personId"] as? String }), [own])
            XCTAssertEqual((items.first { ($0["step"] as? [String: Any])?["id"] as? String == IDs.providerStep }?["step"] as? [String: Any])?["flags"] as? [String],
                           ["no_recent_data"])
            try await expectEqual(try await w.api(.GET, "/api/v1/outcomes/attention", as: "supervisor").object["items"].map { ($0 as? [Any])?.count ?? 0 }, 3)
            try await expectEqual(try await w.api(.GET, "/api/v1/outcomes/attention", as: "staff").status, .forbidden)
            try await expectEqual(try await w.api(.GET, "/api/v1/outcomes/attention", as: "guardian").status, .forbidden)

            // Next year's plan: the review of the past year is drafted from the outcomes and their progress.
            let next = try await w.api(.POST, "/api/v1/plans/\(planID)/versions", as: "coordinator", json: ["reason": "Next year's plan", "planKind": "annual"])
            XCTAssertEqual(next.status, .created, next.body)
            let section = try await w.api(.GET, "/api/v1/plans/\(next.object["id"] as! String)/sections/prior-year", as: "coordinator")
            let review = ((section.object["content"] as? [String: Any])?["outcomeReview"] as? [[String: Any]]) ?? []
            XCTAssertEqual(review.compactMap { $0["outcome"] as? String }, ["\"I want a paid job with animals.\"", "\"I want to ride the bus to the day program on my own.\""])
            XCTAssertEqual(review.compactMap { $0["result"] as? String }, ["not_working", "not_working"], "steps with nothing recorded")
            XCTAssertTrue((review.first?["evidence"] as? String ?? "").contains("3 entries from 2026-11-16 to 2026-11-18. The latest is 85%"), "\(review)")
            XCTAssertTrue((review.first?["evidence"] as? String ?? "").contains("The person said on 2026-11-18: going well."))
            // This year's plan keeps its own review as it was signed.
            let section1 = try await w.api(.GET, "/api/v1/plans/\(planID)/sections/prior-year", as: "coordinator")
            XCTAssertNil((section1.object["content"] as? [String: Any])?["outcomeReview"])
        }
    }

    func testAWrongEntryIsWithdrawnWithItsReasonAndNoLongerCounts() async throws {
        try await onEveryEngine { w in
            _ = try await Self.planInEffect(w)
            let own = w.own.text
            let path = "/api/v1/people/\(own)/steps/\(IDs.providerStep)/entries"
            let wrong = try await w.api(.POST, path, as: "staff", json: Self.entry("2026-11-17", 5))
            let right = try await w.api(.POST, path, as: "coordinator", json: Self.entry("2026-11-18", 55))
            let wrongID = wrong.object["id"] as! String, rightID = right.object["id"] as! String
            let withdraw = "/api/v1/people/\(own)/progress-entries/\(wrongID)/withdraw"

            try await expectEqual(try await w.api(.POST, withdraw, as: "guardian", json: ["reason": "x"]).status, .forbidden)
            try await expectEqual(try await w.api(.POST, withdraw, as: "person", json: ["reason": "x"]).status, .forbidden, "not the person's own entry")
            try await expectEqual(try await w.api(.POST, withdraw, as: "staff", json: [:] as [String: String]).fieldErrors, ["reason"])
            try await expectEqual(try await w.api(.POST, "/api/v1/people/\(w.other.text)/progress-entries/\(wrongID)/withdraw", as: "coordinator",
                                                  json: ["reason": "x"]).status, .notFound)
            let done = try await w.api(.POST, withdraw, as: "staff", json: ["reason": "Typed 5 for 50"])
            XCTAssertEqual(done.status, .ok, done.body)
            XCTAssertEqual(done.object["withdrawnReason"] as? String, "Typed 5 for 50")
            XCTAssertNotNil(done.object["withdrawnAt"])
            try await expectEqual(try await w.api(.POST, withdraw, as: "coordinator", json: ["reason": "again"]).status, .conflict)

            // It no longer counts, but the record keeps it.
            let detail = try await w.api(.GET, "/api/v1/people/\(own)/outcomes/\(IDs.firstOutcome)", as: "coordinator")
            let chart = ((detail.object["charts"] as? [[String: Any]]) ?? []).first { $0["stepId"] as? String == IDs.providerStep }
            XCTAssertTrue((chart?["summary"] as? String ?? "").hasPrefix("1 entry from 2026-11-18 to 2026-11-18."), "\(chart ?? [:])")
            let listed = try await w.api(.GET, "/api/v1/people/\(own)/outcomes/\(IDs.firstOutcome)/entries", as: "coordinator")
            let items = (listed.object["items"] as? [[String: Any]]) ?? []
            XCTAssertEqual(items.count, 2)
            XCTAssertEqual(items.first { $0["id"] as? String == wrongID }?["withdrawnReason"] as? String, "Typed 5 for 50")

            // The page: a form that asks why, refusing without a reason.
            let form = "/people/\(own)/outcomes/\(IDs.firstOutcome)/entries/\(rightID)/withdraw"
            try await expectEqual(try await w.web(.GET, form, as: "coordinator").status, .ok)
            try await expectEqual(try await w.web(.GET, form, as: "person").status, .forbidden)
            try await expectEqual(try await w.web(.POST, form, as: "coordinator", form: [("reason", " ")]).status, .unprocessableEntity)
            try await expectEqual(try await w.web(.POST, form, as: "coordinator", form: [("reason", "Wrong person")]).status, .seeOther)
        }
    }
}

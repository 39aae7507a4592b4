import Fluent
import Vapor
import XCTest
@testable import LanternApp

/// The door for the person and their family: who reaches which person's pages (a matrix), what a
/// family member sees of what the person shared, signing, asking for a change, telling how it goes,
/// the whole record and who looked, and the pages in both languages.
final class PortalTests: XCTestCase {
    static let pages = ["", "/sign", "/ask", "/tell", "/budget", "/record", "/who-looked"]

    /// A family member of `own` without legal authority, with their own account (and a session).
    static func familyMember(_ w: TestWorld, shares: Set<SharedArea> = []) async throws -> (TestIdentity, UUID) {
        let user = User(email: "cousin@test.example", displayName: "Cam Cousin", role: .guardianFamily, organizationID: nil, supervisorID: nil,
                        passwordHash: TestWorld.passwordHash)
        user.id = UUID()
        try await user.create(on: w.app.db)
        let m = CircleMember.blank()
        m.id = UUID(); m.$person.id = w.own; m.name = "Cam Cousin"; m.relationship = "family"; m.userID = user.id; m.sharedAreas = shares
        try await m.create(on: w.app.db)
        return (try await TestWorld.identity(for: user, app: w.app, now: w.clock.now()), m.id!)
    }

    static func web(_ w: TestWorld, _ method: HTTPMethod, _ path: String, as identity: TestIdentity, form: [(String, String)]? = nil) async throws -> TestWorld.Reply {
        var world = w
        world.identities["extra"] = identity
        return try await world.web(method, path, as: "extra", form: form)
    }

    /// Key-shaped words that would mean a message is missing from a language.
    static func rawKeys(_ body: String) -> [String] {
        let prefixes = ["layout", "nav", "home", "sign", "ask", "tell", "budget", "record", "who", "share", "settings", "problem", "error", "done", "form", "chooser", "shared", "profile", "rating", "survey", "feeling", "unit", "interval", "funding", "audit", "role", "month", "date"]
        let pattern = try! NSRegularExpression(pattern: "(?<![\\w/.-])(\(prefixes.joined(separator: "|")))\\.[a-zA-Z_-]+(\\.[a-zA-Z_-]+)*(?![\\w/-])")
        let text = body.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    func testWhoReachesWhichPersonsPages() async throws {
        try await onEveryEngine { w in
            let own = "/my/\(w.own.text)", other = "/my/\(w.other.text)"
            for page in Self.pages {
                for who in ["person", "guardian", "coordinator", "admin"] {
                    let reply = try await w.web(.GET, own + page, as: who)
                    XCTAssertEqual(reply.status, .ok, "\(who) \(page): \(reply.body.prefix(300))")
                }
                for who in ["person", "guardian", "coordinator"] {
                    let reply = try await w.web(.GET, other + page, as: who)
                    XCTAssertEqual(reply.status, .notFound, "\(who) reached someone else's \(page)")
                    XCTAssertFalse(reply.body.contains("Bo Otherly"), "\(who) \(page) names the other person")
                }
                try await expectEqual(try await w.web(.GET, own + page, as: nil).status, .seeOther, "not signed in \(page)")
            }
            // The person and a guardian start on their own pages; a person's start is their own home.
            try await expectEqual(try await w.web(.GET, "/", as: "person").headers.first(name: .location), "/my")
            try await expectEqual(try await w.web(.GET, "/my", as: "person").headers.first(name: .location), own)
            try await expectEqual(try await w.web(.GET, "/my", as: "guardian").headers.first(name: .location), own)
            // Provider staff do not download a record or read who looked.
            try await expectEqual(try await w.web(.GET, own + "/record", as: "staff").status, .forbidden)
            try await expectEqual(try await w.api(.GET, "/api/v1/people/\(w.own.text)/access-log", as: "staff").status, .forbidden)
            // The API answers the same way.
            for path in ["record", "access-log", "change-requests"] {
                try await expectEqual(try await w.api(.GET, "/api/v1/people/\(w.own.text)/\(path)", as: "person").status, .ok, path)
                try await expectEqual(try await w.api(.GET, "/api/v1/people/\(w.other.text)/\(path)", as: "person").status, .notFound, path)
                try await expectEqual(try await w.api(.GET, "/api/v1/people/\(w.other.text)/\(path)", as: "guardian").status, .notFound, path)
            }
            // Every refusal is in the audit trail.
            let denied = try await AuditEntry.query(on: w.app.db).filter(\.$personID == w.other.text).filter(\.$outcome == "denied").count()
            XCTAssertGreaterThanOrEqual(denied, Self.pages.count * 3)
        }
    }

    func testAFamilyMemberSeesOnlyWhatThePersonShares() async throws {
        try await onEveryEngine { w in
            _ = try await OutcomeProgressTests.planInEffect(w)
            let (cousin, memberID) = try await Self.familyMember(w)
            let own = "/my/\(w.own.text)"
            // Nothing shared yet: the home page says so, and the parts answer 403, audited.
            let home = try await Self.web(w, .GET, own, as: cousin)
            XCTAssertEqual(home.status, .ok)
            XCTAssertTrue(home.body.contains("Ada Testwell has not shared this part with you."), home.body)
            XCTAssertFalse(home.body.contains("href=\"\(own)/budget\""), "the budget is offered though not shared")
            for page in ["/budget", "/record", "/who-looked", "/sharing"] {
                try await expectEqual(try await Self.web(w, .GET, own + page, as: cousin).status, .forbidden, page)
            }
            try await expectEqual(try await w.lastAudit()?.outcome, "denied")
            var world = w
            world.identities["cousin"] = cousin
            let plans = try await Plan.query(on: w.app.db).filter(\.$person.$id == w.own).all()
            try await expectEqual(try await world.web(.GET, "/plans/\(plans[0].id!.text)", as: "cousin").status, .forbidden)
            try await expectEqual(try await world.api(.GET, "/api/v1/plans/\(plans[0].id!.text)", as: "cousin").status, .forbidden)

            // The cousin may not choose what they see; the person may.
            try await expectEqual(try await world.web(.POST, "\(own)/sharing/\(memberID.text)", as: "cousin", form: [("shared", "budget")]).status, .forbidden)
            let sharing = try await w.web(.GET, own + "/sharing", as: "person")
            XCTAssertTrue(sharing.body.contains("Cam Cousin"))
            XCTAssertFalse(sharing.body.contains("Gwen Testwell"), "a guardian sees everything; there is nothing to choose for her")
            let saved = try await w.web(.POST, "\(own)/sharing/\(memberID.text)", as: "person", form: [("shared", ""), ("shared", "budget"), ("shared", "plan")])
            XCTAssertEqual(saved.status, .seeOther, saved.body)
            try await expectEqual(try await Self.web(w, .GET, own + "/budget", as: cousin).status, .ok)
            try await expectEqual(try await world.web(.GET, "/plans/\(plans[0].id!.text)", as: "cousin").status, .ok)
            try await expectEqual(try await Self.web(w, .GET, own + "/record", as: cousin).status, .forbidden)
            // The guardian's member cannot be chosen for: 404, and someone else's member neither.
            try await expectEqual(try await w.web(.POST, "\(own)/sharing/\(w.ownMember.text)", as: "person", form: [("shared", "record")]).status, .notFound)
            try await expectEqual(try await w.web(.POST, "\(own)/sharing/\(w.otherMember.text)", as: "person", form: [("shared", "record")]).status, .notFound)
            // Through the API, with a bad area refused by name.
            let bad = try await w.api(.PUT, "/api/v1/people/\(w.own.text)/circle/\(memberID.text)/sharing", as: "guardian", json: ["sharedAreas": ["diary"]])
            XCTAssertEqual(bad.status, .unprocessableEntity)
            XCTAssertEqual(bad.fieldErrors, ["sharedAreas"])
            let api = try await w.api(.PUT, "/api/v1/people/\(w.own.text)/circle/\(memberID.text)/sharing", as: "guardian", json: ["sharedAreas": ["record"]])
            XCTAssertEqual(api.status, .ok, api.body)
            XCTAssertEqual(api.object["sharedAreas"] as? [String], ["record"])
            try await expectEqual(try await Self.web(w, .GET, own + "/record", as: cousin).status, .ok)
            try await expectEqual(try await Self.web(w, .GET, own + "/budget", as: cousin).status, .forbidden)
        }
    }

    func testTheGuardianSignsForThePersonWhoSignsTooThenTheyAskForAChange() async throws {
        try await onEveryEngine { w in
            let (planID, signatures) = try await PlanLifecycleTests.sentPlan(w)
            let own = "/my/\(w.own.text)"
            let guardianSig = PlanLifecycleTests.signature(signatures, "guardian"), personSig = PlanLifecycleTests.signature(signatures, "person")

            // What is signed: the version, and a form for the reader's own request only.
            let page = try await w.web(.GET, own + "/sign", as: "guardian")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("Sign for Ada Testwell"), page.body)
            XCTAssertTrue(page.body.contains("/sign/\(guardianSig)\""))
            XCTAssertFalse(page.body.contains("/sign/\(personSig)\""), "the guardian gets the person's form")
            XCTAssertTrue(page.body.contains("This is the first plan, so everything is new."))
            try await expectEqual(try await PlanFollowUpTests.statuses(w, planID)["guardian"], "viewed")

            // Not ticked: asked again, nothing signed. Someone else's request: refused.
            let unticked = try await w.web(.POST, "\(own)/sign/\(guardianSig)", as: "guardian", form: [])
            XCTAssertEqual(unticked.status, .unprocessableEntity)
            XCTAssertTrue(unticked.body.contains("Tick the box"))
            try await expectEqual(try await w.web(.POST, "\(own)/sign/\(personSig)", as: "guardian", form: [("agree", "true")]).status, .forbidden)
            try await expectEqual(try await w.web(.POST, "/my/\(w.other.text)/sign/\(guardianSig)", as: "guardian", form: [("agree", "true")]).status, .notFound)

            let signed = try await w.web(.POST, "\(own)/sign/\(guardianSig)", as: "guardian", form: [("agree", "true")])
            XCTAssertEqual(signed.status, .seeOther, signed.body)
            let row = try await PlanSignature.find(UUID(uuidString: guardianSig), on: w.app.db)
            XCTAssertEqual(row?.signatureStatus, .signed)
            XCTAssertEqual(row?.method, "own_account")
            XCTAssertEqual(row?.onBehalfOf, "Ada Testwell")
            // The person signs their own, in their own words of agreement.
            let personPage = try await w.web(.GET, own + "/sign", as: "person")
            XCTAssertTrue(personPage.body.contains("I read my plan. I agree with it."))
            try await expectEqual(try await w.web(.POST, "\(own)/sign/\(personSig)", as: "person", form: [("agree", "true")]).status, .seeOther)
            try await PlanFollowUpTests.signAll(w, planID)

            // Asking for a change to a service: the service must be chosen, and be one of the plan's.
            let ask = try await w.web(.GET, own + "/ask", as: "person")
            let serviceID = try XCTUnwrap(ask.body.range(of: "name=\"serviceId\" type=\"radio\" value=\"").map { String(ask.body[$0.upperBound...].prefix(while: { $0 != "\"" })) })
            let missing = try await w.web(.POST, own + "/ask", as: "person", form: [("about", "service"), ("words", "More hours at the job, please.")])
            XCTAssertEqual(missing.status, .unprocessableEntity)
            XCTAssertTrue(missing.body.contains("Choose the service you want to change."), missing.body)
            XCTAssertTrue(missing.body.contains("More hours at the job, please."), "the words typed are kept")
            try await expectEqual(try await w.web(.POST, own + "/ask", as: "person", form: [("about", "service"), ("serviceId", "nope"), ("words", "x")]).status, .unprocessableEntity)
            let tasksBefore = try await CoordinationTask.query(on: w.app.db).count()
            let asked = try await w.web(.POST, own + "/ask", as: "person", form: [("about", "service"), ("serviceId", serviceID), ("words", "More hours at the job, please.")])
            XCTAssertEqual(asked.status, .seeOther, asked.body)
            // The coordinator has the task at once, with its due date, and an email about it.
            let task = try await CoordinationTask.query(on: w.app.db).sort(\.$createdAt, .descending).first()
            try await expectEqual(try await CoordinationTask.query(on: w.app.db).count(), tasksBefore + 1)
            XCTAssertEqual(task?.assigneeID, w.coordinatorA)
            XCTAssertTrue(task?.title.hasPrefix("Change to Supported employment the person asked for") ?? false, task?.title ?? "")
            XCTAssertEqual(task?.dueOn, "2026-12-18")
            try await expectEqual(try await OutboxEmail.query(on: w.app.db).filter(\.$sourceKey == "task:" + (task?.sourceKey ?? "")).count(), 1)
            // The person sees where it stands; the API lists it with the service.
            let list = try await w.web(.GET, own + "/ask", as: "person")
            XCTAssertTrue(list.body.contains("Waiting. Your coordinator will answer by December 18, 2026."), list.body)
            let api = try await w.api(.GET, "/api/v1/people/\(w.own.text)/change-requests", as: "guardian")
            let first = (api.object["items"] as? [[String: Any]])?.first
            XCTAssertEqual(first?["requestedByRole"] as? String, "person")
            // The guardian asks for a look at the whole plan through the API; running the scheduler makes no second task.
            let byGuardian = try await w.api(.POST, "/api/v1/people/\(w.own.text)/change-requests", as: "guardian", json: ["about": "plan", "words": "A new look at the whole plan."])
            XCTAssertEqual(byGuardian.status, .created, byGuardian.body)
            XCTAssertEqual(byGuardian.object["requestedByRole"] as? String, "guardian")
            XCTAssertEqual(byGuardian.object["requestedBy"] as? String, "Gwen Testwell")
            _ = try await TaskScheduler.runAudited(on: w.app.db, today: CalendarDate("2026-11-18")!, now: w.clock.now())
            try await expectEqual(try await CoordinationTask.query(on: w.app.db).filter(\.$kind == "requested_review").count(), 2)
            // Provider staff do not ask for the person.
            try await expectEqual(try await w.api(.POST, "/api/v1/people/\(w.own.text)/change-requests", as: "staff", json: ["about": "plan", "words": "x"]).status, .forbidden)
        }
    }

    func testThePersonAddsTheirOwnAgreementWhenTheGuardianSigns() async throws {
        try await onEveryEngine { w in
            // The person's account was made after the plan was sent, so no request names it.
            let account = try await User.query(on: w.app.db).filter(\.$email == "person@test.example").first()!
            account.personID = nil
            try await account.save(on: w.app.db)
            let (planID, signatures) = try await PlanLifecycleTests.sentPlan(w)
            account.personID = w.own
            try await account.save(on: w.app.db)
            let personRequest = try await PlanSignature.find(UUID(uuidString: PlanLifecycleTests.signature(signatures, "person")), on: w.app.db)
            XCTAssertNil(personRequest?.userID)
            let own = "/my/\(w.own.text)"
            let page = try await w.web(.GET, own + "/sign", as: "person")
            XCTAssertTrue(page.body.contains("Add my own agreement"), page.body)
            try await expectFalse(try await w.web(.GET, own + "/sign", as: "guardian").body.contains("Add my own agreement"))
            try await expectEqual(try await w.web(.POST, own + "/sign/agreement", as: "guardian", form: [("planId", planID)]).status, .forbidden)
            let agreed = try await w.web(.POST, own + "/sign/agreement", as: "person", form: [("planId", planID)])
            XCTAssertEqual(agreed.status, .seeOther, agreed.body)
            try await expectEqual(try await w.web(.POST, own + "/sign/agreement", as: "person", form: [("planId", planID)]).status, .conflict)
            let rows = try await PlanSignature.query(on: w.app.db).filter(\.$plan.$id == UUID(uuidString: planID)!).filter(\.$required == false).all()
            XCTAssertEqual(rows.count, 1)
            XCTAssertEqual(rows.first?.signatureStatus, .signed)
            // Not required: the plan still takes effect when the required ones are in.
            try await PlanFollowUpTests.signAll(w, planID)
        }
    }

    func testTellingHowItGoesTheWholeRecordAndWhoLooked() async throws {
        try await onEveryEngine { w in
            let planID = try await OutcomeProgressTests.planInEffect(w)
            let own = "/my/\(w.own.text)"
            // The survey: nothing answered is refused; the person answers as the person, the guardian as family.
            let empty = try await w.web(.POST, own + "/tell/survey", as: "person", form: [("comment", "")])
            XCTAssertEqual(empty.status, .unprocessableEntity)
            XCTAssertTrue(empty.body.contains("Answer at least one question."))
            try await expectEqual(try await w.web(.POST, own + "/tell/survey", as: "person", form: [("answer-safe", "3"), ("answer-listened", "2")]).status, .seeOther)
            // A question for the person is not one the family answers.
            try await expectEqual(try await w.web(.POST, own + "/tell/survey", as: "guardian", form: [("answer-safe", "1")]).status, .unprocessableEntity)
            try await expectEqual(try await w.web(.POST, own + "/tell/survey", as: "guardian", form: [("answer-planning", "3")]).status, .seeOther)
            let surveys = try await SatisfactionSurvey.query(on: w.app.db).filter(\.$person.$id == w.own).sort(\.$createdAt).all()
            XCTAssertEqual(surveys.map(\.respondent), ["person", "family"])
            // How an outcome goes, with a face; the guardian's is recorded as helped by them.
            let outcomeID = OutcomeProgressTests.IDs.firstOutcome
            let noFace = try await w.web(.POST, "\(own)/tell/outcomes/\(outcomeID)", as: "person", form: [("comment-\(outcomeID)", "hi")])
            XCTAssertEqual(noFace.status, .unprocessableEntity)
            XCTAssertTrue(noFace.body.contains("Choose a face"), noFace.body)
            XCTAssertTrue(noFace.body.contains("href=\"#field-feeling-\(outcomeID)\""), "the error links to that goal's faces")
            let saidComment = try await OutcomeSelfView.query(on: w.app.db).filter(\.$person.$id == w.own).count()
            XCTAssertEqual(saidComment, 0)
            try await expectEqual(try await w.web(.POST, "\(own)/tell/outcomes/\(outcomeID)", as: "person", form: [("feeling", "going_well"), ("comment-\(outcomeID)", "I like it.")]).status, .seeOther)
            try await expectEqual(try await w.web(.POST, "\(own)/tell/outcomes/\(outcomeID)", as: "guardian", form: [("feeling", "okay")]).status, .seeOther)
            let views = try await OutcomeSelfView.query(on: w.app.db).filter(\.$person.$id == w.own).sort(\.$createdAt).all()
            XCTAssertEqual(views.map(\.feeling), ["going_well", "okay"])
            XCTAssertEqual(views.first?.comment, "I like it.")
            XCTAssertEqual(views.last?.helpedBy, "guardian")
            let home = try await w.web(.GET, own, as: "person")
            XCTAssertTrue(home.body.contains("Last time you said: Okay (November 18, 2026)."), home.body)

            // The budget lists the plan's services and who pays.
            let budget = try await w.web(.GET, own + "/budget", as: "person")
            XCTAssertTrue(budget.body.contains("Supported employment"), budget.body)

            // The whole record: every version with its sections, as a file to keep; audited as an export.
            let file = try await w.web(.GET, own + "/record.json", as: "guardian")
            XCTAssertEqual(file.status, .ok)
            XCTAssertTrue(file.headers.first(name: .contentDisposition)?.hasPrefix("attachment; filename=\"lantern-record-AdaTestwell-") ?? false)
            let plans = (file.object["plans"] as? [[String: Any]]) ?? []
            XCTAssertEqual(plans.count, 1)
            XCTAssertEqual((plans.first?["plan"] as? [String: Any])?["id"] as? String, planID)
            XCTAssertNotNil((plans.first?["sections"] as? [String: Any])?["outcomes"])
            XCTAssertEqual((plans.first?["signatures"] as? [Any])?.count, 4)
            XCTAssertEqual((file.object["surveys"] as? [Any])?.count, 2)
            XCTAssertEqual((file.object["ownViews"] as? [Any])?.count, 2)
            try await expectEqual(try await w.lastAudit()?.action, "export")
            let printable = try await w.web(.GET, own + "/record", as: "person")
            XCTAssertTrue(printable.body.contains("Missouri") || printable.body.contains("Individual Support Plan"), printable.body)

            // Who looked: the coordinator's reads, by name and role, newest first; a refusal says Lantern stopped it.
            _ = try await w.web(.GET, "/people/\(w.own.text)", as: "coordinator")
            _ = try await w.web(.GET, "/people/\(w.own.text)", as: "coordinator2")
            let looked = try await w.web(.GET, own + "/who-looked", as: "person")
            XCTAssertTrue(looked.body.contains("coordinator (support coordinator)"), looked.body)
            XCTAssertTrue(looked.body.contains("(Lantern stopped them)"))
            let log = try await w.api(.GET, "/api/v1/people/\(w.own.text)/access-log?limit=5", as: "person")
            let items = (log.object["items"] as? [[String: Any]]) ?? []
            XCTAssertEqual(items.count, 5)
            XCTAssertEqual(items.first?["action"] as? String, "view")
            let seqs = items.compactMap { $0["seq"] as? Int }
            XCTAssertEqual(seqs, seqs.sorted(by: >))
            XCTAssertNotNil(log.object["nextCursor"] as? String)
        }
    }

    func testEveryPortalPageSpeaksTheReadersLanguage() async throws {
        try await onEveryEngine { w in
            _ = try await OutcomeProgressTests.planInEffect(w)
            let own = "/my/\(w.own.text)"
            for (language, phrase) in [("en", "Sign my plan"), ("es", "Firmar mi plan")] {
                let chosen = try await w.web(.POST, "/my/settings", as: "guardian", form: [("language", language)])
                XCTAssertEqual(chosen.status, .seeOther, chosen.body)
                for page in Self.pages + ["/sharing"] {
                    let reply = try await w.web(.GET, own + page, as: "guardian")
                    XCTAssertEqual(reply.status, .ok, "\(language) \(page)")
                    XCTAssertTrue(reply.body.contains("<html lang=\"\(language)\">"), "\(language) \(page)")
                    XCTAssertTrue(reply.body.contains(phrase), "\(language) \(page): the navigation")
                    XCTAssertEqual(Self.rawKeys(reply.body), [], "\(language) \(page): a message key shows instead of words")
                }
                let settings = try await w.web(.GET, "/my/settings", as: "guardian")
                XCTAssertEqual(Self.rawKeys(settings.body), [])
            }
            // A Spanish refusal is in Spanish.
            let refused = try await w.web(.POST, own + "/ask", as: "guardian", form: [("about", "plan")])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.contains("Díganos lo que quiere, con sus propias palabras."), refused.body)
            XCTAssertTrue(refused.body.contains("(obligatorio)"))
            // The header's language button goes back to the same portal page, and only to a portal page.
            let switched = try await w.web(.POST, "/my/language", as: "guardian", form: [("language", "en"), ("next", own + "/ask")])
            XCTAssertEqual(switched.headers.first(name: .location), own + "/ask")
            let away = try await w.web(.POST, "/my/language", as: "guardian", form: [("language", "es"), ("next", "//evil.example/my")])
            XCTAssertEqual(away.headers.first(name: .location), "/my")
            try await expectEqual(try await w.web(.POST, "/my/settings", as: "guardian", form: [("language", "fr")]).status, .unprocessableEntity)
            try await expectEqual(try await User.query(on: w.app.db).filter(\.$email == "guardian@test.example").first()?.language, "es")
            // A missing record answers in the reader's language.
            let missing = try await w.web(.GET, "/my/\(UUID().uuidString.lowercased())", as: "guardian")
            XCTAssertEqual(missing.status, .notFound)
            XCTAssertTrue(missing.body.contains("No encontramos esto"), missing.body)
        }
    }
}

import Fluent
import Vapor
import XCTest
@testable import LanternApp

/// What happens around a plan once it is sent out: signers seeing it, copies given, reviews asked for,
/// ending a plan, the printed plan, and the one-page profile with its translations.
final class PlanFollowUpTests: XCTestCase {
    typealias Lifecycle = PlanLifecycleTests

    /// Signs every request of a sent plan (the coordinator records them in person) so it takes effect.
    static func signAll(_ w: TestWorld, _ planID: String) async throws {
        let list = (try await w.api(.GET, "/api/v1/plans/\(planID)/signatures", as: "coordinator").object["items"] as? [[String: Any]]) ?? []
        for s in list where ["requested", "viewed"].contains(s["status"] as? String ?? "") {
            let method = s["role"] as? String == "coordinator" ? "own_account" : "in_person"
            let reply = try await w.api(.POST, "/api/v1/plans/\(planID)/signatures/\(s["id"] as! String)/sign", as: "coordinator", json: ["method": method])
            XCTAssertEqual(reply.status, .ok, reply.body)
        }
        let plan = try await w.api(.GET, "/api/v1/plans/\(planID)", as: "coordinator")
        XCTAssertEqual(plan.object["status"] as? String, "active")
    }

    static func statuses(_ w: TestWorld, _ planID: String) async throws -> [String: String] {
        let list = (try await w.api(.GET, "/api/v1/plans/\(planID)/signatures", as: "coordinator").object["items"] as? [[String: Any]]) ?? []
        return Dictionary(uniqueKeysWithValues: list.map { ($0["role"] as! String, $0["status"] as! String) })
    }

    func testSignersSeeingCopiesGivenReviewsAskedAndEnding() async throws {
        try await onEveryEngine { w in
            let (planID, _) = try await Lifecycle.sentPlan(w)
            var statuses = try await Self.statuses(w, planID)
            XCTAssertEqual(Set(statuses.values), ["requested"])

            // The guardian opens the plan: only the guardian's request shows that they have seen it.
            let opened = try await w.web(.GET, "/plans/\(planID)", as: "guardian")
            XCTAssertEqual(opened.status, .ok)
            let seenAudit = try await w.lastAudit()
            XCTAssertEqual(seenAudit?.detail.contains("seen by signer Gwen Testwell"), true, seenAudit?.detail ?? "")
            statuses = try await Self.statuses(w, planID)
            XCTAssertEqual(statuses, ["guardian": "viewed", "person": "requested", "provider": "requested", "coordinator": "requested"])
            // A supervisor reading the plan is not a signer, so nothing changes.
            _ = try await w.web(.GET, "/plans/\(planID)/print", as: "supervisor")
            let printAudit = try await w.lastAudit()
            XCTAssertEqual(printAudit?.action, AuditAction.print.rawValue, "printing is audited as a print")
            let afterPrint = try await Self.statuses(w, planID)
            XCTAssertEqual(afterPrint["person"], "requested")
            // Reading the plan through the API counts too.
            _ = try await w.api(.GET, "/api/v1/plans/\(planID)", as: "person")
            let afterRead = try await Self.statuses(w, planID)
            XCTAssertEqual(afterRead["person"], "viewed")
            let personRows = (try await w.api(.GET, "/api/v1/plans/\(planID)/signatures", as: "person").object["items"] as? [[String: Any]]) ?? []
            XCTAssertNotNil(personRows.first { $0["role"] as? String == "person" }?["viewedAt"])

            // Copies: never of a draft; the guardian and the person always get the budget; not before it was sent.
            let draft = try await PlanAPITests.startPlan(w, .missouriISP, for: w.own)
            let early = try await w.api(.POST, "/api/v1/plans/\(draft)/distributions", as: "coordinator",
                                        json: ["recipientName": "Gwen Testwell", "recipientRole": "guardian", "method": "print", "sentOn": "2026-11-18", "includesBudget": true])
            XCTAssertEqual(early.status, .conflict)
            let noBudget = try await w.api(.POST, "/api/v1/plans/\(planID)/distributions", as: "coordinator",
                                           json: ["recipientName": "Gwen Testwell", "recipientRole": "guardian", "method": "print", "sentOn": "2026-11-18", "includesBudget": false])
            XCTAssertEqual(noBudget.fieldErrors, ["includesBudget"])
            let future = try await w.api(.POST, "/api/v1/plans/\(planID)/distributions", as: "coordinator",
                                         json: ["recipientName": "Provider A", "recipientRole": "provider", "method": "email", "sentOn": "2026-12-01"])
            XCTAssertEqual(future.fieldErrors, ["sentOn"])
            let beforeSent = try await w.api(.POST, "/api/v1/plans/\(planID)/distributions", as: "coordinator",
                                             json: ["recipientName": "Provider A", "recipientRole": "provider", "method": "email", "sentOn": "2026-11-01"])
            XCTAssertEqual(beforeSent.fieldErrors, ["sentOn"])
            let staffTries = try await w.api(.POST, "/api/v1/plans/\(planID)/distributions", as: "staff",
                                             json: ["recipientName": "Provider A", "recipientRole": "provider", "method": "email", "sentOn": "2026-11-18"])
            XCTAssertEqual(staffTries.status, .forbidden)
            let given = try await w.api(.POST, "/api/v1/plans/\(planID)/distributions", as: "coordinator",
                                        json: ["recipientName": "Gwen Testwell", "recipientRole": "guardian", "method": "print", "sentOn": "2026-11-18",
                                               "includesBudget": true, "purpose": "Copy for the guardian's records"])
            XCTAssertEqual(given.status, .created, given.body)
            let copies = try await w.api(.GET, "/api/v1/plans/\(planID)/distributions", as: "guardian")
            XCTAssertEqual((copies.object["items"] as? [[String: Any]])?.count, 1)
            let owed = ((copies.object["stillOwed"] as? [[String: Any]]) ?? []).compactMap { $0["recipientRole"] as? String }
            XCTAssertEqual(owed, ["person"], "the person still needs a copy with the budget; the guardian has one")

            // Reviews are asked of the plan in effect, and are due by the rule pack's limit.
            let notYet = try await w.api(.POST, "/api/v1/plans/\(planID)/review-requests", as: "coordinator",
                                         json: ["requestedBy": "Gwen Testwell", "requestedByRole": "guardian", "requestedOn": "2026-11-18"])
            XCTAssertEqual(notYet.status, .conflict)
            try await Self.signAll(w, planID)
            let wrongRole = try await w.api(.POST, "/api/v1/plans/\(planID)/review-requests", as: "coordinator",
                                            json: ["requestedBy": "Provider A", "requestedByRole": "provider", "requestedOn": "2026-11-18"])
            XCTAssertEqual(wrongRole.fieldErrors, ["requestedByRole"])
            let asked = try await w.api(.POST, "/api/v1/plans/\(planID)/review-requests", as: "coordinator",
                                        json: ["requestedBy": "Gwen Testwell", "requestedByRole": "guardian", "requestedOn": "2026-11-16", "reason": "Ada wants to try a new day program"])
            XCTAssertEqual(asked.status, .created, asked.body)
            XCTAssertEqual(asked.object["dueOn"] as? String, "2026-12-16")
            XCTAssertTrue((asked.object["dueCitation"] as? String ?? "").contains("441.301(c)(3)"), "Missouri takes the federal limit")
            let overview = try await w.web(.GET, "/plans/\(planID)", as: "coordinator")
            XCTAssertTrue(overview.body.contains("due by 2026-12-16"), "the overview shows the due date")

            // Starting a new version answers the request.
            let next = try await w.api(.POST, "/api/v1/plans/\(planID)/versions", as: "coordinator", json: ["reason": "Review Gwen asked for"])
            let nextID = next.object["id"] as! String
            let requests = (try await w.api(.GET, "/api/v1/plans/\(planID)/review-requests", as: "coordinator").object["items"] as? [[String: Any]]) ?? []
            XCTAssertEqual(requests.first?["status"] as? String, "review_started")
            XCTAssertEqual(requests.first?["answeredByPlanId"] as? String, nextID)
            // Asked while that new version is open: it answers the request at once, so none waits for ever.
            let meanwhile = try await w.api(.POST, "/api/v1/plans/\(planID)/review-requests", as: "coordinator",
                                            json: ["requestedBy": "Ada Testwell", "requestedByRole": "person", "requestedOn": "2026-11-18"])
            XCTAssertEqual(meanwhile.object["status"] as? String, "review_started", meanwhile.body)
            XCTAssertEqual(meanwhile.object["answeredByPlanId"] as? String, nextID)

            // Ending: a reason is needed, only a plan in effect ends, and only once.
            let noReason = try await w.api(.POST, "/api/v1/plans/\(planID)/end", as: "coordinator", json: ["reason": ""])
            XCTAssertEqual(noReason.fieldErrors, ["reason"])
            let nul = try await w.api(.POST, "/api/v1/plans/\(planID)/end", as: "coordinator", json: ["reason": "Moved\u{0}away"])
            XCTAssertEqual(nul.fieldErrors, ["reason"], "a NUL character is refused on every engine, not a 500 on PostgreSQL")
            let draftEnd = try await w.api(.POST, "/api/v1/plans/\(nextID)/end", as: "coordinator", json: ["reason": "Moved away"])
            XCTAssertEqual(draftEnd.status, .conflict)
            let ended = try await w.api(.POST, "/api/v1/plans/\(planID)/end", as: "coordinator", json: ["reason": "Ada moved out of state"])
            XCTAssertEqual(ended.status, .ok, ended.body)
            XCTAssertEqual(ended.object["status"] as? String, "ended")
            XCTAssertEqual(ended.object["endedOn"] as? String, "2026-11-18")
            XCTAssertEqual(ended.object["endReason"] as? String, "Ada moved out of state")
            let twice = try await w.api(.POST, "/api/v1/plans/\(planID)/end", as: "coordinator", json: ["reason": "Again"])
            XCTAssertEqual(twice.status, .conflict)
        }
    }

    func testTheProfileFollowsThePlanAndMarksWhatIsNew() async throws {
        try await onEveryEngine { w in
            let (planID, _) = try await Lifecycle.sentPlan(w)
            try await Self.signAll(w, planID)
            let first = try await w.api(.GET, "/api/v1/plans/\(planID)/profile", as: "person")
            XCTAssertEqual(first.status, .ok, first.body)
            let parts = (first.object["parts"] as? [[String: Any]]) ?? []
            XCTAssertEqual(parts.compactMap { $0["key"] as? String }, ["admired", "important-to", "support", "not-working", "people", "outcomes"])
            XCTAssertNil(first.object["comparedWithVersion"] as? Int, "a first plan has nothing to be new against")
            let importantTo = parts[1]["items"] as! [[String: Any]]
            let oldStatement = importantTo[0]["text"] as! String

            // Version 2 changes what is important to Ada: the profile follows and marks only that as new.
            let next = try await w.api(.POST, "/api/v1/plans/\(planID)/versions", as: "coordinator", json: ["reason": "Ada's new interests"])
            let nextID = next.object["id"] as! String
            var section = (try await w.api(.GET, "/api/v1/plans/\(nextID)/sections/important-to", as: "coordinator").object["content"] as? [String: Any]) ?? [:]
            var statements = section["statements"] as! [[String: Any]]
            statements[0]["statement"] = "Swimming on Saturdays with my cousin."
            section["statements"] = statements
            let saved = try await w.api(.PUT, "/api/v1/plans/\(nextID)/sections/important-to", as: "coordinator", json: section, headers: ["If-Match": "\"1\""])
            XCTAssertEqual(saved.status, .ok, saved.body)
            let second = try await w.api(.GET, "/api/v1/plans/\(nextID)/profile", as: "guardian")
            XCTAssertEqual(second.object["comparedWithVersion"] as? Int, 1)
            let newItems = ((second.object["parts"] as? [[String: Any]]) ?? []).flatMap { ($0["items"] as? [[String: Any]]) ?? [] }.filter { $0["isNew"] as? Bool == true }
            XCTAssertEqual(newItems.compactMap { $0["text"] as? String }, ["Swimming on Saturdays with my cousin."])
            let page = try await w.web(.GET, "/plans/\(nextID)/profile", as: "person")
            XCTAssertTrue(page.body.contains("<strong class=\"new\">New"), "the page marks it in words")
            XCTAssertFalse(page.body.contains(oldStatement.replacingOccurrences(of: "\"", with: "&quot;")), "the changed text is gone from version 2's profile")

            // A translation belongs to the exact words: version 1's statement keeps it, version 2's new words have none.
            let unknown = try await w.api(.PUT, "/api/v1/plans/\(planID)/profile/translations/es", as: "coordinator",
                                          json: ["items": [["source": "Something the plan never said", "text": "Algo"]]])
            XCTAssertEqual(unknown.fieldErrors, ["items.0.source"])
            let badTag = try await w.api(.PUT, "/api/v1/plans/\(planID)/profile/translations/spanish!", as: "coordinator", json: ["items": [] as [Any]])
            XCTAssertEqual(badTag.fieldErrors, ["language"])
            XCTAssertEqual(ProfileLanguage("zh-hant")?.tag, "zh-Hant", "tags are kept in their canonical case")
            XCTAssertEqual(ProfileLanguage("ES-mx")?.tag, "es-MX")
            let byGuardian = try await w.api(.PUT, "/api/v1/plans/\(planID)/profile/translations/es", as: "guardian",
                                             json: ["items": [["source": oldStatement, "text": "Lo que importa"]]])
            XCTAssertEqual(byGuardian.status, .forbidden)
            let guardianForm = try await w.web(.GET, "/plans/\(planID)/profile/translate", as: "guardian")
            XCTAssertEqual(guardianForm.status, .forbidden, "the translation form is for those who write the plan")
            let translated = try await w.api(.PUT, "/api/v1/plans/\(planID)/profile/translations/es", as: "coordinator",
                                             json: ["translatedBy": "Marisol, interpreter", "items": [["source": oldStatement, "text": "Lo que más me importa."],
                                                                                                      ["source": "What is important to me", "text": "Lo que es importante para mí"]]])
            XCTAssertEqual(translated.object["written"] as? Int, 2, translated.body)
            let twice = try await w.api(.PUT, "/api/v1/plans/\(planID)/profile/translations/es", as: "coordinator",
                                        json: ["items": [["source": "About me", "text": "Sobre mi"], ["source": "About me", "text": "Sobre mí"]]])
            XCTAssertEqual(twice.object["written"] as? Int, 1, "the same text twice keeps the last: \(twice.body)")
            let control = try await w.api(.PUT, "/api/v1/plans/\(planID)/profile/translations/es", as: "coordinator",
                                          json: ["items": [["source": "About me", "text": "Sobre\u{0}mí"]]])
            XCTAssertEqual(control.fieldErrors, ["items.0.source"])
            // A form that says it has -1 texts is just empty, never a crash.
            let odd = try await w.web(.POST, "/plans/\(planID)/profile/translate", as: "coordinator", form: [("language", "es"), ("count", "-1")])
            XCTAssertEqual(odd.status, .seeOther)
            // An empty field removes a translation only when the form showed that language's translations.
            let aboutMe = PersonRecords.sourceDigest("About me")
            let unloaded = try await w.web(.POST, "/plans/\(planID)/profile/translate", as: "coordinator",
                                           form: [("language", "es"), ("loaded", ""), ("count", "1"), ("s.0", aboutMe), ("t.0", "")])
            XCTAssertEqual(unloaded.status, .seeOther)
            let kept = try await w.api(.GET, "/api/v1/plans/\(planID)/profile?lang=es", as: "coordinator")
            XCTAssertEqual(kept.body.contains("Sobre mí"), true, "a field left empty on a form that did not show Spanish removes nothing")
            let cleared = try await w.web(.POST, "/plans/\(planID)/profile/translate", as: "coordinator",
                                          form: [("language", "es"), ("loaded", "es"), ("count", "1"), ("s.0", aboutMe), ("t.0", "")])
            XCTAssertEqual(cleared.status, .seeOther)
            let removed = try await w.api(.GET, "/api/v1/plans/\(planID)/profile?lang=es", as: "coordinator")
            XCTAssertEqual(removed.body.contains("Sobre mí"), false)
            let inSpanish = try await w.api(.GET, "/api/v1/plans/\(planID)/profile?lang=es", as: "person")
            XCTAssertEqual(inSpanish.object["languages"] as? [String], ["es"])
            let spanishParts = (inSpanish.object["parts"] as? [[String: Any]]) ?? []
            XCTAssertEqual(spanishParts[1]["headingTranslation"] as? String, "Lo que es importante para mí")
            XCTAssertEqual((spanishParts[1]["items"] as! [[String: Any]])[0]["translation"] as? String, "Lo que más me importa.")
            let spanishPage = try await w.web(.GET, "/plans/\(planID)/profile?lang=es", as: "person")
            XCTAssertTrue(spanishPage.body.contains("<span lang=\"es\">Lo que más me importa.</span>"), "a screen reader speaks it in Spanish")
            let v2Spanish = try await w.api(.GET, "/api/v1/plans/\(nextID)/profile?lang=es", as: "person")
            let v2Items = (((v2Spanish.object["parts"] as? [[String: Any]]) ?? [])[1]["items"] as? [[String: Any]]) ?? []
            XCTAssertNil(v2Items[0]["translation"] as? String, "changed words are not covered by the old translation")
            XCTAssertEqual(((v2Spanish.object["parts"] as? [[String: Any]]) ?? [])[1]["headingTranslation"] as? String, "Lo que es importante para mí")
            let hidden = try await w.api(.GET, "/api/v1/plans/\(planID)/profile", as: "coordinator2")
            XCTAssertEqual(hidden.status, .notFound)
        }
    }

    /// Posts a photo as a browser does: a multipart form with the file, its description and the token.
    static func upload(_ w: TestWorld, person: UUID, as who: String, file: [UInt8], description: String, csrf: Bool = true) async throws -> TestWorld.Reply {
        let boundary = "LanternTestBoundary7d1c"
        var body = ByteBuffer()
        func part(_ name: String, _ value: String) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        if csrf { part(CSRF.fieldName, w[who].csrf) }
        part("description", description)
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n")
        body.writeBytes(file)
        body.writeString("\r\n--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .cookie, value: "\(Sessions.cookieName)=\(w[who].sessionCookie)")
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let response = try await w.app.testable().sendRequest(.POST, "/people/\(person.text)/photo", headers: headers, body: body)
        return TestWorld.Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    func testThePersonChoosesTheirProfilePhoto() async throws {
        try await onEveryEngine { w in
            let (planID, _) = try await Lifecycle.sentPlan(w)
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 64)
            let forged = try await Self.upload(w, person: w.own, as: "person", file: png, description: "Me at the lake", csrf: false)
            XCTAssertEqual(forged.status, .forbidden, "an upload without the form's token is refused")
            let notAnImage = try await Self.upload(w, person: w.own, as: "person", file: Array("<script>alert(1)</script>".utf8), description: "Me")
            XCTAssertEqual(notAnImage.status, .unprocessableEntity)
            XCTAssertTrue(notAnImage.body.contains("The file is not a JPEG, PNG or WebP photo."))
            let noWords = try await Self.upload(w, person: w.own, as: "person", file: png, description: " ")
            XCTAssertEqual(noWords.status, .unprocessableEntity)
            XCTAssertTrue(noWords.body.contains("Say in a few words what the photo shows"))
            let staff = try await Self.upload(w, person: w.own, as: "staff", file: png, description: "Ada")
            XCTAssertEqual(staff.status, .forbidden, "provider staff do not choose the person's photo")

            let saved = try await Self.upload(w, person: w.own, as: "person", file: png, description: "Me at the lake with my dog")
            XCTAssertEqual(saved.status, .seeOther, saved.body)
            let image = try await w.web(.GET, "/people/\(w.own.text)/photo", as: "guardian")
            XCTAssertEqual(image.status, .ok)
            XCTAssertEqual(image.headers.contentType?.description, "image/png")
            XCTAssertEqual(image.headers.first(name: .cacheControl), "no-store")
            let profile = try await w.web(.GET, "/plans/\(planID)/profile", as: "person")
            XCTAssertTrue(profile.body.contains("<img class=\"photo\" src=\"/people/\(w.own.text)/photo\" alt=\"Me at the lake with my dog\">"))
            let stranger = try await w.web(.GET, "/people/\(w.own.text)/photo", as: "coordinator2")
            XCTAssertEqual(stranger.status, .notFound, "the photo is as private as the rest of the record")
            let removed = try await w.web(.POST, "/people/\(w.own.text)/photo/remove", as: "guardian", form: [])
            XCTAssertEqual(removed.status, .seeOther)
            let gone = try await w.web(.GET, "/people/\(w.own.text)/photo", as: "person")
            XCTAssertEqual(gone.status, .notFound)
            let audit = try await AuditEntry.query(on: w.app.db).filter(\.$detail == "profile photo removed").count()
            XCTAssertEqual(audit, 1)
        }
    }
}


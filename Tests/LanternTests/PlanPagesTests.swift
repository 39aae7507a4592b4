import Fluent
import Vapor
import XCTest
@testable import LanternApp

/// The plan pages through HTTP: forms turn into the same section content the API takes, and refusals
/// come back as the form with every message beside its field.
final class PlanPagesTests: XCTestCase {
    func testAPlanIsStartedAndASectionWithAListIsWrittenThroughTheForms() async throws {
        try await onEveryEngine { w in
            let start = try await w.web(.POST, "/people/\(w.own.text)/plans", as: "coordinator", form: [
                ("planType", "missouri_isp"), ("planKind", "annual"), ("meetingDate", "2026-11-02"), ("effectiveStart", "2026-11-16"),
                ("effectiveEnd", "2027-11-15"), ("implementationDate", ""), ("nextReviewDate", ""), ("planningLanguage", "English"),
            ])
            XCTAssertEqual(start.status, .seeOther, start.body)
            let location = try XCTUnwrap(start.headers.first(name: .location))
            let planID = String(location.dropFirst("/plans/".count).prefix(36))

            let overview = try await w.web(.GET, "/plans/\(planID)", as: "coordinator")
            XCTAssertEqual(overview.status, .ok)
            XCTAssertTrue(overview.body.contains("0 of 22 sections complete."), overview.body)
            XCTAssertTrue(overview.body.contains("The ISP header needs date of implementation."))
            XCTAssertTrue(overview.body.contains("href=\"/plans/\(planID)/details#field-implementationDate\""))
            XCTAssertTrue(overview.body.contains("Source: 42 CFR 441.301(c)(2)(vi)"))

            // Two risks and a blank row, as the form sends them; the second is then removed.
            let save = try await w.web(.POST, "/plans/\(planID)/sections/risks", as: "coordinator", form: [
                ("version", "0"), ("then", "next"),
                ("risks.0.risk", "Choking <on> food"), ("risks.0.kind", "health"), ("risks.0.level", "high"), ("risks.0.mitigation", "Soft diet"), ("risks.0.responsible", "Staff"),
                ("risks.1.risk", "Wandering"), ("risks.1.kind", "safety"), ("risks.1.level", ""), ("risks.1.mitigation", ""), ("risks.1.responsible", ""),
                ("risks.2.risk", ""), ("risks.2.kind", ""), ("risks.2.level", ""), ("risks.2.mitigation", ""), ("risks.2.responsible", ""),
                ("backupPlan", "Sister steps in"), ("crisisPlan", ""),
            ])
            XCTAssertEqual(save.status, .seeOther, save.body)
            XCTAssertEqual(save.headers.first(name: .location), "/plans/\(planID)/sections/rights?saved=risks", "then=next goes to the next section")
            let stored = try await PlanSection.query(on: w.app.db).filter(\.$sectionKey == "risks").first()
            XCTAssertEqual(stored?.content.entries("risks").count, 2)
            XCTAssertEqual(stored?.content.text("backupPlan"), "Sister steps in")
            XCTAssertNil(stored?.content["crisisPlan"])

            let page = try await w.web(.GET, "/plans/\(planID)/sections/risks", as: "coordinator")
            XCTAssertTrue(page.body.contains(">Choking &lt;on&gt; food</textarea>"), "typed text comes back escaped")
            XCTAssertTrue(page.body.contains("name=\"risks.2.risk\""), "one empty entry after the saved ones")
            XCTAssertTrue(page.body.contains("The risk “Wandering” needs how it is reduced and who is responsible."))

            let remove = try await w.web(.POST, "/plans/\(planID)/sections/risks", as: "coordinator", form: [
                ("version", "1"), ("then", "stay"),
                ("risks.0.risk", "Choking <on> food"), ("risks.0.kind", "health"), ("risks.0.mitigation", "Soft diet"), ("risks.0.responsible", "Staff"),
                ("risks.1.risk", "Wandering"), ("risks.1.kind", "safety"), ("risks.1._remove", "true"),
                ("risks.2.risk", ""), ("risks.2.kind", ""),
            ])
            XCTAssertEqual(remove.headers.first(name: .location), "/plans/\(planID)/sections/risks?saved=risks")
            let after = try await PlanSection.query(on: w.app.db).filter(\.$sectionKey == "risks").first()
            XCTAssertEqual(after?.content.entries("risks").map { $0.text("risk") }, ["Choking <on> food"])
            XCTAssertEqual(after?.version, 2)
        }
    }

    func testARefusedSectionComesBackWithTheTypedValuesAndEachMessageBesideItsField() async throws {
        try await onEveryEngine { w in
            let planID = try await PlanAPITests.startPlan(w, .federalHCBS, for: w.own)
            let reply = try await w.web(.POST, "/plans/\(planID)/sections/rights", as: "coordinator", form: [
                ("version", "0"), ("then", "stay"), ("rightsExplained", "true"), ("howExplained", "Read aloud \"slowly\""),
                ("modifications.0.right", ""), ("modifications.0.assessedNeed", "Needs <b>help</b>"), ("modifications.0.reviewBy", "2027-02-30"),
                ("modifications.1.right", ""), ("modifications.1.assessedNeed", ""),
            ])
            XCTAssertEqual(reply.status, .unprocessableEntity)
            XCTAssertTrue(reply.body.contains("href=\"#field-modifications.0.right\""), "the summary links to the field")
            XCTAssertTrue(reply.body.contains("id=\"field-modifications.0.right\""))
            XCTAssertTrue(reply.body.contains("Right that is limited is needed for each entry in Limits on rights."))
            XCTAssertTrue(reply.body.contains("Needs &lt;b&gt;help&lt;/b&gt;"), "typed text is kept, escaped")
            XCTAssertTrue(reply.body.contains("Read aloud &quot;slowly&quot;"))
            XCTAssertTrue(reply.body.contains("id=\"field-rightsExplained-true\" name=\"rightsExplained\" type=\"radio\" value=\"true\" checked"))
            try await expectEqual(try await PlanSection.query(on: w.app.db).count(), 0, "nothing written")

            let stale = try await w.web(.POST, "/plans/\(planID)/sections/legal", as: "coordinator", form: [("version", "3"), ("reviewedWithTeam", "true")])
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue(stale.body.contains("Someone else saved this section"))
        }
    }

    func testReadersSeeSectionsWithoutAFormAndStrangersSeeNothing() async throws {
        try await onEveryEngine { w in
            let planID = try await PlanAPITests.startPlan(w, .missouriISP, for: w.own)
            _ = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/who-is-important", as: "coordinator",
                                json: ["people": [["circleMemberId": w.ownMember.text, "whatTheyMean": "My <sister>"]]], headers: ["If-Match": "\"0\""])
            for who in ["staff", "guardian", "person"] {
                let page = try await w.web(.GET, "/plans/\(planID)/sections/who-is-important", as: who)
                XCTAssertEqual(page.status, .ok)
                XCTAssertFalse(page.body.contains("<form method=\"post\" action=\"/plans/"), "\(who) reads only")
                XCTAssertTrue(page.body.contains("Gwen Testwell"), "the circle member is shown by name")
                XCTAssertTrue(page.body.contains("My &lt;sister&gt;"))
                let write = try await w.web(.POST, "/plans/\(planID)/sections/legal", as: who, form: [("version", "0"), ("reviewedWithTeam", "true")])
                XCTAssertEqual(write.status, .forbidden)
            }
            let person = try await w.web(.GET, "/people/\(w.own.text)", as: "coordinator")
            XCTAssertTrue(person.body.contains("href=\"/plans/\(planID)\""), "the person's page lists the plan")
            XCTAssertTrue(person.body.contains("Start a plan"))
            let hidden = try await w.web(.GET, "/plans/\(planID)", as: "coordinator2")
            XCTAssertEqual(hidden.status, .notFound)
            let newForm = try await w.web(.GET, "/people/\(w.own.text)/plans/new", as: "staff")
            XCTAssertEqual(newForm.status, .forbidden)
        }
    }
}

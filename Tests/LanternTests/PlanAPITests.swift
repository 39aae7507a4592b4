import Fluent
import Vapor
import XCTest
@testable import LanternApp

final class PlanAPITests: XCTestCase {
    nonisolated(unsafe) static let header: [String: Any] = [
        "planKind": "annual", "meetingDate": "2026-11-02", "effectiveStart": "2026-11-16", "effectiveEnd": "2027-11-15",
        "implementationDate": "2026-11-16", "nextReviewDate": "2027-05-02", "planningLanguage": "English",
    ]

    static func plain(_ value: JSONValue) -> Any {
        switch value {
        case .null: return NSNull()
        case let .bool(b): return b
        case let .number(n): return n
        case let .string(s): return s
        case let .array(a): return a.map(plain)
        case let .object(o): return o.mapValues(plain)
        }
    }

    /// Starts a plan of `type` for `person` as the coordinator and returns its id.
    static func startPlan(_ w: TestWorld, _ type: PlanType, for person: UUID, as who: String = "coordinator", extra: [String: Any] = [:]) async throws -> String {
        var body = header
        body["planType"] = type.rawValue
        if type == .californiaIFSP { body["planKind"] = "initial" }
        for (k, v) in extra { body[k] = v }
        let reply = try await w.api(.POST, "/api/v1/people/\(person.text)/plans", as: who, json: body)
        XCTAssertEqual(reply.status, .created, reply.body)
        return reply.object["id"] as? String ?? ""
    }

    /// Writes every section of the example plan through PUT, each with the ETag of an unwritten section.
    static func writeExample(_ w: TestWorld, plan: String, type: PlanType, circle: [String], guardian: String?, provider: String? = nil, as who: String = "coordinator") async throws {
        let sections = ExamplePlan.sections(for: type, name: "Ada", circle: circle, guardian: guardian, meetingDate: CalendarDate("2026-11-02")!, provider: provider)
        // The outcomes first: other sections (services) point at them.
        for (key, content) in sections.sorted(by: { ($0.key == "outcomes" ? "" : $0.key) < ($1.key == "outcomes" ? "" : $1.key) }) {
            let reply = try await w.api(.PUT, "/api/v1/plans/\(plan)/sections/\(key)", as: who, json: plain(.object(content)), headers: ["If-Match": "\"0\""])
            XCTAssertEqual(reply.status, .ok, "\(key): \(reply.body)")
            XCTAssertEqual(reply.headers.first(name: .eTag), "\"1\"")
        }
    }

    func testACoordinatorWritesACompletePlanOfEveryTypeThroughTheAPI() async throws {
        try await onEveryEngine { w in
            // An infant for the IFSP, added to the coordinator's caseload, with a parent in the circle.
            let infant = try await w.api(.POST, "/api/v1/people", as: "coordinator", json: [
                "legalGivenName": "Pip", "legalFamilyName": "Testwell", "birthDate": "2025-06-01", "primaryLanguage": "English",
                "residenceType": "family_home", "legalStatus": "minor_with_parent", "status": "active",
            ])
            XCTAssertEqual(infant.status, .created, infant.body)
            let infantID = UUID(uuidString: infant.object["id"] as! String)!
            let parent = try await w.api(.POST, "/api/v1/people/\(infantID.text)/circle", as: "coordinator", json: ["name": "Rae Testwell", "relationship": "parent"])
            let parentID = parent.object["id"] as! String

            for type in PlanType.allCases {
                let person = type == .californiaIFSP ? infantID : w.own
                let circle = type == .californiaIFSP ? [parentID] : [w.ownMember.text]
                let planID = try await Self.startPlan(w, type, for: person)
                let before = try await w.api(.GET, "/api/v1/plans/\(planID)/findings", as: "coordinator")
                XCTAssertGreaterThan((before.object["required"] as? Int) ?? 0, 3, "\(type): an empty plan has required findings")

                try await Self.writeExample(w, plan: planID, type: type, circle: circle, guardian: circle[0])
                let findings = try await w.api(.GET, "/api/v1/plans/\(planID)/findings", as: "coordinator")
                XCTAssertEqual(findings.status, .ok)
                XCTAssertEqual((findings.object["findings"] as? [Any])?.count, 0, "\(type): \(findings.body)")
                XCTAssertEqual(findings.object["rulePack"] as? String, type.rulePack)

                let plan = try await w.api(.GET, "/api/v1/plans/\(planID)", as: "coordinator")
                let progress = plan.object["progress"] as? [String: Any]
                XCTAssertEqual(progress?["complete"] as? Int, PlanSections.sections(for: type).count, "\(type)")
                XCTAssertEqual(progress?["total"] as? Int, PlanSections.sections(for: type).count)
            }
            let list = try await w.api(.GET, "/api/v1/people/\(w.own.text)/plans", as: "coordinator")
            XCTAssertEqual((list.object["items"] as? [Any])?.count, 3)
        }
    }

    func testFindingsSayWhatIsMissingWithTheCitationAndWhereToFixIt() async throws {
        try await onEveryEngine { w in
            let planID = try await Self.startPlan(w, .missouriISP, for: w.own, extra: ["implementationDate": NSNull()])
            let risks: [String: Any] = ["risks": [["risk": "Choking on food", "kind": "health", "level": "high"]]]
            let put = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/risks", as: "coordinator", json: risks, headers: ["If-Match": "\"0\""])
            XCTAssertEqual(put.status, .ok, put.body)
            XCTAssertEqual(put.object["complete"] as? Bool, true)

            let reply = try await w.api(.GET, "/api/v1/plans/\(planID)/findings", as: "coordinator")
            let findings = (reply.object["findings"] as? [[String: Any]]) ?? []
            let risk = try XCTUnwrap(findings.first { $0["ruleId"] as? String == "hcbs.risk-mitigation" })
            XCTAssertEqual(risk["message"] as? String, "The risk “Choking on food” needs how it is reduced and who is responsible.")
            XCTAssertEqual(risk["citation"] as? String, "42 CFR 441.301(c)(2)(vi)")
            XCTAssertEqual(risk["severity"] as? String, "required")
            XCTAssertEqual(risk["fixAt"] as? String, "/api/v1/plans/\(planID)/sections/risks")
            XCTAssertEqual(risk["page"] as? String, "/plans/\(planID)/sections/risks#field-risks.0.mitigation")
            let header = try XCTUnwrap(findings.first { $0["ruleId"] as? String == "mo.implementation-date" })
            XCTAssertNil(header["section"])
            XCTAssertEqual(header["page"] as? String, "/plans/\(planID)/details#field-implementationDate")
            // The person is 36 on the meeting day: working age, so career planning is required; not a minor.
            let ids = findings.compactMap { $0["ruleId"] as? String }
            XCTAssertTrue(ids.contains("hcbs.employment"))
            XCTAssertFalse(ids.contains("mo.parent-of-minor"))
            XCTAssertTrue(ids.contains("hcbs.outcomes"))
            XCTAssertEqual(ids.first, "mo.implementation-date", "plan details come first, then sections in order")
        }
    }

    func testBadInputNamesTheFieldAndWritesNothing() async throws {
        try await onEveryEngine { w in
            let wrongAge = try await w.api(.POST, "/api/v1/people/\(w.own.text)/plans", as: "coordinator",
                                           json: ["planType": "california_ifsp", "planKind": "initial", "meetingDate": "2026-11-02"])
            XCTAssertEqual(wrongAge.fieldErrors, ["meetingDate"])
            let backwards = try await w.api(.POST, "/api/v1/people/\(w.own.text)/plans", as: "coordinator",
                                            json: ["planType": "missouri_isp", "planKind": "annual", "effectiveStart": "2026-12-01", "effectiveEnd": "2026-11-30", "colour": "red"])
            XCTAssertEqual(Set(backwards.fieldErrors), ["colour"], "unknown fields are refused before anything else")
            let backwards2 = try await w.api(.POST, "/api/v1/people/\(w.own.text)/plans", as: "coordinator",
                                             json: ["planType": "missouri_isp", "planKind": "annual", "effectiveStart": "2026-12-01", "effectiveEnd": "2026-11-30"])
            XCTAssertEqual(backwards2.fieldErrors, ["effectiveEnd"])
            let noType = try await w.api(.POST, "/api/v1/people/\(w.own.text)/plans", as: "coordinator", json: ["planKind": "yearly", "status": "active"])
            XCTAssertEqual(Set(noType.fieldErrors), ["planType", "planKind", "status"])
            try await expectEqual(try await Plan.query(on: w.app.db).count(), 0, "nothing half-written")

            let planID = try await Self.startPlan(w, .federalHCBS, for: w.own)
            let bad: [String: Any] = ["risks": [["risk": "Falls", "kind": "clumsiness"], ["kind": "health", "mitigation": "Rails"]], "crisisPlan": 12]
            let reply = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/risks", as: "coordinator", json: bad, headers: ["If-Match": "\"0\""])
            XCTAssertEqual(reply.status, .unprocessableEntity)
            XCTAssertEqual(reply.headers.contentType?.description.hasPrefix("application/problem+json"), true)
            XCTAssertEqual(reply.fieldErrors, ["risks.0.kind", "risks.1.risk", "crisisPlan"])
            let section = try await w.api(.GET, "/api/v1/plans/\(planID)/sections/risks", as: "coordinator")
            XCTAssertEqual(section.headers.first(name: .eTag), "\"0\"", "nothing was written")

            let stranger: [String: Any] = ["people": [["circleMemberId": w.otherMember.text]]]
            let notInCircle = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/who-is-important", as: "coordinator", json: stranger, headers: ["If-Match": "\"0\""])
            XCTAssertEqual(notInCircle.fieldErrors, ["people.0.circleMemberId"], "someone from another person's circle cannot be named")

            let noSuch = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/present-levels", as: "coordinator", json: ["physical": "x"], headers: ["If-Match": "\"0\""])
            XCTAssertEqual(noSuch.status, .notFound, "an HCBS plan has no IFSP sections")
            XCTAssertTrue(((noSuch.object["detail"] as? String) ?? "").contains("important-to"), "the answer lists the sections there are")

            let noIfMatch = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/funds", as: "coordinator", json: ["whoManages": "Sister"])
            XCTAssertEqual(noIfMatch.status, .preconditionRequired)
            let first = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/funds", as: "coordinator", json: ["whoManages": "Sister"], headers: ["If-Match": "\"0\""])
            XCTAssertEqual(first.status, .ok)
            let stale = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/funds", as: "coordinator", json: ["whoManages": "Brother"], headers: ["If-Match": "\"0\""])
            XCTAssertEqual(stale.status, .preconditionFailed)
            let second = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/funds", as: "coordinator", json: ["whoManages": "Brother"], headers: ["If-Match": "\"1\""])
            XCTAssertEqual(second.status, .ok)
            XCTAssertEqual((second.object["content"] as? [String: Any])?["whoManages"] as? String, "Brother")
            XCTAssertEqual(second.object["missing"] as? [String], ["level", "safeguards"])

            let typeChange = try await w.api(.PATCH, "/api/v1/plans/\(planID)", as: "coordinator", json: ["planType": "california_ipp"], headers: ["If-Match": "\"1\""])
            XCTAssertEqual(typeChange.fieldErrors, ["planType"])
        }
    }

    func testWhoMayReadAndWritePlansAndEveryAccessIsAudited() async throws {
        try await onEveryEngine { w in
            let planID = try await Self.startPlan(w, .missouriISP, for: w.own)
            let created = try await w.lastAudit()
            XCTAssertEqual(created?.category, AuditCategory.plan.rawValue)
            XCTAssertEqual(created?.action, AuditAction.create.rawValue)
            XCTAssertEqual(created?.personID, w.own.text)

            for who in ["admin", "supervisor", "coordinator", "staff", "guardian", "person"] {
                let read = try await w.api(.GET, "/api/v1/plans/\(planID)/sections/important-to", as: who)
                XCTAssertEqual(read.status, .ok, "\(who) may read the plan of someone they can see")
            }
            for who in ["staff", "guardian", "person"] {
                let write = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/important-to", as: who, json: ["statements": []], headers: ["If-Match": "\"0\""])
                XCTAssertEqual(write.status, .forbidden, "\(who) reads but does not write the plan")
                let entry = try await w.lastAudit()
                XCTAssertEqual(entry?.outcome, AuditOutcome.denied.rawValue)
                XCTAssertEqual(entry?.category, AuditCategory.plan.rawValue)
            }
            let before = try await w.auditCount()
            let hidden = try await w.api(.GET, "/api/v1/plans/\(planID)", as: "coordinator2")
            XCTAssertEqual(hidden.status, .notFound, "a plan of someone not on the caseload does not exist for this coordinator")
            XCTAssertEqual(hidden.object["detail"] as? String, Problem.notFound("plan").detail)
            try await expectEqual(try await w.auditCount(), before + 1)
            let denied = try await w.lastAudit()
            XCTAssertEqual(denied?.outcome, AuditOutcome.denied.rawValue)
            let hiddenList = try await w.api(.GET, "/api/v1/people/\(w.own.text)/plans", as: "coordinator2")
            XCTAssertEqual(hiddenList.status, .notFound)
            let hiddenCreate = try await w.api(.POST, "/api/v1/people/\(w.own.text)/plans", as: "coordinator2", json: ["planType": "missouri_isp", "planKind": "annual"])
            XCTAssertEqual(hiddenCreate.status, .notFound)

            let write = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/legal", as: "coordinator", json: ["reviewedWithTeam": true], headers: ["If-Match": "\"0\""])
            XCTAssertEqual(write.status, .ok)
            let audit = try await w.lastAudit()
            XCTAssertEqual(audit?.action, AuditAction.update.rawValue)
            XCTAssertEqual(audit?.detail, "plan \(planID): wrote section legal (version 1)")
            let read = try await w.api(.GET, "/api/v1/plans/\(planID)/findings", as: "guardian")
            XCTAssertEqual(read.status, .ok)
            let viewed = try await w.lastAudit()
            XCTAssertEqual(viewed?.action, AuditAction.view.rawValue)
            XCTAssertEqual(viewed?.userID, w["guardian"].user.text)

            let missing = try await w.api(.GET, "/api/v1/plans/\(UUID().uuidString)", as: "admin")
            XCTAssertEqual(missing.status, .notFound)
        }
    }

    func testTheCatalogueDescribesEverySectionAndRule() async throws {
        try await onEveryEngine { w in
            let types = try await w.api(.GET, "/api/v1/plan-types", as: "person")
            let items = (types.object["items"] as? [[String: Any]]) ?? []
            XCTAssertEqual(items.count, 4)
            let ifsp = try XCTUnwrap(items.first { $0["planType"] as? String == "california_ifsp" })
            let keys = ((ifsp["sections"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String }
            XCTAssertEqual(keys, PlanSections.sections(for: .californiaIFSP).map(\.key))
            let packs = try await w.api(.GET, "/api/v1/rule-packs", as: "staff")
            let packItems = (packs.object["items"] as? [[String: Any]]) ?? []
            let missouri = try XCTUnwrap(packItems.first { $0["id"] as? String == "missouri-isp" })
            XCTAssertEqual(missouri["includes"] as? [String], ["federal-hcbs"])
            let rules = (missouri["rules"] as? [[String: Any]]) ?? []
            XCTAssertEqual(rules.first { $0["id"] as? String == "mo.guardian-input" }?["appliesWhen"] as? String, "aged 18 or older, with a legal representative")
            let unauthenticated = try await w.api(.GET, "/api/v1/rule-packs", as: nil)
            XCTAssertEqual(unauthenticated.status, .unauthorized)
        }
    }
}

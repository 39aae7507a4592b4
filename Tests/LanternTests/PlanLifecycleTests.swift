import Fluent
import Vapor
import XCTest
@testable import LanternApp

/// Draft → awaiting signatures → in effect → new version → superseded, with the signatures the rule
/// pack asks for, and digests that catch a changed version.
final class PlanLifecycleTests: XCTestCase {
    /// A complete Missouri ISP for the test person (guardian Gwen, coordinator, Provider A), sent for signatures.
    static func sentPlan(_ w: TestWorld) async throws -> (plan: String, signatures: [[String: Any]]) {
        let planID = try await PlanAPITests.startPlan(w, .missouriISP, for: w.own)
        try await PlanAPITests.writeExample(w, plan: planID, type: .missouriISP, circle: [w.ownMember.text], guardian: w.ownMember.text, provider: w.providerA.text)
        let sent = try await w.api(.POST, "/api/v1/plans/\(planID)/submit", as: "coordinator")
        XCTAssertEqual(sent.status, .ok, sent.body)
        XCTAssertEqual(sent.object["status"] as? String, "awaiting_signatures")
        let list = try await w.api(.GET, "/api/v1/plans/\(planID)/signatures", as: "coordinator")
        return (planID, (list.object["items"] as? [[String: Any]]) ?? [])
    }

    /// Sends a written plan for signatures and records every signature, so it takes effect.
    static func sentPlanSigned(_ w: TestWorld, _ planID: String) async throws {
        let sent = try await w.api(.POST, "/api/v1/plans/\(planID)/submit", as: "coordinator")
        XCTAssertEqual(sent.status, .ok, sent.body)
        try await PlanFollowUpTests.signAll(w, planID)
    }

    static func signature(_ list: [[String: Any]], _ role: String) -> String { list.first { $0["role"] as? String == role }?["id"] as? String ?? "" }

    func testAPlanGoesFromDraftToSignaturesToEffectAndOnToANewSignedVersion() async throws {
        try await onEveryEngine { w in
            let (planID, signatures) = try await Self.sentPlan(w)
            XCTAssertEqual(signatures.compactMap { $0["role"] as? String }.sorted(), ["coordinator", "guardian", "person", "provider"])
            XCTAssertEqual(signatures.first { $0["role"] as? String == "guardian" }?["signerName"] as? String, "Gwen Testwell")
            XCTAssertEqual(signatures.first { $0["role"] as? String == "provider" }?["signerName"] as? String, "Provider A")

            // Sent means frozen: no edit of the content or the plan's own fields.
            let edit = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/legal", as: "coordinator", json: ["reviewedWithTeam": false], headers: ["If-Match": "*"])
            XCTAssertEqual(edit.status, .conflict)
            XCTAssertTrue(((edit.object["detail"] as? String) ?? "").contains("Only a draft can be edited"))
            let patch = try await w.api(.PATCH, "/api/v1/plans/\(planID)", as: "coordinator", json: ["planningLanguage": "Spanish"], headers: ["If-Match": "*"])
            XCTAssertEqual(patch.status, .conflict)

            // Each signer with their own account; the plan waits until the last required one.
            for (who, role) in [("guardian", "guardian"), ("person", "person"), ("staff", "provider")] {
                let signed = try await w.api(.POST, "/api/v1/plans/\(planID)/signatures/\(Self.signature(signatures, role))/sign", as: who,
                                             json: ["method": "own_account", "hadSupport": who == "person", "supportBy": who == "person" ? "Gwen, reading aloud" as Any : NSNull() as Any])
                XCTAssertEqual(signed.status, .ok, "\(who): \(signed.body)")
                XCTAssertEqual(signed.object["status"] as? String, "signed")
                XCTAssertEqual((signed.object["digest"] as? String)?.count, 64)
                let plan = try await w.api(.GET, "/api/v1/plans/\(planID)", as: "coordinator")
                XCTAssertEqual(plan.object["status"] as? String, "awaiting_signatures", "not in effect while the coordinator's signature is missing")
            }
            let last = try await w.api(.POST, "/api/v1/plans/\(planID)/signatures/\(Self.signature(signatures, "coordinator"))/sign", as: "coordinator", json: ["method": "own_account"])
            XCTAssertEqual(last.status, .ok, last.body)
            let active = try await w.api(.GET, "/api/v1/plans/\(planID)", as: "coordinator")
            XCTAssertEqual(active.object["status"] as? String, "active")
            let verify = try await w.api(.GET, "/api/v1/plans/\(planID)/verify", as: "coordinator")
            XCTAssertEqual(verify.object["intact"] as? Bool, true)
            XCTAssertEqual(verify.object["signaturesChecked"] as? Int, 4)

            // An amendment: a new draft copied from the plan in effect, which stays in effect meanwhile.
            let noReason = try await w.api(.POST, "/api/v1/plans/\(planID)/versions", as: "coordinator", json: [:] as [String: String])
            XCTAssertEqual(noReason.fieldErrors, ["reason"])
            let next = try await w.api(.POST, "/api/v1/plans/\(planID)/versions", as: "coordinator", json: ["reason": "Moved to a new home"])
            XCTAssertEqual(next.status, .created, next.body)
            let nextID = next.object["id"] as! String
            XCTAssertEqual(next.object["versionNumber"] as? Int, 2)
            XCTAssertEqual(next.object["status"] as? String, "draft")
            XCTAssertEqual(next.object["planKind"] as? String, "update")
            XCTAssertEqual(next.object["previousPlanId"] as? String, planID)
            let twice = try await w.api(.POST, "/api/v1/plans/\(planID)/versions", as: "coordinator", json: ["reason": "Again"])
            XCTAssertEqual(twice.status, .conflict, "one open version at a time")
            let copied = try await w.api(.GET, "/api/v1/plans/\(nextID)/findings", as: "coordinator")
            XCTAssertEqual((copied.object["findings"] as? [Any])?.count, 0, "the new version starts as a copy of the signed one")
            let change = try await w.api(.PUT, "/api/v1/plans/\(nextID)/sections/setting", as: "coordinator", json: [
                "optionsConsidered": [["option": "Own apartment", "nonDisabilitySpecific": true]], "chosenSetting": "Own apartment", "livesAlone": false,
            ], headers: ["If-Match": "\"1\""])
            XCTAssertEqual(change.status, .ok, change.body)
            let stillActive = try await w.api(.GET, "/api/v1/plans/\(planID)", as: "coordinator")
            XCTAssertEqual(stillActive.object["status"] as? String, "active")
            let compared = try await w.api(.GET, "/api/v1/plans/\(nextID)/compare", as: "guardian")
            XCTAssertEqual(compared.object["withVersionNumber"] as? Int, 1, "compared with the last signed version")
            let changed = (compared.object["sections"] as? [[String: Any]]) ?? []
            XCTAssertEqual(changed.compactMap { $0["key"] as? String }, ["setting"])
            let labels = ((changed.first?["fields"] as? [[String: Any]]) ?? []).compactMap { $0["label"] as? String }
            XCTAssertTrue(labels.contains("Setting the person chose"), "\(labels)")
            let page = try await w.web(.GET, "/plans/\(nextID)/compare", as: "coordinator")
            XCTAssertTrue(page.body.contains("<ins><span class=\"visually-hidden\">[added: </span>"), "changed words are marked")
            let overview = try await w.web(.GET, "/plans/\(nextID)", as: "coordinator")
            XCTAssertTrue(overview.body.contains("Changes since version 1, the last signed version"))
            let stranger = try await w.api(.GET, "/api/v1/plans/\(nextID)/compare?with=\(UUID().uuidString)", as: "coordinator")
            XCTAssertEqual(stranger.fieldErrors, ["with"])

            // Version 2: the coordinator records the person's and the guardian's signatures given at the meeting.
            let sent2 = try await w.api(.POST, "/api/v1/plans/\(nextID)/submit", as: "coordinator")
            XCTAssertEqual(sent2.status, .ok, sent2.body)
            let list2 = (try await w.api(.GET, "/api/v1/plans/\(nextID)/signatures", as: "coordinator").object["items"] as? [[String: Any]]) ?? []
            for role in ["person", "guardian", "provider", "coordinator"] {
                let method = role == "coordinator" ? "own_account" : role == "provider" ? "paper_scanned" : "in_person"
                let reply = try await w.api(.POST, "/api/v1/plans/\(nextID)/signatures/\(Self.signature(list2, role))/sign", as: "coordinator", json: ["method": method])
                XCTAssertEqual(reply.status, .ok, "\(role): \(reply.body)")
            }
            let v1 = try await w.api(.GET, "/api/v1/plans/\(planID)", as: "coordinator")
            let v2 = try await w.api(.GET, "/api/v1/plans/\(nextID)", as: "coordinator")
            XCTAssertEqual(v1.object["status"] as? String, "superseded")
            XCTAssertEqual(v2.object["status"] as? String, "active")
            let versions = try await w.api(.GET, "/api/v1/plans/\(planID)/versions", as: "guardian")
            XCTAssertEqual(((versions.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["versionNumber"] as? Int }, [2, 1])
        }
    }

    func testRefusedStepsSayWhyAndChangeNothing() async throws {
        try await onEveryEngine { w in
            let draft = try await PlanAPITests.startPlan(w, .missouriISP, for: w.own)
            let early = try await w.api(.POST, "/api/v1/plans/\(draft)/submit", as: "coordinator")
            XCTAssertEqual(early.status, .conflict, "a plan with required items missing is not sent")
            XCTAssertTrue(((early.object["detail"] as? String) ?? "").contains("required items are still missing"))
            let notSigned = try await w.api(.POST, "/api/v1/plans/\(draft)/versions", as: "coordinator", json: ["reason": "x"])
            XCTAssertEqual(notSigned.status, .conflict)
            let statusPatch = try await w.api(.PATCH, "/api/v1/plans/\(draft)", as: "coordinator", json: ["status": "active"], headers: ["If-Match": "*"])
            XCTAssertEqual(statusPatch.fieldErrors, ["status"], "a plan never takes effect by editing its status")

            let (planID, signatures) = try await Self.sentPlan(w)
            let guardianSig = Self.signature(signatures, "guardian")
            let impostor = try await w.api(.POST, "/api/v1/plans/\(planID)/signatures/\(guardianSig)/sign", as: "person", json: ["method": "own_account"])
            XCTAssertEqual(impostor.status, .forbidden, "no one signs with their own account for someone else")
            let denied = try await w.lastAudit()
            XCTAssertEqual(denied?.outcome, AuditOutcome.denied.rawValue)
            let staffRecords = try await w.api(.POST, "/api/v1/plans/\(planID)/signatures/\(guardianSig)/sign", as: "staff", json: ["method": "in_person"])
            XCTAssertEqual(staffRecords.status, .forbidden, "only the coordinator side records in-person signatures")
            let noHelper = try await w.api(.POST, "/api/v1/plans/\(planID)/signatures/\(guardianSig)/sign", as: "guardian", json: ["method": "own_account", "hadSupport": true])
            XCTAssertEqual(noHelper.fieldErrors, ["supportBy"])
            let badMethod = try await w.api(.POST, "/api/v1/plans/\(planID)/signatures/\(guardianSig)/sign", as: "guardian", json: ["method": "telepathy"])
            XCTAssertEqual(badMethod.fieldErrors, ["method"])
            let noReason = try await w.api(.POST, "/api/v1/plans/\(planID)/signatures/\(guardianSig)/decline", as: "guardian", json: ["reason": " "])
            XCTAssertEqual(noReason.fieldErrors, ["reason"])
            let declined = try await w.api(.POST, "/api/v1/plans/\(planID)/signatures/\(guardianSig)/decline", as: "guardian", json: ["reason": "I want more time outdoors in the plan"])
            XCTAssertEqual(declined.object["status"] as? String, "declined")
            let again = try await w.api(.POST, "/api/v1/plans/\(planID)/signatures/\(guardianSig)/sign", as: "guardian", json: ["method": "own_account"])
            XCTAssertEqual(again.status, .conflict)

            let back = try await w.api(.POST, "/api/v1/plans/\(planID)/withdraw", as: "coordinator")
            XCTAssertEqual(back.object["status"] as? String, "draft")
            XCTAssertNil(back.object["contentDigest"])
            let after = (try await w.api(.GET, "/api/v1/plans/\(planID)/signatures", as: "coordinator").object["items"] as? [[String: Any]]) ?? []
            XCTAssertEqual(Set(after.compactMap { $0["status"] as? String }), ["withdrawn"])
            let late = try await w.api(.POST, "/api/v1/plans/\(planID)/signatures/\(Self.signature(signatures, "person"))/sign", as: "person", json: ["method": "own_account"])
            XCTAssertEqual(late.status, .conflict)
            let editable = try await w.api(.PUT, "/api/v1/plans/\(planID)/sections/legal", as: "coordinator", json: ["reviewedWithTeam": true, "notes": "Checked again"], headers: ["If-Match": "*"])
            XCTAssertEqual(editable.status, .ok, "back in draft, the plan can change")
            let hidden = try await w.api(.GET, "/api/v1/plans/\(planID)/signatures", as: "coordinator2")
            XCTAssertEqual(hidden.status, .notFound)
        }
    }

    func testAVersionChangedBehindLanternsBackFailsVerificationAndCannotBeSigned() async throws {
        try await onEveryEngine { w in
            let (planID, signatures) = try await Self.sentPlan(w)
            let signed = try await w.api(.POST, "/api/v1/plans/\(planID)/signatures/\(Self.signature(signatures, "guardian"))/sign", as: "guardian", json: ["method": "own_account"])
            XCTAssertEqual(signed.status, .ok)
            let intact = try await LanternCommands.verifyPlans(w.app)
            XCTAssertEqual(intact.problems, [])
            XCTAssertEqual(intact.checked, 1)

            // Someone edits the stored section directly in the database.
            let row = try await PlanSection.query(on: w.app.db).filter(\.$plan.$id == UUID(uuidString: planID)!).filter(\.$sectionKey == "funds").first()!
            var content = row.content
            content["whoManages"] = .string("Someone else entirely")
            row.content = content
            try await row.save(on: w.app.db)

            let verify = try await w.api(.GET, "/api/v1/plans/\(planID)/verify", as: "coordinator")
            XCTAssertEqual(verify.object["intact"] as? Bool, false)
            XCTAssertEqual((verify.object["problems"] as? [String])?.count, 2, "the plan's digest and the guardian's signature both fail")
            let report = try await LanternCommands.verifyPlans(w.app)
            XCTAssertEqual(report.problems.count, 2)
            XCTAssertTrue(report.problems.contains { $0.contains("Gwen Testwell") })
            let blocked = try await w.api(.POST, "/api/v1/plans/\(planID)/signatures/\(Self.signature(signatures, "person"))/sign", as: "person", json: ["method": "own_account"])
            XCTAssertEqual(blocked.status, .conflict, "no one signs a version that no longer matches what was sent")
        }
    }

    func testTheRulePackSaysWhoSigns() async throws {
        let library = try RulePackLibrary.bundled()
        let engine = RuleEngine(library: library)
        func roles(_ type: PlanType, representative: Bool) -> [String] {
            let facts = PlanFacts(planType: type, planKind: .annual, meetingDate: CalendarDate("2026-03-02"), birthDate: CalendarDate("1990-01-01"),
                                  residenceType: "own_home", hasLegalRepresentative: representative)
            return engine.signers(for: facts).map(\.role.rawValue)
        }
        XCTAssertEqual(roles(.missouriISP, representative: true), ["person", "guardian", "coordinator", "provider"])
        XCTAssertEqual(roles(.missouriISP, representative: false), ["person", "coordinator", "provider"])
        XCTAssertEqual(roles(.federalHCBS, representative: false), ["person", "coordinator", "provider"])
        XCTAssertEqual(roles(.californiaIPP, representative: true), ["person", "guardian", "regional_center", "provider"])
        XCTAssertEqual(roles(.californiaIFSP, representative: true), ["parent", "coordinator"])
    }
}

import Fluent
import Foundation
import Vapor
import XCTest
@testable import LanternApp

/// The FHIR R4 (eLTSS) export: the read-only REST surface under the access policy and the audit, and
/// the bulk NDJSON export. CI also validates the demo's whole export with fhir.resources (Python).
final class FHIRExportTests: XCTestCase {
    static func resources(_ bundle: [String: Any]) -> [[String: Any]] {
        ((bundle["entry"] as? [[String: Any]]) ?? []).compactMap { $0["resource"] as? [String: Any] }
    }

    func testAPlanInEffectReadsAsEltssResources() async throws {
        try await onEveryEngine { w in
            let (planID, _) = try await IntakeAndMeetingsTests.planWithServices(w)
            let metadata = try await w.api(.GET, "/fhir/metadata", as: nil)
            XCTAssertEqual(metadata.status, .ok)
            XCTAssertEqual(metadata.headers.contentType?.subType, "fhir+json")
            XCTAssertEqual(metadata.object["fhirVersion"] as? String, "4.0.1")

            let care = try await w.api(.GET, "/fhir/CarePlan/\(planID)", as: "coordinator")
            XCTAssertEqual(care.status, .ok, care.body)
            XCTAssertEqual(care.object["resourceType"] as? String, "CarePlan")
            XCTAssertEqual(care.object["status"] as? String, "active")
            XCTAssertEqual(care.object["intent"] as? String, "plan")
            XCTAssertEqual((care.object["meta"] as? [String: Any])?["profile"] as? [String], ["http://hl7.org/fhir/us/eltss/StructureDefinition/CarePlan-eltss"])
            XCTAssertEqual((care.object["subject"] as? [String: Any])?["reference"] as? String, "Patient/\(w.own.text)")
            let activities = (care.object["activity"] as? [[String: Any]]) ?? []
            XCTAssertEqual(activities.filter { $0["reference"] != nil }.count, 3, "one ServiceRequest per service, paid, waiting or unpaid")
            XCTAssertTrue(activities.contains { ($0["detail"] as? [String: Any])?["status"] != nil }, "the action steps")
            XCTAssertTrue(activities.allSatisfy { ($0["reference"] == nil) != ($0["detail"] == nil) }, "each activity is a reference or a detail, never both (cpl-3)")
            try await expectEqual(try await w.lastAudit()?.action, AuditAction.export.rawValue)

            // Who may not see the person: not found, as a FHIR OperationOutcome; no token: 401.
            let hidden = try await w.api(.GET, "/fhir/CarePlan/\(planID)", as: "coordinator2")
            XCTAssertEqual(hidden.status, .notFound)
            XCTAssertEqual(hidden.object["resourceType"] as? String, "OperationOutcome")
            XCTAssertEqual(((hidden.object["issue"] as? [[String: Any]])?.first)?["code"] as? String, "not-found")
            let anonymous = try await w.api(.GET, "/fhir/CarePlan/\(planID)", as: nil)
            XCTAssertEqual(anonymous.status, .unauthorized)
            XCTAssertEqual(anonymous.object["resourceType"] as? String, "OperationOutcome")
            try await expectEqual(try await w.api(.GET, "/fhir/CarePlan?patient=nope", as: "coordinator").status, .badRequest)

            // Everything about the person: each resource once, the costs as Claims that match the budget.
            let everything = try await w.api(.GET, "/fhir/Patient/\(w.own.text)/$everything", as: "guardian")
            XCTAssertEqual(everything.status, .ok, everything.body)
            XCTAssertEqual(everything.object["type"] as? String, "searchset")
            let all = Self.resources(everything.object)
            let keys = all.map { "\($0["resourceType"] ?? "")/\($0["id"] ?? "")" }
            XCTAssertEqual(keys.count, Set(keys).count, "each resource once")
            let types = Set(all.compactMap { $0["resourceType"] as? String })
            XCTAssertTrue(["Patient", "RelatedPerson", "Practitioner", "PractitionerRole", "EpisodeOfCare", "CarePlan", "Goal", "Condition", "Observation",
                           "RiskAssessment", "ServiceRequest", "Coverage", "Claim", "Contract", "Organization"].allSatisfy(types.contains), "\(types.sorted())")
            let claim = try XCTUnwrap(all.first { $0["resourceType"] as? String == "Claim" })
            XCTAssertEqual((claim["total"] as? [String: Any])?["value"] as? Double, 521.47, "the same total as the budget")
            XCTAssertEqual(((claim["item"] as? [[String: Any]])?.first?["unitPrice"] as? [String: Any])?["value"] as? Double, 5)
            let contract = try XCTUnwrap(all.first { $0["resourceType"] as? String == "Contract" })
            XCTAssertEqual(contract["status"] as? String, "executed")
            let signers = (contract["signer"] as? [[String: Any]]) ?? []
            XCTAssertFalse(signers.isEmpty)
            XCTAssertTrue(signers.allSatisfy { (($0["signature"] as? [[String: Any]])?.first?["when"] as? String) != nil }, "each signature has its time")
            let patient = try XCTUnwrap(all.first { $0["resourceType"] as? String == "Patient" })
            XCTAssertEqual(patient["birthDate"] as? String, "1990-03-14")
            let backup = all.filter { $0["resourceType"] as? String == "CarePlan" && $0["partOf"] != nil }
            XCTAssertEqual(((backup.first?["partOf"] as? [[String: Any]])?.first)?["reference"] as? String, "CarePlan/\(planID)", "the backup plan is part of the plan")
            // Every reference resolves inside the bundle.
            var missing: [String] = []
            func walk(_ value: Any) {
                if let object = value as? [String: Any] {
                    if let reference = object["reference"] as? String, !keys.contains(reference) { missing.append(reference) }
                    object.values.forEach(walk)
                } else if let array = value as? [Any] { array.forEach(walk) }
            }
            all.forEach(walk)
            XCTAssertEqual(missing, [])
            try await expectEqual(try await w.api(.GET, "/fhir/Patient/\(w.other.text)/$everything", as: "guardian").status, .notFound)

            let search = try await w.api(.GET, "/fhir/CarePlan?patient=Patient/\(w.own.text)", as: "coordinator")
            XCTAssertEqual(search.object["total"] as? Int, 1, search.body)
        }
    }

    func testTheBulkExportWritesEachResourceOnceAsNDJSON() async throws {
        try await onEveryEngine { w in
            _ = try await IntakeAndMeetingsTests.planWithServices(w)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lantern-fhir-\(UUID().uuidString)")
            let result = try await FHIRBulkExport.run(w.app, to: dir) { _, _ in }
            XCTAssertEqual(result.plans, 1)
            var ids = Set<String>()
            for (type, count) in result.resources {
                let lines = try String(contentsOf: dir.appendingPathComponent("\(type).ndjson"), encoding: .utf8).split(separator: "\n")
                XCTAssertEqual(lines.count, count, type)
                for line in lines {
                    let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    XCTAssertEqual(object["resourceType"] as? String, type)
                    XCTAssertTrue(ids.insert("\(type)/\(object["id"] as? String ?? "")").inserted)
                }
            }
            XCTAssertEqual(result.resources["Patient"], 1)
            try await expectEqual(try await w.lastAudit()?.action, AuditAction.export.rawValue, "the export is audited")
        }
    }

    /// Reading plans in batches (which cross people and split one person's plans) gives exactly the
    /// resources that reading each plan alone gives: on the demo, with batches of 7.
    func testTheBatchedBulkExportSaysWhatEachPlanSaysAlone() async throws {
        guard TestEngine.enabled.contains(.sqlite) else { return }
        try await withDemoStore { app, folder in
            let result = try await FHIRBulkExport.run(app, to: folder.appendingPathComponent("ndjson"), batch: 7) { _, _ in }
            var bulk = Set<String>()
            for type in result.resources.keys {
                let text = try String(contentsOf: folder.appendingPathComponent("ndjson/\(type).ndjson"), encoding: .utf8)
                bulk.formUnion(text.split(separator: "\n").map(String.init))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var alone = Set<String>()
            let plans = try await Plan.query(on: app.db).all()
            XCTAssertEqual(result.plans, plans.count)
            XCTAssertGreaterThan(plans.count, 20, "enough plans for several batches")
            for plan in plans {
                guard let person = try await Person.find(plan.$person.id, on: app.db) else { XCTFail("plan without its person"); continue }
                let source = try await PersonRecords.fhirSources([(plan, person)], on: app.db)[0]
                for resource in FHIRExport.resources(source) { alone.insert(String(decoding: try encoder.encode(resource), as: UTF8.self)) }
            }
            XCTAssertEqual(bulk.count, result.resources.values.reduce(0, +), "each resource written once")
            XCTAssertEqual(bulk.subtracting(alone).count, 0, "every resource in the bulk export is what its plan alone gives")
            XCTAssertEqual(alone.subtracting(bulk).count, 0, "and nothing is left out")
        }
    }

    /// A resource without what differs by design between two copies of one plan: ids, the status of a
    /// draft against the plan in effect, creation times, and which record a reference points at (its
    /// type and display stay).
    static func normalized(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var out: [String: Any] = [:]
            for (key, item) in object where !["id", "fullUrl", "created", "status", "timestamp"].contains(key) {
                if key == "reference", let text = item as? String { out[key] = text.components(separatedBy: "/").first ?? text; continue }
                if key == "identifier", let list = item as? [[String: Any]] { out[key] = list.filter { $0["system"] as? String != "urn:lantern:person" }.map(normalized); continue }
                out[key] = normalized(item)
            }
            return out
        }
        if let array = value as? [Any] { return array.map(normalized) }
        return value
    }

    static func comparable(_ bundle: [String: Any], _ types: Set<String>) -> [String: [String]] {
        var byType: [String: [String]] = [:]
        for r in resources(bundle) {
            guard let type = r["resourceType"] as? String, types.contains(type) else { continue }
            let data = try! JSONSerialization.data(withJSONObject: normalized(r), options: [.sortedKeys])
            byType[type, default: []].append(String(decoding: data, as: UTF8.self))
        }
        return byType.mapValues { $0.sorted() }
    }

    func testImportingWhatLanternExportedGivesBackTheSamePlan() async throws {
        try await onEveryEngine { w in
            let (planID, _) = try await IntakeAndMeetingsTests.planWithServices(w)
            let exported = try await w.api(.GET, "/fhir/Patient/\(w.own.text)/$everything", as: "coordinator")
            XCTAssertEqual(exported.status, .ok)
            let imported = try await w.api(.POST, "/api/v1/fhir-imports", as: "coordinator", json: exported.object)
            XCTAssertEqual(imported.status, .created, imported.body)
            let personID = try XCTUnwrap(imported.object["personId"] as? String)
            let newPlan = try XCTUnwrap(imported.object["planId"] as? String)
            XCTAssertNotEqual(newPlan, planID)
            let report = imported.object["report"] as? [String: Any] ?? [:]
            XCTAssertTrue(((report["taken"] as? [String]) ?? []).contains { $0.hasPrefix("Patient: Ada Testwell") }, "\(report)")
            XCTAssertTrue(((report["notMapped"] as? [String]) ?? []).contains { $0.hasPrefix("1 Contract:") }, "\(report)")
            try await expectEqual(try await Plan.find(UUID(uuidString: newPlan)!, on: w.app.db)?.status, "draft", "an imported plan is a draft the team signs again")

            // The new plan, exported again, says the same as the first.
            let again = try await w.api(.GET, "/fhir/Patient/\(personID)/$everything", as: "coordinator")
            XCTAssertEqual(again.status, .ok, again.body)
            let types: Set<String> = ["Patient", "RelatedPerson", "CarePlan", "Goal", "Condition", "Observation", "RiskAssessment", "ServiceRequest", "Coverage", "Claim"]
            let before = Self.comparable(exported.object, types), after = Self.comparable(again.object, types)
            XCTAssertEqual(Set(before.keys), types, "every kind of content is in the export")
            XCTAssertEqual(before["ServiceRequest"]?.count, 3)
            XCTAssertEqual(before["CarePlan"]?.count, 2, "the plan and its backup plan")
            XCTAssertEqual(Set(before.keys), Set(after.keys))
            for type in types.sorted() {
                XCTAssertEqual(before[type] ?? [], after[type] ?? [], "\(type) differs after the round trip")
            }
            try await expectEqual(try await w.lastAudit()?.category, AuditCategory.plan.rawValue)
        }
    }

    func testABundleThatCannotBeReadIsRefusedAndChangesNothing() async throws {
        try await onEveryEngine { w in
            func counts() async throws -> [Int] {
                [try await Person.query(on: w.app.db).count(), try await Plan.query(on: w.app.db).count(), try await CircleMember.query(on: w.app.db).count()]
            }
            let start = try await counts()
            let patient: [String: Any] = ["resourceType": "Patient", "id": "p1", "name": [["family": "Elsewhere", "given": ["Rin"]]], "birthDate": "1999-05-01"]
            let care: [String: Any] = ["resourceType": "CarePlan", "id": "c1", "status": "active", "intent": "plan", "subject": ["reference": "Patient/p1"]]
            let related: [String: Any] = ["resourceType": "RelatedPerson", "id": "r1", "patient": ["reference": "Patient/p1"], "name": [["text": "Kay Elsewhere"]]]
            func bundle(_ resources: [[String: Any]]) -> [String: Any] { ["resourceType": "Bundle", "type": "collection", "entry": resources.map { ["resource": $0] }] }
            for (body, fields, why) in [
                (["resourceType": "Patient"] as [String: Any], ["resourceType", "entry"], "not a bundle"),
                (bundle([patient, patient, care]), ["entry"], "two people"),
                (bundle([patient]), ["entry"], "no plan"),
                (bundle([["resourceType": "Patient", "name": [["family": "X"]]], care]), ["Patient.birthDate"], "no birth date"),
                (bundle([patient.merging(["birthDate": "2999-01-01"]) { $1 }, related, care]), ["Patient.birthDate"], "born in the future: refused after the circle was read"),
            ] {
                let reply = try await w.api(.POST, "/api/v1/fhir-imports", as: "coordinator", json: body)
                XCTAssertEqual(reply.status, .unprocessableEntity, "\(why): \(reply.body)")
                XCTAssertEqual(reply.fieldErrors, fields, why)
            }
            try await expectEqual(try await w.api(.POST, "/api/v1/fhir-imports", as: "staff", json: bundle([patient, care])).status, .forbidden)
            try await expectEqual(try await counts(), start, "nothing was written")

            // Another system's bundle: read from the standard elements, with what could not be mapped.
            let goal: [String: Any] = ["resourceType": "Goal", "id": "g1", "lifecycleStatus": "active", "description": ["text": "Live on my own"], "subject": ["reference": "Patient/p1"]]
            let service: [String: Any] = ["resourceType": "ServiceRequest", "id": "s1", "status": "active", "intent": "plan", "subject": ["reference": "Patient/p1"],
                                          "basedOn": [["reference": "CarePlan/c1"]], "code": ["coding": [["system": "http://example.org/codes", "code": "ZZ999"]], "text": "Cooking lessons"]]
            var plan = care
            plan["goal"] = [["reference": "Goal/g1"]]
            let reply = try await w.api(.POST, "/api/v1/fhir-imports", as: "coordinator", json: bundle([patient, related, plan, goal, service, ["resourceType": "Immunization", "id": "i1"]]))
            XCTAssertEqual(reply.status, .created, reply.body)
            let notMapped = ((reply.object["report"] as? [String: Any])?["notMapped"] as? [String]) ?? []
            XCTAssertTrue(notMapped.contains { $0.hasPrefix("services.0.serviceCode:") && $0.hasSuffix("(left out)") }, "\(notMapped)")
            XCTAssertTrue(notMapped.contains("1 Immunization: Lantern does not read this resource type"), "\(notMapped)")
            XCTAssertTrue(notMapped.contains { $0.hasPrefix("legal status is not in FHIR") }, "\(notMapped)")
            let planID = try XCTUnwrap(reply.object["planId"] as? String)
            let services = try await w.api(.GET, "/api/v1/plans/\(planID)/sections/services", as: "coordinator")
            XCTAssertTrue(services.body.contains("Cooking lessons"), services.body)
            try await expectEqual(try await counts(), [start[0] + 1, start[1] + 1, start[2] + 1])
        }
    }
}

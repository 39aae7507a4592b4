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
}

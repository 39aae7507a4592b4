import Fluent
import Foundation
import LanternDomain
import Vapor

/// Every plan as FHIR Bulk Data: one NDJSON file per resource type (`CarePlan.ndjson`, …), each
/// resource once. Run by an administrator on the server; each person exported is audited.
public enum FHIRBulkExport {
    public struct Result: Sendable { public var plans = 0; public var resources: [String: Int] = [:]; public var seconds = 0.0 }

    public static func run(_ app: Application, to directory: URL, progress: @Sendable (Int, Int) -> Void) async throws -> Result {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let started = ContinuousClock.now
        let db = app.db
        let plans = try await Plan.query(on: db).sort(\.$person.$id).sort(\.$createdAt).all()
        let people = Dictionary(try await Person.query(on: db).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        var files: [String: FileHandle] = [:]
        defer { for handle in files.values { try? handle.close() } }
        var written = Set<String>(), result = Result()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var exported = Set<UUID>()
        for (index, plan) in plans.enumerated() {
            guard let person = people[plan.$person.id] else { continue }
            let source = try await PersonRecords.fhirSource(plan, person, on: db)
            for resource in FHIRExport.resources(source) {
                guard let type = resource["resourceType"]?.stringValue, let id = resource["id"]?.stringValue, written.insert("\(type)/\(id)").inserted else { continue }
                if files[type] == nil {
                    let url = directory.appendingPathComponent("\(type).ndjson")
                    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                        throw Problem(.internalServerError, "Cannot write", detail: "Lantern could not create \(url.path). Check that the folder can be written to.")
                    }
                    files[type] = try FileHandle(forWritingTo: url)
                }
                var line = try encoder.encode(resource)
                line.append(0x0A)
                try files[type]!.write(contentsOf: line)
                result.resources[type, default: 0] += 1
            }
            exported.insert(person.id!)
            result.plans += 1
            progress(index + 1, plans.count)
        }
        let now = app.clock.now(), exportedPeople = exported
        try await db.transaction { tx in
            let head = try await AuditChain.lock(tx, at: now)
            try await AuditChain.append(exportedPeople.sorted { $0.uuidString < $1.uuidString }.map {
                AuditEvent(userID: nil, userLabel: "lantern export --fhir", personID: $0.text, action: .export, category: .plan, sourceAddress: "command line",
                           detail: "plans exported as FHIR NDJSON to \(directory.path)")
            }, after: head, at: now, on: tx)
        }
        let elapsed = ContinuousClock.now - started
        result.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return result
    }
}

import Fluent
import Foundation
import LanternDomain
import Vapor

/// Every plan as FHIR Bulk Data: one NDJSON file per resource type (`CarePlan.ndjson`, …), each
/// resource once. Run by an administrator on the server; each person exported is audited.
public enum FHIRBulkExport {
    public struct Result: Sendable { public var plans = 0; public var resources: [String: Int] = [:]; public var seconds = 0.0 }

    /// Plans are read `batch` at a time, each batch with a fixed number of queries, so memory stays flat
    /// and the queries do not grow with the number of plans.
    public static func run(_ app: Application, to directory: URL, batch: Int = 200, progress: @Sendable (Int, Int) -> Void) async throws -> Result {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let started = ContinuousClock.now
        let db = app.db
        let planIDs = try await Plan.query(on: db).sort(\.$person.$id).sort(\.$createdAt).sort(\.$id).field(\.$id).all().map { try $0.requireID() }
        var files: [String: FileHandle] = [:]
        defer { for handle in files.values { try? handle.close() } }
        var written = Set<String>(), result = Result()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var exported = Set<UUID>()
        for start in stride(from: 0, to: planIDs.count, by: max(1, batch)) {
            let ids = Array(planIDs[start..<min(planIDs.count, start + max(1, batch))])
            let order = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
            let plans = try await Plan.query(on: db).filter(\.$id ~~ ids).all().sorted { order[$0.id!]! < order[$1.id!]! }
            let people = Dictionary(try await Person.query(on: db).filter(\.$id ~~ Array(Set(plans.map { $0.$person.id }))).all().map { ($0.id!, $0) },
                                    uniquingKeysWith: { a, _ in a })
            let pairs = plans.compactMap { plan in people[plan.$person.id].map { (plan, $0) } }
            for source in try await PersonRecords.fhirSources(pairs, on: db) {
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
                exported.insert(source.record.person.id!)
                result.plans += 1
            }
            progress(min(planIDs.count, start + ids.count), planIDs.count)
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

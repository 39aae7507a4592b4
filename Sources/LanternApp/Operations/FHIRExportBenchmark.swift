import Fluent
import Foundation
import LanternDomain
import Vapor

/// `lantern bench export`: the bulk FHIR export of the demo organisation scaled up. The demo is loaded
/// into a fresh SQLite database in a temporary folder, each of its plans is copied (with its sections)
/// until there are `copies` times as many, and every plan is exported as NDJSON.
public enum FHIRExportBenchmark {
    public static func run(copies: Int) async throws -> (plans: Int, resources: Int, seconds: Double) {
        try await LanternCommands.withScratchStore { app, folder in
            _ = try await DemoData.loadIfEmpty(app)
            let plans = try await Plan.query(on: app.db).all()
            let sections = Dictionary(grouping: try await PlanSection.query(on: app.db).all()) { $0.$plan.id }
            try await app.db.transaction { db in
                for _ in 1..<max(1, copies) {
                    for plan in plans {
                        let copy = Plan()
                        copy.id = UUID(); copy.$person.id = plan.$person.id; copy.planType = plan.planType; copy.planKind = plan.planKind
                        copy.status = PlanStatus.draft.rawValue; copy.meetingDate = plan.meetingDate; copy.effectiveStart = plan.effectiveStart
                        copy.effectiveEnd = plan.effectiveEnd; copy.planningLanguage = plan.planningLanguage; copy.seriesID = copy.id!
                        copy.versionNumber = 1; copy.createdByID = plan.createdByID; copy.version = 1
                        try await copy.create(on: db)
                        for section in sections[plan.id!] ?? [] {
                            let s = PlanSection()
                            s.id = UUID(); s.$plan.id = copy.id!; s.sectionKey = section.sectionKey; s.contentJSON = section.contentJSON; s.version = 1
                            try await s.create(on: db)
                        }
                    }
                }
            }
            let result = try await FHIRBulkExport.run(app, to: folder.appendingPathComponent("ndjson")) { _, _ in }
            return (result.plans, result.resources.values.reduce(0, +), result.seconds)
        }
    }
}

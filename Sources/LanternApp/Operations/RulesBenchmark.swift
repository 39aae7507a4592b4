import Fluent
import Foundation
import LanternDomain
import Vapor

/// `lantern bench rules`: the findings of real plans, from the configured store (a generated state, or
/// the demo when the store is empty). Reading each plan with what its rules need (`PersonRecords.load`)
/// and applying the rules (`RuleEngine.findings`, the domain alone) are timed apart, so a reader sees
/// which of the two a plan's findings cost.
public enum RulesBenchmark {
    public struct Result: Sendable {
        public var plans: Int
        public var findings: Int
        /// Milliseconds per plan: reading it (one plan at a time, as a request does), and the rules alone.
        public var load: [Double]
        public var rules: [Double]
    }

    public static func run(app: Application, plans count: Int, repeats: Int) async throws -> Result {
        // As `serve` would: the store brought up to date, and the demo in it when it has no plans.
        try await app.autoMigrate()
        if try await Plan.query(on: app.db).count() == 0 { _ = try await DemoData.loadIfEmpty(app) }
        let library = try RulePackLibrary.shared.get()
        let engine = RuleEngine(library: library)
        // Plans in effect, a spread of them: every nth by id, so each plan type and size is among them.
        let total = try await Plan.query(on: app.db).filter(\.$status == PlanStatus.active.rawValue).count()
        let step = max(1, total / max(1, count))
        var chosen: [(Plan, Person)] = []
        var cursor: UUID?
        while chosen.count < count {
            var query = Plan.query(on: app.db).filter(\.$status == PlanStatus.active.rawValue).sort(\.$id).limit(500)
            if let cursor { query = query.filter(\.$id > cursor) }
            let page = try await query.all()
            guard let last = page.last else { break }
            cursor = last.id
            for (i, plan) in page.enumerated() where i % step == 0 && chosen.count < count {
                guard let person = try await Person.find(plan.$person.id, on: app.db) else { continue }
                chosen.append((plan, person))
            }
        }
        var result = Result(plans: chosen.count, findings: 0, load: [], rules: [])
        let clock = ContinuousClock()
        func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
        for (plan, person) in chosen {
            var record: PlanRecord?
            let loaded = try await clock.measure { record = try await PersonRecords.load(plan, person, on: app.db) }
            result.load.append(ms(loaded))
            let facts = record!.facts
            var findings: [Finding] = []
            let applied = clock.measure { for _ in 0..<max(1, repeats) { findings = engine.findings(for: facts) } }
            result.rules.append(ms(applied) / Double(max(1, repeats)))
            result.findings += findings.count
        }
        return result
    }
}

import Fluent
import Foundation
import LanternDomain
import SQLKit
import Vapor
import XCTest
@testable import LanternApp

/// `lantern generate`: a statewide organisation, checked with direct SQL counts, the rule engine and
/// the audit chain, and the same for the same seed.
final class GeneratorTests: XCTestCase {
    static let today = CalendarDate("2026-11-18")!
    static let people = 300

    /// A fresh, empty, migrated store on `engine` (PostgreSQL: the test database, wiped).
    func emptyStore(_ engine: TestEngine) async throws -> (Application, URL?) {
        let app = try await Application.make(.testing)
        var folder: URL? = nil
        let settings: LanternSettings
        switch engine {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lantern-generate-\(UUID().uuidString)")
            folder = dir
            settings = LanternSettings(store: .sqlite(path: dir.appendingPathComponent("state.sqlite").path))
        case .postgres:
            settings = LanternSettings(store: .postgres(url: TestEngine.postgresURL!))
        }
        try await configure(app, settings: settings, clock: ManualClock(TestWorld.start))
        if engine == .postgres {
            try await app.db.sql.raw("DROP SCHEMA public CASCADE").run()
            try await app.db.sql.raw("CREATE SCHEMA public").run()
        }
        try await app.autoMigrate()
        return (app, folder)
    }

    func withGenerated(_ engine: TestEngine, seed: UInt64, people: Int = GeneratorTests.people, _ body: (Application, StatewideGenerator.Report) async throws -> Void) async throws {
        let (app, folder) = try await emptyStore(engine)
        do {
            let report = try await StatewideGenerator.generate(people: people, seed: seed, today: Self.today, on: app, batchSize: 120)
            try await body(app, report)
        } catch {
            XCTFail("[\(engine.rawValue)] \(error)")
        }
        try await app.asyncShutdown()
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    func count(_ db: any Database, _ query: String) async throws -> Int {
        try await db.sql.raw(SQLQueryString(query)).first()!.decode(column: "n", as: Int.self)
    }

    func testStatewideOrganisation() async throws {
        for engine in TestEngine.enabled {
            try await withGenerated(engine, seed: 7) { app, report in
                let db = app.db
                let e = engine.rawValue
                try await expectEqual(try await count(db, "SELECT COUNT(*) AS n FROM people"), Self.people, "[\(e)] people")
                for status in ["referred", "waiting", "active", "exited"] {
                    let n = try await count(db, "SELECT COUNT(*) AS n FROM people WHERE status = '\(status)'")
                    XCTAssertGreaterThan(n, 0, "[\(e)] people \(status)")
                }
                let active = try await count(db, "SELECT COUNT(*) AS n FROM people WHERE status = 'active'")
                XCTAssertGreaterThan(active, Self.people * 3 / 4, "[\(e)] most people are in services")
                try await expectEqual(try await count(db, "SELECT COUNT(*) AS n FROM people WHERE status <> 'exited' AND current_coordinator_id IS NULL"), 0,
                                      "[\(e)] everyone in services has a coordinator")
                try await expectEqual(try await count(db, """
                    SELECT COUNT(*) AS n FROM people p WHERE p.status = 'active' AND NOT EXISTS (SELECT 1 FROM plans WHERE plans.person_id = p.id)
                    """), 0, "[\(e)] everyone in services has a plan")
                let inEffect = try await count(db, "SELECT COUNT(*) AS n FROM plans WHERE status = 'active'")
                XCTAssertGreaterThan(inEffect, active * 3 / 4, "[\(e)] most have a plan in effect")
                try await expectEqual(try await count(db, """
                    SELECT COUNT(*) AS n FROM (SELECT person_id FROM plans WHERE status = 'active' GROUP BY person_id HAVING COUNT(*) > 1) x
                    """), 0, "[\(e)] at most one plan in effect a person")
                try await expectEqual(try await count(db, "SELECT COUNT(DISTINCT plan_type) AS n FROM plans"), 4, "[\(e)] every plan type")
                for status in ["superseded", "draft", "ended"] {
                    let n = try await count(db, "SELECT COUNT(*) AS n FROM plans WHERE status = '\(status)'")
                    XCTAssertGreaterThan(n, 0, "[\(e)] plans \(status)")
                }
                try await expectTrue(try await count(db, "SELECT COUNT(*) AS n FROM plans WHERE status = 'active' AND meeting_date < '\(Self.today.adding(months: -12))'") > 0,
                                     "[\(e)] some plans overdue for review")
                // Caseloads of about 25, some coordinators with more than others.
                let coordinators = try await count(db, "SELECT COUNT(*) AS n FROM users WHERE role = 'support_coordinator'")
                let served = try await count(db, "SELECT COUNT(*) AS n FROM people WHERE current_coordinator_id IS NOT NULL")
                XCTAssertEqual(Double(served) / Double(coordinators), 25, accuracy: 4, "[\(e)] caseloads of about 25")
                let largest = try await count(db, "SELECT MAX(c) AS n FROM (SELECT COUNT(*) AS c FROM people WHERE current_coordinator_id IS NOT NULL GROUP BY current_coordinator_id) x")
                XCTAssertGreaterThan(largest, 25, "[\(e)] some caseloads are large")
                for table in ["plan_sections", "plan_signatures", "authorizations", "service_deliveries", "waiting_list_entries", "progress_entries",
                              "outcome_reviews", "outcome_self_views", "planning_meetings", "satisfaction_surveys", "monitoring_contacts", "referrals",
                              "circle_members", "coordinator_assignments", "provider_links", "provider_approvals", "catalogue_services", "plan_distributions"] {
                    let n = try await count(db, "SELECT COUNT(*) AS n FROM \(table)")
                    XCTAssertGreaterThan(n, 0, "[\(e)] \(table)")
                }
                try await expectTrue(try await count(db, "SELECT COUNT(*) AS n FROM progress_entries WHERE entry_date < '\(Self.today.adding(months: -18))'") > 0,
                                     "[\(e)] progress over years")
                try await expectTrue(try await count(db, "SELECT COUNT(*) AS n FROM referrals WHERE decision IS NULL") > 0, "[\(e)] referrals awaiting a decision")
                try await expectTrue(try await count(db, "SELECT COUNT(*) AS n FROM planning_meetings WHERE status = 'planned' AND meets_on > '\(Self.today)' AND meets_on <= '\(Self.today.adding(days: 14))'") > 0,
                                     "[\(e)] meetings in the next two weeks")
                try await expectTrue(try await count(db, "SELECT COUNT(*) AS n FROM coordination_tasks WHERE status = 'open' AND due_on < '\(Self.today)'") > 0, "[\(e)] overdue tasks")
                try await expectTrue(try await count(db, "SELECT COUNT(*) AS n FROM coordination_tasks WHERE status = 'open' AND due_on >= '\(Self.today)'") > 0, "[\(e)] tasks to come")
                try await expectTrue(try await count(db, "SELECT COUNT(*) AS n FROM coordination_tasks WHERE status = 'done'") > 0, "[\(e)] tasks done")
                XCTAssertEqual(report.rows.first { $0.table == "people" }?.count, Self.people)

                // Every plan in effect is complete by its rule pack, read back as the pages read it.
                let plans = try await Plan.query(on: db).filter(\.$status == PlanStatus.active.rawValue).all()
                let persons = Dictionary(try await Person.query(on: db).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
                var incomplete: [String] = []
                for start in stride(from: 0, to: plans.count, by: 100) {
                    let slice = plans[start..<min(plans.count, start + 100)].map { ($0, persons[$0.$person.id]!) }
                    for record in try await PersonRecords.load(slice, on: db) {
                        let missing = try record.findings().filter { $0.severity == .required }
                        if !missing.isEmpty { incomplete.append("\(record.plan.type.rawValue): \(missing.map(\.ruleID))") }
                    }
                }
                XCTAssertEqual(incomplete.count, 0, "[\(e)] plans in effect with findings: \(incomplete.prefix(5))")
                let check = try await AuditChain.verify(on: db)
                XCTAssertTrue(check.isIntact, "[\(e)] audit chain")
                XCTAssertGreaterThan(check.rowsChecked, 0)
                let plansCheck = try await LanternCommands.verifyPlans(app)
                XCTAssertEqual(plansCheck.problems, [], "[\(e)] every signed version matches its digest")
                // A second run refuses: the store has accounts.
                do {
                    _ = try await StatewideGenerator.generate(people: 5, seed: 7, today: Self.today, on: app)
                    XCTFail("[\(e)] generated into a store with accounts")
                } catch is StatewideGenerator.StoreNotEmpty {}
            }
        }
    }

    /// An ordered digest of the people, plans, sections, progress and authorizations.
    func digest(_ db: any Database) async throws -> String {
        var text = ""
        func rows(_ sql: String, _ columns: [String]) async throws {
            for row in try await db.sql.raw(SQLQueryString(sql)).all() {
                for c in columns {
                    if c.hasSuffix("id") { text += (try row.decode(column: c, as: UUID?.self))?.uuidString ?? "-" }
                    else if c == "value" { text += (try row.decode(column: c, as: Double?.self)).map { String($0) } ?? "-" }
                    else { text += (try row.decode(column: c, as: String?.self)) ?? "-" }
                    text += "|"
                }
                text += "\n"
            }
        }
        try await rows("SELECT id, legal_given_name, legal_family_name, birth_date, status, current_coordinator_id FROM people ORDER BY id",
                       ["id", "legal_given_name", "legal_family_name", "birth_date", "status", "current_coordinator_id"])
        try await rows("SELECT id, person_id, plan_type, status, meeting_date, content_digest FROM plans ORDER BY id",
                       ["id", "person_id", "plan_type", "status", "meeting_date", "content_digest"])
        try await rows("SELECT id, plan_id, section_key, content FROM plan_sections ORDER BY id", ["id", "plan_id", "section_key", "content"])
        try await rows("SELECT id, step_id, entry_date, value FROM progress_entries ORDER BY id", ["id", "step_id", "entry_date", "value"])
        try await rows("SELECT id, plan_id, service_code, starts_on, status FROM authorizations ORDER BY id", ["id", "plan_id", "service_code", "starts_on", "status"])
        try await rows("SELECT source_key, due_on, status FROM coordination_tasks ORDER BY source_key", ["source_key", "due_on", "status"])
        return SHA256.hash(data: Data(text.utf8)).hex
    }

    func testSameSeedSameData() async throws {
        for engine in TestEngine.enabled {
            var digests: [String] = []
            for seed: UInt64 in [11, 11, 12] {
                try await withGenerated(engine, seed: seed, people: 120) { app, _ in digests.append(try await digest(app.db)) }
            }
            XCTAssertEqual(digests.count, 3)
            guard digests.count == 3 else { continue }
            XCTAssertEqual(digests[0], digests[1], "[\(engine.rawValue)] the same seed gives the same data")
            XCTAssertNotEqual(digests[0], digests[2], "[\(engine.rawValue)] another seed gives other data")
        }
    }
}

import Fluent
import FluentSQLiteDriver
import Foundation
import LanternDomain
import SQLKit
import Vapor
import XCTest
import XCTVapor
@testable import LanternApp

/// Every organisation-wide figure on the dashboard and the caseloads page equals the same figure
/// counted directly, on a generated state of more than 12,000 people, for an administrator, a
/// supervisor and a coordinator, on each engine. LANTERN_TEST_STATE_PEOPLE sets the size.
final class StatewideFiguresTests: XCTestCase {
    static var people: Int { ProcessInfo.processInfo.environment["LANTERN_TEST_STATE_PEOPLE"].flatMap(Int.init) ?? 12_500 }

    func testEveryFigureEqualsADirectCount() async throws {
        for engine in TestEngine.enabled {
            let app = try await Application.make(.testing)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lantern-state-\(UUID().uuidString)")
            let store: LanternSettings.Store = engine == .sqlite ? .sqlite(path: folder.appendingPathComponent("state.sqlite").path) : .postgres(url: TestEngine.postgresURL!)
            do {
                try await configure(app, settings: LanternSettings(store: store), clock: ManualClock(TestWorld.start))
                if engine == .postgres {
                    try await app.db.sql.raw("DROP SCHEMA public CASCADE").run()
                    try await app.db.sql.raw("CREATE SCHEMA public").run()
                }
                let today = CalendarDate(TestWorld.start)
                _ = try await StatewideGenerator.generate(people: Self.people, seed: 21, today: today, on: app)
                let total = try await Person.query(on: app.db).count()
                XCTAssertEqual(total, Self.people, "[\(engine)] the state generated whole")
                if ProcessInfo.processInfo.environment["LANTERN_TEST_STATE_PEOPLE"] == nil {
                    XCTAssertGreaterThan(total, 12_000, "[\(engine)] a state larger than any cap the views used to have")
                }
                try await checkFigures(app, engine: engine, today: today)
            } catch {
                XCTFail("[\(engine)] \(error)")
            }
            try await app.asyncShutdown()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// The people a role sees, written out here in SQL of its own (not the policy's).
    struct Scope {
        var label: String
        var user: User
        var peopleSQL: SQLQueryString
    }

    func checkFigures(_ app: Application, engine: TestEngine, today: CalendarDate) async throws {
        let db = app.db.sql
        let adminRow = try await User.query(on: app.db).filter(\.$role == Role.administrator.rawValue).first()
        let admin = try XCTUnwrap(adminRow)
        // The busiest supervisor and the coordinator with the largest caseload: the most rows to get wrong.
        let supervisorRows = try await db.raw("""
            SELECT u.supervisor_id AS id, COUNT(*) AS n FROM people p JOIN users u ON u.id = p.current_coordinator_id
            GROUP BY u.supervisor_id ORDER BY n DESC LIMIT 1
            """).first()
        let supervisorFound = try await User.find(try XCTUnwrap(supervisorRows).decode(column: "id", as: UUID.self), on: app.db)
        let supervisor = try XCTUnwrap(supervisorFound)
        let coordinatorRows = try await db.raw("""
            SELECT current_coordinator_id AS id, COUNT(*) AS n FROM people WHERE current_coordinator_id IS NOT NULL
            GROUP BY current_coordinator_id ORDER BY n DESC LIMIT 1
            """).first()
        let coordinatorFound = try await User.find(try XCTUnwrap(coordinatorRows).decode(column: "id", as: UUID.self), on: app.db)
        let coordinator = try XCTUnwrap(coordinatorFound)
        let scopes = [
            Scope(label: "administrator", user: admin, peopleSQL: "SELECT id FROM people"),
            Scope(label: "supervisor", user: supervisor, peopleSQL: "SELECT p.id FROM people p JOIN users u ON u.id = p.current_coordinator_id WHERE u.supervisor_id = \(bind: supervisor.id!)"),
            Scope(label: "coordinator", user: coordinator, peopleSQL: "SELECT id FROM people WHERE current_coordinator_id = \(bind: coordinator.id!)"),
        ]
        for scope in scopes {
            let who = "[\(engine)] \(scope.label)"
            let identity = try await TestWorld.identity(for: scope.user, app: app, now: TestWorld.start)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: identity.token)
            let reply = try await app.testable().sendRequest(.GET, "/api/v1/dashboard", headers: headers)
            XCTAssertEqual(reply.status, .ok, "\(who): \(reply.body.string)")
            let dashboard = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buffer: reply.body)) as? [String: Any])
            let counts = try XCTUnwrap(dashboard["counts"] as? [String: Int])
            let t = today.description
            func n(_ sql: SQLQueryString) async throws -> Int {
                try await db.raw(sql).first()!.decode(column: "n", as: Int.self)
            }
            let inScope: SQLQueryString = "IN (" + scope.peopleSQL + ")"
            let notExited = "person_id IN (SELECT id FROM people WHERE status <> 'exited')"
            let openTasks: SQLQueryString = "FROM coordination_tasks WHERE status = 'open' AND show_from <= '\(t)' AND person_id \(inScope)"
            try await expectEqual(counts["overdue"], try await n("SELECT COUNT(*) AS n \(openTasks) AND due_on < '\(t)'"), "\(who) overdue")
            try await expectEqual(counts["dueToday"], try await n("SELECT COUNT(*) AS n \(openTasks) AND due_on = '\(t)'"), "\(who) due today")
            try await expectEqual(counts["dueThisWeek"], try await n("SELECT COUNT(*) AS n \(openTasks) AND due_on > '\(t)' AND due_on <= '\(today.adding(days: 7).description)'"), "\(who) this week")
            try await expectEqual(counts["overdueContacts"], try await n("SELECT COUNT(*) AS n \(openTasks) AND due_on < '\(t)' AND kind = 'monitoring_contact'"), "\(who) contacts")
            try await expectEqual(counts["meetingsNext14Days"], try await n("""
                SELECT COUNT(*) AS n FROM planning_meetings WHERE status = 'planned' AND meets_on >= '\(t)' AND meets_on <= '\(today.adding(days: 14).description)'
                AND person_id \(inScope) AND \(notExited)
                """), "\(who) meetings")
            try await expectEqual(counts["plansInEffect"], try await n("SELECT COUNT(*) AS n FROM plans WHERE status = 'active' AND person_id \(inScope) AND \(notExited)"), "\(who) plans in effect")
            try await expectEqual(counts["referralsWaiting"], try await n("SELECT COUNT(*) AS n FROM referrals WHERE decision IS NULL AND person_id \(inScope) AND \(notExited)"), "\(who) referrals")
            // Plans due for renewal: every plan in effect read, and the rule applied to each here.
            var due = 0
            for row in try await db.raw(("SELECT plan_type, effective_start, effective_end FROM plans WHERE status = 'active' AND person_id \(inScope) AND \(notExited)") as SQLQueryString).all() {
                guard let start = try row.decode(column: "effective_start", as: String?.self).flatMap(CalendarDate.init) else { continue }
                let end = try row.decode(column: "effective_end", as: String?.self).flatMap(CalendarDate.init)
                if Deadlines.nextPlan(planID: "", person: "", type: .missouriISP, start: start, end: end).due <= today.adding(days: 60) { due += 1 }
            }
            XCTAssertGreaterThan(due, 0, "\(who): the generated state has plans due")
            try await expectEqual(counts["plansDueWithin60Days"], due, "\(who) plans due")
            // Lists show their first rows; together with the counts nothing is hidden.
            XCTAssertEqual((dashboard["tasks"] as? [Any])?.count, min(PersonRecords.dashboardListLimit, counts["overdue"]! + counts["dueToday"]! + counts["dueThisWeek"]!), who)
            XCTAssertEqual((dashboard["expiring"] as? [Any])?.count, min(PersonRecords.dashboardListLimit, due), who)
            // The waiting list by service.
            let waiting = (dashboard["waiting"] as? [[String: Any]]) ?? []
            for row in try await db.raw(("SELECT service_name AS s, COUNT(DISTINCT person_id) AS n FROM waiting_list_entries WHERE ended_on IS NULL AND person_id \(inScope) GROUP BY service_name") as SQLQueryString).all() {
                let service = try row.decode(column: "s", as: String.self)
                XCTAssertEqual(waiting.first { $0["service"] as? String == service }?["people"] as? Int, try row.decode(column: "n", as: Int.self), "\(who) waiting for \(service)")
            }
            // Satisfaction by quarter: every survey in scope read here and given to the domain's own trend.
            var scores: [SurveyScore] = []
            for row in try await db.raw(("SELECT answered_on, answers FROM satisfaction_surveys WHERE answered_on >= '\(today.adding(months: -24).description)' AND person_id \(inScope) AND \(notExited)") as SQLQueryString).all() {
                let raw = try JSONDecoder().decode([String: Int].self, from: Data(try row.decode(column: "answers", as: String.self).utf8))
                scores.append(SurveyScore(answeredOn: CalendarDate(try row.decode(column: "answered_on", as: String.self))!, ratings: raw.values.compactMap(SatisfactionRating.init)))
            }
            let expected = SatisfactionTrend(scores).quarters
            let quarters = (dashboard["satisfaction"] as? [[String: Any]]) ?? []
            XCTAssertFalse(expected.isEmpty, "\(who): the generated state has surveys")
            XCTAssertEqual(quarters.map { $0["quarter"] as? String }, expected.map(\.label), "\(who) satisfaction quarters")
            for (got, want) in zip(quarters, expected) {
                XCTAssertEqual(got["surveys"] as? Int, want.surveys, "\(who) surveys in \(want.label)")
                XCTAssertEqual((got["mean"] as? Double) ?? -1, (want.mean * 100).rounded() / 100, accuracy: 0.0001, "\(who) mean in \(want.label)")
                XCTAssertEqual((got["happyShare"] as? Double) ?? -1, (want.happyShare * 1000).rounded() / 1000, accuracy: 0.0001, "\(who) happy in \(want.label)")
            }
            if scope.label == "administrator" {
                // The long lists, followed page by page to the end: every row once, as many as there are.
                func follow(_ path: String) async throws -> [String] {
                    var ids: [String] = [], cursor: String?
                    repeat {
                        let url = path + (cursor.map { "?cursor=\($0)" } ?? "")
                        let page = try await app.testable().sendRequest(.GET, url, headers: headers)
                        XCTAssertEqual(page.status, .ok, "\(who) \(url)")
                        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buffer: page.body)) as? [String: Any])
                        ids += ((object["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
                        cursor = object["nextCursor"] as? String
                    } while cursor != nil && ids.count < 100_000
                    return ids
                }
                let tasks = try await follow("/api/v1/tasks")
                let closedRecently = try await n("SELECT COUNT(*) AS n FROM coordination_tasks WHERE status <> 'open' AND closed_on >= '\(today.adding(days: -30).description)'")
                XCTAssertEqual(Set(tasks).count, tasks.count, "\(who): no task twice across the pages")
                try await expectEqual(tasks.count, try await n("SELECT COUNT(*) AS n \(openTasks)") + min(closedRecently, PersonRecords.tasksPerPage), "\(who): every open task on some page")
                let waitingRows = try await follow("/api/v1/waiting-list")
                XCTAssertEqual(Set(waitingRows).count, waitingRows.count, "\(who): no waiting-list entry twice")
                try await expectEqual(waitingRows.count, try await n("SELECT COUNT(*) AS n FROM waiting_list_entries WHERE ended_on IS NULL"), "\(who): every waiting-list entry on some page")
            }
            guard scope.label != "coordinator" else { continue }
            // The federal 12-month review figure and the caseloads.
            let active = try await n("SELECT COUNT(*) AS n FROM people WHERE status = 'active' AND id \(inScope)")
            let reviewed = try await n("""
                SELECT COUNT(DISTINCT person_id) AS n FROM plans WHERE status = 'active' AND person_id \(inScope)
                AND person_id IN (SELECT id FROM people WHERE status = 'active')
                AND effective_start > '\(today.adding(months: -12).description)' AND effective_start <= '\(t)'
                """)
            let share = try XCTUnwrap(dashboard["reviewedWithin12Months"] as? [String: Any], who)
            XCTAssertEqual(share["people"] as? Int, active, "\(who) people in services")
            XCTAssertEqual(share["reviewed"] as? Int, reviewed, "\(who) reviewed within 12 months")
            // Caseloads: the dashboard's first rows and counts, and every coordinator on the caseloads
            // pages, followed to the end, against the people counted here and the weights applied here.
            let coordinatorsSQL: SQLQueryString = scope.label == "administrator" ? "SELECT id FROM users WHERE role = 'support_coordinator' AND is_active = \(bind: true)"
                : "SELECT id FROM users WHERE role = 'support_coordinator' AND is_active = \(bind: true) AND supervisor_id = \(bind: supervisor.id!)"
            var caseloadPages: [[String: Any]] = [], caseloadCursor: String?
            repeat {
                let page = try await app.testable().sendRequest(.GET, "/api/v1/caseloads" + (caseloadCursor.map { "?cursor=\($0)" } ?? ""), headers: headers)
                XCTAssertEqual(page.status, .ok, who)
                let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buffer: page.body)) as? [String: Any])
                caseloadPages.append(object)
                caseloadCursor = object["nextCursor"] as? String
            } while caseloadCursor != nil && caseloadPages.count < 1_000
            let everyLoad = caseloadPages.flatMap { ($0["caseloads"] as? [[String: Any]]) ?? [] }
            let coordinatorCount = try await n("SELECT COUNT(*) AS n FROM (\(coordinatorsSQL)) c")
            XCTAssertEqual(Set(everyLoad.compactMap { $0["coordinatorId"] as? String }).count, coordinatorCount, "\(who): every coordinator once on the caseloads pages")
            XCTAssertEqual(everyLoad.count, coordinatorCount, who)
            XCTAssertEqual(dashboard["coordinators"] as? Int, coordinatorCount, "\(who) coordinators on the dashboard")
            try await expectEqual(everyLoad.reduce(0) { $0 + (($1["people"] as? Int) ?? 0) },
                                  try await n("SELECT COUNT(*) AS n FROM people WHERE status <> 'exited' AND current_coordinator_id IN (\(coordinatorsSQL))"), "\(who) caseloads")
            let first = try XCTUnwrap(caseloadPages.first)
            let weights = try XCTUnwrap(first["weights"] as? [String: Double]), defaultLimit = try XCTUnwrap(first["defaultLimit"] as? Double)
            var over = 0
            for row in try await db.raw("""
                SELECT u.caseload_limit AS lim, SUM(CASE WHEN p.intensity = 'high' THEN 1 ELSE 0 END) AS high, COUNT(p.id) AS people
                FROM users u LEFT JOIN people p ON p.current_coordinator_id = u.id AND p.status <> 'exited' WHERE u.id IN (\(coordinatorsSQL)) GROUP BY u.id, u.caseload_limit
                """).all() {
                let people = try row.decode(column: "people", as: Int.self), high = try row.decode(column: "high", as: Int?.self) ?? 0
                let weighted = Double(people - high) * weights["standard"]! + Double(high) * weights["high"]!
                if weighted > (try row.decode(column: "lim", as: Double?.self) ?? defaultLimit) + 1e-9 { over += 1 }
            }
            XCTAssertGreaterThan(over, 0, "\(who): the generated state has coordinators over their limit")
            XCTAssertEqual(first["overLimitTotal"] as? Int, over, "\(who) coordinators over their limit")
            XCTAssertEqual(dashboard["coordinatorsOverLimit"] as? Int, over, "\(who) over their limit on the dashboard")
            let shown = try XCTUnwrap(dashboard["caseloads"] as? [[String: Any]], who)
            XCTAssertEqual(shown.count, min(PersonRecords.dashboardListLimit, coordinatorCount), who)
            XCTAssertEqual(shown.prefix(over).allSatisfy { $0["over"] as? Bool == true }, true, "\(who): those over their limit come first")
            let conflicts = try await n("""
                SELECT COUNT(*) AS n FROM provider_links l JOIN people p ON p.id = l.person_id JOIN users c ON c.id = p.current_coordinator_id
                WHERE c.organization_id = l.organization_id AND p.status <> 'exited' AND p.id \(inScope)
                AND NOT EXISTS (SELECT 1 FROM conflict_exceptions e WHERE e.person_id = p.id AND e.organization_id = l.organization_id AND e.coordinator_id = c.id AND e.ended_on IS NULL)
                """)
            XCTAssertEqual(dashboard["conflictsWithoutException"] as? Int, conflicts, "\(who) conflicts")
            XCTAssertEqual((first["reviewedWithin12Months"] as? [String: Any])?["reviewed"] as? Int, reviewed, "\(who) caseloads page")
            XCTAssertEqual(first["conflictsWithoutException"] as? Int, conflicts, "\(who) conflicts on the caseloads page")
            // Every conflict, page by page, those without an exception first.
            var listed: [[String: Any]] = [], from: Int? = 0
            while let start = from, listed.count < 100_000 {
                let page = try await app.testable().sendRequest(.GET, "/api/v1/caseloads?conflictsFrom=\(start)", headers: headers)
                let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buffer: page.body)) as? [String: Any])
                listed += (object["conflicts"] as? [[String: Any]]) ?? []
                from = object["nextConflictsFrom"] as? Int
            }
            XCTAssertEqual(listed.count, first["conflictsTotal"] as? Int, "\(who) every conflict listed")
            XCTAssertEqual(listed.filter { ($0["exceptionDocumented"] as? Bool) == false }.count, conflicts, "\(who) conflicts listed")
            XCTAssertEqual(listed.prefix(conflicts).allSatisfy { ($0["exceptionDocumented"] as? Bool) == false }, true, "\(who): those needing action first")
        }
    }
}

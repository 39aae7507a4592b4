import Fluent
import SQLKit
import Vapor
import XCTest
@testable import LanternApp

final class OperationsTests: XCTestCase {
    func testHealthReadinessAndMetrics() async throws {
        try await onEveryEngine { w in
            try await expectEqual(try await w.api(.GET, "/healthz", as: nil).status, .ok)
            try await expectEqual(try await w.api(.GET, "/readyz", as: nil).status, .ok)
            _ = try await w.api(.GET, "/api/v1/people", as: "admin")
            _ = try await w.api(.GET, "/api/v1/people/\(UUID().text)", as: "admin")
            let metrics = try await w.api(.GET, "/metrics", as: nil)
            XCTAssertEqual(metrics.status, .ok)
            XCTAssertTrue(metrics.body.contains("lantern_http_requests_total"), metrics.body)
            XCTAssertTrue(metrics.body.contains("route=\"/api/v1/people/:personID\""), "metrics use the route pattern, never ids")
            XCTAssertTrue(metrics.body.contains("lantern_http_request_duration_seconds_bucket"))
            XCTAssertFalse(metrics.body.contains(w.own.text))
        }
    }

    func testSQLiteIsDurable() async throws {
        guard TestEngine.enabled.contains(.sqlite) else { return }
        let w = try await TestWorld.make(.sqlite)
        defer { Task { try? await w.shutdown() } }
        let mode = try await w.app.db.sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
        XCTAssertEqual(mode, "wal")
        for loop in w.app.eventLoopGroup.makeIterator() {
            let db = w.app.databases.database(logger: w.app.logger, on: loop)! as! any SQLDatabase
            let sync = try await db.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
            XCTAssertEqual(sync, 2, "synchronous=FULL on every connection")
            let fk = try await db.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self)
            XCTAssertEqual(fk, 1)
        }
    }

    /// The served OpenAPI document and the routes agree both ways.
    func testOpenAPIDocumentMatchesTheRoutes() async throws {
        guard let engine = TestEngine.enabled.first else { return }
        let w = try await TestWorld.make(engine)
        let reply = try await w.api(.GET, "/api/v1/openapi.json", as: nil)
        XCTAssertEqual(reply.status, .ok)
        let doc = reply.object
        XCTAssertEqual(doc["openapi"] as? String, "3.1.0")
        var documented = Set<String>()
        for (path, item) in (doc["paths"] as? [String: Any]) ?? [:] {
            for method in ((item as? [String: Any]) ?? [:]).keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        var served = Set<String>()
        for route in w.app.routes.all {
            let path = "/" + route.path.map { component -> String in
                if case let .parameter(name) = component { return "{\(name)}" }
                return component.description
            }.joined(separator: "/")
            if path.hasPrefix("/api/v1/") { served.insert("\(route.method.rawValue) \(path)") }
        }
        try await w.shutdown()
        XCTAssertFalse(served.isEmpty)
        XCTAssertEqual(served.subtracting(documented).sorted(), [], "routes missing from the OpenAPI document")
        XCTAssertEqual(documented.subtracting(served).sorted(), [], "documented routes that do not exist")
    }

    func testAuditVerifyCommand() async throws {
        try await onEveryEngine { w in
            _ = try await w.api(.GET, "/api/v1/people/\(w.own.text)", as: "admin")
            let result = try await LanternCommands.verifyAudit(w.app)
            XCTAssertTrue(result.isIntact)
            let api = try await w.api(.GET, "/api/v1/audit/verify", as: "admin")
            XCTAssertEqual(api.object["intact"] as? Bool, true)
        }
    }

    func testDemoDataCoversEveryAgeGroupAndLoadsOnce() async throws {
        guard let engine = TestEngine.enabled.first else { return }
        let w = try await TestWorld.make(engine)
        // The demo only loads into an empty store.
        try await expectFalse(try await DemoData.loadIfEmpty(w.app))
        try await w.shutdown()

        try await withDemoStore { app, _ in
            let people = try await Person.query(on: app.db).all()
            XCTAssertEqual(people.count, 62, "60 people and two infants just referred to Early Start")
            let today = CalendarDate(TestWorld.start)
            XCTAssertEqual(Set(people.compactMap { $0.ageGroup(on: today) }), Set(AgeGroup.allCases))
            XCTAssertGreaterThan(Set(people.map(\.residenceType)).count, 3)
            XCTAssertGreaterThan(Set(people.map(\.primaryLanguage)).count, 3)
            try await expectEqual(try await User.query(on: app.db).filter(\.$role == "support_coordinator").count(), 4, "three at the agency, one at a provider")
            try await expectEqual(try await ConflictException.query(on: app.db).count(), 1, "one conflict of interest documented, one not")
            try await expectEqual(try await Organization.query(on: app.db).filter(\.$kind == "provider").count(), 2)
            // Coordination: intake deadlines running, meetings planned, satisfaction answered, the person's decisions.
            try await expectEqual(try await Referral.query(on: app.db).filter(\.$planType == "california_ifsp").filter(\.$decision == nil).count(), 2)
            try await expectTrue(try await PlanningMeeting.query(on: app.db).filter(\.$status == "planned").count() > 0)
            try await expectTrue(try await SatisfactionSurvey.query(on: app.db).count() > 50)
            try await expectEqual(try await ServiceRefusal.query(on: app.db).count(), 1)
            try await expectEqual(try await Person.query(on: app.db).filter(\.$selfCoordinatedSince != nil).count(), 1)
            try await expectEqual(try await CoordinationTask.query(on: app.db).filter(\.$kind == "first_plan_meeting").filter(\.$status == "open").count() > 0, true)
            for account in DemoData.accounts {
                try await expectEqual(try await User.query(on: app.db).filter(\.$email == account.email).count(), 1, account.email)
            }
            try await expectTrue(try await AuditChain.verify(on: app.db).isIntact)
            // The demo person and each of the demo guardian's two wards have a version to sign through their own pages.
            let waiting = try await PlanSignature.query(on: app.db).join(User.self, on: \PlanSignature.$userID == \User.$id)
                .filter(User.self, \.$email ~~ ["person1@family.example", "guardian1@family.example"]).filter(\.$status == "requested").count()
            XCTAssertEqual(waiting, 3)
            let cousin = try await CircleMember.query(on: app.db).join(User.self, on: \CircleMember.$userID == \User.$id)
                .filter(User.self, \.$email == "family1@family.example").first()
            XCTAssertEqual(cousin?.hasLegalAuthority, false)
            XCTAssertEqual(cousin?.sharedAreas, [.plan, .outcomes])

            // A complete plan of every type, and some still being written whose findings have something to say.
            let plans = try await Plan.query(on: app.db).with(\.$person).all()
            let rows = try await PlanSection.query(on: app.db).all()
            let byPlan = Dictionary(grouping: rows) { $0.$plan.id }
            var completeTypes = Set<PlanType>(), incompleteTypes = Set<PlanType>()
            for plan in plans {
                let sections = Dictionary(uniqueKeysWithValues: (byPlan[plan.id!] ?? []).map { ($0.sectionKey, $0) })
                let catalogue = try await Catalogue.forPlan(sections["services"]?.content, on: app.db)
                let findings = try PlanRecord(plan: plan, person: plan.person, sections: sections, circle: [], catalogue: catalogue).findings()
                if findings.isEmpty { completeTypes.insert(plan.type) }
                if findings.contains(where: { $0.severity == .required }) { incompleteTypes.insert(plan.type) }
                XCTAssertEqual(findings.isEmpty, plan.planStatus != .draft, "demo plans sent for signatures or in effect are complete; drafts are not")
            }
            XCTAssertEqual(completeTypes, Set(PlanType.allCases))
            XCTAssertEqual(incompleteTypes, Set(PlanType.allCases))
        }
    }
}

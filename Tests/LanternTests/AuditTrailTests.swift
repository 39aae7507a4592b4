import Fluent
import SQLKit
import Vapor
import XCTest
@testable import LanternApp

final class AuditTrailTests: XCTestCase {
    /// Every read and write of a person's record appends a row naming the user, the person, the action,
    /// the category and the outcome.
    /// Digests are stored as lower-case hex (Vapor's `hex`, not `String(format:)`, which is slow on Linux); a known SHA-256 keeps the encoding fixed.
    func testDigestsAreWrittenAsLowerCaseHex() {
        XCTAssertEqual([0x00, 0x0f, 0xa5, 0xff].hex, "000fa5ff")
        XCTAssertEqual(Secrets.sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// A bulk export audits every person it wrote in one transaction; more rows than one statement may
    /// carry still go in, in order, and the chain still checks.
    func testThousandsOfEventsAppendInOneTransaction() async throws {
        try await onEveryEngine { w in
            let before = try await AuditEntry.query(on: w.app.db).count()
            let events = (0..<1_201).map { AuditEvent(userID: nil, userLabel: "test", personID: UUID().text, action: .export, category: .plan,
                                                      sourceAddress: "command line", detail: "event \($0)") }
            try await AuditChain.record(events, on: w.app.db, at: w.app.clock.now())
            try await expectEqual(try await AuditEntry.query(on: w.app.db).count(), before + 1_201)
            try await expectEqual(try await w.lastAudit()?.detail, "event 1200")
            try await expectTrue(try await AuditChain.verify(on: w.app.db).isIntact)
        }
    }

    /// Times on the audit and token pages, and in exports, are UTC to the second.
    func testTimesAreWrittenInUTC() {
        let time = Date(timeIntervalSince1970: 1_795_000_000.789)
        XCTAssertEqual(Views.dateText(time), "2026-11-18 11:06:40 UTC")
        XCTAssertEqual(Views.dateText(Date(timeIntervalSince1970: 3_600 * 9 + 65)), "1970-01-01 09:01:05 UTC")
        XCTAssertEqual(FHIRExport.dateTime(time), "2026-11-18T11:06:40Z")
    }

    func testEveryReadAndWriteIsAudited() async throws {
        try await onEveryEngine { w in
            let p = w.own.text
            let cases: [(String, AuditAction, AuditCategory, () async throws -> TestWorld.Reply)] = [
                ("read person", .view, .demographics, { try await w.api(.GET, "/api/v1/people/\(p)", as: "coordinator") }),
                ("read circle", .view, .circle, { try await w.api(.GET, "/api/v1/people/\(p)/circle", as: "coordinator") }),
                ("read assignments", .view, .coordinatorAssignment, { try await w.api(.GET, "/api/v1/people/\(p)/coordinator-assignments", as: "coordinator") }),
                ("read providers", .view, .providerLink, { try await w.api(.GET, "/api/v1/people/\(p)/providers", as: "coordinator") }),
                ("web person page", .view, .demographics, { try await w.web(.GET, "/people/\(p)", as: "coordinator") }),
                ("update person", .update, .demographics, { try await w.api(.PATCH, "/api/v1/people/\(p)", as: "coordinator", json: ["county": "Boone"], headers: ["If-Match": "*"]) }),
                ("add member", .create, .circle, { try await w.api(.POST, "/api/v1/people/\(p)/circle", as: "coordinator", json: ["name": "Iris Friend", "relationship": "friend"]) }),
                ("update member", .update, .circle, { try await w.api(.PATCH, "/api/v1/people/\(p)/circle/\(w.ownMember.text)", as: "coordinator", json: ["phone": "555-0101"], headers: ["If-Match": "*"]) }),
                ("assign coordinator", .update, .coordinatorAssignment, { try await w.api(.POST, "/api/v1/people/\(p)/coordinator-assignments", as: "supervisor", json: ["coordinatorId": w.coordinatorA2.text, "reason": "Rebalancing"]) }),
            ]
            for (name, action, category, call) in cases {
                let before = try await w.auditCount()
                let reply = try await call()
                XCTAssertLessThan(reply.status.code, 400, "\(name): \(reply.body)")
                let after = try await w.auditCount()
                XCTAssertEqual(after, before + 1, "\(name) should add one audit row")
                let row = try await w.lastAudit()
                XCTAssertEqual(row?.action, action.rawValue, name)
                XCTAssertEqual(row?.category, category.rawValue, name)
                XCTAssertEqual(row?.personID, p, name)
                XCTAssertEqual(row?.outcome, "success", name)
                XCTAssertNotNil(row?.userID, name)
            }
            // A person created through the API is audited with its new id.
            let created = try await w.api(.POST, "/api/v1/people", as: "coordinator", json: Self.newPerson)
            XCTAssertEqual(created.status, .created, created.body)
            let creation = try await AuditEntry.query(on: w.app.db).filter(\.$personID == (created.object["id"] as? String)?.lowercased()).filter(\.$action == "create").count()
            XCTAssertGreaterThanOrEqual(creation, 1)
            // A list is audited once, without a person.
            let before = try await w.auditCount()
            _ = try await w.api(.GET, "/api/v1/people", as: "coordinator")
            let list = try await w.lastAudit()
            try await expectEqual(try await w.auditCount(), before + 1)
            XCTAssertEqual(list?.action, "list")
        }
    }

    nonisolated(unsafe) static let newPerson: [String: Any] = [
        "legalGivenName": "Nia", "legalFamilyName": "Newcomb", "birthDate": "2004-06-30", "primaryLanguage": "English",
        "residenceType": "own_home", "legalStatus": "self", "communicationMethods": ["speech", "pictures"],
    ]

    func testRefusalsAreAuditedAndNothingElseIsWritten() async throws {
        try await onEveryEngine { w in
            let before = try await w.auditCount()
            let reply = try await w.api(.GET, "/api/v1/people/\(w.other.text)", as: "coordinator")
            XCTAssertEqual(reply.status, .notFound)
            let row = try await w.lastAudit()
            try await expectEqual(try await w.auditCount(), before + 1)
            XCTAssertEqual(row?.outcome, "denied")
            XCTAssertEqual(row?.personID, w.other.text)
            // A refused write changes nothing: the person keeps their version.
            let bad = try await w.api(.PATCH, "/api/v1/people/\(w.own.text)", as: "coordinator", json: ["county": "Cole", "birthDate": "not a date"], headers: ["If-Match": "*"])
            XCTAssertEqual(bad.status, .unprocessableEntity)
            let person = try await Person.find(w.own, on: w.app.db)
            XCTAssertEqual(person?.version, 1)
            XCTAssertNil(person?.county)
        }
    }

    func testSignInsSignOutsAndRoleChangesAreAudited() async throws {
        try await onEveryEngine { w in
            _ = try await w.web(.GET, "/sign-in", as: nil)
            // Failed sign-in
            let form = [("email", "coordinator@test.example"), ("password", "wrong password here"), ("_csrf", "x")]
            var headers = HTTPHeaders(); headers.replaceOrAdd(name: .cookie, value: "\(CSRF.cookieName)=x")
            headers.contentType = .urlEncodedForm
            let body = form.map { "\($0.0)=\(TestWorld.formEncode($0.1))" }.joined(separator: "&")
            let failed = try await w.app.testable().sendRequest(.POST, "/sign-in", headers: headers, body: ByteBuffer(string: body))
            XCTAssertEqual(failed.status, .unprocessableEntity)
            try await expectEqual(try await w.lastAudit()?.action, "sign_in_failed")
            // Successful sign-in
            let good = [("email", "coordinator@test.example"), ("password", TestWorld.password), ("_csrf", "x")].map { "\($0.0)=\(TestWorld.formEncode($0.1))" }.joined(separator: "&")
            let ok = try await w.app.testable().sendRequest(.POST, "/sign-in", headers: headers, body: ByteBuffer(string: good))
            XCTAssertEqual(ok.status, .seeOther)
            try await expectEqual(try await w.lastAudit()?.action, "sign_in")
            // Sign-out
            _ = try await w.web(.POST, "/sign-out", as: "coordinator", form: [])
            try await expectEqual(try await w.lastAudit()?.action, "sign_out")
            // Role change
            let user = try await w.api(.GET, "/api/v1/users/\(w["staff"].user.text)", as: "admin")
            let etag = user.headers.first(name: .eTag) ?? ""
            let change = try await w.api(.PATCH, "/api/v1/users/\(w["staff"].user.text)", as: "admin", json: ["role": "guardian_family", "organizationId": NSNull()], headers: ["If-Match": etag])
            XCTAssertEqual(change.status, .ok, change.body)
            let row = try await w.lastAudit()
            XCTAssertEqual(row?.action, "role_change")
            XCTAssertTrue(row?.detail.contains("provider_staff -> guardian_family") ?? false)
            // The changed account's session ended with the change.
            let after = try await w.web(.GET, "/people", as: "staff")
            XCTAssertEqual(after.status, .seeOther)
        }
    }

    func testVerifyFindsChangedDeletedAndInsertedRows() async throws {
        try await onEveryEngine { w in
            for _ in 0..<5 { _ = try await w.api(.GET, "/api/v1/people/\(w.own.text)", as: "admin") }
            var result = try await AuditChain.verify(on: w.app.db)
            XCTAssertTrue(result.isIntact, "\(result.findings)")
            XCTAssertGreaterThanOrEqual(result.rowsChecked, 5)
            let sql = w.app.db.sql

            // Changed: someone edits a row's detail behind the application's back.
            try await sql.raw("UPDATE audit_entries SET detail = 'nothing to see' WHERE seq = 2").run()
            result = try await AuditChain.verify(on: w.app.db)
            XCTAssertFalse(result.isIntact)
            XCTAssertTrue(result.findings.contains { $0.seq == 2 && $0.problem.contains("changed") }, "\(result.findings)")
            try await AuditChainRepair.restore(seq: 2, on: w.app.db)
            try await expectTrue(try await AuditChain.verify(on: w.app.db).isIntact)

            // Deleted: a row in the middle is removed.
            try await sql.raw("DELETE FROM audit_entries WHERE seq = 3").run()
            result = try await AuditChain.verify(on: w.app.db)
            XCTAssertTrue(result.findings.contains { $0.seq == 3 && $0.problem.contains("removed") }, "\(result.findings)")
        }
        try await onEveryEngine { w in
            for _ in 0..<3 { _ = try await w.api(.GET, "/api/v1/people/\(w.own.text)", as: "admin") }
            // Inserted: a forged row appended with a correct-looking hash, but the head was not moved.
            let last = try await w.lastAudit()!
            let forged = AuditEntry()
            forged.id = last.id! + 1; forged.atMillis = last.atMillis; forged.userID = nil; forged.userLabel = "intruder"
            forged.personID = w.own.text; forged.action = "view"; forged.category = "demographics"; forged.outcome = "success"
            forged.detail = ""; forged.prevHash = last.hash; forged.hash = AuditChain.hash(of: forged)
            try await forged.create(on: w.app.db)
            var result = try await AuditChain.verify(on: w.app.db)
            XCTAssertFalse(result.isIntact, "an appended row must be caught")
            // Inserted in the middle: rows renumbered to make room.
            try await AuditEntry.query(on: w.app.db).filter(\.$id == forged.id!).delete()
            try await expectTrue(try await AuditChain.verify(on: w.app.db).isIntact)
            try await w.app.db.sql.raw("UPDATE audit_entries SET prev_hash = 'f00d' WHERE seq = 2").run()
            result = try await AuditChain.verify(on: w.app.db)
            XCTAssertTrue(result.findings.contains { $0.seq == 2 }, "\(result.findings)")
        }
    }

    func testAuditPageFiltersSortsAndExportsCSV() async throws {
        try await onEveryEngine { w in
            _ = try await w.api(.GET, "/api/v1/people/\(w.own.text)", as: "coordinator")
            _ = try await w.api(.GET, "/api/v1/people/\(w.other.text)", as: "admin")
            let filtered = try await w.api(.GET, "/api/v1/audit?person=\(w.own.text)&action=view", as: "admin")
            XCTAssertEqual(filtered.status, .ok)
            let items = (filtered.object["items"] as? [[String: Any]]) ?? []
            XCTAssertFalse(items.isEmpty)
            XCTAssertTrue(items.allSatisfy { ($0["personId"] as? String) == w.own.text && ($0["action"] as? String) == "view" })
            let byUser = try await w.api(.GET, "/api/v1/audit?user=coordinator@test.example&sort=action&direction=asc", as: "admin")
            let users = ((byUser.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["user"] as? String }
            XCTAssertFalse(users.isEmpty)
            XCTAssertTrue(users.allSatisfy { $0 == "coordinator@test.example" })
            let page = try await w.web(.GET, "/audit?sort=user&direction=asc", as: "admin")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("aria-sort=\"ascending\""))
            let csv = try await w.web(.GET, "/audit.csv?person=\(w.own.text)", as: "admin")
            XCTAssertEqual(csv.status, .ok)
            XCTAssertTrue(csv.headers.contentType?.description.hasPrefix("text/csv") ?? false)
            XCTAssertTrue(csv.body.hasPrefix("seq,time_utc,user_id,user,person_id"))
            XCTAssertTrue(csv.body.contains(w.own.text))
            try await expectEqual(try await w.lastAudit()?.action, "export")
            let bad = try await w.api(.GET, "/api/v1/audit?from=yesterday", as: "admin")
            XCTAssertEqual(bad.status, .badRequest)
            XCTAssertEqual(bad.fieldErrors, ["from"])
        }
    }

    func testCSVDefusesFormulas() {
        XCTAssertEqual(AuditPages.csvField("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"")
        XCTAssertEqual(AuditPages.csvField("plain"), "plain")
        XCTAssertEqual(AuditPages.csvField("a,b"), "\"a,b\"")
    }
}

/// Puts a tampered row back as it was, so a test can go on to the next kind of tampering.
enum AuditChainRepair {
    static func restore(seq: Int, on db: any Database) async throws {
        guard let row = try await AuditEntry.find(seq, on: db) else { return }
        for detail in ["", "1 audit rows"] {
            row.detail = detail
            if AuditChain.hash(of: row) == row.hash { try await row.save(on: db); return }
        }
        XCTFail("could not restore row \(seq)")
    }
}

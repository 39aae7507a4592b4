import Fluent
import Vapor
import XCTest
@testable import LanternApp

final class PeopleAPITests: XCTestCase {
    func testValidationErrorsNameTheField() async throws {
        try await onEveryEngine { w in
            var body = AuditTrailTests.newPerson
            body["birthDate"] = "2004-02-30"
            body["residenceType"] = "castle"
            body["nickname"] = "x"
            body.removeValue(forKey: "legalFamilyName")
            let reply = try await w.api(.POST, "/api/v1/people", as: "coordinator", json: body)
            XCTAssertEqual(reply.status, .unprocessableEntity)
            XCTAssertEqual(reply.headers.contentType?.description.hasPrefix("application/problem+json"), true)
            XCTAssertEqual(Set(reply.fieldErrors), ["birthDate", "residenceType", "nickname", "legalFamilyName"])
            let messages = ((reply.object["errors"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }
            XCTAssertTrue(messages.contains { $0.contains("YYYY-MM-DD") })
            XCTAssertTrue(messages.contains { $0.contains("family_home") }, "the message lists the allowed values")
            try await expectEqual(try await Person.query(on: w.app.db).count(), 2, "nothing half-written")

            let wrongType = try await w.api(.POST, "/api/v1/people", as: "coordinator", json: ["legalGivenName": 7])
            XCTAssertEqual(wrongType.status, .unprocessableEntity)
            XCTAssertTrue(wrongType.fieldErrors.contains("legalGivenName"))

            var headers = HTTPHeaders(); headers.contentType = .json
            headers.bearerAuthorization = BearerAuthorization(token: w["coordinator"].token)
            let broken = try await w.app.testable().sendRequest(.POST, "/api/v1/people", headers: headers, body: ByteBuffer(string: "{not json"))
            XCTAssertEqual(broken.status, .badRequest)

            var exited = AuditTrailTests.newPerson
            exited["status"] = "exited"
            let missingExit = try await w.api(.POST, "/api/v1/people", as: "coordinator", json: exited)
            XCTAssertEqual(Set(missingExit.fieldErrors), ["exitDate", "exitReason"])

            let future = try await w.api(.PATCH, "/api/v1/people/\(w.own.text)", as: "coordinator", json: ["birthDate": "2099-01-01"], headers: ["If-Match": "*"])
            XCTAssertEqual(future.fieldErrors, ["birthDate"])

            let circle = try await w.api(.POST, "/api/v1/people/\(w.own.text)/circle", as: "coordinator",
                                         json: ["name": "", "relationship": "guardian", "email": "not-an-email", "hasLegalAuthority": "yes"])
            XCTAssertEqual(Set(circle.fieldErrors), ["name", "email", "hasLegalAuthority"])
        }
    }

    func testCreateReadUpdateWithETags() async throws {
        try await onEveryEngine { w in
            let created = try await w.api(.POST, "/api/v1/people", as: "coordinator", json: AuditTrailTests.newPerson)
            XCTAssertEqual(created.status, .created, created.body)
            let id = created.object["id"] as! String
            XCTAssertEqual(created.headers.first(name: .location), "/api/v1/people/\(id)")
            XCTAssertEqual(created.object["currentCoordinatorId"] as? String, w.coordinatorA.text, "a coordinator's new person joins their caseload")
            XCTAssertEqual(created.object["ageGroup"] as? String, "adult")
            XCTAssertEqual(created.object["age"] as? Int, 22, "born 2004-06-30, on 2026-11-18")

            let read = try await w.api(.GET, "/api/v1/people/\(id)", as: "coordinator")
            let etag = try XCTUnwrap(read.headers.first(name: .eTag))
            XCTAssertEqual(etag, "\"1\"")
            XCTAssertEqual(read.headers.first(name: .cacheControl), "no-store")

            let missing = try await w.api(.PATCH, "/api/v1/people/\(id)", as: "coordinator", json: ["pronouns": "she/her"])
            XCTAssertEqual(missing.status, .preconditionRequired)

            let updated = try await w.api(.PATCH, "/api/v1/people/\(id)", as: "coordinator", json: ["pronouns": "she/her", "preferredName": "Ni"], headers: ["If-Match": etag])
            XCTAssertEqual(updated.status, .ok, updated.body)
            XCTAssertEqual(updated.headers.first(name: .eTag), "\"2\"")
            XCTAssertEqual(updated.object["displayName"] as? String, "Ni Newcomb")

            let stale = try await w.api(.PATCH, "/api/v1/people/\(id)", as: "coordinator", json: ["pronouns": "they/them"], headers: ["If-Match": etag])
            XCTAssertEqual(stale.status, .preconditionFailed)
            let after = try await w.api(.GET, "/api/v1/people/\(id)", as: "coordinator")
            XCTAssertEqual(after.object["pronouns"] as? String, "she/her", "a stale update changes nothing")

            let cleared = try await w.api(.PATCH, "/api/v1/people/\(id)", as: "coordinator", json: ["preferredName": NSNull()], headers: ["If-Match": "\"2\""])
            XCTAssertEqual(cleared.status, .ok)
            XCTAssertNil(cleared.object["preferredName"] as? String)

            // Circle members follow the same rules.
            let member = try await w.api(.POST, "/api/v1/people/\(id)/circle", as: "coordinator", json: ["name": "Ola Newcomb", "relationship": "parent", "receivesPlanCopy": true])
            XCTAssertEqual(member.status, .created, member.body)
            let memberID = member.object["id"] as! String
            try await expectEqual(try await w.api(.DELETE, "/api/v1/people/\(id)/circle/\(memberID)", as: "coordinator").status, .preconditionRequired)
            try await expectEqual(try await w.api(.DELETE, "/api/v1/people/\(id)/circle/\(memberID)", as: "coordinator", headers: ["If-Match": "\"9\""]).status, .preconditionFailed)
            try await expectEqual(try await w.api(.DELETE, "/api/v1/people/\(id)/circle/\(memberID)", as: "coordinator", headers: ["If-Match": "\"1\""]).status, .noContent)
        }
    }

    func testSearchFiltersAndCursorPagination() async throws {
        try await onEveryEngine { w in
            for i in 0..<7 {
                var body = AuditTrailTests.newPerson
                body["legalFamilyName"] = "Pager\(i)"
                body["birthDate"] = i < 3 ? "2025-01-0\(i + 1)" : "1980-01-0\(i)"
                body["legalStatus"] = i < 3 ? "minor_with_parent" : "self"
                let r = try await w.api(.POST, "/api/v1/people", as: "admin", json: body)
                XCTAssertEqual(r.status, .created, r.body)
            }
            var seen: [String] = []
            var cursor: String? = nil
            repeat {
                let path = "/api/v1/people?q=pager&limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await w.api(.GET, path, as: "admin")
                XCTAssertEqual(page.status, .ok)
                let items = (page.object["items"] as? [[String: Any]]) ?? []
                XCTAssertLessThanOrEqual(items.count, 3)
                seen += items.compactMap { $0["legalFamilyName"] as? String }
                cursor = page.object["nextCursor"] as? String
            } while cursor != nil
            XCTAssertEqual(seen, (0..<7).map { "Pager\($0)" }, "every match once, in name order")
            let infants = try await w.api(.GET, "/api/v1/people?q=pager&ageGroup=infant_toddler", as: "admin")
            XCTAssertEqual(((infants.object["items"] as? [[String: Any]]) ?? []).count, 3)
            let bad = try await w.api(.GET, "/api/v1/people?ageGroup=teen&limit=0", as: "admin")
            XCTAssertEqual(bad.status, .badRequest)
            XCTAssertEqual(Set(bad.fieldErrors), ["ageGroup", "limit"])
            let forged = try await w.api(.GET, "/api/v1/people?cursor=abc", as: "admin")
            XCTAssertEqual(forged.fieldErrors, ["cursor"])
        }
    }

    func testCoordinatorHistoryAndAccountRules() async throws {
        try await onEveryEngine { w in
            let otherTeam = try await w.api(.POST, "/api/v1/people/\(w.own.text)/coordinator-assignments", as: "supervisor",
                                            json: ["coordinatorId": w.coordinatorB.text, "reason": "Caseload rebalanced"])
            XCTAssertEqual(otherTeam.fieldErrors, ["coordinatorId"], "a supervisor moves people only within their team")
            let assign = try await w.api(.POST, "/api/v1/people/\(w.own.text)/coordinator-assignments", as: "admin",
                                         json: ["coordinatorId": w.coordinatorB.text, "reason": "Caseload rebalanced"])
            XCTAssertEqual(assign.status, .created, assign.body)
            let history = try await w.api(.GET, "/api/v1/people/\(w.own.text)/coordinator-assignments", as: "admin")
            let rows = (history.object["items"] as? [[String: Any]]) ?? []
            XCTAssertEqual(rows.count, 2)
            XCTAssertNil(rows[0]["endsOn"] as? String)
            XCTAssertNotNil(rows[1]["endsOn"] as? String, "the old assignment is closed")
            // The old coordinator no longer sees the person; the new one does.
            try await expectEqual(try await w.api(.GET, "/api/v1/people/\(w.own.text)", as: "coordinator").status, .notFound)
            try await expectEqual(try await w.api(.GET, "/api/v1/people/\(w.own.text)", as: "coordinator2").status, .ok)
            let notCoordinator = try await w.api(.POST, "/api/v1/people/\(w.own.text)/coordinator-assignments", as: "admin",
                                                 json: ["coordinatorId": w["staff"].user.text, "reason": "x"])
            XCTAssertEqual(notCoordinator.fieldErrors, ["coordinatorId"])

            let weak = try await w.api(.POST, "/api/v1/users", as: "admin", json: ["email": "new@test.example", "displayName": "New", "role": "supervisor", "password": "password123"])
            XCTAssertEqual(weak.fieldErrors, ["password"])
            let short = try await w.api(.POST, "/api/v1/users", as: "admin", json: ["email": "new@test.example", "displayName": "New", "role": "provider_staff", "password": "short"])
            XCTAssertEqual(Set(short.fieldErrors), ["password", "organizationId"])
            let good = try await w.api(.POST, "/api/v1/users", as: "admin", json: ["email": "New@Test.example", "displayName": "New", "role": "supervisor", "password": "four words make a password"])
            XCTAssertEqual(good.status, .created, good.body)
            XCTAssertEqual(good.object["email"] as? String, "new@test.example")
            let stored = try await User.query(on: w.app.db).filter(\.$email == "new@test.example").first()
            XCTAssertTrue(stored?.passwordHash.hasPrefix("$2b$12$") ?? false, "bcrypt at cost 12")
            try await expectEqual(try await w.api(.POST, "/api/v1/users", as: "supervisor", json: ["email": "x@test.example"]).status, .forbidden)

            // Accounts page by email; a supervisor sees only their own coordinators.
            var emails: [String] = []
            var cursor: String? = nil
            repeat {
                let page = try await w.api(.GET, "/api/v1/users?limit=3" + (cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" } ?? ""), as: "admin")
                XCTAssertEqual(page.status, .ok, page.body)
                emails += ((page.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["email"] as? String }
                cursor = page.object["nextCursor"] as? String
            } while cursor != nil
            XCTAssertEqual(emails, emails.sorted())
            try await expectEqual(emails.count, try await User.query(on: w.app.db).count())
            let team = try await w.api(.GET, "/api/v1/users", as: "supervisor")
            let teamEmails = Set(((team.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["email"] as? String })
            XCTAssertEqual(teamEmails, ["coordinator@test.example", "coordinator3@test.example"])
            let search = try await w.api(.GET, "/api/v1/users?q=guardian", as: "admin")
            XCTAssertEqual(((search.object["items"] as? [[String: Any]]) ?? []).count, 1)
        }
    }

    func testCreateScopeAndReturningFromExit() async throws {
        try await onEveryEngine { w in
            var body = AuditTrailTests.newPerson
            body["coordinatorId"] = w.coordinatorB.text
            let elsewhere = try await w.api(.POST, "/api/v1/people", as: "coordinator", json: body)
            XCTAssertEqual(elsewhere.fieldErrors, ["coordinatorId"], "a coordinator cannot place a person on another caseload")
            let notSupervised = try await w.api(.POST, "/api/v1/people", as: "supervisor", json: body)
            XCTAssertEqual(notSupervised.fieldErrors, ["coordinatorId"])
            let unassigned = try await w.api(.POST, "/api/v1/people", as: "supervisor", json: AuditTrailTests.newPerson)
            XCTAssertEqual(unassigned.fieldErrors, ["coordinatorId"], "a supervisor says which coordinator, so the person stays in view")
            var ownTeam = AuditTrailTests.newPerson
            ownTeam["coordinatorId"] = w.coordinatorA2.text
            try await expectEqual(try await w.api(.POST, "/api/v1/people", as: "supervisor", json: ownTeam).status, .created)
            let byAdmin = try await w.api(.POST, "/api/v1/people", as: "admin", json: body)
            XCTAssertEqual(byAdmin.status, .created)

            let exit = try await w.api(.PATCH, "/api/v1/people/\(w.own.text)", as: "coordinator",
                                       json: ["status": "exited", "exitDate": "2026-10-01", "exitReason": "Moved"], headers: ["If-Match": "*"])
            XCTAssertEqual(exit.status, .ok, exit.body)
            let back = try await w.api(.PATCH, "/api/v1/people/\(w.own.text)", as: "coordinator", json: ["status": "active"], headers: ["If-Match": "*"])
            XCTAssertEqual(back.status, .ok, back.body)
            XCTAssertNil(back.object["exitDate"] as? String)
            XCTAssertNil(back.object["exitReason"] as? String)
            // Someone without access gets 404 even with a bad body.
            let hidden = try await w.api(.POST, "/api/v1/people/\(w.other.text)/circle", as: "coordinator", json: ["name": ""])
            XCTAssertEqual(hidden.status, .notFound)
        }
    }

    func testPasswordPolicy() {
        XCTAssertNotNil(PasswordPolicy.problem(with: "1234567"))
        XCTAssertNotNil(PasswordPolicy.problem(with: String(repeating: "a", count: 129)))
        XCTAssertNotNil(PasswordPolicy.problem(with: "Password123"), "common passwords are refused whatever their case")
        XCTAssertNotNil(PasswordPolicy.problem(with: "sam.smith@test.example", email: "sam.smith@test.example"))
        XCTAssertNil(PasswordPolicy.problem(with: "lowercase only words"), "no composition rules")
        XCTAssertNil(PasswordPolicy.problem(with: String(repeating: "é", count: 128)))
    }
}

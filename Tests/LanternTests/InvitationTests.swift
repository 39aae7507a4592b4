import Fluent
import Vapor
import XCTest
@testable import LanternApp

/// Invitations for the person and their family, and the words of their pages in both languages.
final class InvitationTests: XCTestCase {
    func testEveryMessageKeyExistsInEveryLanguage() {
        XCTAssertEqual(Messages.missing(), [], "keys missing in a language")
        XCTAssertEqual(PortalLanguage.allCases.map(\.rawValue), ["en", "es"], "a language for each file, English first")
        XCTAssertNil(PortalLanguage(rawValue: "fr"), "no file, no language")
        XCTAssertEqual(PortalLanguage.matching("Spanish").rawValue, "es")
        XCTAssertEqual(PortalLanguage.matching("Español").rawValue, "es")
        XCTAssertEqual(PortalLanguage.matching("Vietnamese"), .en)
        XCTAssertEqual(Messages.text("invitation.email", PortalLanguage(rawValue: "es")!, ["email": "a@b.example"]), "Va a entrar con este correo: a@b.example")
    }

    static func token(_ link: String?) -> String { String((link ?? "").split(separator: "/").last ?? "") }

    /// A form sent by someone not signed in, with the double-submit CSRF cookie the page set.
    static func post(_ w: TestWorld, _ path: String, _ form: [(String, String)]) async throws -> TestWorld.Reply {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .accept, value: "text/html")
        headers.replaceOrAdd(name: .cookie, value: "\(CSRF.cookieName)=form-token")
        headers.contentType = .urlEncodedForm
        let body = (form + [(CSRF.fieldName, "form-token")]).map { "\(TestWorld.formEncode($0.0))=\(TestWorld.formEncode($0.1))" }.joined(separator: "&")
        let response = try await w.app.testable().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        return TestWorld.Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    func testAGuardianIsInvitedSetsAPasswordAndSeesOnlyTheirWard() async throws {
        try await onEveryEngine { w in
            let path = "/api/v1/people/\(w.other.text)/invitations"
            let taken = try await w.api(.POST, path, as: "coordinator2", json: ["circleMemberId": w.otherMember.text, "email": "coordinator@test.example"])
            XCTAssertEqual(taken.fieldErrors, ["email"], "an email that has an account")
            let stranger = try await w.api(.POST, path, as: "coordinator2", json: ["circleMemberId": w.ownMember.text, "email": "hal@family.example"])
            XCTAssertEqual(stranger.fieldErrors, ["circleMemberId"], "someone from another person's circle")
            try await expectEqual(try await w.api(.POST, path, as: "coordinator", json: ["email": "hal@family.example"]).status, .notFound)
            let first = try await w.api(.POST, path, as: "coordinator2", json: ["circleMemberId": w.otherMember.text, "email": "Hal@Family.example", "language": "es"])
            XCTAssertEqual(first.status, .created, first.body)
            let made = try await w.api(.POST, path, as: "coordinator2", json: ["circleMemberId": w.otherMember.text, "email": "hal@family.example", "language": "es"])
            XCTAssertEqual(made.status, .created)
            let token = Self.token(made.object["link"] as? String)
            try await expectEqual(try await Invitation.query(on: w.app.db).filter(\.$withdrawnAt != nil).count(), 1, "the new invitation replaces the open one")
            try await expectTrue(try await OutboxEmail.query(on: w.app.db).all().contains { $0.toAddress == "hal@family.example" && $0.body.contains("/invitations/") })
            let old = Self.token(first.object["link"] as? String)
            try await expectEqual(try await w.web(.GET, "/invitations/\(old)", as: nil).status, .gone)

            // The link's page, in Spanish; a weak password and a mismatch are refused.
            let page = try await w.web(.GET, "/invitations/\(token)", as: nil)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.contains("lang=\"es\"") && page.body.contains("Elija una contraseña"), "in the invitation's language")
            let weak = try await Self.post(w, "/invitations/\(token)", [("password", "password"), ("confirm", "password")])
            XCTAssertEqual(weak.status, .unprocessableEntity)
            let mismatch = try await Self.post(w, "/invitations/\(token)", [("password", "blue harbour lantern 42"), ("confirm", "blue harbour lantern 43")])
            XCTAssertEqual(mismatch.status, .unprocessableEntity)
            XCTAssertTrue(mismatch.body.contains("no son iguales"))
            let done = try await Self.post(w, "/invitations/\(token)", [("password", "blue harbour lantern 42"), ("confirm", "blue harbour lantern 42")])
            XCTAssertEqual(done.status, .ok, done.body)
            try await expectEqual(try await Self.post(w, "/invitations/\(token)", [("password", "blue harbour lantern 42"), ("confirm", "blue harbour lantern 42")]).status,
                                  .gone, "a link works once")

            // The account: a guardian of this person only, linked through the circle.
            let user = try await User.query(on: w.app.db).filter(\.$email == "hal@family.example").first()
            XCTAssertEqual(user?.role, Role.guardianFamily.rawValue)
            XCTAssertEqual(user?.language, "es")
            try await expectEqual(try await CircleMember.find(w.otherMember, on: w.app.db)?.userID, user?.id)
            let actor = try Actor(user: user!, channel: .token(id: UUID()))
            let visible = try await AccessPolicy(actor: actor).scope(Person.query(on: w.app.db)).all().compactMap(\.id)
            XCTAssertEqual(visible, [w.other], "only their ward")
            try await expectEqual(try await w.lastAudit()?.action, AuditAction.accessChange.rawValue)
        }
    }

    func testAnInvitationExpiresAndThePersonsOwnAccountSeesOnlyThemself() async throws {
        try await onEveryEngine { w in
            // The test world's person has an account already; the other person does not.
            let own = try await w.api(.POST, "/api/v1/people/\(w.own.text)/invitations", as: "coordinator", json: ["email": "ada@family.example"])
            XCTAssertEqual(own.fieldErrors, ["email"], "Ada already has an account")
            let made = try await w.api(.POST, "/api/v1/people/\(w.other.text)/invitations", as: "admin", json: ["email": "bo@family.example"])
            XCTAssertEqual(made.status, .created, made.body)
            XCTAssertEqual(made.object["role"] as? String, "person")
            let token = Self.token(made.object["link"] as? String)
            w.clock.advance(by: 8 * 86_400)
            try await expectEqual(try await w.web(.GET, "/invitations/\(token)", as: nil).status, .gone, "7 days, then it no longer works")
            try await expectEqual(try await User.query(on: w.app.db).filter(\.$email == "bo@family.example").count(), 0)
            try await expectEqual(try await w.web(.GET, "/invitations/not-a-token", as: nil).status, .gone)
        }
    }
}

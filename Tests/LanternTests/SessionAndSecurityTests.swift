import Fluent
import Vapor
import XCTest
@testable import LanternApp

final class SessionAndSecurityTests: XCTestCase {
    /// Signs in through the real form and returns the session cookie value.
    func signIn(_ w: TestWorld, email: String, password: String) async throws -> (HTTPStatus, String?) {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .cookie, value: "\(CSRF.cookieName)=form-token")
        headers.contentType = .urlEncodedForm
        let body = [("email", email), ("password", password), ("_csrf", "form-token"), ("next", "/people")]
            .map { "\($0.0)=\(TestWorld.formEncode($0.1))" }.joined(separator: "&")
        let response = try await w.app.testable().sendRequest(.POST, "/sign-in", headers: headers, body: ByteBuffer(string: body))
        return (response.status, response.headers.setCookie?[Sessions.cookieName]?.string)
    }

    func testSignInMakesANewSessionAndSignOutEndsIt() async throws {
        try await onEveryEngine { w in
            let (status, cookie) = try await signIn(w, email: "Coordinator@Test.example ", password: TestWorld.password)
            XCTAssertEqual(status, .seeOther)
            let value = try XCTUnwrap(cookie)
            let (_, second) = try await signIn(w, email: "coordinator@test.example", password: TestWorld.password)
            XCTAssertNotEqual(value, second, "every sign-in gets a new session id")
            try await expectEqual(try await w.web(.GET, "/people", as: nil, cookie: value).status, .ok)
            let session = try await UserSession.query(on: w.app.db).filter(\.$tokenHash == Secrets.sha256(value)).first()
            XCTAssertNotNil(session, "only the digest of the cookie is stored")
            let csrf = session!.csrfToken
            _ = try await w.web(.POST, "/sign-out", as: nil, form: [("_csrf", csrf)], cookie: value, csrf: false)
            try await expectEqual(try await w.web(.GET, "/people", as: nil, cookie: value).status, .seeOther, "the old cookie no longer works")
        }
    }

    func testCookieFlags() async throws {
        try await onEveryEngine { w in
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .cookie, value: "\(CSRF.cookieName)=t")
            headers.contentType = .urlEncodedForm
            let body = "email=coordinator%40test.example&password=\(TestWorld.formEncode(TestWorld.password))&_csrf=t"
            let response = try await w.app.testable().sendRequest(.POST, "/sign-in", headers: headers, body: ByteBuffer(string: body))
            let raw = response.headers[.setCookie].joined(separator: "\n")
            XCTAssertTrue(raw.contains("HttpOnly"), raw)
            XCTAssertTrue(raw.lowercased().contains("samesite=lax"), raw)
        }
    }

    func testIdleAndAbsoluteTimeouts() async throws {
        try await onEveryEngine { w in
            try await expectEqual(try await w.web(.GET, "/people", as: "coordinator").status, .ok)
            w.clock.advance(by: 29 * 60)
            try await expectEqual(try await w.web(.GET, "/people", as: "coordinator").status, .ok, "29 minutes idle is fine")
            w.clock.advance(by: 31 * 60)
            let idle = try await w.web(.GET, "/people", as: "coordinator")
            XCTAssertEqual(idle.status, .seeOther, "31 minutes idle ends the session")
            XCTAssertTrue(idle.headers.first(name: .location)?.hasPrefix("/sign-in") ?? false)

            // Absolute: active every 20 minutes, still ends after 12 hours.
            let supervisor = try await User.find(w["supervisor"].user, on: w.app.db)!
            let fresh = try await TestWorld.identity(for: supervisor, app: w.app, now: w.clock.now())
            var minutes = 0
            while minutes < 11 * 60 + 40 {
                w.clock.advance(by: 20 * 60); minutes += 20
                try await expectEqual(try await w.web(.GET, "/people", as: nil, cookie: fresh.sessionCookie).status, .ok, "active session at \(minutes) minutes")
            }
            w.clock.advance(by: 25 * 60)
            try await expectEqual(try await w.web(.GET, "/people", as: nil, cookie: fresh.sessionCookie).status, .seeOther, "12 hours is the limit")
        }
    }

    func testRepeatedFailuresAreSlowedThenRefused() async throws {
        try await onEveryEngine { w in
            let email = "guardian@test.example"
            for _ in 0..<3 {
                let (status, _) = try await signIn(w, email: email, password: "not the password")
                XCTAssertEqual(status, .unprocessableEntity)
            }
            // After three failures even the right password waits.
            let (waiting, _) = try await signIn(w, email: email, password: TestWorld.password)
            XCTAssertEqual(waiting, .tooManyRequests)
            w.clock.advance(by: 2)
            let (allowed, cookie) = try await signIn(w, email: email, password: TestWorld.password)
            XCTAssertEqual(allowed, .seeOther)
            XCTAssertNotNil(cookie)
            // A success clears the count; ten failures lock the account for 15 minutes.
            for _ in 0..<10 {
                var status: HTTPStatus = .tooManyRequests
                while status == .tooManyRequests {
                    w.clock.advance(by: 70)
                    (status, _) = try await signIn(w, email: email, password: "still not it")
                }
                XCTAssertEqual(status, .unprocessableEntity)
            }
            w.clock.advance(by: 10 * 60)
            try await expectEqual(try await signIn(w, email: email, password: TestWorld.password).0, .tooManyRequests, "locked for 15 minutes")
            w.clock.advance(by: 6 * 60)
            try await expectEqual(try await signIn(w, email: email, password: TestWorld.password).0, .seeOther)
        }
    }

    func testFormsNeedTheCSRFToken() async throws {
        try await onEveryEngine { w in
            let without = try await w.web(.POST, "/people/\(w.own.text)/circle", as: "coordinator", form: [("name", "Mallory"), ("relationship", "friend")], csrf: false)
            XCTAssertEqual(without.status, .forbidden)
            let wrong = try await w.web(.POST, "/people/\(w.own.text)/circle", as: "coordinator", form: [("name", "Mallory"), ("relationship", "friend"), ("_csrf", "guess")], csrf: false)
            XCTAssertEqual(wrong.status, .forbidden)
            try await expectEqual(try await CircleMember.query(on: w.app.db).filter(\.$name == "Mallory").count(), 0)
            let signInWithout = try await w.web(.POST, "/sign-in", as: nil, form: [("email", "admin@test.example"), ("password", TestWorld.password)], csrf: false)
            XCTAssertEqual(signInWithout.status, .forbidden)
        }
    }

    func testSecurityHeadersOnEveryPage() async throws {
        try await onEveryEngine { w in
            for (path, who) in [("/sign-in", nil), ("/people", "coordinator"), ("/people/\(w.own.text)", "coordinator"), ("/tokens", "coordinator"), ("/audit", "admin"), ("/nowhere", "admin")] as [(String, String?)] {
                let reply = try await w.web(.GET, path, as: who)
                let csp = reply.headers.first(name: "Content-Security-Policy") ?? ""
                XCTAssertTrue(csp.contains("frame-ancestors 'none'"), path)
                XCTAssertTrue(csp.contains("default-src 'self'"), path)
                XCTAssertEqual(reply.headers.first(name: "X-Content-Type-Options"), "nosniff", path)
                XCTAssertNotNil(reply.headers.first(name: "Referrer-Policy"), path)
                XCTAssertEqual(reply.headers.first(name: .cacheControl), "no-store", path)
            }
        }
    }

    func testUserTextIsEscapedEverywhere() async throws {
        try await onEveryEngine { w in
            let payload = "\"'<>& <script>alert(1)</script>"
            let created = try await w.web(.POST, "/people/\(w.own.text)/circle", as: "coordinator",
                                          form: [("name", payload), ("relationship", "friend"), ("address", payload), ("authorityScope", payload)])
            XCTAssertEqual(created.status, .seeOther, created.body)
            let page = try await w.web(.GET, "/people/\(w.own.text)", as: "coordinator")
            XCTAssertFalse(page.body.contains("<script>alert(1)</script>"))
            XCTAssertTrue(page.body.contains("&quot;&#39;&lt;&gt;&amp; &lt;script&gt;alert(1)&lt;/script&gt;"))
            let search = try await w.web(.GET, "/people?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", as: "coordinator")
            XCTAssertFalse(search.body.contains("<script>alert(1)</script>"))
            let refused = try await w.web(.POST, "/people/\(w.own.text)/circle", as: "coordinator", form: [("name", payload), ("relationship", "friend"), ("email", payload)])
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.contains("value=\"&quot;&#39;&lt;&gt;&amp; &lt;script&gt;"), "the typed value comes back as text")
            XCTAssertTrue(refused.body.contains("aria-describedby=\"field-email-error\""), "the message is tied to its field")
        }
    }

    func testWebFormsShowMessagesBesideTheField() async throws {
        try await onEveryEngine { w in
            let reply = try await w.web(.POST, "/people", as: "coordinator", form: [("legalGivenName", "Tess"), ("birthDate", "2030-01-01"), ("primaryLanguage", "English"), ("residenceType", "own_home"), ("legalStatus", "self"), ("status", "referred")])
            XCTAssertEqual(reply.status, .unprocessableEntity)
            XCTAssertTrue(reply.body.contains("id=\"field-birthDate-error\""))
            XCTAssertTrue(reply.body.contains("id=\"field-legalFamilyName-error\""))
            XCTAssertTrue(reply.body.contains("href=\"#field-birthDate\""), "the summary links to the field")
            XCTAssertTrue(reply.body.contains("value=\"Tess\""), "what was typed is kept")

            // A stale edit form is refused and shows the latest version.
            let stale = try await w.web(.POST, "/people/\(w.own.text)/edit", as: "coordinator", form: Self.editForm(version: "0"))
            XCTAssertEqual(stale.status, .conflict)
            let fresh = try await w.web(.POST, "/people/\(w.own.text)/edit", as: "coordinator", form: Self.editForm(version: "1"))
            XCTAssertEqual(fresh.status, .seeOther, fresh.body)
            let person = try await Person.find(w.own, on: w.app.db)
            XCTAssertEqual(person?.county, "Greene")
            XCTAssertEqual(person?.communicationMethods.sorted(), ["pictures", "speech"])
            XCTAssertEqual(person?.version, 2)
        }
    }

    func testRemovingACircleMemberAsksFirstAndChecksTheVersion() async throws {
        try await onEveryEngine { w in
            let path = "/people/\(w.own.text)/circle/\(w.ownMember.text)/remove"
            let confirm = try await w.web(.GET, path, as: "coordinator")
            XCTAssertEqual(confirm.status, .ok)
            XCTAssertTrue(confirm.body.contains("name=\"version\" value=\"1\""))
            try await expectEqual(try await CircleMember.find(w.ownMember, on: w.app.db)?.name, "Gwen Testwell", "asking removes nothing")
            let stale = try await w.web(.POST, path, as: "coordinator", form: [("version", "0")])
            XCTAssertEqual(stale.status, .conflict)
            let removed = try await w.web(.POST, path, as: "coordinator", form: [("version", "1")])
            XCTAssertEqual(removed.status, .seeOther)
            try await expectTrue(try await CircleMember.find(w.ownMember, on: w.app.db) == nil)
            try await expectEqual(try await w.lastAudit()?.action, "delete")
        }
    }

    func testAdministratorsManageAccountsOnTheWeb() async throws {
        try await onEveryEngine { w in
            for who in TestWorld.roleNames where who != "admin" {
                try await expectEqual(try await w.web(.GET, "/accounts", as: who).status, .notFound, who)
            }
            let list = try await w.web(.GET, "/accounts", as: "admin")
            XCTAssertEqual(list.status, .ok)
            XCTAssertTrue(list.body.contains("staff@test.example"))
            let weak = try await w.web(.POST, "/accounts", as: "admin", form: [("email", "new.coordinator@test.example"), ("displayName", "New Coordinator"),
                                                                              ("role", "support_coordinator"), ("password", "password1"), ("organizationId", ""), ("supervisorId", ""), ("personId", "")])
            XCTAssertEqual(weak.status, .unprocessableEntity)
            XCTAssertTrue(weak.body.contains("id=\"field-password-error\""))
            XCTAssertTrue(weak.body.contains("value=\"new.coordinator@test.example\""), "what was typed is kept")
            let made = try await w.web(.POST, "/accounts", as: "admin", form: [("email", "new.coordinator@test.example"), ("displayName", "New Coordinator"),
                                                                              ("role", "support_coordinator"), ("password", "a quiet river at dawn"), ("organizationId", ""),
                                                                              ("supervisorId", w["supervisor"].user.text), ("personId", "")])
            XCTAssertEqual(made.status, .seeOther, made.body)
            let user = try await User.query(on: w.app.db).filter(\.$email == "new.coordinator@test.example").first()
            XCTAssertEqual(user?.supervisorID, w["supervisor"].user)
            try await expectEqual(try await w.lastAudit()?.action, "create")

            // Deactivating an account is an access change: audited, and their sessions end.
            let staff = w["staff"].user.text
            try await expectEqual(try await w.web(.GET, "/accounts/\(staff)/edit", as: "admin").status, .ok)
            let off = try await w.web(.POST, "/accounts/\(staff)/edit", as: "admin", form: [("version", "1"), ("displayName", "staff"), ("role", "provider_staff"),
                                                                                           ("organizationId", w.providerA.text), ("supervisorId", ""), ("personId", "")])
            XCTAssertEqual(off.status, .seeOther, off.body)
            try await expectEqual(try await w.lastAudit()?.action, "access_change")
            try await expectEqual(try await w.web(.GET, "/people", as: "staff").status, .seeOther)
            try await expectEqual(try await w.api(.GET, "/api/v1/people", as: "staff").status, .unauthorized)
            let stale = try await w.web(.POST, "/accounts/\(staff)/edit", as: "admin", form: [("version", "1"), ("displayName", "staff"), ("role", "provider_staff"),
                                                                                             ("organizationId", w.providerA.text), ("isActive", "true")])
            XCTAssertEqual(stale.status, .conflict)
        }
    }

    func testLinkingAProviderOnThePersonPageGivesItsStaffAccess() async throws {
        try await onEveryEngine { w in
            let page = try await w.web(.GET, "/people/\(w.own.text)", as: "admin")
            XCTAssertTrue(page.body.contains("Link a provider agency"))
            try await expectTrue(!(try await w.web(.GET, "/people/\(w.own.text)", as: "coordinator").body.contains("Link a provider agency")))
            try await expectEqual(try await w.web(.POST, "/people/\(w.own.text)/providers", as: "coordinator", form: [("organizationId", w.providerB.text)]).status, .forbidden)
            let linked = try await w.web(.POST, "/people/\(w.own.text)/providers", as: "admin", form: [("organizationId", w.providerB.text)])
            XCTAssertEqual(linked.status, .seeOther)
            try await expectEqual(try await ProviderLink.query(on: w.app.db).filter(\.$organization.$id == w.providerB).count(), 1)
            let unlinked = try await w.web(.POST, "/people/\(w.own.text)/providers/\(w.providerA.text)/unlink", as: "admin", form: [])
            XCTAssertEqual(unlinked.status, .seeOther)
            try await expectEqual(try await w.api(.GET, "/api/v1/people/\(w.own.text)", as: "staff").status, .notFound, "provider A's staff lost access")
        }
    }

    static func editForm(version: String) -> [(String, String)] {
        [("version", version), ("legalGivenName", "Ada"), ("legalFamilyName", "Testwell"), ("birthDate", "1990-03-14"), ("primaryLanguage", "English"),
         ("communicationMethods", "speech"), ("communicationMethods", "pictures"), ("residenceType", "family_home"), ("legalStatus", "full_guardianship"),
         ("status", "active"), ("county", "Greene")]
    }

    func testHTMLInterpolationEscapes() {
        let name = "<img src=x onerror=alert(1)> & \"quotes\" 'single'"
        let html: HTML = "<p title=\"\(name)\">\(name)</p>"
        XCTAssertEqual(html.raw, "<p title=\"&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;single&#39;\">&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;single&#39;</p>")
    }

    func testSignInNextCannotLeaveTheSite() {
        XCTAssertEqual(SignInPages.safeNext("https://evil.example/"), "/")
        XCTAssertEqual(SignInPages.safeNext("//evil.example/"), "/")
        XCTAssertEqual(SignInPages.safeNext("/\\evil.example"), "/")
        XCTAssertEqual(SignInPages.safeNext("/\t/evil.example"), "/", "browsers drop the tab and go to //evil.example")
        XCTAssertEqual(SignInPages.safeNext("/ /evil.example"), "/")
        XCTAssertEqual(SignInPages.safeNext("/people/1"), "/people/1")
        XCTAssertEqual(SignInPages.safeNext("/people?q=ada&status=active"), "/people?q=ada&status=active")
    }
}

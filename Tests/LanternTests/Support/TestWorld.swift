import Fluent
import FluentSQLiteDriver
import Foundation
import NIOCore
import SQLKit
import Vapor
import XCTest
import XCTVapor
@testable import LanternApp

/// The engines each test runs on: SQLite always, and PostgreSQL too when
/// LANTERN_TEST_POSTGRES_URL names a database the tests may wipe.
enum TestEngine: String, CaseIterable {
    case sqlite, postgres

    static var enabled: [TestEngine] {
        var engines: [TestEngine] = []
        let only = ProcessInfo.processInfo.environment["LANTERN_TEST_ENGINE"]
        if only == nil || only == "sqlite" { engines.append(.sqlite) }
        if postgresURL != nil && (only == nil || only == "postgres") { engines.append(.postgres) }
        return engines
    }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["LANTERN_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// One signed-in identity the tests act as: an API token and a browser session.
struct TestIdentity: Sendable {
    var user: UUID
    var email: String
    var role: Role
    var token: String
    var sessionCookie: String
    var csrf: String
}

/// A small organisation made fresh for each test, with one identity per role. For every role,
/// `own` is a person that role may see and `other` a person it may not (administrators see both).
struct TestWorld: Sendable {
    var app: Application
    var clock: ManualClock
    var engine: TestEngine
    var identities: [String: TestIdentity]
    var own: UUID
    var other: UUID
    var ownMember: UUID
    var otherMember: UUID
    var coordinatorA: UUID
    var coordinatorB: UUID
    /// A second coordinator on the first supervisor's team.
    var coordinatorA2: UUID
    var providerA: UUID
    var providerB: UUID

    subscript(_ name: String) -> TestIdentity { identities[name]! }

    static let roleNames = ["admin", "supervisor", "coordinator", "staff", "guardian", "person"]
    static let password = "correct horse battery staple"
    /// Hashed once per test run: bcrypt at cost 12 is deliberately slow.
    nonisolated(unsafe) static var passwordHash: String = try! PasswordPolicy.hash(password)
    static let start = Date(timeIntervalSince1970: 1_795_000_000) // 2026-11-18

    static func make(_ engine: TestEngine) async throws -> TestWorld {
        let clock = ManualClock(start)
        let app = try await Application.make(.testing)
        let settings: LanternSettings
        switch engine {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lantern-tests-\(UUID().uuidString)")
            settings = LanternSettings(store: .sqlite(path: dir.appendingPathComponent("test.sqlite").path))
        case .postgres:
            settings = LanternSettings(store: .postgres(url: TestEngine.postgresURL!))
        }
        do {
            try await configure(app, settings: settings, clock: clock)
            if engine == .postgres {
                try await app.db.sql.raw("DROP SCHEMA public CASCADE").run()
                try await app.db.sql.raw("CREATE SCHEMA public").run()
            }
            try await app.autoMigrate()
            return try await populate(app, clock: clock, engine: engine)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    static func populate(_ app: Application, clock: ManualClock, engine: TestEngine) async throws -> TestWorld {
        let db = app.db
        let agency = Organization(id: UUID(), name: "Test Coordination", kind: .coordinatingAgency)
        let providerA = Organization(id: UUID(), name: "Provider A", kind: .provider)
        let providerB = Organization(id: UUID(), name: "Provider B", kind: .provider)
        for org in [agency, providerA, providerB] { try await org.create(on: db) }

        func user(_ email: String, _ role: Role, org: Organization?, supervisor: User? = nil) async throws -> User {
            let u = User(email: email, displayName: email.components(separatedBy: "@")[0], role: role, organizationID: org?.id,
                         supervisorID: supervisor?.id, passwordHash: passwordHash)
            u.id = UUID()
            try await u.create(on: db)
            return u
        }
        let admin = try await user("admin@test.example", .administrator, org: agency)
        let supervisor = try await user("supervisor@test.example", .supervisor, org: agency)
        let supervisor2 = try await user("supervisor2@test.example", .supervisor, org: agency)
        let coordinatorA = try await user("coordinator@test.example", .supportCoordinator, org: agency, supervisor: supervisor)
        let coordinatorB = try await user("coordinator2@test.example", .supportCoordinator, org: agency, supervisor: supervisor2)
        let coordinatorA2 = try await user("coordinator3@test.example", .supportCoordinator, org: agency, supervisor: supervisor)
        let staff = try await user("staff@test.example", .providerStaff, org: providerA)
        let guardian = try await user("guardian@test.example", .guardianFamily, org: nil)

        func person(_ given: String, _ family: String, coordinator: User, birth: String) async throws -> Person {
            let p = Person()
            p.id = UUID(); p.legalGivenName = given; p.legalFamilyName = family; p.birthDate = birth
            p.primaryLanguage = "English"; p.interpreterNeeded = false; p.communicationMethods = ["speech"]
            p.residenceType = "family_home"; p.legalStatus = "full_guardianship"; p.status = "active"
            p.currentCoordinatorID = coordinator.id; p.version = 1
            p.refreshSearchColumns()
            try await p.create(on: db)
            let a = CoordinatorAssignment()
            a.id = UUID(); a.$person.id = p.id!; a.$coordinator.id = coordinator.id!; a.startsOn = "2025-01-01"; a.reason = "First assignment"
            try await a.create(on: db)
            return p
        }
        let own = try await person("Ada", "Testwell", coordinator: coordinatorA, birth: "1990-03-14")
        let other = try await person("Bo", "Otherly", coordinator: coordinatorB, birth: "2015-07-01")
        let link = ProviderLink()
        link.id = UUID(); link.$person.id = own.id!; link.$organization.id = providerA.id!; link.since = "2025-01-01"
        try await link.create(on: db)

        func member(_ p: Person, _ name: String, account: User?) async throws -> CircleMember {
            let m = CircleMember()
            m.id = UUID(); m.$person.id = p.id!; m.name = name; m.relationship = "guardian"; m.isPaid = false; m.chosenByPerson = true
            m.hasLegalAuthority = true; m.authorityScope = "All decisions"; m.receivesPlanCopy = true; m.userID = account?.id; m.version = 1
            try await m.create(on: db)
            return m
        }
        let ownMember = try await member(own, "Gwen Testwell", account: guardian)
        let otherMember = try await member(other, "Hal Otherly", account: nil)

        let personUser = try await user("person@test.example", .person, org: nil)
        personUser.personID = own.id
        try await personUser.save(on: db)

        var identities: [String: TestIdentity] = [:]
        for (name, u) in [("admin", admin), ("supervisor", supervisor), ("coordinator", coordinatorA), ("staff", staff),
                          ("guardian", guardian), ("person", personUser), ("coordinator2", coordinatorB)] {
            identities[name] = try await identity(for: u, app: app, now: clock.now())
        }
        return TestWorld(app: app, clock: clock, engine: engine, identities: identities, own: own.id!, other: other.id!,
                         ownMember: ownMember.id!, otherMember: otherMember.id!, coordinatorA: coordinatorA.id!, coordinatorB: coordinatorB.id!, coordinatorA2: coordinatorA2.id!,
                         providerA: providerA.id!, providerB: providerB.id!)
    }

    /// A token and a session for `user`, written as sign-in and the Tokens page would write them.
    static func identity(for user: User, app: Application, now: Date) async throws -> TestIdentity {
        let secret = Tokens.prefix + Secrets.random()
        let token = AccessToken()
        token.id = UUID(); token.$user.id = user.id!; token.name = "test"; token.tokenHash = Secrets.sha256(secret)
        token.prefix = String(secret.prefix(10)); token.createdAt = now
        try await token.create(on: app.db)
        let cookie = Secrets.random()
        let session = UserSession()
        session.id = UUID(); session.tokenHash = Secrets.sha256(cookie); session.$user.id = user.id!
        session.csrfToken = Secrets.random(); session.createdAt = now; session.lastSeenAt = now
        try await session.create(on: app.db)
        return TestIdentity(user: user.id!, email: user.email, role: user.userRole, token: secret, sessionCookie: cookie, csrf: session.csrfToken)
    }

    func shutdown() async throws {
        try await app.asyncShutdown()
    }

    // MARK: Requests

    struct Reply {
        var status: HTTPStatus
        var headers: HTTPHeaders
        var body: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
        var object: [String: Any] { (json as? [String: Any]) ?? [:] }
        var fieldErrors: [String] { ((object["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } }
    }

    /// Calls the JSON API as `who` (nil: no token).
    @discardableResult
    func api(_ method: HTTPMethod, _ path: String, as who: String?, json: Any? = nil, headers extra: HTTPHeaders = [:]) async throws -> Reply {
        var headers = extra
        if let who { headers.bearerAuthorization = BearerAuthorization(token: self[who].token) }
        var body: ByteBuffer?
        if let json {
            headers.contentType = .json
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        }
        let response = try await app.testable().sendRequest(method, path, headers: headers, body: body)
        return Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    /// Calls a web page as `who` (nil: no session), posting `form` with the session's CSRF token.
    @discardableResult
    func web(_ method: HTTPMethod, _ path: String, as who: String?, form: [(String, String)]? = nil, cookie: String? = nil, csrf: Bool = true) async throws -> Reply {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .accept, value: "text/html")
        let sessionCookie = cookie ?? who.map { self[$0].sessionCookie }
        if let sessionCookie { headers.replaceOrAdd(name: .cookie, value: "\(Sessions.cookieName)=\(sessionCookie)") }
        var body: ByteBuffer?
        if var form {
            if csrf, let who { form.append((CSRF.fieldName, self[who].csrf)) }
            headers.contentType = .urlEncodedForm
            let encoded = form.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
            body = ByteBuffer(string: encoded)
        }
        let response = try await app.testable().sendRequest(method, path, headers: headers, body: body)
        return Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (s.addingPercentEncoding(withAllowedCharacters: allowed) ?? "").replacingOccurrences(of: "%20", with: "+")
    }

    func auditCount() async throws -> Int { try await AuditEntry.query(on: app.db).count() }
    func lastAudit() async throws -> AuditEntry? { try await AuditEntry.query(on: app.db).sort(\.$id, .descending).first() }
}

/// Runs `body` on a fresh SQLite store in a temporary folder with the demo loaded, as `lantern demo`
/// makes it, at the test clock; the folder is passed for files the test writes.
func withDemoStore(file: StaticString = #filePath, line: UInt = #line, _ body: (Application, URL) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lantern-demo-\(UUID().uuidString)")
    try await configure(app, settings: LanternSettings(store: .sqlite(path: folder.appendingPathComponent("demo.sqlite").path)), clock: ManualClock(TestWorld.start))
    do {
        try await app.autoMigrate()
        try await expectTrue(try await DemoData.loadIfEmpty(app), "the demo loads into an empty store", file: file, line: line)
        try await body(app, folder)
    } catch {
        XCTFail("\(error)", file: file, line: line)
    }
    try await app.asyncShutdown()
    try? FileManager.default.removeItem(at: folder)
}

/// Runs `body` once per enabled engine, each time on a fresh database.
func onEveryEngine(file: StaticString = #filePath, line: UInt = #line, _ body: (TestWorld) async throws -> Void) async throws {
    for engine in TestEngine.enabled {
        let world = try await TestWorld.make(engine)
        do {
            try await body(world)
        } catch {
            XCTFail("[\(engine.rawValue)] \(error)", file: file, line: line)
        }
        try await world.shutdown()
    }
}

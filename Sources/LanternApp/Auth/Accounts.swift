import Fluent
import Vapor

/// Creating and changing accounts. Shared by the API, the web pages and `lantern user add`.
enum Accounts {
    static let allowed: Set<String> = ["email", "displayName", "role", "organizationId", "supervisorId", "personId", "password", "isActive"]

    struct Draft: Sendable {
        var email: String, displayName: String, role: Role, organizationID: UUID?, supervisorID: UUID?, personID: UUID?, password: String
    }

    /// Checks an account's fields; the password is checked but hashed by the caller (bcrypt is slow).
    static func validate(_ input: [String: JSONValue], on db: any Database) async throws -> Draft {
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: allowed.subtracting(["isActive"]))
        let email = r.text("email", label: "Email", required: true, max: 254) ?? nil
        let name = r.text("displayName", label: "Name", required: true, max: 120) ?? nil
        let role = r.choice("role", label: "Role", Role.self, required: true) ?? nil
        let organizationID = r.uuid("organizationId", label: "organizationId") ?? nil
        let supervisorID = r.uuid("supervisorId", label: "supervisorId") ?? nil
        let personID = r.uuid("personId", label: "personId") ?? nil
        var password: String?
        if case let .string(p)? = input["password"] { password = p } else { r.fail("password", "Password is required.") }
        if let email, !EmailAddress.isPlausible(email) { r.fail("email", "Email must look like name@example.org.") }
        if let password, let email, let problem = PasswordPolicy.problem(with: password, email: email) { r.fail("password", problem) }
        if let email, try await User.query(on: db).filter(\.$email == email.lowercased()).count() > 0 {
            r.fail("email", "An account with this email already exists.")
        }
        if let role {
            try await checkLinks(role: role, organizationID: organizationID, supervisorID: supervisorID, personID: personID, reader: &r, on: db)
        }
        guard r.errors.isEmpty, let email, let name, let role, let password else { throw Problem.invalid(r.errors) }
        return Draft(email: email.lowercased(), displayName: name, role: role, organizationID: organizationID, supervisorID: supervisorID, personID: personID, password: password)
    }

    static func checkLinks(role: Role, organizationID: UUID?, supervisorID: UUID?, personID: UUID?, reader r: inout FieldReader, on db: any Database) async throws {
        if role == .providerStaff {
            if let organizationID {
                let org = try await Organization.find(organizationID, on: db)
                if org?.organizationKind != .provider { r.fail("organizationId", "organizationId must be a provider agency.") }
            } else {
                r.fail("organizationId", "Provider staff must belong to a provider agency: give organizationId.")
            }
        } else if let organizationID, try await Organization.find(organizationID, on: db) == nil {
            r.fail("organizationId", "organizationId does not name an organisation.")
        }
        if let supervisorID {
            let supervisor = try await User.find(supervisorID, on: db)
            if supervisor?.userRole != .supervisor { r.fail("supervisorId", "supervisorId must be a supervisor's account.") }
        }
        if role == .person {
            if let personID {
                if try await Person.find(personID, on: db) == nil { r.fail("personId", "personId does not name a person.") }
            } else {
                r.fail("personId", "An account for a person supported must name their record: give personId.")
            }
        }
    }

    /// Checks and adds an account, audited in the same transaction.
    static func create(_ input: [String: JSONValue], actor: Actor, req: Request) async throws -> User {
        let draft = try await validate(input, on: req.db)
        let hash = try await req.application.threadPool.runIfActive { try PasswordPolicy.hash(draft.password) }
        let user = make(draft, passwordHash: hash)
        let source = req.sourceAddress
        try await req.auditedTransaction { db, log in
            try await insert(user, on: db)
            log.add(AuditEvent(userID: actor.userID.text, userLabel: actor.email, personID: draft.personID?.text, action: .create, category: .account,
                               sourceAddress: source, detail: "account \(user.id!.text) created with role \(draft.role.rawValue)"))
        }
        return user
    }

    /// Changes an account. A change of role or access is audited and ends the account's sessions.
    static func update(_ id: UUID, _ input: [String: JSONValue], ifMatch: String, actor: Actor, req: Request) async throws -> User {
        let source = req.sourceAddress
        let now = req.now
        return try await req.auditedTransaction { db, log in
            guard let user = try await User.find(id, on: db) else { throw Problem.notFound("account") }
            try ETag.check(ifMatch, version: user.version)
            var r = FieldReader(input, creating: false)
            r.rejectUnknown(allowed: ["displayName", "role", "organizationId", "supervisorId", "personId", "isActive", "caseloadLimit"])
            let before = (role: user.role, org: user.$organization.id, sup: user.supervisorID, person: user.personID, active: user.isActive)
            if let v = r.text("displayName", label: "Name", required: true, max: 120), let v { user.displayName = v }
            if let v = r.choice("role", label: "Role", Role.self, required: true), let v { user.role = v.rawValue }
            if let v = r.uuid("organizationId", label: "organizationId") { user.$organization.id = v }
            if let v = r.uuid("supervisorId", label: "supervisorId") { user.supervisorID = v }
            if let v = r.uuid("personId", label: "personId") { user.personID = v }
            if let v = r.bool("isActive", label: "Active") { user.isActive = v }
            switch input["caseloadLimit"] {
            case nil: break
            case .null?: user.caseloadLimit = nil
            case let .number(n)? where n >= 1 && n <= 200: user.caseloadLimit = n
            default: r.fail("caseloadLimit", "The caseload limit is a weighted number of people from 1 to 200, or null for the organisation's default.")
            }
            if user.caseloadLimit != nil && user.userRole != .supportCoordinator {
                r.fail("caseloadLimit", "Only a support coordinator has a caseload limit.")
            }
            if user.id == actor.userID && (user.userRole != .administrator || !user.isActive) {
                r.fail(user.isActive ? "role" : "isActive", "You cannot remove your own administrator access. Ask another administrator.")
            }
            if r.errors.isEmpty {
                try await Accounts.checkLinks(role: user.userRole, organizationID: user.$organization.id, supervisorID: user.supervisorID, personID: user.personID, reader: &r, on: db)
            }
            if !r.errors.isEmpty { throw Problem.invalid(r.errors) }
            let accessChanged = before.role != user.role || before.org != user.$organization.id || before.sup != user.supervisorID
                || before.person != user.personID || before.active != user.isActive
            user.version += 1
            try await user.save(on: db)
            if accessChanged {
                // Sessions carry the old access: end them so the change applies at once.
                try await UserSession.query(on: db).filter(\.$user.$id == id).filter(\.$endedAt == nil).set(\.$endedAt, to: now).update()
            }
            let action: AuditAction = before.role != user.role ? .roleChange : (accessChanged ? .accessChange : .update)
            var detail = "account \(id.text)"
            if before.role != user.role { detail += " role \(before.role) -> \(user.role)" }
            if before.active != user.isActive { detail += user.isActive ? " reactivated" : " deactivated" }
            log.add(AuditEvent(userID: actor.userID.text, userLabel: actor.email, personID: user.personID?.text, action: action, category: .account,
                               sourceAddress: source, detail: detail))
            return user
        }
    }

    /// Inserts the account; an email taken in the meantime by another request is a field error, not a 500.
    static func insert(_ user: User, on db: any Database) async throws {
        do {
            try await user.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Problem.invalid([FieldError("email", "An account with this email already exists.")])
        }
    }

    static func make(_ draft: Draft, passwordHash: String) -> User {
        let user = User(email: draft.email, displayName: draft.displayName, role: draft.role, organizationID: draft.organizationID,
                        supervisorID: draft.supervisorID, personID: draft.personID, passwordHash: passwordHash)
        user.id = UUID()
        return user
    }
}

struct UserDTO: Content {
    var id: String
    var email: String
    var displayName: String
    var role: Role
    var organizationId: String?
    var supervisorId: String?
    var personId: String?
    var isActive: Bool
    /// A coordinator's own weighted caseload limit; null is the organisation's default.
    var caseloadLimit: Double?
    var version: Int
    init(_ u: User) {
        caseloadLimit = u.caseloadLimit
        id = u.id!.text; email = u.email; displayName = u.displayName; role = u.userRole; organizationId = u.$organization.id?.text
        supervisorId = u.supervisorID?.text; personId = u.personID?.text; isActive = u.isActive; version = u.version
    }
}

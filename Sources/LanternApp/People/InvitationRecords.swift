import Fluent
import Foundation
import LanternDomain
import SQLKit
import Vapor

/// Inviting the person, or someone in their circle, to make their own account.
extension PersonRecords {
    static let invitationFields: Set<String> = ["circleMemberId", "email", "language"]
    static let invitationDays = 7

    /// Makes an invitation and puts it in the outbox; answers with the link, shown once, so that the
    /// coordinator can also give it by hand. A guardian's or family member's account sees only this
    /// person (through the circle); the person's own account sees only themself.
    func invite(_ personID: UUID, _ input: [String: JSONValue]) async throws -> (Invitation, token: String) {
        let (actor, now) = (self.actor, req.now)
        let base = ProcessInfo.processInfo.environment["LANTERN_PUBLIC_URL"] ?? ""
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: Self.invitationFields)
        let memberID = r.uuid("circleMemberId", label: "Who in the circle") ?? nil
        let email = (r.text("email", label: "Email", required: true, max: 254) ?? nil)?.lowercased()
        let languageCode = r.text("language", label: "Language", max: 35) ?? nil
        let language = languageCode.flatMap(PortalLanguage.init(rawValue:))
        if languageCode != nil, language == nil {
            r.fail("language", "Language must be one of: \(PortalLanguage.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if let email, !EmailAddress.isPlausible(email) { r.fail("email", "Email must look like name@example.org.") }
        guard r.errors.isEmpty, let email else { throw Problem.invalid(r.errors) }
        let token = Secrets.random()
        let invitation = try await change(personID, .manageCircle, .account, action: .create) { person, db in
            if try await User.query(on: db).filter(\.$email == email).first() != nil {
                throw Problem.invalid([FieldError("email", "An account with this email already exists. They can sign in with it.")])
            }
            let invitation = Invitation()
            if let memberID {
                guard let member = try await CircleMember.query(on: db).filter(\.$id == memberID).filter(\.$person.$id == personID).first() else {
                    throw Problem.invalid([FieldError("circleMemberId", "Choose someone in \(person.displayName)'s circle of support.")])
                }
                if member.userID != nil { throw Problem.invalid([FieldError("circleMemberId", "\(member.name) already has an account.")]) }
                invitation.circleMemberID = memberID; invitation.role = Role.guardianFamily.rawValue; invitation.displayName = member.name
            } else {
                if try await User.query(on: db).filter(\.$personID == personID).first() != nil {
                    throw Problem.invalid([FieldError("email", "\(person.displayName) already has an account.")])
                }
                invitation.role = Role.person.rawValue; invitation.displayName = person.displayName
            }
            // A new invitation for the same account replaces any still open.
            for open in try await Invitation.query(on: db).filter(\.$person.$id == personID).filter(\.$acceptedAt == nil).filter(\.$withdrawnAt == nil).all()
            where open.circleMemberID == memberID {
                open.withdrawnAt = now
                try await open.save(on: db)
            }
            invitation.id = UUID(); invitation.tokenHash = Secrets.sha256(token); invitation.$person.id = personID; invitation.email = email
            invitation.language = (language ?? PortalLanguage.matching(person.primaryLanguage)).rawValue
            invitation.expiresAt = now.addingTimeInterval(Double(Self.invitationDays) * 86_400); invitation.invitedByID = actor.userID
            try await invitation.create(on: db)
            let lang = invitation.portalLanguage
            let subject = "Lantern: " + Messages.text("invitation.title", lang)
            let lead = Messages.text("invitation.lead", lang, ["inviter": actor.displayName, "person": person.displayName])
            let expires = Messages.text("invitation.expires", lang, ["date": CalendarDate(invitation.expiresAt).description])
            let body = [lead, Self.invitationLink(token, base: base), expires].joined(separator: "\n\n")
            try await db.sql.insert(into: OutboxEmail.schema)
                .columns("id", "to_address", "subject", "body", "source_key", "attempts", "created_at")
                .values(SQLBind(UUID()), SQLBind(email), SQLBind(subject), SQLBind(body), SQLBind("invitation:" + invitation.id!.text), SQLBind(0), SQLBind(now))
                .run()
            return (invitation, "invited \(email) as \(invitation.role) (expires \(CalendarDate(invitation.expiresAt)))")
        }
        return (invitation, token)
    }

    static func invitationPath(_ token: String) -> String { "/invitations/\(token)" }
    /// The link in the email: the public address when LANTERN_PUBLIC_URL is set, else the path.
    static func invitationLink(_ token: String, base: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + invitationPath(token)
    }

    func invitations(of personID: UUID) async throws -> [Invitation] {
        try await read(personID, .account, action: .list, detail: "listed invitations") { _, db in
            try await Invitation.query(on: db).filter(\.$person.$id == personID).sort(\.$createdAt, .descending).limit(50).all()
        }
    }
}

/// The invitation link, opened by someone not signed in: no `PersonRecords` (there is no actor), but
/// every step is audited against the person the invitation is for.
enum Invitations {
    struct Open: Sendable { let invitation: Invitation; let person: Person; let inviter: String }

    static func find(_ token: String, on db: any Database, now: Date) async throws -> Open? {
        guard token.count < 100, let invitation = try await Invitation.query(on: db).filter(\.$tokenHash == Secrets.sha256(token)).first(),
              invitation.isOpen(at: now), let person = try await Person.find(invitation.$person.id, on: db) else { return nil }
        let inviter = try await User.find(invitation.invitedByID, on: db)?.displayName ?? "Lantern"
        return Open(invitation: invitation, person: person, inviter: inviter)
    }

    /// Makes the account: the password checked by the same rules as everywhere, the account linked to
    /// the person or to their circle member, the invitation used up; all in one audited transaction.
    static func accept(_ token: String, password: String, confirm: String, req: Request) async throws -> Invitation {
        let now = req.now
        guard let open = try await find(token, on: req.db, now: now) else { throw Problem(.gone, "Invitation not valid", detail: "This invitation was used already, or it expired.") }
        let lang = open.invitation.portalLanguage
        if password != confirm { throw Problem.invalid([FieldError("confirm", Messages.text("invitation.error.mismatch", lang))]) }
        if let reason = PasswordPolicy.problem(with: password, email: open.invitation.email) {
            throw Problem.invalid([FieldError("password", Messages.text("invitation.error.password", lang, ["reason": reason]))])
        }
        let hash = try await req.application.threadPool.runIfActive { try PasswordPolicy.hash(password) }
        let source = req.sourceAddress
        return try await SQLiteWriteGate.write(on: req.db) { try await req.db.transaction { tx in
            let head = try await AuditChain.lock(tx, at: now)
            // Checked again inside the lock: two tabs sending the form make one account.
            guard let invitation = try await Invitation.find(open.invitation.id, on: tx), invitation.isOpen(at: now) else {
                throw Problem(.gone, "Invitation not valid", detail: "This invitation was used already, or it expired.")
            }
            let role = Role(rawValue: invitation.role) ?? .guardianFamily
            let user = User(email: invitation.email, displayName: invitation.displayName, role: role, organizationID: nil, supervisorID: nil,
                            personID: role == .person ? invitation.$person.id : nil, passwordHash: hash)
            user.id = UUID(); user.language = invitation.language
            try await Accounts.insert(user, on: tx)
            if let memberID = invitation.circleMemberID, let member = try await CircleMember.find(memberID, on: tx) {
                member.userID = user.id; member.version += 1
                try await member.save(on: tx)
            }
            invitation.acceptedAt = now; invitation.userID = user.id
            try await invitation.save(on: tx)
            try await AuditChain.append([AuditEvent(userID: user.id!.text, userLabel: user.email, personID: invitation.$person.id.text, action: .accessChange,
                                                    category: .account, sourceAddress: source,
                                                    detail: "invitation accepted: account \(user.id!.text) (\(role.rawValue)) may now see this record")],
                                        after: head, at: now, on: tx)
            return invitation
        } }
    }
}

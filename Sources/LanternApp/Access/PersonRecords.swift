import Fluent
import SQLKit
import NIOConcurrencyHelpers
import Vapor

/// The events an audited unit of work has produced, written when it commits.
final class AuditLog: Sendable {
    private let box = NIOLockedValueBox<[AuditEvent]>([])
    func add(_ event: AuditEvent) { box.withLockedValue { $0.append(event) } }
    var events: [AuditEvent] { box.withLockedValue { $0 } }
}

/// Thrown inside a unit of work when the policy refuses; the refusal is audited after the rollback.
struct AccessDenial: Error {
    var problem: Problem
    var event: AuditEvent
}

/// The only door to people's records. Every read and write of a person, from any route, comes through
/// here: it asks the `AccessPolicy`, runs the work in one transaction, and appends the audit events to
/// the chain in that same transaction, so the record and its audit commit together or not at all.
struct PersonRecords {
    let req: Request
    let actor: Actor
    var policy: AccessPolicy { AccessPolicy(actor: actor) }

    init(_ req: Request) throws {
        self.req = req
        self.actor = try req.requireActor()
    }

    func event(_ action: AuditAction, _ category: AuditCategory, person: UUID?, outcome: AuditOutcome = .success, detail: String = "") -> AuditEvent {
        AuditEvent(userID: actor.userID.text, userLabel: actor.email, personID: person?.text, action: action, category: category,
                   outcome: outcome, sourceAddress: req.sourceAddress, detail: detail)
    }

    /// A change (the default): the record and its audit rows commit together. A read is loaded
    /// without holding the audit chain and answered once its events are durable (see `AuditWriter`).
    func unitOfWork<T: Sendable>(_ access: UnitOfWork = .change, _ body: @escaping @Sendable (any Database, AuditLog) async throws -> T) async throws -> T {
        switch access {
        case .change: return try await req.auditedTransaction(body)
        case .read: return try await req.auditedRead(body)
        }
    }

    /// Loads the person for `action`, or refuses: 404 when the actor may not see them, 403 when they
    /// may see but not do this.
    func authorize(_ personID: UUID, _ action: AccessPolicy.PersonAction, category: AuditCategory, auditAction: AuditAction, on db: any Database) async throws -> Person {
        guard let person = try await policy.visiblePerson(personID, on: db) else {
            throw AccessDenial(problem: .notFound("person"), event: event(auditAction, category, person: personID, outcome: .denied, detail: "not visible to this user"))
        }
        guard policy.roleAllows(action) else {
            throw AccessDenial(problem: .forbidden("Your role (\(actor.role.label)) can see this record but cannot \(action.rawValue) it. Ask the person's support coordinator."),
                               event: event(auditAction, category, person: personID, outcome: .denied, detail: "role may not \(action.rawValue)"))
        }
        if actor.role == .guardianFamily {
            let links = try await familyLinks(personID, on: db)
            guard policy.familyMay(action, category, links: links) else {
                throw AccessDenial(problem: .forbidden("\(person.displayName) has not shared this part of their record with you. They can choose what you see, with their coordinator."),
                                   event: event(auditAction, category, person: personID, outcome: .denied, detail: "not shared with this family member: \(action.rawValue) \(category.rawValue)"))
            }
        }
        return person
    }

    /// The circle members of the person linked to the actor's account (a guardian, a parent, family).
    func familyLinks(_ personID: UUID, on db: any Database) async throws -> [CircleMember] {
        try await CircleMember.query(on: db).filter(\.$person.$id == personID).filter(\.$userID == actor.userID).all()
    }

    /// Reads part of a person's record and audits the read.
    func read<T: Sendable>(_ personID: UUID, _ category: AuditCategory, action: AuditAction = .view, detail: String = "",
                           _ body: @escaping @Sendable (Person, any Database) async throws -> T) async throws -> T {
        try await unitOfWork(.read) { db, log in
            let person = try await authorize(personID, .view, category: category, auditAction: action, on: db)
            let result = try await body(person, db)
            log.add(event(action, category, person: personID, detail: detail))
            return result
        }
    }

    /// Changes part of a person's record. `body` returns what to answer and a short note for the audit row.
    func change<T: Sendable>(_ personID: UUID, _ permission: AccessPolicy.PersonAction, _ category: AuditCategory, action: AuditAction,
                             _ body: @escaping @Sendable (Person, any Database) async throws -> (T, String)) async throws -> T {
        try await unitOfWork { db, log in
            let person = try await authorize(personID, permission, category: category, auditAction: action, on: db)
            let (result, note) = try await body(person, db)
            log.add(event(action, category, person: personID, detail: note))
            return result
        }
    }
}

/// Whether a unit of work only reads (and may run beside others) or changes records.
enum UnitOfWork: Sendable {
    case read, change

    /// Set while a read runs.
    @TaskLocal static var isReading = false
    struct NeedsChange: Error {}

    /// Called before a write that a read sometimes needs (a signer's first look at the plan marks it
    /// seen): inside a read, the work stops and is done again as a change, so the write commits with
    /// its audit row and reads that write nothing stay reads.
    static func willWrite() throws {
        if isReading { throw NeedsChange() }
    }
}

extension Request {
    /// One transaction for a change, its audit events appended in that same transaction (see
    /// `AuditChain.transaction`). A refusal is audited after the rollback.
    func auditedTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database, AuditLog) async throws -> T) async throws -> T {
        let now = self.now
        do {
            return try await AuditChain.transaction(on: db, at: now) { tx in
                let log = AuditLog()
                let result = try await body(tx, log)
                return (result, log.events)
            }
        } catch let denial as AccessDenial {
            try await application.lantern.auditWriter.append([denial.event], at: now, on: application.db)
            throw denial.problem
        }
    }

    /// A read: checked and loaded in a read-only transaction (one snapshot, no write lock, the chain
    /// not held), then its events go to the chain with those of other requests (group commit). The
    /// answer waits until they are durable: a read that cannot be audited is not answered.
    func auditedRead<T: Sendable>(_ body: @escaping @Sendable (any Database, AuditLog) async throws -> T) async throws -> T {
        let now = self.now
        let log = AuditLog()
        let result: T
        do {
            result = try await db.transaction { tx in
                // PostgreSQL refuses any write in a read-only transaction: a read that writes is a bug the tests catch.
                if !tx.isSQLite { try await tx.sql.raw("SET TRANSACTION READ ONLY").run() }
                // Set inside the transaction's closure: the drivers run it in a task of their own.
                return try await UnitOfWork.$isReading.withValue(true) { try await body(tx, log) }
            }
        } catch is UnitOfWork.NeedsChange {
            return try await auditedTransaction(body)
        } catch let denial as AccessDenial {
            try await application.lantern.auditWriter.append([denial.event], at: now, on: application.db)
            throw denial.problem
        }
        try await application.lantern.auditWriter.append(log.events, at: now, on: application.db)
        return result
    }

    func records() throws -> PersonRecords { try PersonRecords(self) }
}

extension Database {
    var isSQLite: Bool { (self as? any SQLDatabase)?.dialect.name == "sqlite" }
}

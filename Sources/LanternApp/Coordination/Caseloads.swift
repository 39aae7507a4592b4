import Fluent
import LanternDomain
import SQLKit
import Vapor

/// Coordinators' caseloads (people weighted by intensity, against each coordinator's limit) and
/// conflicts of interest: a coordinator who works for an organisation that provides services to the
/// same person (42 CFR 441.301(c)(1)(vi)).
/// A coordinator's caseload against their limit, with the coordinator's name.
struct CoordinatorLoad: Sendable {
    let id: UUID
    let name: String
    let load: Caseload
    /// How far over the limit (negative within it), weighted.
    var excess: Double { load.weighted - load.limit }

    /// Over the limit first, the furthest over first; then by name.
    static func attentionFirst(_ a: CoordinatorLoad, _ b: CoordinatorLoad) -> Bool {
        if a.load.isOver != b.load.isOver { return a.load.isOver }
        if a.load.isOver, a.excess != b.excess { return a.excess > b.excess }
        return (a.name, a.id.uuidString) < (b.name, b.id.uuidString)
    }
}

enum Caseloads {
    /// The caseloads of `coordinators`, in one query: everyone not exited counts.
    static func of(_ coordinators: [User], rules: CaseloadRules, on db: any Database) async throws -> [UUID: Caseload] {
        let ids = coordinators.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        var counts: [UUID: (standard: Int, high: Int)] = [:]
        for row in try await db.sql.select().column("current_coordinator_id").column("intensity").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(Person.schema).where("current_coordinator_id", .in, SQLBind.group(ids)).where("status", .notEqual, SQLBind(PersonStatus.exited.rawValue))
            .groupBy("current_coordinator_id").groupBy("intensity").all() {
            guard let id = try? row.decode(column: "current_coordinator_id", as: UUID.self), let n = try? row.decode(column: "n", as: Int.self) else { continue }
            let intensity = (try? row.decode(column: "intensity", as: String?.self)).flatMap { $0 }.flatMap(Intensity.init) ?? .standard
            if intensity == .high { counts[id, default: (0, 0)].high += n } else { counts[id, default: (0, 0)].standard += n }
        }
        return Dictionary(uniqueKeysWithValues: coordinators.map { c in
            (c.id!, Caseload(standard: counts[c.id!]?.standard ?? 0, high: counts[c.id!]?.high ?? 0, limit: c.caseloadLimit, rules: rules))
        })
    }

    /// Every caseload the actor oversees (an administrator's every coordinator, a supervisor's team, a
    /// coordinator's own), counted in one grouped query with each coordinator's name and limit: one
    /// row a coordinator, never a row a person.
    static func loads(overseenBy actor: Actor, rules: CaseloadRules, on db: any SQLDatabase) async throws -> [CoordinatorLoad] {
        let oversight: SQLQueryString
        switch actor.role {
        case .administrator: oversight = "1 = 1"
        case .supervisor: oversight = "u.supervisor_id = \(bind: actor.userID)"
        case .supportCoordinator: oversight = "u.id = \(bind: actor.userID)"
        default: throw Problem.forbidden("Caseloads are for coordinators, supervisors and administrators.")
        }
        return try await db.raw("""
            SELECT u.id AS id, u.display_name AS name, u.caseload_limit AS caseload_limit, COUNT(p.id) AS people,
                   COALESCE(SUM(CASE WHEN p.intensity = \(bind: Intensity.high.rawValue) THEN 1 ELSE 0 END), 0) AS high
            FROM users u LEFT JOIN people p ON p.current_coordinator_id = u.id AND p.status <> \(bind: PersonStatus.exited.rawValue)
            WHERE u.role = \(bind: Role.supportCoordinator.rawValue) AND u.is_active = \(bind: true) AND \(oversight)
            GROUP BY u.id, u.display_name, u.caseload_limit
            """).all().map { row in
            let people = try row.decode(column: "people", as: Int.self), high = try row.decode(column: "high", as: Int.self)
            return CoordinatorLoad(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                                   load: Caseload(standard: people - high, high: high, limit: try row.decode(column: "caseload_limit", as: Double?.self), rules: rules))
        }
    }

    /// The provider organisations that serve the person: linked ones, and those named by a service or
    /// a step of the plan in effect.
    static func providers(of personID: UUID, on db: any Database) async throws -> Set<UUID> {
        var ids = Set(try await ProviderLink.query(on: db).filter(\.$person.$id == personID).all().map { $0.$organization.id })
        if let plan = try await Plan.query(on: db).filter(\.$person.$id == personID).filter(\.$status == PlanStatus.active.rawValue).first() {
            ids.formUnion(try await planProviders(plan.requireID(), on: db))
        }
        return ids
    }

    /// The providers a plan's services and steps name.
    static func planProviders(_ planID: UUID, on db: any Database) async throws -> Set<UUID> {
        let rows = try await PlanSection.query(on: db).filter(\.$plan.$id == planID).filter(\.$sectionKey ~~ ["services", "outcomes"]).all()
        let content = Dictionary(rows.map { ($0.sectionKey, $0.content) }, uniquingKeysWith: { a, _ in a })
        return ServiceAuthorizations.providersNamed(services: content["services"] ?? [:], steps: (content["outcomes"] ?? [:]).entries("steps"))
    }

    /// The open exceptions recorded for the person, by provider organisation.
    static func exceptions(of personID: UUID, on db: any Database) async throws -> [ConflictException] {
        try await exceptions(of: [personID], on: db)
    }

    static func exceptions(of personIDs: [UUID], on db: any Database) async throws -> [ConflictException] {
        try await ConflictException.query(on: db).filter(\.$person.$id ~~ personIDs).filter(\.$endedOn == nil).all()
    }

    /// The organisation a coordinator works for, when it also provides services to the person.
    static func conflict(coordinator: User?, providers: Set<UUID>) -> UUID? {
        guard let organization = coordinator?.$organization.id, providers.contains(organization) else { return nil }
        return organization
    }

    /// Reads a conflict-of-interest exception from a request: the firewall in words, required when the
    /// assignment or link makes a conflict.
    static func firewall(_ input: [String: JSONValue], reader r: inout FieldReader) -> String?? {
        r.text("conflictFirewall", label: "How coordination is kept apart from the services", max: 2000)
    }

    static func refusal(_ organization: Organization, coordinator: User, person: Person) -> Problem {
        Problem.invalid([FieldError("conflictFirewall",
            "\(coordinator.displayName) works for \(organization.name), which provides services to \(person.displayName): coordination must be independent of the providers (42 CFR 441.301(c)(1)(vi)). Choose another coordinator or provider, or, if \(organization.name) is the only willing and qualified provider in the area, describe the firewall that keeps coordination apart from its services in conflictFirewall.")])
    }

    /// Records the exception the actor documented.
    static func recordException(person: UUID, organization: UUID, coordinator: UUID, firewall: String, by actor: UUID, on day: CalendarDate, db: any Database) async throws {
        let e = ConflictException()
        e.id = UUID(); e.$person.id = person; e.$organization.id = organization; e.$coordinator.id = coordinator
        e.reason = "only_willing_and_qualified_provider"; e.firewall = firewall; e.recordedByID = actor; e.recordedOn = day.description
        try await e.create(on: db)
    }

    /// Exceptions that no longer apply (another coordinator, or the provider gone) end on `day`.
    static func endStaleExceptions(of personID: UUID, coordinator: UUID?, providers: Set<UUID>, on day: CalendarDate, db: any Database) async throws {
        for e in try await exceptions(of: personID, on: db) where e.$coordinator.id != coordinator || !providers.contains(e.$organization.id) {
            e.endedOn = day.description
            try await e.save(on: db)
        }
    }
}

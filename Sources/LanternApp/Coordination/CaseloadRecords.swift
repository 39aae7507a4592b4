import Fluent
import LanternDomain
import SQLKit
import Vapor

/// A person whose coordinator works for one of their providers, with the exception when documented.
struct ConflictRow: Sendable {
    let person: Person
    let coordinator: User
    let organization: Organization
    let exception: ConflictException?
}

extension PersonRecords {
    static let caseloadsPerPage = 100
    static let conflictsPerPage = 100

    /// Caseload sizes against their limits, a page of coordinators at a time by name after `cursor`
    /// (with those over their limit, the furthest over first, on every page), and the conflicts of
    /// interest among the people the actor may see: those with no exception documented first, a page
    /// at a time from `conflictsFrom`. Every figure is counted by the database; each person listed
    /// with a conflict is audited.
    func caseloadsAndConflicts(after cursor: PeopleQuery.Cursor? = nil, conflictsFrom: Int = 0) async throws -> CaseloadsPage {
        let (policy, rules, today, actor) = (self.policy, req.application.lantern.settings.caseloadRules, self.today, self.actor)
        let (pageSize, conflictPage, listLimit) = (Self.caseloadsPerPage, Self.conflictsPerPage, Self.dashboardListLimit)
        return try await unitOfWork(.read) { db, log in
            let loads = try await Caseloads.loads(overseenBy: actor, rules: rules, on: db.sql)
            let byName = loads.sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }
            let rest = cursor.map { c in byName.filter { ($0.name, $0.id.uuidString) > (c.s, c.i.uuidString) } } ?? byName
            let page = Array(rest.prefix(pageSize))
            let over = loads.filter(\.load.isOver).sorted(by: CoordinatorLoad.attentionFirst)
            // Conflicts: a provider linked to the person that employs the person's coordinator.
            let (rows, total, open) = try await Self.conflicts(policy, from: conflictsFrom, limit: conflictPage, on: db)
            for row in rows {
                log.add(event(.list, .caseload, person: row.person.id, detail: "listed with a conflict of interest" + (row.exception == nil ? " (no exception documented)" : " (exception documented)")))
            }
            let share = try await OrganisationFigures.reviewedWithinYear(policy, today: today, on: db.sql)
            log.add(event(.list, .caseload, person: nil, detail: "caseloads of \(page.count) of \(loads.count) coordinators"))
            return CaseloadsPage(coordinators: loads.count, people: loads.reduce(0) { $0 + $1.load.people },
                                 overLimit: Array(over.prefix(listLimit)), overLimitTotal: over.count,
                                 page: page, nextCursor: rest.count > pageSize ? page.last.map { PeopleQuery.Cursor(s: $0.name, i: $0.id).encoded } : nil,
                                 conflicts: rows, conflictsFrom: conflictsFrom, conflictsTotal: total, conflictsWithoutException: open,
                                 nextConflictsFrom: conflictsFrom + rows.count < total ? conflictsFrom + rows.count : nil, reviewed: share)
        }
    }

    /// A page of the conflicts of interest in the actor's scope, those with no exception first, then by
    /// person; with how many there are and how many have no exception.
    static func conflicts(_ policy: AccessPolicy, from offset: Int, limit: Int, on db: any Database) async throws -> (rows: [ConflictRow], total: Int, open: Int) {
        let base: SQLQueryString = """
            FROM provider_links l JOIN people p ON p.id = l.person_id JOIN users c ON c.id = p.current_coordinator_id
            WHERE c.organization_id = l.organization_id AND p.status <> \(bind: PersonStatus.exited.rawValue) AND \(policy.scopeSQL("p.id"))
            """
        let documented: SQLQueryString = """
            EXISTS (SELECT 1 FROM conflict_exceptions e WHERE e.person_id = p.id AND e.organization_id = l.organization_id
                    AND e.coordinator_id = c.id AND e.ended_on IS NULL)
            """
        let countQuery: SQLQueryString = "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN \(documented) THEN 0 ELSE 1 END), 0) AS open \(base)"
        guard let counts = try await db.sql.raw(countQuery).first() else { return ([], 0, 0) }
        let (total, open) = (try counts.decode(column: "n", as: Int.self), try counts.decode(column: "open", as: Int.self))
        let pageQuery: SQLQueryString = """
            SELECT p.id AS person, c.id AS coordinator, l.organization_id AS organization \(base)
            ORDER BY CASE WHEN \(documented) THEN 1 ELSE 0 END, p.sort_name, p.id, l.organization_id LIMIT \(bind: limit) OFFSET \(bind: max(0, offset))
            """
        let found = try await db.sql.raw(pageQuery).all().map { row in
            (person: try row.decode(column: "person", as: UUID.self), coordinator: try row.decode(column: "coordinator", as: UUID.self),
             organization: try row.decode(column: "organization", as: UUID.self))
        }
        guard !found.isEmpty else { return ([], total, open) }
        let personIDs = Array(Set(found.map(\.person)))
        let people = Dictionary(try await Person.query(on: db).filter(\.$id ~~ personIDs).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let users = Dictionary(try await User.query(on: db).filter(\.$id ~~ Set(found.map(\.coordinator))).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let organizations = Dictionary(try await Organization.query(on: db).filter(\.$id ~~ Set(found.map(\.organization))).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let exceptions = try await Caseloads.exceptions(of: personIDs, on: db)
        let rows = found.compactMap { f -> ConflictRow? in
            guard let person = people[f.person], let coordinator = users[f.coordinator], let organization = organizations[f.organization] else { return nil }
            let exception = exceptions.first { $0.$person.id == f.person && $0.$organization.id == f.organization && $0.$coordinator.id == f.coordinator }
            return ConflictRow(person: person, coordinator: coordinator, organization: organization, exception: exception)
        }
        return (rows, total, open)
    }
}

/// The caseloads page: every figure over the actor's whole oversight, a page of coordinators by name,
/// those over their limit, and a page of the conflicts of interest.
struct CaseloadsPage: Sendable {
    var coordinators: Int
    var people: Int
    /// Over their limit, the furthest over first (the first `dashboardListLimit`), and how many are.
    var overLimit: [CoordinatorLoad]
    var overLimitTotal: Int
    var page: [CoordinatorLoad]
    var nextCursor: String?
    var conflicts: [ConflictRow]
    var conflictsFrom: Int
    var conflictsTotal: Int
    var conflictsWithoutException: Int
    var nextConflictsFrom: Int?
    var reviewed: ReviewShare
}

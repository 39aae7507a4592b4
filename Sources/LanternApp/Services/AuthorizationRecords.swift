import Fluent
import LanternDomain
import SQLKit
import Vapor

/// An authorization with the units delivered against it so far.
struct AuthorizationUsage: Sendable {
    let authorization: Authorization
    let person: Person
    let organizationName: String
    /// Units delivered and not withdrawn.
    let delivered: Double
    var share: Double { authorization.units > 0 ? delivered / Double(authorization.units) : 0 }
    var alert: UtilisationAlert? { UtilisationAlert.of(delivered: delivered, authorized: authorization.units) }
    var remaining: Double { Double(authorization.units) - delivered }
}

/// Authorizations and the units delivered under them. Each read and write goes through
/// `PersonRecords` (the person's access, audited under "services"); provider staff see and record
/// only their own organisation's.
extension PersonRecords {
    /// The units delivered under each authorization, in one query.
    static func delivered(_ ids: [UUID], on db: any Database) async throws -> [UUID: Double] {
        guard !ids.isEmpty else { return [:] }
        var sums: [UUID: Double] = [:]
        for row in try await db.sql.select().column("authorization_id").column(SQLFunction("SUM", args: SQLColumn("units")), as: "delivered")
            .from(ServiceDelivery.schema).where("authorization_id", .in, SQLBind.group(ids)).where("withdrawn_at", .is, SQLLiteral.null)
            .groupBy("authorization_id").all() {
            if let id = try? row.decode(column: "authorization_id", as: UUID.self) {
                sums[id] = (try? row.decode(column: "delivered", as: Double.self)) ?? 0
            }
        }
        return sums
    }

    static func usage(_ authorizations: [Authorization], people: [UUID: Person], on db: any Database) async throws -> [AuthorizationUsage] {
        let sums = try await delivered(authorizations.compactMap(\.id), on: db)
        let orgIDs = Array(Set(authorizations.map { $0.$organization.id }))
        let names = Dictionary(try await Organization.query(on: db).filter(\.$id ~~ orgIDs).all().map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        return authorizations.compactMap { a in
            people[a.$person.id].map { AuthorizationUsage(authorization: a, person: $0, organizationName: names[a.$organization.id] ?? "A provider", delivered: sums[a.id!] ?? 0) }
        }
    }

    /// One person's authorizations, newest first: those in effect, then closed ones (at most 200).
    func authorizations(of personID: UUID) async throws -> (Person, [AuthorizationUsage]) {
        let policy = self.policy
        return try await read(personID, .services, action: .list, detail: "listed authorizations") { person, db in
            var query = Authorization.query(on: db).filter(\.$person.$id == personID)
            if policy.actor.role == .providerStaff { query = query.filter(\.$organization.$id == (policy.actor.organizationID ?? UUID())) }
            let rows = try await query.sort(\.$status).sort(\.$startsOn, .descending).limit(200).all()
            return (person, try await Self.usage(rows, people: [personID: person], on: db))
        }
    }

    static let authorizationsPerPage = 200

    /// The authorizations in effect across everyone the user may see: a provider's own, a coordinator's
    /// caseload; soonest ending first, `authorizationsPerPage` at a time after `cursor` (an end date
    /// and an id), with how many there are in all. Each person listed is audited.
    func authorizationsInEffect(alertsOnly: Bool = false, after cursor: PeopleQuery.Cursor? = nil) async throws -> ListPage<AuthorizationUsage> {
        let (policy, pageSize) = (self.policy, Self.authorizationsPerPage)
        return try await unitOfWork(.read) { db, log in
            func inEffect() -> QueryBuilder<Authorization> {
                var query = Authorization.query(on: db).join(Person.self, on: \Authorization.$person.$id == \Person.$id)
                    .filter(.sql(policy.scopeSQL("people.id"))).filter(\.$status == AuthorizationStatus.active.rawValue)
                if policy.actor.role == .providerStaff { query = query.filter(\.$organization.$id == (policy.actor.organizationID ?? UUID())) }
                return query
            }
            let (rows, next) = try await inEffect().after(cursor, by: \.$endsOn).page(by: \.$endsOn, limit: pageSize)
            let byID = Dictionary(try rows.map { ($0.$person.id, try $0.joined(Person.self)) }, uniquingKeysWith: { a, _ in a })
            var usage = try await Self.usage(rows, people: byID, on: db)
            if alertsOnly { usage = usage.filter { $0.alert != nil } }
            for personID in Set(usage.map { $0.authorization.$person.id }) {
                log.add(event(.list, .services, person: personID, detail: "listed among authorizations in effect"))
            }
            return ListPage(items: usage, checked: rows.count, total: try await inEffect().count(), nextCursor: next)
        }
    }

    /// Loads an authorization the actor may see, checking its person for `permission`. One the actor
    /// may not see (another provider's) is "not found", like one that does not exist.
    private func withAuthorization<T: Sendable>(_ id: UUID, _ permission: AccessPolicy.PersonAction, action: AuditAction,
                                                _ body: @escaping @Sendable (Authorization, Person, any Database) async throws -> (T, String)) async throws -> T {
        let policy = self.policy
        return try await unitOfWork(permission == .view && action.onlyReads ? .read : .change) { db, log in
            guard let authorization = try await Authorization.find(id, on: db) else { throw Problem.notFound("authorization") }
            let person: Person
            do {
                person = try await authorize(authorization.$person.id, permission, category: .services, auditAction: action, on: db)
            } catch var denial as AccessDenial where denial.problem.status == .notFound {
                denial.problem = .notFound("authorization"); throw denial
            }
            guard policy.sees(authorizationOf: authorization.$organization.id) else {
                throw AccessDenial(problem: .notFound("authorization"),
                                   event: event(action, .services, person: person.id, outcome: .denied, detail: "authorization \(id.text) of another provider"))
            }
            let (result, note) = try await body(authorization, person, db)
            log.add(event(action, .services, person: person.id, detail: "authorization \(id.text): \(note)"))
            return result
        }
    }

    /// One authorization with its deliveries, newest first (at most `limit`).
    func authorization(_ id: UUID, limit: Int = 200) async throws -> (AuthorizationUsage, [ServiceDelivery]) {
        try await withAuthorization(id, .view, action: .view) { authorization, person, db in
            let usage = try await Self.usage([authorization], people: [person.id!: person], on: db)[0]
            let deliveries = try await ServiceDelivery.query(on: db).filter(\.$authorization.$id == id)
                .sort(\.$deliveredOn, .descending).sort(\.$createdAt, .descending).limit(limit).all()
            return ((usage, deliveries), "read with deliveries")
        }
    }

    /// Records units delivered on a day. The day must fall in the authorization's period, not in the
    /// future, and not after it closed. Units past the authorized total are kept (they were delivered)
    /// and the alert says so.
    func recordDelivery(_ id: UUID, _ input: [String: JSONValue]) async throws -> (ServiceDelivery, AuthorizationUsage) {
        let (policy, actor, today) = (self.policy, self.actor, self.today)
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: ["deliveredOn", "units", "note", "externalId"])
        let day = r.date("deliveredOn", label: "Day delivered", required: true)
        var units: Double?
        switch input["units"] {
        case let .number(n)? where n > 0 && n <= 1000: units = n
        case let .string(s)? where Double(s).map { $0 > 0 && $0 <= 1000 } == true: units = Double(s)
        case nil: r.fail("units", "Give the units delivered, for example 4.")
        default: r.fail("units", "Units must be a number more than 0 and at most 1000, for example 4 or 2.5.")
        }
        let note = r.text("note", label: "Note", max: 1000)
        let externalID = r.text("externalId", label: "Your system's id for this entry", max: 100)
        guard r.errors.isEmpty, case let deliveredOn?? = day, let units else { throw Problem.invalid(r.errors) }
        if deliveredOn > today { throw Problem.invalid([FieldError("deliveredOn", "The day delivered cannot be in the future (today is \(today)).")]) }
        return try await withAuthorization(id, .recordDelivery, action: .create) { authorization, person, db in
            guard policy.mayRecordDelivery(for: authorization.$organization.id) else {
                throw Problem.forbidden("Only the provider's staff, or the person's coordinator, record units delivered.")
            }
            let start = CalendarDate(authorization.startsOn)!, end = CalendarDate(authorization.endsOn)!
            if deliveredOn < start || deliveredOn > end {
                throw Problem.invalid([FieldError("deliveredOn", "This authorization runs from \(start) to \(end). Record units delivered on a day in that period.")])
            }
            if let closed = authorization.endedOn.flatMap(CalendarDate.init), deliveredOn > closed {
                throw Problem.invalid([FieldError("deliveredOn", "This authorization closed on \(closed), when its plan was replaced or ended. Record later units against the authorization in effect now.")])
            }
            if let externalID = externalID ?? nil,
               try await ServiceDelivery.query(on: db).filter(\.$organization.$id == authorization.$organization.id).filter(\.$externalID == externalID).count() > 0 {
                throw Problem(.conflict, "Already recorded", detail: "An entry with externalId \(externalID) is already recorded for this provider. It was not recorded twice.")
            }
            let delivery = ServiceDelivery()
            delivery.id = UUID(); delivery.$authorization.id = id; delivery.$person.id = person.id!
            delivery.$organization.id = authorization.$organization.id; delivery.deliveredOn = deliveredOn.description
            delivery.units = units; delivery.note = note ?? nil; delivery.externalID = externalID ?? nil; delivery.recordedByID = actor.userID
            try await delivery.create(on: db)
            let usage = try await Self.usage([authorization], people: [person.id!: person], on: db)[0]
            return ((delivery, usage), "recorded \(SectionSpec.plain(units)) units delivered on \(deliveredOn)" + (usage.alert.map { " (\($0.rawValue))" } ?? ""))
        }
    }

    /// Withdraws a wrong delivery entry with a reason; it stays in the record and stops counting.
    func withdrawDelivery(_ deliveryID: UUID, reason: String?) async throws -> ServiceDelivery {
        let (policy, actor, now) = (self.policy, self.actor, req.now)
        guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty, reason.count <= 500 else {
            throw Problem.invalid([FieldError("reason", "Say why the entry is wrong (at most 500 characters).")])
        }
        let authorizationID = try await ServiceDelivery.find(deliveryID, on: req.db)?.$authorization.id
        guard let authorizationID else { throw Problem.notFound("delivery entry") }
        return try await withAuthorization(authorizationID, .recordDelivery, action: .update) { authorization, _, db in
            guard policy.mayRecordDelivery(for: authorization.$organization.id) else {
                throw Problem.forbidden("Only the provider's staff, or the person's coordinator, withdraw units delivered.")
            }
            guard let delivery = try await ServiceDelivery.find(deliveryID, on: db), delivery.withdrawnAt == nil else {
                throw Problem(.conflict, "Already withdrawn", detail: "This entry is already withdrawn.")
            }
            delivery.withdrawnAt = now; delivery.withdrawnReason = reason; delivery.withdrawnByID = actor.userID
            try await delivery.save(on: db)
            return (delivery, "withdrew delivery \(deliveryID.text): \(reason)")
        }
    }

    /// The plan's budget, for anyone who may read the plan (the person and their family included),
    /// with what was delivered under its authorizations so far.
    func budget(of planID: UUID) async throws -> (PlanRecord, Spending) {
        try await withPlan(planID, .view, action: .view) { plan, person, db in
            let record = try await Self.load(plan, person, on: db)
            return ((record, try await Self.spending(of: planID, catalogue: record.catalogue, on: db)), "read budget")
        }
    }

    /// Units delivered under a plan's authorizations and what they cost at each day's rate, by the
    /// plan's service entry.
    struct Spending: Sendable {
        var byService: [String: (units: Double, cost: Double)] = [:]
        var hasAuthorizations = false
        func units(_ id: String?) -> Double { id.flatMap { byService[$0]?.units } ?? 0 }
        func cost(_ id: String?) -> Double { id.flatMap { byService[$0]?.cost } ?? 0 }
    }

    static func spending(of planID: UUID, catalogue: ServiceCatalogue, on db: any Database) async throws -> Spending {
        let authorizations = try await Authorization.query(on: db).filter(\.$plan.$id == planID).all()
        var spending = Spending(hasAuthorizations: !authorizations.isEmpty)
        guard !authorizations.isEmpty else { return spending }
        let byID = Dictionary(authorizations.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        for row in try await db.sql.select().column("authorization_id").column("delivered_on").column("units").from(ServiceDelivery.schema)
            .where("authorization_id", .in, SQLBind.group(Array(byID.keys))).where("withdrawn_at", .is, SQLLiteral.null).all() {
            guard let id = try? row.decode(column: "authorization_id", as: UUID.self), let a = byID[id],
                  let day = (try? row.decode(column: "delivered_on", as: String.self)).flatMap(CalendarDate.init),
                  let units = try? row.decode(column: "units", as: Double.self) else { continue }
            var sum = spending.byService[a.serviceEntryID] ?? (0, 0)
            sum.units += units
            sum.cost += units * (catalogue[a.serviceCode]?.rate(on: day) ?? 0)
            spending.byService[a.serviceEntryID] = sum
        }
        spending.byService = spending.byService.mapValues { ($0.units, ($0.cost * 100).rounded() / 100) }
        return spending
    }

    /// People waiting for services, longest first, across everyone the user may see.
    static let waitingPerPage = 200

    /// Everyone waiting for a service, longest first, `waitingPerPage` at a time after `cursor` (a
    /// date and an id), with the figures by service counted by the database over everyone.
    func waitingList(after cursor: PeopleQuery.Cursor? = nil) async throws -> (ListPage<(WaitingListEntry, Person)>, [Dashboard.Waiting]) {
        let (policy, pageSize, today) = (self.policy, Self.waitingPerPage, self.today)
        guard policy.roleAllows(.reviewProgress) else {
            throw Problem.forbidden("The waiting list is for coordinators, supervisors and administrators.")
        }
        return try await unitOfWork(.read) { db, log in
            func waiting() -> QueryBuilder<WaitingListEntry> {
                WaitingListEntry.query(on: db).join(Person.self, on: \WaitingListEntry.$person.$id == \Person.$id)
                    .filter(.sql(policy.scopeSQL("people.id"))).filter(\.$endedOn == nil)
            }
            let (rows, next) = try await waiting().after(cursor, by: \.$since).page(by: \.$since, limit: pageSize)
            for personID in Set(rows.map { $0.$person.id }) { log.add(event(.list, .services, person: personID, detail: "listed on the waiting list")) }
            let page = ListPage(items: try rows.map { ($0, try $0.joined(Person.self)) }, checked: rows.count, total: try await waiting().count(), nextCursor: next)
            return (page, try await OrganisationFigures.waitingByService(policy, today: today, on: db.sql))
        }
    }
}

/// One page of a long list, with how many rows it went through and how many there are in all.
struct ListPage<Item: Sendable>: Sendable {
    var items: [Item]
    var checked: Int
    var total: Int
    var nextCursor: String?
}

import Fluent
import LanternDomain
import Vapor

/// A person whose coordinator works for one of their providers, with the exception when documented.
struct ConflictRow: Sendable {
    let person: Person
    let coordinator: User
    let organization: Organization
    let exception: ConflictException?
}

extension PersonRecords {
    /// The coordinators the actor oversees: an administrator all, a supervisor their team, a
    /// coordinator themself.
    func overseenCoordinators(on db: any Database) async throws -> [User] {
        let query = User.query(on: db).filter(\.$role == Role.supportCoordinator.rawValue).filter(\.$isActive == true).sort(\.$displayName)
        switch actor.role {
        case .administrator: return try await query.all()
        case .supervisor: return try await query.filter(\.$supervisorID == actor.userID).all()
        case .supportCoordinator: return try await query.filter(\.$id == actor.userID).all()
        default: throw Problem.forbidden("Caseloads are for coordinators, supervisors and administrators.")
        }
    }

    /// Caseload sizes against their limits, and the conflicts of interest among the people the actor
    /// may see: every one of them, counted and listed by the database. Each person listed with a
    /// conflict is audited.
    func caseloadsAndConflicts() async throws -> ([(User, Caseload)], [ConflictRow], ReviewShare) {
        let (policy, rules, today) = (self.policy, req.application.lantern.settings.caseloadRules, self.today)
        return try await unitOfWork(.read) { db, log in
            let coordinators = try await overseenCoordinators(on: db)
            let loads = try await Caseloads.of(coordinators, rules: rules, on: db)
            // Conflicts: a provider linked to the person that employs the person's coordinator.
            let links = try await ProviderLink.query(on: db).join(Person.self, on: \ProviderLink.$person.$id == \Person.$id)
                .join(User.self, on: \Person.$currentCoordinatorID == \User.$id)
                .filter(.sql(policy.scopeSQL("people.id"))).filter(Person.self, \.$status != PersonStatus.exited.rawValue)
                .filter(.sql(unsafeRaw: "users.organization_id = provider_links.organization_id"))
                .with(\.$organization).all()
            var rows: [ConflictRow] = []
            let exceptions = links.isEmpty ? [] : try await Caseloads.exceptions(of: Array(Set(links.map { $0.$person.id })), on: db)
            for link in links {
                let person = try link.joined(Person.self), coordinator = try link.joined(User.self)
                let exception = exceptions.first { $0.$person.id == person.id && $0.$organization.id == link.$organization.id && $0.$coordinator.id == coordinator.id }
                rows.append(ConflictRow(person: person, coordinator: coordinator, organization: link.organization, exception: exception))
                log.add(event(.list, .caseload, person: person.id, detail: "listed with a conflict of interest" + (exception == nil ? " (no exception documented)" : " (exception documented)")))
            }
            rows.sort { ($0.exception != nil ? 1 : 0, $0.person.sortName) < ($1.exception != nil ? 1 : 0, $1.person.sortName) }
            let share = try await OrganisationFigures.reviewedWithinYear(policy, today: today, on: db.sql)
            log.add(event(.list, .caseload, person: nil, detail: "caseloads of \(coordinators.count) coordinators"))
            return (coordinators.compactMap { c in loads[c.id!].map { (c, $0) } }, rows, share)
        }
    }
}

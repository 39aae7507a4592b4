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
        case .administrator: return try await query.limit(1000).all()
        case .supervisor: return try await query.filter(\.$supervisorID == actor.userID).limit(1000).all()
        case .supportCoordinator: return try await query.filter(\.$id == actor.userID).all()
        default: throw Problem.forbidden("Caseloads are for coordinators, supervisors and administrators.")
        }
    }

    /// Caseload sizes against their limits, and the conflicts of interest among the people the actor
    /// may see. A few queries whatever the number of people; each person listed with a conflict is audited.
    func caseloadsAndConflicts() async throws -> ([(User, Caseload)], [ConflictRow], ReviewShare) {
        let (policy, rules, today) = (self.policy, req.application.lantern.settings.caseloadRules, self.today)
        return try await unitOfWork { db, log in
            let coordinators = try await overseenCoordinators(on: db)
            let loads = try await Caseloads.of(coordinators, rules: rules, on: db)
            // Conflicts: a provider linked to the person (plans in effect link theirs) that employs the person's coordinator.
            let people = try await policy.scope(Person.query(on: db)).filter(\.$status != PersonStatus.exited.rawValue).limit(5000).all()
            let byID = Dictionary(people.compactMap { p in p.id.map { ($0, p) } }, uniquingKeysWith: { a, _ in a })
            var rows: [ConflictRow] = []
            if !byID.isEmpty {
                let coordinatorIDs = Array(Set(people.compactMap(\.currentCoordinatorID)))
                let staff = Dictionary(try await User.query(on: db).filter(\.$id ~~ coordinatorIDs).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
                let links = try await ProviderLink.query(on: db).filter(\.$person.$id ~~ Array(byID.keys)).with(\.$organization).all()
                let exceptions = try await ConflictException.query(on: db).filter(\.$person.$id ~~ Array(byID.keys)).filter(\.$endedOn == nil).all()
                for link in links {
                    guard let person = byID[link.$person.id], let coordinator = person.currentCoordinatorID.flatMap({ staff[$0] }),
                          coordinator.$organization.id == link.$organization.id else { continue }
                    let exception = exceptions.first { $0.$person.id == person.id && $0.$organization.id == link.$organization.id && $0.$coordinator.id == coordinator.id }
                    rows.append(ConflictRow(person: person, coordinator: coordinator, organization: link.organization, exception: exception))
                    log.add(event(.list, .caseload, person: person.id, detail: "listed with a conflict of interest" + (exception == nil ? " (no exception documented)" : " (exception documented)")))
                }
            }
            rows.sort { ($0.exception != nil ? 1 : 0, $0.person.sortName) < ($1.exception != nil ? 1 : 0, $1.person.sortName) }
            // Plans reviewed within 12 months: people in services whose plan in effect took effect in the last year.
            let active = people.filter { $0.status == PersonStatus.active.rawValue }.compactMap(\.id)
            var reviewed = Set<UUID>()
            if !active.isEmpty {
                for plan in try await Plan.query(on: db).filter(\.$person.$id ~~ active).filter(\.$status == PlanStatus.active.rawValue).all() {
                    if let start = plan.effectiveStart.flatMap(CalendarDate.init), ReviewShare.isWithinYear(start: start, today: today) { reviewed.insert(plan.$person.id) }
                }
            }
            let share = ReviewShare(reviewed: reviewed.count, people: active.count)
            log.add(event(.list, .caseload, person: nil, detail: "caseloads of \(coordinators.count) coordinators"))
            return (coordinators.compactMap { c in loads[c.id!].map { (c, $0) } }, rows, share)
        }
    }
}

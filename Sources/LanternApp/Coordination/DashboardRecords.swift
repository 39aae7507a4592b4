import Fluent
import LanternDomain
import Vapor

/// What a coordinator and a supervisor look at first: what is due, who is meeting soon, who is
/// waiting, whose plan runs out, how satisfied people are, and (for supervisors) caseloads.
struct Dashboard: Sendable {
    struct Expiring: Sendable { let person: Person; let plan: Plan; let due: CalendarDate }
    struct Meeting: Sendable { let person: Person; let meeting: PlanningMeeting }
    struct Waiting: Sendable { let service: String; let people: Int; let longestSince: CalendarDate }
    struct CoordinatorSatisfaction: Sendable { let coordinator: User; let surveys: Int; let mean: Double }
    struct OpenReferral: Sendable { let person: Person; let referral: Referral }

    var tasks: [TaskItem]
    var meetings: [Meeting]
    var plansInEffect: Int
    var expiring: [Expiring]
    var referrals: [OpenReferral]
    var satisfaction: SatisfactionTrend
    var satisfactionByCoordinator: [CoordinatorSatisfaction]
    var waiting: [Waiting]
    /// How many coordinators the survey figures cover (the list shows the lowest means first).
    var satisfactionCoordinators: Int
    /// For supervisors and administrators: the coordinators overseen, those over their limit first
    /// (the furthest over first), then by name; the first `dashboardListLimit` of `caseloadCount`.
    var caseloads: [CoordinatorLoad]?
    var caseloadCount = 0
    var overLimitCount = 0
    var conflicts: [ConflictRow]
    var reviewed: ReviewShare?
    /// Every count, over the whole scope (the lists above show the first rows).
    var figures: OrganisationFigures
}

extension PersonRecords {
    /// How many rows each list on the dashboard shows; the figures give how many there are in all,
    /// and each list's own page shows every row.
    static let dashboardListLimit = 100

    /// The dashboard of the people the actor may see. Every figure is counted by the database over the
    /// whole scope (`OrganisationFigures`); the lists show the first rows by date. A fixed number of
    /// queries whatever the number of people; each person shown is audited.
    func dashboard() async throws -> Dashboard {
        let (policy, today, limit, actor) = (self.policy, self.today, Self.dashboardListLimit, self.actor)
        guard policy.roleAllows(.reviewProgress) else { throw Problem.forbidden("The dashboard is for coordinators, supervisors and administrators.") }
        let oversees = actor.role != .supportCoordinator
        let rules = req.application.lantern.settings.caseloadRules
        return try await unitOfWork(.read) { db, log in
            let sql = db.sql
            let figures = try await OrganisationFigures.count(policy, today: today, on: sql)
            let notExited = PersonStatus.exited.rawValue
            // Open tasks due within the week (overdue first), as the task list has them.
            let tasks = try await CoordinationTask.query(on: db).join(Person.self, on: \CoordinationTask.$person.$id == \Person.$id)
                .filter(.sql(policy.scopeSQL("people.id")))
                .filter(\.$status == TaskStatus.open.rawValue).filter(\.$showFrom <= today.description).filter(\.$dueOn <= today.adding(days: 7).description)
                .sort(\.$dueOn).sort(\.$id).limit(limit).all()
                .map { TaskItem(task: $0, person: try $0.joined(Person.self)) }
            let meetings = try await PlanningMeeting.query(on: db).join(Person.self, on: \PlanningMeeting.$person.$id == \Person.$id)
                .filter(.sql(policy.scopeSQL("people.id"))).filter(Person.self, \.$status != notExited)
                .filter(\.$status == MeetingStatus.planned.rawValue)
                .filter(\.$meetsOn >= today.description).filter(\.$meetsOn <= today.adding(days: 14).description)
                .sort(\.$meetsOn).sort(\.$startsAt).sort(\.$id).limit(limit).all()
                .map { Dashboard.Meeting(person: try $0.joined(Person.self), meeting: $0) }
            let expiring = try await PlansDue.soonest(policy, today: today, limit: limit, on: db)
            let referrals = try await Referral.query(on: db).join(Person.self, on: \Referral.$person.$id == \Person.$id)
                .filter(.sql(policy.scopeSQL("people.id"))).filter(Person.self, \.$status != notExited)
                .filter(\.$decision == nil).sort(\.$referredOn).sort(\.$id).limit(limit).all()
                .map { Dashboard.OpenReferral(person: try $0.joined(Person.self), referral: $0) }
            let satisfaction = try await OrganisationFigures.satisfaction(policy, today: today, on: sql)
            // The lowest means first: where a supervisor looks first. Only those shown are read.
            let lowest = satisfaction.byCoordinator.sorted { ($0.mean, $0.id.uuidString) < ($1.mean, $1.id.uuidString) }.prefix(limit)
            let coordinators = lowest.isEmpty ? [:] : Dictionary(try await User.query(on: db).filter(\.$id ~~ lowest.map(\.id)).all().map { ($0.id!, $0) },
                                                                uniquingKeysWith: { a, _ in a })
            let waiting = try await OrganisationFigures.waitingByService(policy, today: today, on: sql)
            var loads: [CoordinatorLoad]?
            var (caseloadCount, overLimitCount) = (0, 0)
            if oversees {
                let all = try await Caseloads.loads(overseenBy: actor, rules: rules, on: sql)
                (caseloadCount, overLimitCount) = (all.count, all.filter(\.load.isOver).count)
                loads = Array(all.sorted(by: CoordinatorLoad.attentionFirst).prefix(limit))
            }
            for personID in Set(tasks.map { $0.task.$person.id } + meetings.map { $0.person.id! } + expiring.map { $0.person.id! } + referrals.map { $0.person.id! }) {
                log.add(event(.list, .meetings, person: personID, detail: "shown on the dashboard"))
            }
            log.add(event(.list, .satisfaction, person: nil, detail: "dashboard figures; satisfaction of \(satisfaction.surveys) surveys"))
            return Dashboard(tasks: tasks, meetings: meetings, plansInEffect: figures.plansInEffect, expiring: expiring, referrals: referrals,
                             satisfaction: satisfaction.trend,
                             satisfactionByCoordinator: lowest.compactMap { row in
                                 coordinators[row.id].map { Dashboard.CoordinatorSatisfaction(coordinator: $0, surveys: row.surveys, mean: row.mean) }
                             },
                             waiting: waiting, satisfactionCoordinators: satisfaction.byCoordinator.count, caseloads: loads,
                             caseloadCount: caseloadCount, overLimitCount: overLimitCount,
                             conflicts: [], reviewed: oversees ? figures.reviewed : nil, figures: figures)
        }
    }
}

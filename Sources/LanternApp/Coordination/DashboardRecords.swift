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
    /// For supervisors and administrators.
    var caseloads: [(User, Caseload)]?
    var conflicts: [ConflictRow]
    var reviewed: ReviewShare?
}

extension PersonRecords {
    /// The dashboard of the people the actor may see. A fixed number of queries whatever the caseload;
    /// each person whose record it draws on is audited by the parts it reuses and here.
    func dashboard() async throws -> Dashboard {
        let (policy, today) = (self.policy, self.today)
        guard policy.roleAllows(.reviewProgress) else { throw Problem.forbidden("The dashboard is for coordinators, supervisors and administrators.") }
        let tasks = try await tasks()
        let oversees = actor.role != .supportCoordinator
        let (loads, conflicts, reviewed) = oversees ? try await caseloadsAndConflicts() : ([], [], ReviewShare(reviewed: 0, people: 0))
        let waitingRows = try await waitingList(limit: 5000)
        var dashboard = try await unitOfWork { db, log in
            let people = try await policy.scope(Person.query(on: db)).filter(\.$status != PersonStatus.exited.rawValue).limit(5000).all()
            let byID = Dictionary(people.compactMap { p in p.id.map { ($0, p) } }, uniquingKeysWith: { a, _ in a })
            let ids = Array(byID.keys)
            guard !ids.isEmpty else {
                return Dashboard(tasks: [], meetings: [], plansInEffect: 0, expiring: [], referrals: [], satisfaction: SatisfactionTrend([]),
                                 satisfactionByCoordinator: [], waiting: [], caseloads: nil, conflicts: [], reviewed: nil)
            }
            let meetings = try await PlanningMeeting.query(on: db).filter(\.$person.$id ~~ ids).filter(\.$status == MeetingStatus.planned.rawValue)
                .filter(\.$meetsOn >= today.description).filter(\.$meetsOn <= today.adding(days: 14).description).sort(\.$meetsOn).sort(\.$startsAt).all()
                .compactMap { m in byID[m.$person.id].map { Dashboard.Meeting(person: $0, meeting: m) } }
            let plans = try await Plan.query(on: db).filter(\.$person.$id ~~ ids).filter(\.$status == PlanStatus.active.rawValue).all()
            let expiring = plans.compactMap { plan -> Dashboard.Expiring? in
                guard let person = byID[plan.$person.id], let start = plan.effectiveStart.flatMap(CalendarDate.init) else { return nil }
                let due = Deadlines.nextPlan(planID: "", person: "", type: plan.type, start: start, end: plan.effectiveEnd.flatMap(CalendarDate.init)).due
                return due <= today.adding(days: 60) ? Dashboard.Expiring(person: person, plan: plan, due: due) : nil
            }.sorted { $0.due < $1.due }
            let referrals = try await Referral.query(on: db).filter(\.$person.$id ~~ ids).filter(\.$decision == nil).sort(\.$referredOn).all()
                .compactMap { r in byID[r.$person.id].map { Dashboard.OpenReferral(person: $0, referral: r) } }
            let surveys = try await SatisfactionSurvey.query(on: db).filter(\.$person.$id ~~ ids)
                .filter(\.$answeredOn >= today.adding(months: -24).description).all()
            let yearAgo = today.adding(months: -12).description
            var byCoordinator: [UUID: (Int, Double)] = [:]
            for s in surveys where s.answeredOn >= yearAgo {
                guard let c = s.coordinatorID else { continue }
                byCoordinator[c, default: (0, 0)].0 += 1; byCoordinator[c, default: (0, 0)].1 += s.mean
            }
            let coordinators = try await User.query(on: db).filter(\.$id ~~ Array(byCoordinator.keys)).all()
            for personID in Set(meetings.map { $0.person.id! } + expiring.map { $0.person.id! } + referrals.map { $0.person.id! }) {
                log.add(event(.list, .meetings, person: personID, detail: "shown on the dashboard"))
            }
            log.add(event(.list, .satisfaction, person: nil, detail: "satisfaction of \(surveys.count) surveys on the dashboard"))
            return Dashboard(tasks: [], meetings: meetings, plansInEffect: plans.count, expiring: expiring, referrals: referrals,
                             satisfaction: SatisfactionTrend(surveys.compactMap(\.score)),
                             satisfactionByCoordinator: coordinators.map { c in
                                 let (n, total) = byCoordinator[c.id!]!
                                 return Dashboard.CoordinatorSatisfaction(coordinator: c, surveys: n, mean: total / Double(n))
                             }.sorted { $0.coordinator.displayName < $1.coordinator.displayName },
                             waiting: [], caseloads: nil, conflicts: [], reviewed: nil)
        }
        dashboard.tasks = tasks
        let grouped = Dictionary(grouping: waitingRows) { $0.0.serviceName }
        dashboard.waiting = grouped.map { name, rows in
            Dashboard.Waiting(service: name, people: Set(rows.map { $0.1.id! }).count, longestSince: rows.compactMap { CalendarDate($0.0.since) }.min() ?? today)
        }.sorted { ($0.longestSince, $0.service) < ($1.longestSince, $1.service) }
        if oversees { dashboard.caseloads = loads; dashboard.conflicts = conflicts; dashboard.reviewed = reviewed }
        return dashboard
    }
}

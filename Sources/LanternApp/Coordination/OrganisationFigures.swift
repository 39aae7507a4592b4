import Fluent
import FluentKit
import Foundation
import LanternDomain
import SQLKit

/// The organisation-wide figures of the dashboard and the caseloads page, counted by the database over
/// everyone in the actor's scope (`AccessPolicy.scopeSQL`): exact at any size, and nobody is loaded to
/// count them. Tests check each against a count written directly in SQL on a generated state.
struct OrganisationFigures: Sendable, Equatable {
    var tasksOverdue = 0
    var tasksDueToday = 0
    var tasksDueThisWeek = 0
    var contactsOverdue = 0
    var meetingsNext14Days = 0
    var plansInEffect = 0
    var plansDueWithin60Days = 0
    var referralsWaiting = 0
    var conflictsWithoutException = 0
    var reviewed = ReviewShare(reviewed: 0, people: 0)

    static let notExited = PersonStatus.exited.rawValue

    /// Every figure in one statement: each is a one-row aggregate (a derived table), joined side by
    /// side, so the database is asked once instead of ten times (each question costs a round trip and
    /// the building of a query, more than a small scope's counting). The plans near the renewal
    /// boundary are then decided by the rule itself (`PlansDue`).
    static func count(_ policy: AccessPolicy, today: CalendarDate, on db: any SQLDatabase) async throws -> OrganisationFigures {
        let t = today.description
        let query: SQLQueryString = """
            SELECT tc.overdue AS overdue, tc.today AS due_today, tc.week AS due_week, tc.contacts AS contacts,
                   mt.n AS meetings, pe.n AS in_effect, pd.n AS due_certain, rf.n AS referrals, cf.n AS conflicts,
                   ap.n AS active_people, rv.n AS reviewed
            FROM (\(taskCountsQuery(policy, today: today))) tc
            CROSS JOIN (SELECT COUNT(*) AS n FROM planning_meetings m JOIN people p ON p.id = m.person_id
                WHERE m.status = \(bind: MeetingStatus.planned.rawValue) AND m.meets_on >= \(bind: t) AND m.meets_on <= \(bind: today.adding(days: 14).description)
                  AND p.status <> \(bind: notExited) AND \(policy.scopeSQL("p.id"))) mt
            CROSS JOIN (SELECT COUNT(*) AS n FROM plans pl JOIN people p ON p.id = pl.person_id
                WHERE pl.status = \(bind: PlanStatus.active.rawValue) AND p.status <> \(bind: notExited) AND \(policy.scopeSQL("p.id"))) pe
            CROSS JOIN (\(PlansDue.certainQuery(policy, today: today))) pd
            CROSS JOIN (SELECT COUNT(*) AS n FROM referrals r JOIN people p ON p.id = r.person_id
                WHERE r.decision IS NULL AND p.status <> \(bind: notExited) AND \(policy.scopeSQL("p.id"))) rf
            CROSS JOIN (SELECT COUNT(*) AS n FROM users c JOIN people p ON p.current_coordinator_id = c.id
                  JOIN provider_links l ON l.person_id = p.id AND l.organization_id = c.organization_id
                WHERE c.organization_id IN (SELECT o.id FROM organizations o WHERE o.kind = \(bind: OrganizationKind.provider.rawValue))
                  AND p.status <> \(bind: notExited) AND \(policy.scopeSQL("p.id"))
                  AND NOT EXISTS (SELECT 1 FROM conflict_exceptions e WHERE e.person_id = p.id AND e.organization_id = l.organization_id
                                  AND e.coordinator_id = c.id AND e.ended_on IS NULL)) cf
            CROSS JOIN (\(peopleInServicesQuery(policy))) ap
            CROSS JOIN (\(reviewedQuery(policy, today: today))) rv
            """
        guard let row = try await db.raw(query).first() else { return OrganisationFigures() }
        func n(_ column: String) throws -> Int { try row.decode(column: column, as: Int.self) }
        var f = OrganisationFigures()
        (f.tasksOverdue, f.tasksDueToday, f.tasksDueThisWeek, f.contactsOverdue) = (try n("overdue"), try n("due_today"), try n("due_week"), try n("contacts"))
        f.meetingsNext14Days = try n("meetings")
        f.plansInEffect = try n("in_effect")
        f.plansDueWithin60Days = try n("due_certain") + (try await PlansDue.boundary(policy, today: today, on: db))
        f.referralsWaiting = try n("referrals")
        f.conflictsWithoutException = try n("conflicts")
        f.reviewed = ReviewShare(reviewed: try n("reviewed"), people: try n("active_people"))
        return f
    }

    /// Open tasks that show by today, as the task list has them: overdue, due today, due in the next
    /// 7 days, and overdue monitoring contacts.
    static func taskCounts(_ policy: AccessPolicy, today: CalendarDate, on db: any SQLDatabase) async throws -> (overdue: Int, today: Int, week: Int, contacts: Int) {
        guard let row = try await db.raw(taskCountsQuery(policy, today: today)).first() else { return (0, 0, 0, 0) }
        return (try row.decode(column: "overdue", as: Int.self), try row.decode(column: "today", as: Int.self),
                try row.decode(column: "week", as: Int.self), try row.decode(column: "contacts", as: Int.self))
    }

    static func taskCountsQuery(_ policy: AccessPolicy, today: CalendarDate) -> SQLQueryString {
        let t = today.description, week = today.adding(days: 7).description
        return """
            SELECT COALESCE(SUM(CASE WHEN due_on < \(bind: t) THEN 1 ELSE 0 END), 0) AS overdue,
                   COALESCE(SUM(CASE WHEN due_on = \(bind: t) THEN 1 ELSE 0 END), 0) AS today,
                   COALESCE(SUM(CASE WHEN due_on > \(bind: t) AND due_on <= \(bind: week) THEN 1 ELSE 0 END), 0) AS week,
                   COALESCE(SUM(CASE WHEN due_on < \(bind: t) AND kind = \(bind: TaskKind.monitoringContact.rawValue) THEN 1 ELSE 0 END), 0) AS contacts
            FROM coordination_tasks WHERE status = \(bind: TaskStatus.open.rawValue) AND show_from <= \(bind: t) AND \(policy.scopeSQL("person_id"))
            """
    }

    /// People in services, and those whose plan in effect took effect in the last 12 months
    /// (`ReviewShare.isWithinYear`: after the day a year ago, and not after today).
    static func reviewedWithinYear(_ policy: AccessPolicy, today: CalendarDate, on db: any SQLDatabase) async throws -> ReviewShare {
        let people = try await scalar(db, peopleInServicesQuery(policy))
        let reviewed = try await scalar(db, reviewedQuery(policy, today: today))
        return ReviewShare(reviewed: reviewed, people: people)
    }

    static func peopleInServicesQuery(_ policy: AccessPolicy) -> SQLQueryString {
        "SELECT COUNT(*) AS n FROM people p WHERE p.status = \(bind: PersonStatus.active.rawValue) AND \(policy.scopeSQL("p.id"))"
    }

    static func reviewedQuery(_ policy: AccessPolicy, today: CalendarDate) -> SQLQueryString {
        """
        SELECT COUNT(DISTINCT pl.person_id) AS n FROM plans pl JOIN people p ON p.id = pl.person_id
        WHERE pl.status = \(bind: PlanStatus.active.rawValue) AND p.status = \(bind: PersonStatus.active.rawValue) AND \(policy.scopeSQL("p.id"))
          AND pl.effective_start > \(bind: today.adding(months: -12).description) AND pl.effective_start <= \(bind: today.description)
        """
    }

    /// The waiting list by service: how many people wait and since when the longest has.
    static func waitingByService(_ policy: AccessPolicy, today: CalendarDate, on db: any SQLDatabase) async throws -> [Dashboard.Waiting] {
        try await db.raw("""
            SELECT w.service_name AS service, COUNT(DISTINCT w.person_id) AS n, MIN(w.since) AS since
            FROM waiting_list_entries w WHERE w.ended_on IS NULL AND \(policy.scopeSQL("w.person_id"))
            GROUP BY w.service_name
            """).all().map { row in
            Dashboard.Waiting(service: try row.decode(column: "service", as: String.self), people: try row.decode(column: "n", as: Int.self),
                              longestSince: CalendarDate(try row.decode(column: "since", as: String.self)) ?? today)
        }.sorted { ($0.longestSince, $0.service) < ($1.longestSince, $1.service) }
    }

    struct Satisfaction: Sendable {
        var trend: SatisfactionTrend
        var byCoordinator: [(id: UUID, surveys: Int, mean: Double)]
        var surveys: Int
    }

    /// Satisfaction over the last two years by quarter, and by coordinator over the last year, added
    /// up by the database from each survey's sums (`SatisfactionSurvey.setAnswers`).
    static func satisfaction(_ policy: AccessPolicy, today: CalendarDate, on db: any SQLDatabase) async throws -> Satisfaction {
        let months = try await db.raw("""
            SELECT SUBSTR(s.answered_on, 1, 7) AS month, COUNT(*) AS n, CAST(SUM(s.answer_count) AS BIGINT) AS answers, CAST(SUM(s.rating_sum) AS BIGINT) AS total, CAST(SUM(s.happy_count) AS BIGINT) AS happy
            FROM satisfaction_surveys s JOIN people p ON p.id = s.person_id
            WHERE s.answered_on >= \(bind: today.adding(months: -24).description) AND s.answer_count > 0
              AND p.status <> \(bind: notExited) AND \(policy.scopeSQL("p.id"))
            GROUP BY SUBSTR(s.answered_on, 1, 7)
            """).all().compactMap { row -> SatisfactionTrend.MonthSums? in
            let month = try row.decode(column: "month", as: String.self).split(separator: "-").compactMap { Int($0) }
            guard month.count == 2 else { return nil }
            return SatisfactionTrend.MonthSums(year: month[0], month: month[1], surveys: try row.decode(column: "n", as: Int.self),
                                               answers: try row.decode(column: "answers", as: Int.self), ratingSum: try row.decode(column: "total", as: Int.self),
                                               happy: try row.decode(column: "happy", as: Int.self))
        }
        let byCoordinator = try await db.raw("""
            SELECT s.coordinator_id AS coordinator, COUNT(*) AS n, CAST(SUM(s.mean) AS DOUBLE PRECISION) AS total
            FROM satisfaction_surveys s JOIN people p ON p.id = s.person_id
            WHERE s.answered_on >= \(bind: today.adding(months: -12).description) AND s.coordinator_id IS NOT NULL
              AND p.status <> \(bind: notExited) AND \(policy.scopeSQL("p.id"))
            GROUP BY s.coordinator_id
            """).all().map { row in
            let n = try row.decode(column: "n", as: Int.self)
            return (id: try row.decode(column: "coordinator", as: UUID.self), surveys: n, mean: try row.decode(column: "total", as: Double.self) / Double(n))
        }
        let all = try await scalar(db, """
            SELECT COUNT(*) AS n FROM satisfaction_surveys s JOIN people p ON p.id = s.person_id
            WHERE s.answered_on >= \(bind: today.adding(months: -24).description) AND p.status <> \(bind: notExited) AND \(policy.scopeSQL("p.id"))
            """)
        return Satisfaction(trend: SatisfactionTrend(months: months), byCoordinator: byCoordinator, surveys: all)
    }

    static func scalar(_ db: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        guard let row = try await db.raw(query).first() else { return 0 }
        return try row.decode(column: "n", as: Int.self)
    }
}

/// Plans in effect due for renewal within 60 days (`Deadlines.nextPlan`: the day before the first
/// anniversary of the start, or the plan's own end when sooner). The database counts the plans that
/// are surely due; the few whose start is within days of the boundary (months have different
/// lengths) are read and decided by the rule itself, so the count is the rule's, exactly.
enum PlansDue {
    static let horizonDays = 60

    /// Starts on or before `sure` are due by the horizon whatever the month lengths; starts up to
    /// `maybe` are decided one by one.
    static func bounds(today: CalendarDate) -> (horizon: CalendarDate, sure: CalendarDate, maybe: CalendarDate) {
        let horizon = today.adding(days: horizonDays)
        let anniversaryStart = horizon.adding(days: 1).adding(months: -12)
        return (horizon, anniversaryStart.adding(days: -3), anniversaryStart.adding(days: 3))
    }

    /// The `limit` plans due soonest, with their people. The soonest by the rule's date are among the
    /// soonest by start and the soonest by end, so those two short lists are all that is read.
    static func soonest(_ policy: AccessPolicy, today: CalendarDate, limit: Int, on db: any Database) async throws -> [Dashboard.Expiring] {
        let horizon = bounds(today: today).horizon
        func candidates(_ sort: KeyPath<Plan, OptionalFieldProperty<Plan, String>>) async throws -> [Plan] {
            try await Plan.query(on: db).join(Person.self, on: \Plan.$person.$id == \Person.$id)
                .filter(.sql(policy.scopeSQL("people.id"))).filter(Person.self, \.$status != OrganisationFigures.notExited)
                .filter(\.$status == PlanStatus.active.rawValue).filter(sort != nil)
                .sort(sort).sort(\.$id).limit(limit).all()
        }
        var seen = Set<UUID>()
        return try await (candidates(\.$effectiveStart) + candidates(\.$effectiveEnd)).compactMap { plan -> Dashboard.Expiring? in
            guard seen.insert(plan.id!).inserted, let start = plan.effectiveStart.flatMap(CalendarDate.init) else { return nil }
            let due = Deadlines.nextPlan(planID: "", person: "", type: plan.type, start: start, end: plan.effectiveEnd.flatMap(CalendarDate.init)).due
            return due <= horizon ? Dashboard.Expiring(person: try plan.joined(Person.self), plan: plan, due: due) : nil
        }.sorted { ($0.due, $0.plan.id!.uuidString) < ($1.due, $1.plan.id!.uuidString) }.prefix(limit).map { $0 }
    }

    static func base(_ policy: AccessPolicy) -> SQLQueryString {
        """
        FROM plans pl JOIN people p ON p.id = pl.person_id
        WHERE pl.status = \(bind: PlanStatus.active.rawValue) AND p.status <> \(bind: OrganisationFigures.notExited) AND \(policy.scopeSQL("p.id"))
          AND pl.effective_start IS NOT NULL
        """
    }

    /// The plans surely due by the horizon, whatever the month lengths.
    static func certainQuery(_ policy: AccessPolicy, today: CalendarDate) -> SQLQueryString {
        let (horizon, sure, _) = bounds(today: today)
        return """
            SELECT COUNT(*) AS n \(base(policy))
             AND (pl.effective_start <= \(bind: sure.description) OR pl.effective_end <= \(bind: horizon.description))
            """
    }

    /// The plans near the boundary that the rule itself finds due.
    static func boundary(_ policy: AccessPolicy, today: CalendarDate, on db: any SQLDatabase) async throws -> Int {
        let (horizon, sure, maybe) = bounds(today: today)
        var due = 0
        for row in try await db.raw("""
            SELECT pl.plan_type, pl.effective_start, pl.effective_end \(base(policy))
             AND pl.effective_start > \(bind: sure.description) AND pl.effective_start <= \(bind: maybe.description)
             AND (pl.effective_end IS NULL OR pl.effective_end > \(bind: horizon.description))
            """).all() {
            guard let start = CalendarDate(try row.decode(column: "effective_start", as: String.self)) else { continue }
            let type = PlanType(rawValue: try row.decode(column: "plan_type", as: String.self)) ?? .federalHCBS
            let end = try row.decode(column: "effective_end", as: String?.self).flatMap(CalendarDate.init)
            if Deadlines.nextPlan(planID: "", person: "", type: type, start: start, end: end).due <= horizon { due += 1 }
        }
        return due
    }
}

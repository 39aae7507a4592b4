import Fluent
import LanternDomain
import SQLKit
import Vapor

/// Works out what is due for everyone in services and makes the tasks not yet made, each with a
/// reminder in the outbox. Safe from several instances at once: a task's key is unique and an insert
/// that meets an existing key does nothing, so every task and reminder is made exactly once. Tasks
/// whose reason is gone (the plan replaced, the request answered, the person left) close.
enum TaskScheduler {
    struct Run: Sendable, CustomStringConvertible {
        var due = 0, created = 0, closed = 0
        /// One audit event per task made or closed, for the person it is about.
        var events: [AuditEvent] = []
        var description: String { "\(due) due now, \(created) tasks made, \(closed) closed" }
    }

    /// Runs in its own transaction, audited. Concurrent runs (on SQLite, or several instances on
    /// PostgreSQL) take turns, and the unique keys make sure that even runs that do not take turns
    /// make each task once.
    static func runAudited(on db: any Database, today: CalendarDate, now: Date) async throws -> Run {
        try await AuditChain.transaction(on: db, at: now, turn: "lantern task scheduler") { tx in
            let run = try await run(on: tx, today: today, now: now)
            return (run, run.events)
        }
    }

    static func event(_ person: UUID, _ action: AuditAction, _ detail: String) -> AuditEvent {
        AuditEvent(userID: nil, userLabel: "lantern task scheduler", personID: person.text, action: action, category: .tasks, sourceAddress: nil, detail: detail)
    }

    static let managed: [String] = TaskKind.allCases.map(\.rawValue)

    /// Runs a query on the ids 10,000 at a time: one statement binds at most 32,766 values on SQLite
    /// (65,535 on PostgreSQL), and a statewide store has more people than that.
    static func inChunks<T>(_ ids: [UUID], _ query: ([UUID]) async throws -> [T]) async throws -> [T] {
        var result: [T] = []
        for start in stride(from: 0, to: ids.count, by: 10_000) { result += try await query(Array(ids[start..<min(ids.count, start + 10_000)])) }
        return result
    }

    /// Everything due for the people in services, shown or not yet.
    static func dueItems(on db: any Database, today: CalendarDate) async throws -> [(UUID, DueItem)] {
        let people = try await Person.query(on: db).filter(\.$status != PersonStatus.exited.rawValue).all()
        let byID = Dictionary(people.compactMap { p in p.id.map { ($0, p) } }, uniquingKeysWith: { a, _ in a })
        var items: [(UUID, DueItem)] = []
        let plans = try await Plan.query(on: db).filter(\.$status == PlanStatus.active.rawValue).all()
        for plan in plans {
            guard let person = byID[plan.$person.id] else { continue }
            if let start = plan.effectiveStart.flatMap(CalendarDate.init) {
                items.append((person.id!, Deadlines.nextPlan(planID: plan.id!.text, person: person.displayName, type: plan.type, start: start,
                                                             end: plan.effectiveEnd.flatMap(CalendarDate.init))))
            }
            if plan.type == .californiaIFSP, let meeting = plan.meetingDate.flatMap(CalendarDate.init) {
                items.append((person.id!, Deadlines.ifspReview(planID: plan.id!.text, person: person.displayName, meeting: meeting)))
            }
        }
        // Early Start: every child under 3 in services has the transition steps.
        for person in people {
            guard let birth = CalendarDate(person.birthDate), Deadlines.thirdBirthday(birth) > today.adding(days: -1) else { continue }
            items += Deadlines.transition(person: person.displayName, personID: person.id!.text, birth: birth).map { (person.id!, $0) }
        }
        // Monitoring contacts at each person's frequency, from the last contact or the start of coordination.
        let monitored = people.filter { $0.contactFrequency != nil && $0.status == PersonStatus.active.rawValue }
        if !monitored.isEmpty {
            let ids = monitored.compactMap(\.id)
            var last: [UUID: CalendarDate] = [:]
            for row in try await inChunks(ids, { chunk in try await db.sql.select().column("person_id").column(SQLFunction("MAX", args: SQLColumn("contact_on")), as: "last")
                .from(MonitoringContact.schema).where("person_id", .in, SQLBind.group(chunk)).groupBy("person_id").all() }) {
                if let id = try? row.decode(column: "person_id", as: UUID.self), let day = (try? row.decode(column: "last", as: String.self)).flatMap(CalendarDate.init) { last[id] = day }
            }
            let since = Dictionary(try await inChunks(ids, { try await CoordinatorAssignment.query(on: db).filter(\.$person.$id ~~ $0).filter(\.$endsOn == nil).all() })
                .compactMap { a in CalendarDate(a.startsOn).map { (a.$person.id, $0) } }, uniquingKeysWith: { a, _ in a })
            for person in monitored {
                guard let frequency = person.contactFrequency.flatMap(ContactFrequency.init), let start = last[person.id!] ?? since[person.id!] else { continue }
                items.append((person.id!, Deadlines.monitoringContact(personID: person.id!.text, person: person.displayName, last: last[person.id!], since: start, frequency: frequency)))
            }
        }
        items += try await intakeItems(byID, on: db)
        items += try await satisfactionItems(people, today: today, on: db)
        for request in try await ReviewRequest.query(on: db).filter(\.$status == ReviewRequestStatus.open.rawValue).all() {
            guard let person = byID[request.personID], let item = item(for: request, person: person) else { continue }
            items.append((person.id!, item))
        }
        return items
    }

    /// The task an open review request asks of the coordinator.
    static func item(for request: ReviewRequest, person: Person) -> DueItem? {
        guard let id = request.id, let asked = CalendarDate(request.requestedOn), let due = CalendarDate(request.dueOn) else { return nil }
        return request.reviewTrigger == .request
            ? Deadlines.requestedReview(requestID: id.text, person: person.displayName, requestedOn: asked, due: due, citation: request.dueCitation,
                                        service: request.aboutService)
            : Deadlines.changeReview(changeID: id.text, person: person.displayName, noticedOn: asked, due: due, citation: request.dueCitation)
    }

    /// Intake deadlines of the referrals still open: eligibility not decided, or the first meeting
    /// not yet held by someone found eligible.
    static func intakeItems(_ people: [UUID: Person], on db: any Database) async throws -> [(UUID, DueItem)] {
        let referrals = try await inChunks(Array(people.keys), { chunk in try await Referral.query(on: db).filter(\.$person.$id ~~ chunk)
            .group(.or) { $0.filter(\.$decision == nil).filter(\.$decision != EligibilityDecision.notEligible.rawValue) }.all() })
        guard !referrals.isEmpty else { return [] }
        let ids = Array(Set(referrals.map { $0.$person.id }))
        // A first meeting is held when a planning meeting was held, or a plan recorded its meeting, after the referral.
        var lastMeeting: [UUID: String] = [:]
        for m in try await inChunks(ids, { try await PlanningMeeting.query(on: db).filter(\.$person.$id ~~ $0).filter(\.$status == MeetingStatus.held.rawValue).all() }) {
            lastMeeting[m.$person.id] = max(lastMeeting[m.$person.id] ?? "", m.meetsOn)
        }
        for plan in try await inChunks(ids, { try await Plan.query(on: db).filter(\.$person.$id ~~ $0).filter(\.$meetingDate != nil).all() }) {
            if let day = plan.meetingDate { lastMeeting[plan.$person.id] = max(lastMeeting[plan.$person.id] ?? "", day) }
        }
        let engine = try RuleEngine(library: RulePackLibrary.shared.get())
        return referrals.flatMap { referral -> [(UUID, DueItem)] in
            guard let person = people[referral.$person.id], let referred = CalendarDate(referral.referredOn) else { return [] }
            let facts = ReferralFacts(id: referral.id!.text, person: person.displayName, planType: referral.type, referredOn: referred,
                                      assessedOn: referral.assessedOn.flatMap(CalendarDate.init), decision: referral.eligibility,
                                      firstMeetingHeld: (lastMeeting[person.id!] ?? "") >= referral.referredOn)
            return Deadlines.intake(facts, rules: engine.intakeDeadlines(for: referral.type)).map { (person.id!, $0) }
        }
    }

    /// Satisfaction surveys: after each meeting held in the last 60 days with no answer since (for
    /// anyone not exited), and once a year for everyone getting services.
    static func satisfactionItems(_ people: [Person], today: CalendarDate, on db: any Database) async throws -> [(UUID, DueItem)] {
        let ids = people.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        var lastAnswer: [UUID: String] = [:]
        for row in try await inChunks(ids, { chunk in try await db.sql.select().column("person_id").column(SQLFunction("MAX", args: SQLColumn("answered_on")), as: "last")
            .from(SatisfactionSurvey.schema).where("person_id", .in, SQLBind.group(chunk)).groupBy("person_id").all() }) {
            if let id = try? row.decode(column: "person_id", as: UUID.self), let day = try? row.decode(column: "last", as: String.self) { lastAnswer[id] = day }
        }
        let since = Dictionary(try await inChunks(ids, { try await CoordinatorAssignment.query(on: db).filter(\.$person.$id ~~ $0).filter(\.$endsOn == nil).all() })
            .map { ($0.$person.id, $0.startsOn) }, uniquingKeysWith: { a, _ in a })
        var items: [(UUID, DueItem)] = []
        let byID = Dictionary(people.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        for meeting in try await inChunks(ids, { try await PlanningMeeting.query(on: db).filter(\.$person.$id ~~ $0).filter(\.$status == MeetingStatus.held.rawValue)
            .filter(\.$meetsOn >= today.adding(days: -60).description).all() }) {
            guard let person = byID[meeting.$person.id], let held = CalendarDate(meeting.meetsOn), (lastAnswer[person.id!] ?? "") < meeting.meetsOn else { continue }
            items.append((person.id!, Deadlines.satisfactionAfterMeeting(meetingID: meeting.id!.text, person: person.displayName, heldOn: held)))
        }
        for person in people where person.status == PersonStatus.active.rawValue {
            guard let last = (lastAnswer[person.id!] ?? since[person.id!]).flatMap(CalendarDate.init) else { continue }
            items.append((person.id!, Deadlines.satisfactionYearly(personID: person.id!.text, person: person.displayName, last: last)))
        }
        return items
    }

    static func run(on db: any Database, today: CalendarDate, now: Date) async throws -> Run {
        var run = Run()
        let all = try await dueItems(on: db, today: today)
        let current = Set(all.map(\.1.key))
        let people = Dictionary(try await inChunks(Array(Set(all.map(\.0))), { try await Person.query(on: db).filter(\.$id ~~ $0).all() }).map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let coordinators = Dictionary(try await inChunks(Array(Set(people.values.compactMap(\.currentCoordinatorID))), { try await User.query(on: db).filter(\.$id ~~ $0).all() }).map { ($0.id!, $0) },
                                      uniquingKeysWith: { a, _ in a })
        // Most of what is due was made in an earlier run: read those keys first (500 to a query) rather
        // than try an insert for each. The insert still meets the unique key if another instance races.
        let dueKeys = all.filter { $0.1.showFrom <= today }.map(\.1.key)
        var made = Set<String>()
        for start in stride(from: 0, to: dueKeys.count, by: 500) {
            let keys = Array(dueKeys[start..<min(dueKeys.count, start + 500)])
            made.formUnion(try await CoordinationTask.query(on: db).filter(\.$sourceKey ~~ keys).field(\.$sourceKey).all().map(\.sourceKey))
        }
        for (personID, item) in all where item.showFrom <= today {
            run.due += 1
            if made.contains(item.key) { continue }
            let coordinator = people[personID]?.currentCoordinatorID.flatMap { coordinators[$0] }
            guard try await make(item, for: personID, coordinator: coordinator, now: now, on: db) else { continue }
            run.created += 1
            run.events.append(event(personID, .create, "task made: \(item.title), due \(item.due)"))
        }
        // Tasks whose reason is gone close: the key is no longer computed.
        for task in try await CoordinationTask.query(on: db).filter(\.$status == TaskStatus.open.rawValue).filter(\.$kind ~~ managed).all()
        where !current.contains(task.sourceKey) {
            task.status = TaskStatus.closed.rawValue
            task.closedOn = today.description
            task.note = "No longer needed: the plan, request or person it was for has moved on."
            try await task.save(on: db)
            run.closed += 1
            run.events.append(event(task.$person.id, .update, "task closed as no longer needed: \(task.title)"))
        }
        return run
    }

    /// Makes the task for `item` and its reminder to the coordinator, unless its key was made before.
    /// Whether it was made now.
    static func make(_ item: DueItem, for personID: UUID, coordinator: User?, now: Date, on db: any Database) async throws -> Bool {
        let inserted = try await db.sql.insert(into: CoordinationTask.schema)
            .columns("id", "person_id", "assignee_id", "kind", "title", "due_on", "show_from", "citation", "source_key", "status", "created_at")
            .values(SQLBind(UUID()), SQLBind(personID), SQLBind(coordinator?.id), SQLBind(item.kind.rawValue), SQLBind(item.title),
                    SQLBind(item.due.description), SQLBind(item.showFrom.description), SQLBind(item.citation), SQLBind(item.key),
                    SQLBind(TaskStatus.open.rawValue), SQLBind(now))
            .ignoringConflicts(with: "source_key")
            .returning("id")
            .all()
        guard !inserted.isEmpty else { return false }
        if let coordinator {
            try await db.sql.insert(into: OutboxEmail.schema)
                .columns("id", "to_address", "subject", "body", "source_key", "attempts", "created_at")
                .values(SQLBind(UUID()), SQLBind(coordinator.email), SQLBind("Lantern: \(item.title), due \(item.due)"),
                        SQLBind("\(item.title).\n\nDue: \(item.due) (\(item.citation)).\n\nSee your tasks in Lantern."),
                        SQLBind("task:" + item.key), SQLBind(0), SQLBind(now))
                .ignoringConflicts(with: "source_key")
                .run()
        }
        return true
    }
}

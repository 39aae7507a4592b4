import Fluent
import LanternDomain
import Vapor

/// Intake at the single point of entry: the referral, the eligibility decision, and the deadlines of
/// the plan type's rule pack that follow (shown on the coordinator's task list by the scheduler).
extension PersonRecords {
    static let referralFields: Set<String> = ["planType", "referredOn", "source", "referrerName", "referrerContact", "reason"]
    static let eligibilityFields: Set<String> = ["assessedOn", "decision", "decidedOn", "decisionBasis"]

    /// A person's referrals, newest first.
    func referrals(of personID: UUID) async throws -> (Person, [Referral]) {
        try await read(personID, .intake, action: .list, detail: "listed referrals") { person, db in
            (person, try await Referral.query(on: db).filter(\.$person.$id == personID).sort(\.$referredOn, .descending).sort(\.$createdAt, .descending).all())
        }
    }

    /// Records a referral: who referred, when, why, and for which plan. One referral waits for its
    /// decision at a time.
    func recordReferral(_ personID: UUID, _ input: [String: JSONValue]) async throws -> Referral {
        let (actorID, today) = (actor.userID, self.today)
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: Self.referralFields)
        let type = r.choice("planType", label: "Program the person is referred to", PlanType.self, required: true)
        let on = r.date("referredOn", label: "Day the referral was received", required: true)
        let source = r.choice("source", label: "Who referred", ReferralSource.self, required: true)
        let name = r.text("referrerName", label: "Name of who referred", required: true, max: 200)
        let contact = r.text("referrerContact", label: "How to reach who referred", max: 200)
        let reason = r.text("reason", label: "Why the person was referred", required: true, max: 2000)
        if case let d?? = on, d > today { r.fail("referredOn", "The day the referral was received cannot be in the future (today is \(today)).") }
        guard r.errors.isEmpty, case let planType?? = type, case let referredOn?? = on, case let from?? = source, case let who?? = name, case let why?? = reason else {
            throw Problem.invalid(r.errors)
        }
        return try await change(personID, .update, .intake, action: .create) { person, db in
            if person.status == PersonStatus.exited.rawValue {
                throw Problem(.conflict, "Left services", detail: "\(person.displayName) left services. To refer them again, set their status back to Referred on their details page first.")
            }
            if let open = try await Referral.query(on: db).filter(\.$person.$id == personID).filter(\.$decision == nil).first() {
                throw Problem(.conflict, "A referral is waiting", detail: "The referral of \(open.referredOn) is still waiting for its eligibility decision. Record that decision first.")
            }
            let referral = Referral()
            referral.id = UUID(); referral.$person.id = personID; referral.planType = planType.rawValue; referral.referredOn = referredOn.description
            referral.source = from.rawValue; referral.referrerName = who; referral.referrerContact = contact ?? nil; referral.reason = why
            referral.recordedByID = actorID
            try await referral.create(on: db)
            return (referral, "referral received on \(referredOn) from \(from.rawValue) for \(planType.rawValue)")
        }
    }

    /// Records the eligibility decision. Eligible: the person waits for their first plan. Not
    /// eligible: the person leaves services, with the decision's basis as the reason (the record is
    /// kept). The intake task for the decision is done.
    func decideEligibility(_ personID: UUID, referralID: UUID, _ input: [String: JSONValue]) async throws -> Referral {
        let (actorID, today) = (actor.userID, self.today)
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: Self.eligibilityFields)
        let assessed = r.date("assessedOn", label: "Day the assessment was completed", required: true)
        let decision = r.choice("decision", label: "Decision", EligibilityDecision.self, required: true)
        let decided = r.date("decidedOn", label: "Day of the decision", required: true)
        let basis = r.text("decisionBasis", label: "What the decision rests on", max: 2000)
        if case let d?? = assessed, d > today { r.fail("assessedOn", "The assessment cannot be completed in the future (today is \(today)).") }
        if case let d?? = decided, d > today { r.fail("decidedOn", "The day of the decision cannot be in the future (today is \(today)).") }
        if case let a?? = assessed, case let d?? = decided, d < a { r.fail("decidedOn", "The decision cannot come before the assessment (\(a)).") }
        if case .notEligible?? = decision, (basis ?? nil) == nil {
            r.fail("decisionBasis", "Say what the decision rests on: the person is told why, and how to appeal.")
        }
        guard r.errors.isEmpty, case let assessedOn?? = assessed, case let outcome?? = decision, case let decidedOn?? = decided else { throw Problem.invalid(r.errors) }
        return try await change(personID, .update, .intake, action: .update) { person, db in
            guard let referral = try await Referral.query(on: db).filter(\.$id == referralID).filter(\.$person.$id == personID).first() else {
                throw Problem.notFound("referral")
            }
            if referral.decision != nil {
                throw Problem(.conflict, "Already decided", detail: "This referral was decided on \(referral.decidedOn ?? "an earlier day"). Record a new referral to decide again.")
            }
            if assessedOn.description < referral.referredOn {
                throw Problem.invalid([FieldError("assessedOn", "The assessment cannot come before the referral (\(referral.referredOn)).")])
            }
            referral.assessedOn = assessedOn.description; referral.decision = outcome.rawValue
            referral.decidedOn = decidedOn.description; referral.decisionBasis = basis ?? nil
            try await referral.save(on: db)
            if outcome.admits {
                if person.status == PersonStatus.referred.rawValue { person.status = PersonStatus.waiting.rawValue }
            } else {
                person.status = PersonStatus.exited.rawValue
                person.exitDate = decidedOn.description
                person.exitReason = "Not eligible: " + ((basis ?? nil) ?? "")
            }
            person.version += 1
            try await person.save(on: db)
            try await Self.finishTasks(of: personID, key: "intake-eligibility:\(referralID.text)", note: "\(outcome.label) on \(decidedOn)", by: actorID, on: today, db: db)
            return (referral, "eligibility decided on \(decidedOn): \(outcome.rawValue)")
        }
    }

    /// Marks open tasks done: the one with `key`, or every open one of `kind` for the person.
    static func finishTasks(of personID: UUID, key: String? = nil, kind: TaskKind? = nil, note: String, by userID: UUID, on today: CalendarDate, db: any Database) async throws {
        var query = CoordinationTask.query(on: db).filter(\.$person.$id == personID).filter(\.$status == TaskStatus.open.rawValue)
        if let key { query = query.filter(\.$sourceKey == key) }
        if let kind { query = query.filter(\.$kind == kind.rawValue) }
        for task in try await query.all() {
            task.status = TaskStatus.done.rawValue; task.closedOn = today.description; task.closedByID = userID; task.note = note
            try await task.save(on: db)
        }
    }

    // MARK: Choosing a coordinator

    /// The person directs their own coordination from a day: the current coordinator's assignment
    /// ends. Assigning a coordinator later ends self-direction. Administrators oversee the people who
    /// coordinate their own services.
    func directOwnCoordination(_ personID: UUID, since: CalendarDate?, reason: String?) async throws -> Person {
        let today = self.today
        let day = since ?? today
        if day > today { throw Problem.invalid([FieldError("since", "The day cannot be in the future (today is \(today)).")]) }
        return try await change(personID, .assignCoordinator, .coordinatorAssignment, action: .update) { person, db in
            if person.selfCoordinatedSince != nil {
                throw Problem(.conflict, "Already self-directed", detail: "\(person.displayName) has directed their own coordination since \(person.selfCoordinatedSince!).")
            }
            if let open = try await CoordinatorAssignment.query(on: db).filter(\.$person.$id == personID).filter(\.$endsOn == nil).first() {
                if day.description < open.startsOn {
                    throw Problem.invalid([FieldError("since", "Self-direction cannot start before the current coordinator's assignment began (\(open.startsOn)).")])
                }
                open.endsOn = day.description
                try await open.save(on: db)
            }
            person.selfCoordinatedSince = day.description
            person.currentCoordinatorID = nil
            person.version += 1
            try await person.save(on: db)
            return (person, "directs own coordination from \(day)" + (reason.map { ": \($0)" } ?? ""))
        }
    }

    // MARK: Leaving services

    /// The person leaves services on a day, for a reason. In one step: the plan in effect ends (and
    /// with it the authorizations and open review requests), the person leaves the waiting list, and
    /// the coordinator's assignment ends. The record is kept.
    func leaveServices(_ personID: UUID, _ input: [String: JSONValue]) async throws -> Person {
        let today = self.today
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: ["leftOn", "reason"])
        let on = r.date("leftOn", label: "Day services end", required: true)
        let why = r.text("reason", label: "Why the person leaves services", required: true, max: 400)
        if case let d?? = on, d > today { r.fail("leftOn", "The day services end cannot be in the future (today is \(today)).") }
        guard r.errors.isEmpty, case let day?? = on, case let reason?? = why else { throw Problem.invalid(r.errors) }
        return try await change(personID, .update, .demographics, action: .update) { person, db in
            if person.status == PersonStatus.exited.rawValue {
                throw Problem(.conflict, "Already left", detail: "\(person.displayName) left services on \(person.exitDate ?? "an earlier day").")
            }
            var notes: [String] = []
            for plan in try await Plan.query(on: db).filter(\.$person.$id == personID).filter(\.$status == PlanStatus.active.rawValue).all() {
                plan.status = PlanStatus.ended.rawValue; plan.endedOn = day.description; plan.endReason = "Left services: \(reason)"
                plan.version += 1
                try await plan.save(on: db)
                let requests = try await Self.closeReviewRequests(of: plan, on: db)
                let authorizations = try await ServiceAuthorizations.planEnded(plan, on: day, db: db)
                notes.append("plan version \(plan.versionNumber) ended (\(authorizations) authorizations, \(requests) review requests)")
            }
            let waiting = try await WaitingListEntry.query(on: db).filter(\.$person.$id == personID).filter(\.$endedOn == nil).all()
            for entry in waiting { entry.endedOn = day.description; try await entry.save(on: db) }
            if !waiting.isEmpty { notes.append("\(waiting.count) waiting-list entries ended") }
            if let open = try await CoordinatorAssignment.query(on: db).filter(\.$person.$id == personID).filter(\.$endsOn == nil).first(),
               open.startsOn <= day.description {
                open.endsOn = day.description
                try await open.save(on: db)
                notes.append("coordinator assignment ended")
            }
            person.status = PersonStatus.exited.rawValue; person.exitDate = day.description; person.exitReason = reason
            person.version += 1
            try await person.save(on: db)
            return (person, "left services on \(day): \(reason)" + notes.map { "; " + $0 }.joined())
        }
    }
}

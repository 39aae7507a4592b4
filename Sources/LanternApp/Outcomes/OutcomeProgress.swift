import Fluent
import Foundation
import SQLKit

/// A person's outcomes from the plan in effect, as one user may see them, with what the summary and
/// the flags need: each step's last entry date and its latest entries.
struct OutcomeBoard: Sendable {
    let person: Person
    /// The plan in effect whose outcomes these are; nil when no plan is in effect.
    let plan: Plan?
    let outcomes: [PlannedOutcome]
    let names: [String: String]
    /// By step id.
    let lastEntry: [String: CalendarDate]
    /// By step id: the latest entries, oldest first (at most `OutcomeBoard.recentCount`).
    let recent: [String: [ProgressPoint]]
    /// By outcome id: the person's latest view.
    let latestView: [String: OutcomeSelfView]
    let today: CalendarDate
    let quietDays: Int

    static let recentCount = 8

    /// Why a step needs the coordinator's attention. Only outcomes still being worked on are flagged.
    func flags(_ step: ActionStep, of outcome: PlannedOutcome) -> [ProgressFlag] {
        guard [.notStarted, .inProgress].contains(outcome.status) else { return [] }
        let started = outcome.startDate ?? plan?.effectiveStart.flatMap(CalendarDate.init) ?? today
        var points = recent[step.id] ?? []
        // A narrative step has no numbers: only its silence counts.
        if !step.measure.isCharted { points = points.map { ProgressPoint($0.date, 0) } }
        if points.isEmpty, let last = lastEntry[step.id] { points = [ProgressPoint(last, 0)] }
        return ProgressFlag.flags(entries: points, target: step.measure.isCharted ? step.target : nil, measure: step.measure,
                                  startedOn: started, today: today, quietDays: quietDays)
    }

    var flagged: [(PlannedOutcome, ActionStep, [ProgressFlag])] {
        outcomes.flatMap { o in o.steps.compactMap { s in let f = flags(s, of: o); return f.isEmpty ? nil : (o, s, f) } }
    }
}

/// One outcome in full: its steps' entries, the coordinator's reviews, the person's own views and the
/// services in the plan that support it.
struct OutcomeDetail: Sendable {
    let board: OutcomeBoard
    let outcome: PlannedOutcome
    /// By step id, oldest first: every dated value, for the charts.
    let points: [String: [ProgressPoint]]
    /// By step id, newest first: the latest entries in full, notes and all.
    let latest: [String: [ProgressEntry]]
    let reviews: [OutcomeReview]
    let views: [OutcomeSelfView]
    let services: [SectionContent]
    /// Names of who recorded, by user id.
    let recorders: [UUID: String]

    /// How many of a step's latest entries the outcome page lists; all of them are in the API's entries.
    static let latestCount = 10
}

extension PersonRecords {
    var quietDays: Int { req.application.lantern.settings.progressQuietDays }

    /// The plan in effect for a person: the latest one signed and not ended or replaced.
    static func planInEffect(for personID: UUID, on db: any Database) async throws -> Plan? {
        try await Plan.query(on: db).filter(\.$person.$id == personID).filter(\.$status == PlanStatus.active.rawValue)
            .sort(\.$effectiveStart, .descending).sort(\.$createdAt, .descending).first()
    }

    /// The plan in effect with its outcomes section (nil when none is written yet), in one query:
    /// recording progress and every outcome page read them.
    static func outcomesInEffect(for personID: UUID, on db: any Database) async throws -> (plan: Plan, section: PlanSection?)? {
        guard let plan = try await Plan.query(on: db)
            .join(PlanSection.self, on: \Plan.$id == \PlanSection.$plan.$id && \PlanSection.$sectionKey == "outcomes", method: .left)
            .filter(\.$person.$id == personID).filter(\.$status == PlanStatus.active.rawValue)
            .sort(\.$effectiveStart, .descending).sort(\.$createdAt, .descending).first() else { return nil }
        // Without the section, the left join leaves its columns empty and there is no section to read.
        return (plan, try? plan.joined(PlanSection.self))
    }

    static func board(_ person: Person, policy: AccessPolicy, today: CalendarDate, quietDays: Int, on db: any Database) async throws -> OutcomeBoard {
        let personID = try person.requireID()
        // Only the outcomes section of the plan, and the people and providers its steps name.
        guard let (plan, section) = try await Self.outcomesInEffect(for: personID, on: db) else {
            return OutcomeBoard(person: person, plan: nil, outcomes: [], names: [:], lastEntry: [:], recent: [:], latestView: [:], today: today, quietDays: quietDays)
        }
        let record = PlanRecord(plan: plan, person: person, sections: section.map { ["outcomes": $0] } ?? [:],
                                circle: try await CircleMember.query(on: db).filter(\.$person.$id == personID).all(),
                                organizations: try await providerOrganizations(on: db))
        let outcomes = policy.visible(PlannedOutcome.all(in: record.content("outcomes")))
        let stepIDs = outcomes.flatMap { $0.steps.map(\.id) }
        var lastEntry: [String: CalendarDate] = [:]
        var recent: [String: [ProgressPoint]] = [:]
        if !stepIDs.isEmpty {
            // One grouped query for every step's last date, then the entries of the last weeks.
            let rows = try await db.sql.select()
                .column("step_id").column(SQLFunction("MAX", args: SQLColumn("entry_date")), as: "last")
                .from(ProgressEntry.schema)
                .where("person_id", .equal, SQLBind(personID))
                .where("step_id", .in, SQLBind.group(stepIDs))
                .where("withdrawn_at", .is, SQLLiteral.null)
                .groupBy("step_id")
                .all()
            for row in rows {
                if let step = try? row.decode(column: "step_id", as: String.self), let last = try? row.decode(column: "last", as: String.self),
                   let date = CalendarDate(last) { lastEntry[step] = date }
            }
            let since = today.adding(days: -120).description
            // Only the three columns the board shows: decoding whole models through Fluent's reflection
            // was most of the outcome page's time (perf).
            let entries = try await db.sql.select().column("step_id").column("entry_date").column("value")
                .from(ProgressEntry.schema)
                .where("person_id", .equal, SQLBind(personID))
                .where("step_id", .in, SQLBind.group(stepIDs))
                .where("withdrawn_at", .is, SQLLiteral.null)
                .where("entry_date", .greaterThanOrEqual, SQLBind(since))
                .orderBy("entry_date").orderBy("created_at")
                .all()
            for row in entries {
                guard let step = try? row.decode(column: "step_id", as: String.self),
                      let date = (try? row.decode(column: "entry_date", as: String.self)).flatMap(CalendarDate.init) else { continue }
                recent[step, default: []].append(ProgressPoint(date, (try? row.decode(column: "value", as: Double?.self)) ?? nil ?? 0))
            }
            recent = recent.mapValues { Array($0.suffix(OutcomeBoard.recentCount)) }
        }
        var latestView: [String: OutcomeSelfView] = [:]
        if policy.seesWholeOutcomes {
            for view in try await OutcomeSelfView.query(on: db).filter(\.$person.$id == personID).sort(\.$saidOn).sort(\.$createdAt).all() {
                latestView[view.outcomeID] = view
            }
        }
        return OutcomeBoard(person: person, plan: plan, outcomes: outcomes, names: record.names, lastEntry: lastEntry, recent: recent,
                            latestView: latestView, today: today, quietDays: quietDays)
    }

    /// Every dated value recorded on the steps, by step id, oldest first; only the columns a chart
    /// needs, not whole models. A note without a value (a narrative step) counts as 0.
    static func progressPoints(of personID: UUID, steps stepIDs: [String], on db: any Database) async throws -> [String: [ProgressPoint]] {
        if stepIDs.isEmpty { return [:] }
        let rows = try await db.sql.select().column("step_id").column("entry_date").column("value")
            .from(ProgressEntry.schema)
            .where("person_id", .equal, SQLBind(personID))
            .where("step_id", .in, SQLBind.group(stepIDs))
            .where("withdrawn_at", .is, SQLLiteral.null)
            .orderBy("entry_date").orderBy("created_at")
            .all()
        var points: [String: [ProgressPoint]] = [:]
        for row in rows {
            guard let step = try? row.decode(column: "step_id", as: String.self), let day = try? row.decode(column: "entry_date", as: String.self),
                  let date = CalendarDate(day) else { continue }
            points[step, default: []].append(ProgressPoint(date, (try? row.decode(column: "value", as: Double?.self)) ?? 0))
        }
        return points
    }

    /// This year's outcomes and their progress as next year's review of the past year (see `PriorYearReview`).
    static func priorYearReview(of plan: Plan, outcomes content: SectionContent, on db: any Database) async throws -> [SectionContent] {
        let outcomes = PlannedOutcome.all(in: content)
        if outcomes.isEmpty { return [] }
        let personID = plan.$person.id
        let ids = outcomes.map(\.id)
        var evidence = PriorYearReview.Evidence(points: try await progressPoints(of: personID, steps: outcomes.flatMap { $0.steps.map(\.id) }, on: db))
        for r in try await OutcomeReview.query(on: db).filter(\.$person.$id == personID).filter(\.$outcomeID ~~ ids).sort(\.$reviewedOn).sort(\.$createdAt).all() {
            if let on = CalendarDate(r.reviewedOn) { evidence.reviews[r.outcomeID] = .init(on: on, working: r.working, notWorking: r.notWorking) }
        }
        for v in try await OutcomeSelfView.query(on: db).filter(\.$person.$id == personID).filter(\.$outcomeID ~~ ids).sort(\.$saidOn).sort(\.$createdAt).all() {
            if let on = CalendarDate(v.saidOn) { evidence.views[v.outcomeID] = .init(on: on, rating: v.selfRating, comment: v.comment) }
        }
        return PriorYearReview.entries(for: outcomes, evidence: evidence)
    }

    /// The summary across a person's outcomes.
    func outcomeBoard(_ personID: UUID) async throws -> OutcomeBoard {
        let (policy, today, quiet) = (self.policy, CalendarDate(req.now), quietDays)
        return try await read(personID, .progress, action: .view, detail: "read outcomes and progress") { person, db in
            try await Self.board(person, policy: policy, today: today, quietDays: quiet, on: db)
        }
    }

    /// One outcome with all of its progress that the actor may see.
    /// `including`: an entry to load in full even when it is not among the latest (to withdraw it).
    func outcomeDetail(_ personID: UUID, outcomeID: String, including entryID: UUID? = nil) async throws -> OutcomeDetail {
        let (policy, today, quiet) = (self.policy, CalendarDate(req.now), quietDays)
        return try await read(personID, .progress, action: .view, detail: "read outcome \(outcomeID)") { person, db in
            let board = try await Self.board(person, policy: policy, today: today, quietDays: quiet, on: db)
            guard let outcome = board.outcomes.first(where: { $0.id == outcomeID }) else { throw Problem.notFound("outcome") }
            let stepIDs = outcome.steps.map(\.id)
            // Years of daily entries: only the three columns a chart needs, not whole models.
            let points = try await Self.progressPoints(of: person.requireID(), steps: stepIDs, on: db)
            var latest: [String: [ProgressEntry]] = [:]
            if !stepIDs.isEmpty {
                for step in stepIDs {
                    latest[step] = try await ProgressEntry.query(on: db).filter(\.$person.$id == person.requireID()).filter(\.$stepID == step).filter(\.$withdrawnAt == nil)
                        .sort(\.$entryDate, .descending).sort(\.$createdAt, .descending).limit(OutcomeDetail.latestCount).all()
                }
                if let entryID, !latest.values.joined().contains(where: { $0.id == entryID }),
                   let extra = try await ProgressEntry.query(on: db).filter(\.$id == entryID).filter(\.$person.$id == person.requireID())
                       .filter(\.$stepID ~~ stepIDs).filter(\.$withdrawnAt == nil).first() {
                    latest[extra.stepID, default: []].append(extra)
                }
            }
            var reviews: [OutcomeReview] = [], views: [OutcomeSelfView] = []
            var services: [SectionContent] = []
            if policy.seesWholeOutcomes {
                reviews = try await OutcomeReview.query(on: db).filter(\.$person.$id == person.requireID()).filter(\.$outcomeID == outcomeID)
                    .sort(\.$reviewedOn, .descending).sort(\.$createdAt, .descending).all()
                views = try await OutcomeSelfView.query(on: db).filter(\.$person.$id == person.requireID()).filter(\.$outcomeID == outcomeID)
                    .sort(\.$saidOn, .descending).sort(\.$createdAt, .descending).all()
                if let plan = board.plan, let row = try await PlanSection.query(on: db).filter(\.$plan.$id == plan.requireID()).filter(\.$sectionKey == "services").first() {
                    services = row.content.entries("services").filter { $0.text("outcomeId") == outcomeID }
                }
            }
            let userIDs = Set(latest.values.flatMap { $0.map(\.recordedByID) } + reviews.map(\.recordedByID) + views.map(\.recordedByID))
            let users = userIDs.isEmpty ? [] : try await User.query(on: db).filter(\.$id ~~ Array(userIDs)).all()
            return OutcomeDetail(board: board, outcome: outcome, points: points, latest: latest, reviews: reviews, views: views, services: services,
                                 recorders: Dictionary(users.map { ($0.id!, $0.displayName) }, uniquingKeysWith: { a, _ in a }))
        }
    }

    // MARK: Recording

    /// Records one entry on a step of the plan in effect.
    func recordProgress(_ personID: UUID, stepID: String, _ input: [String: JSONValue], source: ProgressSource) async throws -> ProgressEntry {
        let (actor, policy, today) = (self.actor, self.policy, CalendarDate(req.now))
        return try await change(personID, .recordProgress, .progress, action: .create) { person, db in
            guard let (plan, section) = try await Self.outcomesInEffect(for: person.requireID(), on: db) else {
                throw Problem(.conflict, "No plan in effect", detail: "Progress is recorded against the steps of the plan in effect, and \(person.displayName) has none. It can be recorded once a plan is signed.")
            }
            let outcomes = PlannedOutcome.all(in: section?.content ?? [:])
            guard let (outcome, step) = outcomes.lazy.flatMap({ o in o.steps.map { (o, $0) } }).first(where: { $0.1.id == stepID.lowercased() }),
                  policy.sees(step) else { throw Problem.notFound("action step") }
            guard policy.mayRecord(on: step) else {
                throw Problem.forbidden("This step is done by \(step.responsible.label.lowercased()); your role (\(actor.role.label)) cannot record progress on it.")
            }
            let entry = try ProgressInput.read(input, step: step, outcome: outcome, today: today, allowExternalID: source != .form).get()
            entry.$person.id = try person.requireID(); entry.planID = try plan.requireID()
            entry.recordedByID = actor.userID; entry.organizationID = actor.organizationID; entry.source = source.rawValue
            if let external = entry.externalID,
               try await ProgressEntry.query(on: db).filter(\.$organizationID == actor.organizationID).filter(\.$externalID == external).first() != nil {
                throw Problem(.conflict, "Already recorded", detail: "An entry with externalId \(external) was already recorded by your organisation. Nothing was added.")
            }
            try await entry.create(on: db)
            return (entry, "recorded progress \(entry.id!.text) on step \(step.id) of outcome \(outcome.id)")
        }
    }

    /// The coordinator's periodic review of one outcome.
    func recordOutcomeReview(_ personID: UUID, outcomeID: String, _ input: [String: JSONValue]) async throws -> OutcomeReview {
        let (actor, today) = (self.actor, CalendarDate(req.now))
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: ["reviewedOn", "working", "notWorking", "nextSteps"])
        let on = r.date("reviewedOn", label: "Date of the review", required: true)
        let working = r.text("working", label: "What is working", required: true, max: 4000)
        let notWorking = r.text("notWorking", label: "What is not working", required: true, max: 4000)
        let next = r.text("nextSteps", label: "Next steps", required: true, max: 4000)
        if case let date?? = on, date > today { r.fail("reviewedOn", "The review date cannot be in the future (today is \(today)).") }
        guard r.errors.isEmpty, let date = on ?? nil, let w = working ?? nil, let n = notWorking ?? nil, let x = next ?? nil else { throw Problem.invalid(r.errors) }
        return try await change(personID, .reviewProgress, .progress, action: .create) { person, db in
            let plan = try await Self.requireOutcome(outcomeID, of: person, on: db)
            let review = OutcomeReview()
            review.id = UUID(); review.$person.id = try person.requireID(); review.outcomeID = outcomeID.lowercased(); review.planID = try plan.requireID()
            review.reviewedOn = date.description; review.working = w; review.notWorking = n; review.nextSteps = x; review.recordedByID = actor.userID
            try await review.create(on: db)
            return (review, "reviewed outcome \(outcomeID)")
        }
    }

    /// How the person says an outcome is going.
    func recordSelfView(_ personID: UUID, outcomeID: String, _ input: [String: JSONValue]) async throws -> OutcomeSelfView {
        let (actor, today) = (self.actor, CalendarDate(req.now))
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: ["feeling", "comment", "helpedBy", "saidOn"])
        let feeling = r.choice("feeling", label: "How it is going", SelfRating.self, required: true)
        let comment = r.text("comment", label: "What you want to say", max: 2000)
        let helpedBy = r.text("helpedBy", label: "Who helped", max: 200)
        let on = r.date("saidOn", label: "Date")
        if case let date?? = on, date > today { r.fail("saidOn", "The date cannot be in the future (today is \(today)).") }
        guard r.errors.isEmpty, let rating = feeling ?? nil else { throw Problem.invalid(r.errors) }
        return try await change(personID, .giveOwnView, .progress, action: .create) { person, db in
            _ = try await Self.requireOutcome(outcomeID, of: person, on: db)
            let view = OutcomeSelfView()
            view.id = UUID(); view.$person.id = try person.requireID(); view.outcomeID = outcomeID.lowercased()
            view.saidOn = ((on ?? nil) ?? today).description; view.feeling = rating.rawValue
            view.comment = comment ?? nil; view.helpedBy = helpedBy ?? nil; view.recordedByID = actor.userID
            try await view.create(on: db)
            return (view, "said how outcome \(outcomeID) is going: \(rating.rawValue)")
        }
    }

    /// The plan in effect, when the outcome is one of its outcomes.
    static func requireOutcome(_ outcomeID: String, of person: Person, on db: any Database) async throws -> Plan {
        guard let (plan, found) = try await outcomesInEffect(for: person.requireID(), on: db), let section = found,
              PlannedOutcome.all(in: section.content).contains(where: { $0.id == outcomeID.lowercased() })
        else { throw Problem.notFound("outcome") }
        return plan
    }
}

enum ProgressSource: String, Sendable { case form, api, bulk }

/// Reads one progress entry from a form or the API, checked against its step's measure.
enum ProgressInput {
    static let fields: Set<String> = ["date", "value", "note"]

    static func read(_ input: [String: JSONValue], step: ActionStep, outcome: PlannedOutcome, today: CalendarDate,
                     allowExternalID: Bool, pathPrefix: String = "") -> Result<ProgressEntry, Problem> {
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: allowExternalID ? fields.union(["externalId"]) : fields)
        let date = r.date("date", label: "Date", required: true)
        let note = r.text("note", label: "Note", required: step.measure == .narrative, max: 2000)
        let external = allowExternalID ? r.text("externalId", label: "External id", max: 100) : nil
        var value: Double?
        switch input["value"] {
        case nil, .null?: value = nil
        case let .number(n)?: value = n
        case let .bool(b)?: value = b ? 1 : 0
        case let .string(s)?:
            let t = s.trimmingCharacters(in: .whitespaces).lowercased()
            switch t {
            case "": value = nil
            case "yes", "true": value = step.measure == .yesNo ? 1 : nil
            case "no", "false": value = step.measure == .yesNo ? 0 : nil
            default:
                value = Double(t.hasSuffix("%") ? String(t.dropLast()) : t)
                if value == nil { r.fail("value", "The \(step.measure.noun) must be a number, for example 3.") }
            }
        default: r.fail("value", "The \(step.measure.noun) must be a number.")
        }
        if !r.errors.contains(where: { $0.field == "value" }), let problem = step.measure.problem(with: value) { r.fail("value", problem) }
        if case let day?? = date {
            // One day's slack: a provider's evening can be tomorrow here.
            if day > today.adding(days: 1) { r.fail("date", "The date cannot be after \(today.adding(days: 1)) (today is \(today); one day is allowed for time zones).") }
            else if let start = outcome.startDate, day < start { r.fail("date", "This outcome started on \(start); record progress from then on.") }
        }
        guard r.errors.isEmpty, let day = date ?? nil else {
            return .failure(Problem.invalid(r.errors.map { FieldError(pathPrefix + $0.field, $0.message) }))
        }
        let entry = ProgressEntry()
        entry.id = UUID(); entry.outcomeID = outcome.id; entry.stepID = step.id; entry.entryDate = day.description
        entry.value = value; entry.note = note ?? nil; entry.externalID = external ?? nil
        return .success(entry)
    }
}

extension PersonRecords {
    /// One page of an outcome's entries (the steps the actor may see), oldest first.
    func progressEntries(_ personID: UUID, outcomeID: String, from: CalendarDate?, to: CalendarDate?, offset: Int, limit: Int) async throws -> ([ProgressEntry], Int?) {
        let (policy, today, quiet) = (self.policy, CalendarDate(req.now), quietDays)
        return try await read(personID, .progress, action: .list, detail: "listed progress on outcome \(outcomeID)") { person, db in
            let board = try await Self.board(person, policy: policy, today: today, quietDays: quiet, on: db)
            guard let outcome = board.outcomes.first(where: { $0.id == outcomeID.lowercased() }) else { throw Problem.notFound("outcome") }
            if outcome.steps.isEmpty { return ([], nil) }
            var query = try ProgressEntry.query(on: db).filter(\.$person.$id == person.requireID()).filter(\.$stepID ~~ outcome.steps.map(\.id))
            if let from { query = query.filter(\.$entryDate >= from.description) }
            if let to { query = query.filter(\.$entryDate <= to.description) }
            let rows = try await query.sort(\.$entryDate).sort(\.$createdAt).sort(\.$id).range(offset..<(offset + limit + 1)).all()
            return (Array(rows.prefix(limit)), rows.count > limit ? offset + limit : nil)
        }
    }
}

extension PersonRecords {
    /// Withdraws a wrong entry, with the reason. It stays in the record (and in the entries list,
    /// marked withdrawn) but no longer counts. Who may: see `AccessPolicy.mayWithdraw`.
    func withdrawProgress(_ personID: UUID, entryID: UUID, _ input: [String: JSONValue]) async throws -> ProgressEntry {
        let (actor, policy, now) = (self.actor, self.policy, req.now)
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: ["reason"])
        let reason = r.text("reason", label: "Why the entry is withdrawn", required: true, max: 500)
        guard r.errors.isEmpty, let why = reason ?? nil else { throw Problem.invalid(r.errors) }
        return try await change(personID, .recordProgress, .progress, action: .update) { person, db in
            guard let entry = try await ProgressEntry.query(on: db).filter(\.$id == entryID).filter(\.$person.$id == person.requireID()).first(),
                  policy.actor.role != .providerStaff || entry.organizationID == actor.organizationID else { throw Problem.notFound("progress entry") }
            guard policy.mayWithdraw(recordedBy: entry.recordedByID, organization: entry.organizationID) else {
                throw Problem.forbidden("Only the person who recorded an entry, their organisation, or the person's coordinator can withdraw it.")
            }
            if entry.withdrawnAt != nil {
                throw Problem(.conflict, "Already withdrawn", detail: "This entry was withdrawn on \(CalendarDate(entry.withdrawnAt!)): \(entry.withdrawnReason ?? "").")
            }
            entry.withdrawnAt = now; entry.withdrawnReason = why; entry.withdrawnByID = actor.userID
            try await entry.save(on: db)
            return (entry, "withdrew progress entry \(entryID.text) of \(entry.entryDate): \(why)")
        }
    }
}

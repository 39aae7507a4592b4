import Fluent
import Foundation
import SQLKit

/// One person in the "needs attention" list, with the steps flagged.
struct AttentionItem: Sendable {
    let board: OutcomeBoard
    var person: Person { board.person }
    var flagged: [(PlannedOutcome, ActionStep, [ProgressFlag])] { board.flagged }
}

/// A page of the "needs attention" list: the flagged steps of the people checked, and where to go on.
struct AttentionPage: Sendable {
    var items: [AttentionItem]
    /// The people in services whose plans this page checked, and how many there are in all.
    var checked: Int
    var total: Int
    var nextCursor: String?
}

extension PersonRecords {
    /// How many people one page of the list checks: a state's worth is read a page at a time.
    static let attentionPeoplePerPage = 500

    /// The steps that need the coordinator's attention, across everyone the user may see (a
    /// coordinator's caseload, a supervisor's team): nothing recorded for too long, or moving away from
    /// the target. People in services are checked in name order, `attentionPeoplePerPage` at a time
    /// after `cursor`; the page says how many it checked of how many, and where the next page starts.
    /// Five queries a page; each person listed is audited.
    func outcomesNeedingAttention(after cursor: PeopleQuery.Cursor? = nil) async throws -> AttentionPage {
        let (policy, today, quiet) = (self.policy, CalendarDate(req.now), quietDays)
        let pageSize = Self.attentionPeoplePerPage
        guard policy.roleAllows(.reviewProgress) else {
            throw Problem.forbidden("The list of outcomes that need attention is for coordinators, supervisors and administrators.")
        }
        return try await unitOfWork(.read) { db, log in
            func inServices() -> QueryBuilder<Person> {
                policy.scope(Person.query(on: db)).filter(\.$status == PersonStatus.active.rawValue)
            }
            let total = try await inServices().count()
            let (people, next) = try await inServices().after(cursor, by: \.$sortName).page(by: \.$sortName, limit: pageSize)
            let ids = people.compactMap(\.id)
            if ids.isEmpty { return AttentionPage(items: [], checked: 0, total: total, nextCursor: nil) }
            var planOf: [UUID: Plan] = [:]
            for plan in try await Plan.query(on: db).filter(\.$person.$id ~~ ids).filter(\.$status == PlanStatus.active.rawValue)
                .sort(\.$effectiveStart, .descending).sort(\.$createdAt, .descending).all() where planOf[plan.$person.id] == nil {
                planOf[plan.$person.id] = plan
            }
            if planOf.isEmpty { return AttentionPage(items: [], checked: people.count, total: total, nextCursor: next) }
            let sections = try await PlanSection.query(on: db).filter(\.$plan.$id ~~ planOf.values.compactMap(\.id)).filter(\.$sectionKey == "outcomes").all()
            let outcomesOf = Dictionary(sections.map { ($0.$plan.id, PlannedOutcome.all(in: $0.content)) }, uniquingKeysWith: { a, _ in a })

            var lastEntry: [UUID: [String: CalendarDate]] = [:]
            for row in try await db.sql.select().column("person_id").column("step_id").column(SQLFunction("MAX", args: SQLColumn("entry_date")), as: "last")
                .from(ProgressEntry.schema).where("person_id", .in, SQLBind.group(Array(planOf.keys))).where("withdrawn_at", .is, SQLLiteral.null).groupBy("person_id").groupBy("step_id").all() {
                guard let person = try? row.decode(column: "person_id", as: UUID.self), let step = try? row.decode(column: "step_id", as: String.self),
                      let last = (try? row.decode(column: "last", as: String.self)).flatMap(CalendarDate.init) else { continue }
                lastEntry[person, default: [:]][step] = last
            }
            var recent: [UUID: [String: [ProgressPoint]]] = [:]
            for row in try await db.sql.select().column("person_id").column("step_id").column("entry_date").column("value")
                .from(ProgressEntry.schema).where("person_id", .in, SQLBind.group(Array(planOf.keys))).where("withdrawn_at", .is, SQLLiteral.null)
                .where("entry_date", .greaterThanOrEqual, SQLBind(today.adding(days: -120).description))
                .orderBy("entry_date").orderBy("created_at").all() {
                guard let person = try? row.decode(column: "person_id", as: UUID.self), let step = try? row.decode(column: "step_id", as: String.self),
                      let date = (try? row.decode(column: "entry_date", as: String.self)).flatMap(CalendarDate.init) else { continue }
                recent[person, default: [:]][step, default: []].append(ProgressPoint(date, (try? row.decode(column: "value", as: Double?.self)) ?? 0))
            }

            var items: [AttentionItem] = []
            for person in people {
                guard let id = person.id, let plan = planOf[id] else { continue }
                let board = OutcomeBoard(person: person, plan: plan, outcomes: outcomesOf[plan.id!] ?? [], names: [:], lastEntry: lastEntry[id] ?? [:],
                                         recent: (recent[id] ?? [:]).mapValues { Array($0.suffix(OutcomeBoard.recentCount)) },
                                         latestView: [:], today: today, quietDays: quiet)
                guard !board.flagged.isEmpty else { continue }
                items.append(AttentionItem(board: board))
                log.add(event(.list, .progress, person: id, detail: "listed among outcomes needing attention (\(board.flagged.count) steps)"))
            }
            return AttentionPage(items: items, checked: people.count, total: total, nextCursor: next)
        }
    }
}

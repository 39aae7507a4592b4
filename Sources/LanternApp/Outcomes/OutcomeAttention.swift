import Fluent
import Foundation
import SQLKit

/// One person in the "needs attention" list, with the steps flagged.
struct AttentionItem: Sendable {
    let board: OutcomeBoard
    var person: Person { board.person }
    var flagged: [(PlannedOutcome, ActionStep, [ProgressFlag])] { board.flagged }
}

extension PersonRecords {
    /// The steps that need the coordinator's attention, across everyone the user may see (a
    /// coordinator's caseload, a supervisor's team): nothing recorded for too long, or moving away from
    /// the target. Read in five queries whatever the number of people; each person listed is audited.
    func outcomesNeedingAttention() async throws -> [AttentionItem] {
        let (policy, today, quiet) = (self.policy, CalendarDate(req.now), quietDays)
        guard policy.roleAllows(.reviewProgress) else {
            throw Problem.forbidden("The list of outcomes that need attention is for coordinators, supervisors and administrators.")
        }
        return try await unitOfWork(.read) { db, log in
            let people = try await policy.scope(Person.query(on: db)).filter(\.$status == PersonStatus.active.rawValue)
                .sort(\.$sortName).limit(2000).all()
            let ids = people.compactMap(\.id)
            if ids.isEmpty { return [] }
            var planOf: [UUID: Plan] = [:]
            for plan in try await Plan.query(on: db).filter(\.$person.$id ~~ ids).filter(\.$status == PlanStatus.active.rawValue)
                .sort(\.$effectiveStart, .descending).sort(\.$createdAt, .descending).all() where planOf[plan.$person.id] == nil {
                planOf[plan.$person.id] = plan
            }
            if planOf.isEmpty { return [] }
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
            return items
        }
    }
}

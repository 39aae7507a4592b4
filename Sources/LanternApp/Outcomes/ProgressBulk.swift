import Fluent
import Foundation

/// What became of one entry of a bulk request.
struct BulkResult: Sendable {
    enum Status: String, Sendable { case accepted, refused }
    var index: Int
    var status: Status
    var id: UUID?
    var problem: String?
    var errors: [FieldError]
}

extension PersonRecords {
    static let bulkLimit = 1000

    /// Many progress entries in one request, from a provider's own system. Each entry is checked on its
    /// own (the person visible, the step theirs to record, the value right for its measure, its
    /// externalId not seen before); the good ones are kept together in one transaction, and each
    /// refused entry says why. People's plans are read once each, in a few queries for the batch.
    func recordProgressInBulk(_ body: [String: JSONValue]) async throws -> [BulkResult] {
        guard body.keys.allSatisfy({ $0 == "entries" }), case let .array(items)? = body["entries"] else {
            throw Problem.invalid([FieldError("entries", "Send {\"entries\": [...]}: a list of entries, each with personId, stepId, date, value, note and externalId.")])
        }
        if items.isEmpty { throw Problem.invalid([FieldError("entries", "The list of entries is empty.")]) }
        if items.count > Self.bulkLimit {
            throw Problem.invalid([FieldError("entries", "Send at most \(Self.bulkLimit) entries in one request (this one has \(items.count)); split the rest into further requests.")])
        }
        let (actor, policy, today) = (self.actor, self.policy, CalendarDate(req.now))
        return try await unitOfWork { db, log in
            // Read every entry's person and step id first, then load the batch's people and plans together.
            var parsed: [(index: Int, fields: [String: JSONValue], person: UUID, step: String)] = []
            var results: [Int: BulkResult] = [:]
            for (index, item) in items.enumerated() {
                guard case var .object(fields) = item else {
                    results[index] = BulkResult(index: index, status: .refused, problem: "Each entry must be an object.", errors: [])
                    continue
                }
                var r = FieldReader(fields, creating: true)
                let person = r.uuid("personId", label: "Person", required: true)
                let step = r.text("stepId", label: "Action step", required: true, max: 64)
                guard r.errors.isEmpty, let personID = person ?? nil, let stepID = step ?? nil else {
                    results[index] = BulkResult(index: index, status: .refused, problem: "The entry does not say whose step it is.", errors: r.errors)
                    continue
                }
                fields["personId"] = nil; fields["stepId"] = nil
                parsed.append((index, fields, personID, stepID.lowercased()))
            }
            let personIDs = Array(Set(parsed.map(\.person)))
            let people = personIDs.isEmpty ? [] : try await policy.scope(Person.query(on: db)).filter(\.$id ~~ personIDs).all()
            let visible = Dictionary(people.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
            let plans = visible.isEmpty ? [] : try await Plan.query(on: db).filter(\.$person.$id ~~ Array(visible.keys))
                .filter(\.$status == PlanStatus.active.rawValue).sort(\.$effectiveStart, .descending).sort(\.$createdAt, .descending).all()
            var planOf: [UUID: Plan] = [:]
            for plan in plans where planOf[plan.$person.id] == nil { planOf[plan.$person.id] = plan }
            let sections = planOf.isEmpty ? [] : try await PlanSection.query(on: db).filter(\.$plan.$id ~~ planOf.values.map { $0.id! })
                .filter(\.$sectionKey == "outcomes").all()
            let outcomesOfPlan = Dictionary(sections.map { ($0.$plan.id, PlannedOutcome.all(in: $0.content)) }, uniquingKeysWith: { a, _ in a })
            let externalIDs = parsed.compactMap { if case let .string(s)? = $0.fields["externalId"] { s.trimmingCharacters(in: .whitespaces) } else { nil } }
            var seenExternal = Set(externalIDs.isEmpty ? [] : try await ProgressEntry.query(on: db).filter(\.$organizationID == actor.organizationID)
                .filter(\.$externalID ~~ externalIDs).all().compactMap(\.externalID))

            var accepted: [UUID: Int] = [:]
            var denied = Set<UUID>()
            var checked: [ProgressEntry] = []
            for item in parsed {
                func refuse(_ problem: String, _ errors: [FieldError] = []) {
                    results[item.index] = BulkResult(index: item.index, status: .refused, problem: problem, errors: errors)
                }
                guard let person = visible[item.person] else {
                    if denied.insert(item.person).inserted {
                        log.add(event(.create, .progress, person: item.person, outcome: .denied, detail: "bulk progress: person not visible to this user"))
                    }
                    refuse("No person with this id that you may record for."); continue
                }
                guard let plan = planOf[item.person] else { refuse("\(person.displayName) has no plan in effect to record progress against."); continue }
                let pairs = (outcomesOfPlan[plan.id!] ?? []).flatMap { o in o.steps.map { (o, $0) } }
                guard let (outcome, step) = pairs.first(where: { $0.1.id == item.step }), policy.sees(step) else {
                    refuse("The plan in effect has no action step \(item.step) that you may see."); continue
                }
                guard policy.mayRecord(on: step) else { refuse("Your role cannot record progress on this step."); continue }
                switch ProgressInput.read(item.fields, step: step, outcome: outcome, today: today, allowExternalID: true) {
                case let .failure(problem):
                    refuse("The entry has mistakes.", problem.errors)
                case let .success(entry):
                    if let external = entry.externalID, !seenExternal.insert(external).inserted {
                        refuse("An entry with externalId \(external) was already recorded by your organisation (or twice in this request).",
                               [FieldError("externalId", "Already recorded.")])
                        continue
                    }
                    entry.$person.id = item.person; entry.planID = plan.id!
                    entry.recordedByID = actor.userID; entry.organizationID = actor.organizationID; entry.source = ProgressSource.bulk.rawValue
                    entry.id = UUID()
                    checked.append(entry)
                    accepted[item.person, default: 0] += 1
                    results[item.index] = BulkResult(index: item.index, status: .accepted, id: entry.id, errors: [])
                }
            }
            // Every entry is checked first; the good ones then go in 500 to a statement, not one by one.
            for start in stride(from: 0, to: checked.count, by: 500) {
                try await Array(checked[start..<min(checked.count, start + 500)]).create(on: db)
            }
            for (person, count) in accepted.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
                log.add(event(.create, .progress, person: person, detail: "bulk progress: recorded \(count) entries"))
            }
            return items.indices.map { results[$0]! }
        }
    }
}

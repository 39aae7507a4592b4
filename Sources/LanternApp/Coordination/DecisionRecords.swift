import Fluent
import LanternDomain
import Vapor

/// The person decides: they may refuse a service in their plan. The refusal is recorded; the
/// service's authorization ends that day, the person leaves its waiting list, and a review is due so
/// that the next version of the plan follows the decision.
extension PersonRecords {
    static let refusalFields: Set<String> = ["serviceEntryId", "refusedOn", "reason"]

    func refusals(of personID: UUID) async throws -> [ServiceRefusal] {
        try await read(personID, .services, action: .list, detail: "listed refused services") { _, db in
            try await ServiceRefusal.query(on: db).filter(\.$person.$id == personID).sort(\.$refusedOn, .descending).all()
        }
    }

    func refuseService(_ planID: UUID, _ input: [String: JSONValue]) async throws -> ServiceRefusal {
        let (actorID, today) = (actor.userID, self.today)
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: Self.refusalFields)
        let entry = r.text("serviceEntryId", label: "Service refused", required: true, max: 64)
        let on = r.date("refusedOn", label: "Day the person said no", required: true)
        let reason = r.text("reason", label: "What the person said", max: 2000)
        if case let d?? = on, d > today { r.fail("refusedOn", "The day the person said no cannot be in the future (today is \(today)).") }
        guard r.errors.isEmpty, case let entryID?? = entry, case let refusedOn?? = on else { throw Problem.invalid(r.errors) }
        let engine = try RuleEngine(library: RulePackLibrary.shared.get())
        return try await withPlan(planID, .writePlan, action: .create) { plan, person, db in
            guard plan.planStatus == .active else {
                throw Problem(.conflict, "Not in effect", detail: "A service is refused from the plan in effect. This version is: \(plan.planStatus.label).")
            }
            let content = try await PlanSection.query(on: db).filter(\.$plan.$id == planID).filter(\.$sectionKey == "services").first()?.content ?? [:]
            guard let service = PlannedService.all(in: content).first(where: { $0.id == entryID }) else {
                throw Problem.invalid([FieldError("serviceEntryId", "That service is not in this plan. Choose one of the plan's services.")])
            }
            if try await ServiceRefusal.query(on: db).filter(\.$plan.$id == planID).filter(\.$serviceEntryID == entryID).first() != nil {
                throw Problem(.conflict, "Already refused", detail: "\(person.displayName)'s refusal of \(service.name) is already recorded.")
            }
            let refusal = ServiceRefusal()
            refusal.id = UUID(); refusal.$person.id = plan.$person.id; refusal.$plan.id = planID; refusal.serviceEntryID = entryID
            refusal.serviceName = service.name; refusal.refusedOn = refusedOn.description; refusal.reason = reason ?? nil; refusal.recordedByID = actorID
            try await refusal.create(on: db)
            var notes: [String] = []
            for authorization in try await Authorization.query(on: db).filter(\.$plan.$id == planID).filter(\.$serviceEntryID == entryID)
                .filter(\.$status == AuthorizationStatus.active.rawValue).all() {
                authorization.status = AuthorizationStatus.ended.rawValue; authorization.endedOn = max(refusedOn.description, authorization.startsOn)
                try await authorization.save(on: db)
                notes.append("authorization ended")
            }
            for waiting in try await WaitingListEntry.query(on: db).filter(\.$plan.$id == planID).filter(\.$serviceEntryID == entryID).filter(\.$endedOn == nil).all() {
                waiting.endedOn = refusedOn.description; waiting.endReason = "The person refused the service"
                try await waiting.save(on: db)
                notes.append("left the waiting list")
            }
            if engine.reviewOnChange(for: plan.type) != nil {
                let request = try await Self.recordReviewRequest(on: plan, by: person.displayName, role: .person, on: refusedOn,
                                                                  reason: "Refused \(service.name)" + (reason.flatMap { $0 }.map { ": \($0)" } ?? ""),
                                                                  trigger: .refusal, recordedBy: actorID, db: db)
                notes.append("review due by \(request.dueOn)")
            }
            return (refusal, "refused \(service.name) on \(refusedOn)" + notes.map { "; " + $0 }.joined())
        }
    }
}

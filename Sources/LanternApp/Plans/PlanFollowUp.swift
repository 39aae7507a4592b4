import Fluent
import Vapor

/// What happens around a plan once it is sent out: copies given (distribution), reviews the person
/// asks for, a signer opening the version they were asked to sign, and ending a plan.
extension PersonRecords {
    // MARK: Copies

    static let distributionFields: Set<String> = ["recipientName", "recipientRole", "method", "sentOn", "includesBudget", "purpose"]

    /// The citation that makes the person's and their representative's copy include the budget, for
    /// this plan type (nil: the rules ask no budget with the copy, as for an IFSP).
    static func budgetRule(for type: PlanType) -> String? {
        (try? RulePackLibrary.shared.get()).flatMap { RuleEngine(library: $0).budgetWithCopy(for: type) }
    }

    /// Records that a copy of a version was given to someone. Only a version that is no longer a draft
    /// can be given out: a draft may still change under the copy.
    func recordDistribution(_ planID: UUID, _ input: [String: JSONValue]) async throws -> PlanDistribution {
        let actor = self.actor, today = self.today
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: Self.distributionFields)
        let name = r.text("recipientName", label: "Who received the copy", required: true, max: 200)
        let role = r.choice("recipientRole", label: "Who they are", RecipientRole.self, required: true)
        let method = r.choice("method", label: "How the copy was given", DistributionMethod.self, required: true)
        let sentOn = r.date("sentOn", label: "Date given", required: true)
        let budget = r.bool("includesBudget", label: "The copy included the budget")
        let purpose = r.text("purpose", label: "Why it was given", max: 500)
        guard r.errors.isEmpty, let recipient = name ?? nil, let who = role ?? nil, let how = method ?? nil, let date = sentOn ?? nil else {
            throw Problem.invalid(r.errors)
        }
        if date > today { throw Problem.invalid([FieldError("sentOn", "The date a copy was given cannot be in the future (today is \(today)).")]) }
        return try await withPlan(planID, .writePlan, action: .export) { plan, _, db in
            guard plan.planStatus != .draft else {
                throw Problem(.conflict, "Still a draft", detail: "A draft can still change, so copies are given once the version is sent for signatures or in effect.")
            }
            // Dates are days in UTC; a day's slack keeps an evening hand-over in the Americas from
            // looking earlier than the sending.
            if let sent = plan.frozenAt, date < CalendarDate(sent).adding(days: -1) {
                throw Problem.invalid([FieldError("sentOn", "This version was sent for signatures on \(CalendarDate(sent)), so a copy of it cannot have been given earlier.")])
            }
            if who.mustReceiveBudget, budget != true, let rule = Self.budgetRule(for: plan.type) {
                throw Problem.invalid([FieldError("includesBudget", "\(who.label) always receives the budget with this plan (\(rule)). Give the budget too, then tick that it was included.")])
            }
            let copy = PlanDistribution()
            copy.id = UUID(); copy.$plan.id = planID; copy.recipientName = recipient; copy.recipientRole = who.rawValue
            copy.method = how.rawValue; copy.sentOn = date.description; copy.includesBudget = budget ?? false
            copy.purpose = purpose ?? nil; copy.recordedByID = actor.userID
            try await copy.create(on: db)
            return (copy, "copy of version \(plan.versionNumber) given to \(who.rawValue) by \(how.rawValue) on \(date)" + (copy.includesBudget ? " with the budget" : ""))
        }
    }

    /// Someone who should have a copy of the version and has not had one (with the budget, where they must).
    struct OwedCopy: Sendable, Equatable {
        var name: String
        var role: RecipientRole
        var withBudget: Bool
    }

    /// Who still needs a copy: the person and every representative asked to sign (with the budget when
    /// the plan type's rules ask it), and everyone in the circle marked to receive the plan.
    static func copiesOwed(_ plan: Plan, signatures: [PlanSignature], circle: [CircleMember], copies: [PlanDistribution]) -> [OwedCopy] {
        let budget = budgetRule(for: plan.type) != nil
        func same(_ a: String, _ b: String) -> Bool {
            a.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare(b.trimmingCharacters(in: .whitespaces)) == .orderedSame
        }
        var owed: [OwedCopy] = []
        for s in signatures where s.signatureStatus != .withdrawn {
            let role: RecipientRole
            switch s.signerRole {
            case .person: role = .person
            case .guardian: role = .guardian
            case .parent: role = .parent
            default: continue
            }
            owed.append(OwedCopy(name: s.signerName, role: role, withBudget: budget))
        }
        for m in circle where m.receivesPlanCopy && !owed.contains(where: { same($0.name, m.name) }) {
            owed.append(OwedCopy(name: m.name, role: m.hasLegalAuthority ? .guardian : .family, withBudget: budget && m.hasLegalAuthority))
        }
        return owed.filter { o in !copies.contains { same($0.recipientName, o.name) && (!o.withBudget || $0.includesBudget) } }
    }

    /// The copies given of a version, and who still needs one.
    func copies(of planID: UUID) async throws -> ([PlanDistribution], [OwedCopy]) {
        try await withPlan(planID, .view, action: .view) { plan, person, db in
            let copies = try await PlanDistribution.query(on: db).filter(\.$plan.$id == planID).sort(\.$sentOn).sort(\.$createdAt).all()
            let signatures = try await PlanSignature.query(on: db).filter(\.$plan.$id == planID).all()
            let circle = try await CircleMember.query(on: db).filter(\.$person.$id == person.requireID()).all()
            return ((copies, Self.copiesOwed(plan, signatures: signatures, circle: circle, copies: copies)), "listed copies given")
        }
    }

    // MARK: Review requests

    static let reviewRequestFields: Set<String> = ["requestedBy", "requestedByRole", "requestedOn", "reason", "trigger"]

    /// Records that the person or their representative asked for a review of the plan in effect; the due
    /// date comes from the plan type's rule pack (California: within 30 days, WIC 4646.5(b)). When a
    /// new version is already open, it answers the request.
    func requestReview(_ planID: UUID, _ input: [String: JSONValue]) async throws -> ReviewRequest {
        let actor = self.actor, today = self.today
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: Self.reviewRequestFields)
        let name = r.text("requestedBy", label: "Who asked", required: true, max: 200)
        let role = r.choice("requestedByRole", label: "Who they are", RecipientRole.self, required: true)
        let on = r.date("requestedOn", label: "Date they asked", required: true)
        let reason = r.text("reason", label: "What they want reviewed", max: 2000)
        let why: ReviewTrigger = (r.choice("trigger", label: "Why a review", ReviewTrigger.self) ?? nil) ?? .request
        if why == .refusal { r.fail("trigger", "A refused service is recorded as a refusal (POST /api/v1/plans/{id}/refusals), which asks for the review itself.") }
        if why == .significantChange, (reason ?? nil) == nil { r.fail("reason", "Say what changed in the person's life.") }
        guard r.errors.isEmpty, let who = name ?? nil, let whoRole = role ?? nil, let asked = on ?? nil else { throw Problem.invalid(r.errors) }
        if asked > today { throw Problem.invalid([FieldError("requestedOn", "The date they asked cannot be in the future (today is \(today)).")]) }
        if why == .request, ![.person, .guardian, .parent, .family].contains(whoRole) {
            throw Problem.invalid([FieldError("requestedByRole", "A review request is recorded for the person, their guardian, a parent or family member. Others ask through the coordinator.")])
        }
        return try await withPlan(planID, .writePlan, action: .create) { plan, _, db in
            let request = try await Self.recordReviewRequest(on: plan, by: who, role: whoRole, on: asked, reason: reason ?? nil, trigger: why,
                                                              recordedBy: actor.userID, db: db)
            return (request, Self.auditNote(request))
        }
    }

    static func auditNote(_ request: ReviewRequest) -> String {
        let why = request.reviewTrigger
        return (why == .request ? "" : "\(why.rawValue): ") + "review requested by \(request.requestedByRole) on \(request.requestedOn), due \(request.dueOn)"
            + (request.aboutService.map { " about \($0)" } ?? "") + (request.answeredByPlanID != nil ? "; answered by the open version" : "")
    }

    /// Writes a review request on the plan in effect, due within the plan type's rule; a new version
    /// still being written answers it.
    static func recordReviewRequest(on plan: Plan, by who: String, role: RecipientRole, on asked: CalendarDate, reason: String?, trigger why: ReviewTrigger,
                                    aboutService: String? = nil, recordedBy: UUID, db: any Database) async throws -> ReviewRequest {
        guard plan.planStatus == .active else {
            throw Problem(.conflict, "Not in effect", detail: "A review is asked of the plan in effect. This version is: \(plan.planStatus.label).")
        }
        let engine = try RuleEngine(library: RulePackLibrary.shared.get())
        guard let rule = why == .request ? engine.reviewOnRequest(for: plan.type) : engine.reviewOnChange(for: plan.type) else {
            throw Problem(.internalServerError, "No review time limit", detail: "The rule pack for a \(plan.type.shortLabel) does not say how soon a requested review is due.")
        }
        // Only a draft can still take the request in; a version already sent for signatures cannot.
        let open = try await Plan.query(on: db).filter(\.$seriesID == plan.seriesID).filter(\.$status == PlanStatus.draft.rawValue).first()
        let request = ReviewRequest()
        request.id = UUID(); request.$plan.id = try plan.requireID(); request.personID = plan.$person.id
        request.requestedBy = who; request.requestedByRole = role.rawValue; request.requestedOn = asked.description
        request.reason = reason; request.dueOn = asked.adding(days: rule.withinDays).description
        request.dueCitation = rule.citation; request.recordedByID = recordedBy; request.trigger = why.rawValue
        request.aboutService = aboutService
        request.status = (open == nil ? ReviewRequestStatus.open : .reviewStarted).rawValue
        request.answeredByPlanID = open?.id
        try await request.create(on: db)
        return request
    }

    /// Every review request on any version of this plan, newest first.
    func reviewRequests(of planID: UUID) async throws -> [ReviewRequest] {
        try await withPlan(planID, .view, action: .view) { plan, _, db in
            let series = try await Plan.query(on: db).filter(\.$seriesID == plan.seriesID).all()
            return (try await ReviewRequest.query(on: db).filter(\.$plan.$id ~~ series.compactMap(\.id)).sort(\.$requestedOn, .descending).all(), "listed review requests")
        }
    }

    /// A new version started from a plan answers the review requests open on its series.
    static func answerReviewRequests(series: [Plan], with next: Plan, on db: any Database) async throws -> Int {
        let open = try await ReviewRequest.query(on: db).filter(\.$plan.$id ~~ series.compactMap(\.id))
            .filter(\.$status == ReviewRequestStatus.open.rawValue).all()
        for request in open {
            request.status = ReviewRequestStatus.reviewStarted.rawValue
            request.answeredByPlanID = next.id
            try await request.save(on: db)
        }
        return open.count
    }

    /// An ended plan will not be reviewed: its open requests close, so none stays overdue for ever.
    static func closeReviewRequests(of plan: Plan, on db: any Database) async throws -> Int {
        let open = try await ReviewRequest.query(on: db).filter(\.$plan.$id == plan.requireID())
            .filter(\.$status == ReviewRequestStatus.open.rawValue).all()
        for request in open {
            request.status = ReviewRequestStatus.closed.rawValue
            try await request.save(on: db)
        }
        return open.count
    }

    // MARK: Viewed

    /// When the signer opens the version they were asked to sign, their request shows "has seen the
    /// plan". Written in the unit of work that read the plan, so the view and its audit row agree.
    func markViewed(_ signatures: [PlanSignature], of plan: Plan, at now: Date, on db: any Database) async throws -> String {
        guard plan.planStatus == .awaitingSignatures else { return "" }
        var seen: [String] = []
        for s in signatures where s.signatureStatus == .requested && maySignOwn(s) {
            try UnitOfWork.willWrite()
            s.status = SignatureStatus.viewed.rawValue; s.viewedAt = now; s.version += 1
            try await s.save(on: db)
            seen.append(s.signerName)
        }
        return seen.isEmpty ? "" : "; seen by signer " + seen.joined(separator: ", ")
    }

    // MARK: Ending

    /// Ends a plan in effect on a day up to today (even before its period began: a plan can be
    /// cancelled before it starts), with the reason; its open review requests and its authorizations close.
    func endPlan(_ planID: UUID, reason: String?, on endedOn: CalendarDate? = nil) async throws -> Plan {
        let today = self.today
        var r = FieldReader(["reason": reason.map(JSONValue.string) ?? .null], creating: true)
        let why = r.text("reason", label: "Why the plan ends", required: true, max: 1000)
        guard r.errors.isEmpty, let why = why ?? nil else {
            throw Problem.invalid(r.errors.map { FieldError($0.field, $0.message + " Say why the plan ends, for example that the person moved or left services.") })
        }
        let date = endedOn ?? today
        if date > today { throw Problem.invalid([FieldError("endedOn", "A plan cannot end in the future (today is \(today)).")]) }
        return try await withPlan(planID, .writePlan, action: .update) { plan, _, db in
            guard plan.planStatus == .active else {
                throw Problem(.conflict, "Not in effect", detail: "Only a plan in effect can be ended. This version is: \(plan.planStatus.label).")
            }
            plan.status = PlanStatus.ended.rawValue
            plan.endedOn = date.description
            plan.endReason = why
            plan.version += 1
            try await plan.save(on: db)
            let closed = try await Self.closeReviewRequests(of: plan, on: db)
            let authorizations = try await ServiceAuthorizations.planEnded(plan, on: date, db: db)
            return (plan, "ended on \(date): \(why)" + (closed > 0 ? "; \(closed) open review requests closed" : "")
                + (authorizations > 0 ? "; \(authorizations) authorizations ended" : ""))
        }
    }
}

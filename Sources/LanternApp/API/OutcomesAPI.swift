import Vapor

/// Outcomes, action steps and progress: the summary and one outcome, recording entries one at a time
/// or in bulk from a provider's own system, the coordinator's reviews and the person's own view.
enum OutcomesAPI {
    static func register(_ api: any RoutesBuilder) {
        api.get("outcomes", "attention", use: attention)
        api.get("people", ":personID", "outcomes", use: summary)
        api.get("people", ":personID", "outcomes", ":outcomeID", use: detail)
        api.get("people", ":personID", "outcomes", ":outcomeID", "entries", use: entries)
        api.post("people", ":personID", "outcomes", ":outcomeID", "reviews", use: review)
        api.post("people", ":personID", "outcomes", ":outcomeID", "views", use: ownView)
        api.post("people", ":personID", "steps", ":stepID", "entries", use: record)
        api.post("people", ":personID", "progress-entries", ":entryID", "withdraw", use: withdraw)
        api.post("progress-entries", "bulk", use: bulk)
    }

    static func personID(_ req: Request) throws -> UUID { try req.uuidParameter("personID", what: "person") }
    static func outcomeID(_ req: Request) throws -> String { try req.uuidParameter("outcomeID", what: "outcome").text }

    struct StepDTO: Content {
        var id: String
        var outcomeId: String
        var step: String
        var responsibleKind: String
        var responsible: String
        var circleMemberId: String?
        var organizationId: String?
        var paid: Bool?
        var frequency: String?
        var schedule: String?
        var byDate: String?
        var progressMeasure: String
        var target: Double?
        var lastEntryOn: String?
        var latestValue: Double?
        var flags: [String]
        /// Whether the user asking may record progress on this step.
        var mayRecord: Bool

        init(_ s: ActionStep, outcome: PlannedOutcome, board: OutcomeBoard, policy: AccessPolicy) {
            id = s.id; outcomeId = s.outcomeID; step = s.text; responsibleKind = s.responsible.rawValue
            responsible = OutcomeText.responsible(s, names: board.names)
            circleMemberId = s.circleMemberID; organizationId = s.organizationID; paid = s.paid
            frequency = s.frequency; schedule = s.schedule; byDate = s.byDate?.description; progressMeasure = s.measure.rawValue
            target = s.target; lastEntryOn = board.lastEntry[s.id]?.description
            latestValue = s.measure.isCharted ? board.recent[s.id]?.last?.value : nil
            flags = board.flags(s, of: outcome).map(OutcomeText.flagCode)
            mayRecord = policy.mayRecord(on: s)
        }
    }

    struct SelfViewDTO: Content {
        var id: String
        var outcomeId: String
        var saidOn: String
        var feeling: String
        var comment: String?
        var helpedBy: String?
        var recordedBy: String
        init(_ v: OutcomeSelfView) {
            id = v.id!.text; outcomeId = v.outcomeID; saidOn = v.saidOn; feeling = v.feeling; comment = v.comment; helpedBy = v.helpedBy
            recordedBy = v.recordedByID.text
        }
    }

    struct OutcomeDTO: Content {
        var id: String
        var outcome: String
        var inOwnWords: Bool
        var lifeDomain: String?
        var measure: String?
        var startDate: String?
        var targetDate: String?
        var status: String
        var statusReason: String?
        var steps: [StepDTO]
        var latestView: SelfViewDTO?

        init(_ o: PlannedOutcome, board: OutcomeBoard, policy: AccessPolicy) {
            id = o.id; outcome = o.text; inOwnWords = o.inOwnWords; lifeDomain = o.lifeDomain?.rawValue; measure = o.measure
            startDate = o.startDate?.description; targetDate = o.targetDate?.description; status = o.status.rawValue; statusReason = o.statusReason
            steps = o.steps.map { StepDTO($0, outcome: o, board: board, policy: policy) }
            latestView = board.latestView[o.id].map(SelfViewDTO.init)
        }
    }

    struct SummaryDTO: Content {
        var personId: String
        /// The plan in effect the outcomes come from; absent when none is in effect.
        var planId: String?
        var quietDays: Int
        var outcomes: [OutcomeDTO]
    }

    static func summary(req: Request) async throws -> JSONReply<SummaryDTO> {
        let records = try req.records()
        let board = try await records.outcomeBoard(try personID(req))
        return JSONReply(value: SummaryDTO(personId: board.person.id!.text, planId: board.plan?.id?.text, quietDays: board.quietDays,
                                           outcomes: board.outcomes.map { OutcomeDTO($0, board: board, policy: records.policy) }))
    }

    struct AttentionDTO: Content {
        var personId: String
        var displayName: String
        var planId: String
        var outcomeId: String
        var outcome: String
        var step: StepDTO
    }

    static func attention(req: Request) async throws -> JSONReply<ListReply<AttentionDTO>> {
        let records = try req.records()
        let page = try await records.outcomesNeedingAttention(after: try listCursor(req))
        return JSONReply(value: ListReply(items: page.items.flatMap { item in
            item.flagged.map { o, s, _ in
                AttentionDTO(personId: item.person.id!.text, displayName: item.person.displayName, planId: item.board.plan!.id!.text,
                             outcomeId: o.id, outcome: o.text, step: StepDTO(s, outcome: o, board: item.board, policy: records.policy))
            }
        }, nextCursor: page.nextCursor))
    }

    struct ReviewDTO: Content {
        var id: String
        var outcomeId: String
        var planId: String
        var reviewedOn: String
        var working: String
        var notWorking: String
        var nextSteps: String
        var recordedBy: String
        init(_ r: OutcomeReview) {
            id = r.id!.text; outcomeId = r.outcomeID; planId = r.planID.text; reviewedOn = r.reviewedOn; working = r.working
            notWorking = r.notWorking; nextSteps = r.nextSteps; recordedBy = r.recordedByID.text
        }
    }

    struct ChartDTO: Content { var stepId: String; var summary: String }

    struct DetailDTO: Content {
        var personId: String
        var planId: String?
        var outcome: OutcomeDTO
        /// Per charted step: the sentence that says what its chart shows.
        var charts: [ChartDTO]
        var reviews: [ReviewDTO]
        var views: [SelfViewDTO]
        /// The services in the plan in effect that support this outcome.
        var services: [ServiceLinkDTO]
    }
    struct ServiceLinkDTO: Content { var id: String?; var service: String; var provider: String? }

    static func detail(req: Request) async throws -> JSONReply<DetailDTO> {
        let records = try req.records()
        let d = try await records.outcomeDetail(try personID(req), outcomeID: try outcomeID(req))
        let charts = OutcomeCharts.make(d).map { ChartDTO(stepId: $0.step.id, summary: $0.chart.summary) }
        return JSONReply(value: DetailDTO(personId: d.board.person.id!.text, planId: d.board.plan?.id?.text,
                                          outcome: OutcomeDTO(d.outcome, board: d.board, policy: records.policy), charts: charts,
                                          reviews: d.reviews.map(ReviewDTO.init), views: d.views.map(SelfViewDTO.init),
                                          services: d.services.map { ServiceLinkDTO(id: $0.text("id"), service: $0.text("service") ?? "", provider: $0.text("provider")) }))
    }

    struct EntryDTO: Content {
        var id: String
        var personId: String
        var outcomeId: String
        var stepId: String
        var planId: String
        var date: String
        var value: Double?
        var note: String?
        var recordedBy: String
        var organizationId: String?
        var source: String
        var externalId: String?
        var createdAt: Date?
        var withdrawnAt: Date?
        var withdrawnReason: String?
        var withdrawnBy: String?
        init(_ e: ProgressEntry) {
            withdrawnAt = e.withdrawnAt; withdrawnReason = e.withdrawnReason; withdrawnBy = e.withdrawnByID?.text
            id = e.id!.text; personId = e.$person.id.text; outcomeId = e.outcomeID; stepId = e.stepID; planId = e.planID.text
            date = e.entryDate; value = e.value; note = e.note; recordedBy = e.recordedByID.text; organizationId = e.organizationID?.text
            source = e.source; externalId = e.externalID; createdAt = e.createdAt
        }
    }

    static func entries(req: Request) async throws -> JSONReply<ListReply<EntryDTO>> {
        var errors: [FieldError] = []
        func date(_ name: String) -> CalendarDate? {
            guard let text = req.query[String.self, at: name], !text.isEmpty else { return nil }
            guard let date = CalendarDate(text) else { errors.append(FieldError(name, "\(name) must be a date written as YYYY-MM-DD.")); return nil }
            return date
        }
        let from = date("from"), to = date("to")
        var limit = 500, offset = 0
        if let text = req.query[String.self, at: "limit"], !text.isEmpty {
            if let n = Int(text), (1...5000).contains(n) { limit = n } else { errors.append(FieldError("limit", "limit must be a whole number from 1 to 5000.")) }
        }
        if let text = req.query[String.self, at: "cursor"], !text.isEmpty {
            if let n = Int(text), n >= 0 { offset = n } else { errors.append(FieldError("cursor", "cursor is not one Lantern gave out. Start again from the first page.")) }
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        let (rows, next) = try await req.records().progressEntries(try personID(req), outcomeID: try outcomeID(req), from: from, to: to, offset: offset, limit: limit)
        return JSONReply(value: ListReply(items: rows.map(EntryDTO.init), nextCursor: next.map(String.init)))
    }

    static func record(req: Request) async throws -> JSONReply<EntryDTO> {
        let stepID = try req.uuidParameter("stepID", what: "action step").text
        let entry = try await req.records().recordProgress(try personID(req), stepID: stepID, try req.jsonObject(), source: .api)
        return JSONReply(value: EntryDTO(entry), status: .created)
    }

    static func withdraw(req: Request) async throws -> JSONReply<EntryDTO> {
        let entryID = try req.uuidParameter("entryID", what: "progress entry")
        return JSONReply(value: EntryDTO(try await req.records().withdrawProgress(try personID(req), entryID: entryID, try req.jsonObject())))
    }

    static func review(req: Request) async throws -> JSONReply<ReviewDTO> {
        let review = try await req.records().recordOutcomeReview(try personID(req), outcomeID: try outcomeID(req), try req.jsonObject())
        return JSONReply(value: ReviewDTO(review), status: .created)
    }

    static func ownView(req: Request) async throws -> JSONReply<SelfViewDTO> {
        let view = try await req.records().recordSelfView(try personID(req), outcomeID: try outcomeID(req), try req.jsonObject())
        return JSONReply(value: SelfViewDTO(view), status: .created)
    }

    struct BulkItemDTO: Content {
        var index: Int
        var status: String
        var id: String?
        var problem: String?
        var errors: [FieldError]
    }
    struct BulkDTO: Content {
        var accepted: Int
        var refused: Int
        var results: [BulkItemDTO]
    }

    static func bulk(req: Request) async throws -> JSONReply<BulkDTO> {
        let results = try await req.records().recordProgressInBulk(try req.jsonObject())
        return JSONReply(value: BulkDTO(accepted: results.filter { $0.status == .accepted }.count, refused: results.filter { $0.status == .refused }.count,
                                        results: results.map { BulkItemDTO(index: $0.index, status: $0.status.rawValue, id: $0.id?.text, problem: $0.problem, errors: $0.errors) }))
    }
}

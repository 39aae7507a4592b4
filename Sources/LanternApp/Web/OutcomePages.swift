import Vapor

/// Outcome pages: the summary, one outcome, and the forms to record progress, review an outcome and
/// say how it is going. The forms post the same fields as the API and show its refusals beside them.
enum OutcomePages {
    static func register(_ web: any RoutesBuilder) {
        web.get("outcomes", "attention", use: attention)
        web.get("people", ":personID", "outcomes", use: summary)
        web.get("people", ":personID", "outcomes", ":outcomeID", use: detail)
        web.get("people", ":personID", "outcomes", ":outcomeID", "steps", ":stepID", "record", use: show(recording))
        web.post("people", ":personID", "outcomes", ":outcomeID", "steps", ":stepID", "record", use: submit(recording))
        web.get("people", ":personID", "outcomes", ":outcomeID", "review", use: show(reviewing))
        web.post("people", ":personID", "outcomes", ":outcomeID", "review", use: submit(reviewing))
        web.get("people", ":personID", "outcomes", ":outcomeID", "how-it-is-going", use: show(sayingHowItGoes))
        web.post("people", ":personID", "outcomes", ":outcomeID", "how-it-is-going", use: submit(sayingHowItGoes))
        web.get("people", ":personID", "outcomes", ":outcomeID", "entries", ":entryID", "withdraw", use: withdrawForm)
        web.post("people", ":personID", "outcomes", ":outcomeID", "entries", ":entryID", "withdraw", use: withdraw)
    }

    static func ids(_ req: Request) throws -> (UUID, String) {
        (try req.uuidParameter("personID", what: "person"), try req.uuidParameter("outcomeID", what: "outcome").text)
    }

    static func summary(req: Request) async throws -> HTML {
        let records = try req.records()
        let board = try await records.outcomeBoard(try req.uuidParameter("personID", what: "person"))
        return Layout.page(req, title: "\(board.person.displayName)'s outcomes", main: OutcomeViews.summary(req, board, policy: records.policy))
    }

    static func attention(req: Request) async throws -> HTML {
        let cursor = req.query[String.self, at: "cursor"].flatMap(PeopleQuery.Cursor.init(encoded:))
        let page = try await req.records().outcomesNeedingAttention(after: cursor)
        return Layout.page(req, title: "Outcomes that need attention", main: OutcomeViews.attention(page, first: cursor == nil))
    }

    static func detail(req: Request) async throws -> HTML {
        let (personID, outcomeID) = try ids(req)
        let records = try req.records()
        let d = try await records.outcomeDetail(personID, outcomeID: outcomeID)
        let flash: String? = switch req.query[String.self, at: "saved"] {
        case "entry": "Progress saved."
        case "review": "Review saved."
        case "view": "Thank you. What you said is saved."
        case "withdrawn": "The entry is withdrawn."
        default: nil
        }
        return Layout.page(req, title: d.outcome.text, main: OutcomeViews.detail(req, d, policy: records.policy), flash: flash)
    }

    /// The board and the outcome, for a form; the step too when the form is for one.
    static func context(_ req: Request, records: PersonRecords, stepID: String? = nil) async throws -> (OutcomeBoard, PlannedOutcome, ActionStep?) {
        let (personID, outcomeID) = try ids(req)
        let board = try await records.outcomeBoard(personID)
        guard let outcome = board.outcomes.first(where: { $0.id == outcomeID }) else { throw Problem.notFound("outcome") }
        guard let stepID else { return (board, outcome, nil) }
        guard let step = outcome.steps.first(where: { $0.id == stepID }) else { throw Problem.notFound("action step") }
        return (board, outcome, step)
    }

    static func stepID(_ req: Request) throws -> String { try req.uuidParameter("stepID", what: "action step").text }

    /// The entry to withdraw, from the outcome's latest entries the user may see.
    static func entryContext(_ req: Request, records: PersonRecords) async throws -> (OutcomeBoard, PlannedOutcome, ActionStep?, ProgressEntry) {
        let (personID, outcomeID) = try ids(req)
        let entryID = try req.uuidParameter("entryID", what: "progress entry")
        let d = try await records.outcomeDetail(personID, outcomeID: outcomeID, including: entryID)
        guard let entry = d.latest.values.joined().first(where: { $0.id == entryID }) else { throw Problem.notFound("progress entry") }
        guard records.policy.mayWithdraw(recordedBy: entry.recordedByID, organization: entry.organizationID) else {
            throw Problem.forbidden("Only the person who recorded an entry, their organisation, or the person's coordinator can withdraw it.")
        }
        return (d.board, d.outcome, d.outcome.steps.first { $0.id == entry.stepID }, entry)
    }

    static func withdrawForm(req: Request) async throws -> HTML {
        let (board, outcome, step, entry) = try await entryContext(req, records: try req.records())
        return Layout.page(req, title: "Withdraw an entry", main: OutcomeViews.withdrawForm(req, board: board, outcome: outcome, step: step, entry: entry, echo: [:], errors: []))
    }

    static func withdraw(req: Request) async throws -> Response {
        let (personID, outcomeID) = try ids(req)
        let records = try req.records()
        let body = try FormBody(req)
        do {
            _ = try await records.withdrawProgress(personID, entryID: try req.uuidParameter("entryID", what: "progress entry"), body.asJSON(fields: ["reason"]))
            return req.redirect(to: OutcomePaths.outcome(personID.text, outcomeID) + "?saved=withdrawn", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let (board, outcome, step, entry) = try await entryContext(req, records: records)
            let page = Layout.page(req, title: "Withdraw an entry", main: OutcomeViews.withdrawForm(req, board: board, outcome: outcome, step: step, entry: entry,
                                                                                                   echo: ["reason": body.first("reason") ?? ""], errors: problem.errors))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
    }

    /// One of the outcome forms: who may open it, what it is called, its fields, how it is drawn and
    /// what saving it does. Each is shown and saved the same way.
    struct OutcomeForm: Sendable {
        var title: String
        var fields: Set<String>
        /// The `saved` value the outcome page thanks for.
        var saved: String
        var forStep: Bool
        var refusal: String
        var mayOpen: @Sendable (AccessPolicy, ActionStep?) -> Bool
        var draw: @Sendable (Request, OutcomeBoard, PlannedOutcome, ActionStep?, [String: String], [FieldError]) -> HTML
        var save: @Sendable (PersonRecords, UUID, String, String?, [String: JSONValue]) async throws -> Void
    }

    static let recording = OutcomeForm(
        title: "Record progress", fields: ProgressInput.fields, saved: "entry", forStep: true,
        refusal: "Your role cannot record progress on this step.",
        mayOpen: { policy, step in step.map(policy.mayRecord) ?? false },
        draw: { req, board, outcome, step, echo, errors in OutcomeViews.recordForm(req, board: board, outcome: outcome, step: step!, echo: echo, errors: errors) },
        save: { records, person, _, step, input in _ = try await records.recordProgress(person, stepID: step ?? "", input, source: .form) })

    static let reviewing = OutcomeForm(
        title: "Review an outcome", fields: ["reviewedOn", "working", "notWorking", "nextSteps"], saved: "review", forStep: false,
        refusal: "Only the person's coordinator and their supervisor review outcomes.",
        mayOpen: { policy, _ in policy.roleAllows(.reviewProgress) },
        draw: { req, board, outcome, _, echo, errors in OutcomeViews.reviewForm(req, board: board, outcome: outcome, echo: echo, errors: errors) },
        save: { records, person, outcome, _, input in _ = try await records.recordOutcomeReview(person, outcomeID: outcome, input) })

    static let sayingHowItGoes = OutcomeForm(
        title: "How is it going?", fields: ["feeling", "comment", "helpedBy"], saved: "view", forStep: false,
        refusal: "The person says how it is going, with their family or coordinator.",
        mayOpen: { policy, _ in policy.roleAllows(.giveOwnView) },
        draw: { req, board, outcome, _, echo, errors in OutcomeViews.ownViewForm(req, board: board, outcome: outcome, echo: echo, errors: errors) },
        save: { records, person, outcome, _, input in _ = try await records.recordSelfView(person, outcomeID: outcome, input) })

    static func show(_ form: OutcomeForm) -> @Sendable (Request) async throws -> HTML {
        { req in
            let records = try req.records()
            let (board, outcome, step) = try await context(req, records: records, stepID: form.forStep ? try stepID(req) : nil)
            guard form.mayOpen(records.policy, step) else { throw Problem.forbidden(form.refusal) }
            return Layout.page(req, title: form.title, main: form.draw(req, board, outcome, step, [:], []))
        }
    }

    /// Saves through the same service as the API; a refusal shows the form again with what was typed
    /// and each message beside its field.
    static func submit(_ form: OutcomeForm) -> @Sendable (Request) async throws -> Response {
        { req in
            let (personID, outcomeID) = try ids(req)
            let step = form.forStep ? try stepID(req) : nil
            let records = try req.records()
            let body = try FormBody(req)
            do {
                try await form.save(records, personID, outcomeID, step, body.asJSON(fields: form.fields))
                return req.redirect(to: OutcomePaths.outcome(personID.text, outcomeID) + "?saved=" + form.saved, redirectType: .normal)
            } catch let problem as Problem where problem.status == .unprocessableEntity {
                let (board, outcome, shownStep) = try await context(req, records: records, stepID: step)
                let echo = Dictionary(form.fields.compactMap { name in body.first(name).map { (name, $0) } }, uniquingKeysWith: { a, _ in a })
                let page = Layout.page(req, title: form.title, main: form.draw(req, board, outcome, shownStep, echo, problem.errors))
                return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
            }
        }
    }
}

import Vapor

/// Outcome pages: the summary, one outcome, and the forms to record progress, review an outcome and
/// say how it is going. The forms post the same fields as the API and show its refusals beside them.
enum OutcomePages {
    static func register(_ web: any RoutesBuilder) {
        web.get("people", ":personID", "outcomes", use: summary)
        web.get("people", ":personID", "outcomes", ":outcomeID", use: detail)
        web.get("people", ":personID", "outcomes", ":outcomeID", "steps", ":stepID", "record", use: recordForm)
        web.post("people", ":personID", "outcomes", ":outcomeID", "steps", ":stepID", "record", use: record)
        web.get("people", ":personID", "outcomes", ":outcomeID", "review", use: reviewForm)
        web.post("people", ":personID", "outcomes", ":outcomeID", "review", use: review)
        web.get("people", ":personID", "outcomes", ":outcomeID", "how-it-is-going", use: ownViewForm)
        web.post("people", ":personID", "outcomes", ":outcomeID", "how-it-is-going", use: ownView)
    }

    static func ids(_ req: Request) throws -> (UUID, String) {
        (try req.uuidParameter("personID", what: "person"), try req.uuidParameter("outcomeID", what: "outcome").text)
    }

    static func summary(req: Request) async throws -> HTML {
        let records = try req.records()
        let board = try await records.outcomeBoard(try req.uuidParameter("personID", what: "person"))
        return Layout.page(req, title: "\(board.person.displayName)'s outcomes", main: OutcomeViews.summary(req, board, policy: records.policy))
    }

    static func detail(req: Request) async throws -> HTML {
        let (personID, outcomeID) = try ids(req)
        let records = try req.records()
        let d = try await records.outcomeDetail(personID, outcomeID: outcomeID)
        let flash: String? = switch req.query[String.self, at: "saved"] {
        case "entry": "Progress saved."
        case "review": "Review saved."
        case "view": "Thank you. What you said is saved."
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

    static func recordForm(req: Request) async throws -> HTML {
        let records = try req.records()
        let (board, outcome, step) = try await context(req, records: records, stepID: try stepID(req))
        guard let step, records.policy.mayRecord(on: step) else {
            throw Problem.forbidden("Your role (\(records.actor.role.label)) cannot record progress on this step.")
        }
        return Layout.page(req, title: "Record progress", main: OutcomeViews.recordForm(req, board: board, outcome: outcome, step: step, echo: [:], errors: []))
    }

    static func record(req: Request) async throws -> Response {
        let (personID, outcomeID) = try ids(req)
        let records = try req.records()
        let body = try FormBody(req)
        let input = body.asJSON(fields: ProgressInput.fields)
        do {
            _ = try await records.recordProgress(personID, stepID: try stepID(req), input, source: .form)
            return req.redirect(to: OutcomePaths.outcome(personID.text, outcomeID) + "?saved=entry", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let (board, outcome, step) = try await context(req, records: records, stepID: try stepID(req))
            let page = Layout.page(req, title: "Record progress", main: OutcomeViews.recordForm(req, board: board, outcome: outcome, step: step!,
                                                                                                 echo: echo(body, ProgressInput.fields), errors: problem.errors))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
    }

    static let reviewFields: Set<String> = ["reviewedOn", "working", "notWorking", "nextSteps"]
    static let viewFields: Set<String> = ["feeling", "comment", "helpedBy"]

    static func echo(_ body: FormBody, _ fields: Set<String>) -> [String: String] {
        Dictionary(fields.compactMap { name in body.first(name).map { (name, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    static func reviewForm(req: Request) async throws -> HTML {
        let records = try req.records()
        guard records.policy.roleAllows(.reviewProgress) else { throw Problem.forbidden("Only the person's coordinator and their supervisor review outcomes.") }
        let (board, outcome, _) = try await context(req, records: records)
        return Layout.page(req, title: "Review an outcome", main: OutcomeViews.reviewForm(req, board: board, outcome: outcome, echo: [:], errors: []))
    }

    static func review(req: Request) async throws -> Response {
        let (personID, outcomeID) = try ids(req)
        let records = try req.records()
        let body = try FormBody(req)
        do {
            _ = try await records.recordOutcomeReview(personID, outcomeID: outcomeID, body.asJSON(fields: reviewFields))
            return req.redirect(to: OutcomePaths.outcome(personID.text, outcomeID) + "?saved=review", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let (board, outcome, _) = try await context(req, records: records)
            let page = Layout.page(req, title: "Review an outcome", main: OutcomeViews.reviewForm(req, board: board, outcome: outcome, echo: echo(body, reviewFields), errors: problem.errors))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
    }

    static func ownViewForm(req: Request) async throws -> HTML {
        let records = try req.records()
        guard records.policy.roleAllows(.giveOwnView) else { throw Problem.forbidden("The person says how it is going, with their family or coordinator.") }
        let (board, outcome, _) = try await context(req, records: records)
        return Layout.page(req, title: "How is it going?", main: OutcomeViews.ownViewForm(req, board: board, outcome: outcome, echo: [:], errors: []))
    }

    static func ownView(req: Request) async throws -> Response {
        let (personID, outcomeID) = try ids(req)
        let records = try req.records()
        let body = try FormBody(req)
        do {
            _ = try await records.recordSelfView(personID, outcomeID: outcomeID, body.asJSON(fields: viewFields))
            return req.redirect(to: OutcomePaths.outcome(personID.text, outcomeID) + "?saved=view", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let (board, outcome, _) = try await context(req, records: records)
            let page = Layout.page(req, title: "How is it going?", main: OutcomeViews.ownViewForm(req, board: board, outcome: outcome, echo: echo(body, viewFields), errors: problem.errors))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
    }
}

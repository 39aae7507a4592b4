import Fluent
import LanternDomain
import Vapor

/// The person's intake, planning meetings, satisfaction surveys and decisions, in the browser.
enum PersonCoordinationPages {
    static func register(_ web: any RoutesBuilder) {
        web.get("dashboard", use: dashboard)
        let person = web.grouped("people", ":personID")
        person.get("intake", use: intake)
        person.post("intake", use: recordReferral)
        person.post("intake", ":referralID", "eligibility", use: decideEligibility)
        person.get("meetings", use: meetings)
        person.post("meetings", use: scheduleMeeting)
        person.get("meetings", ":meetingID", use: meeting)
        person.post("meetings", ":meetingID", use: recordMeetingOutcome)
        person.get("satisfaction", use: satisfaction)
        person.post("satisfaction", use: recordSurvey)
        person.get("decisions", use: decisions)
        person.post("decisions", "refusal", use: refuseService)
        person.post("decisions", "leave", use: leave)
        person.post("self-coordination", use: directOwnCoordination)
    }

    static func dashboard(req: Request) async throws -> HTML {
        let d = try await req.records().dashboard()
        return Layout.page(req, title: "Dashboard", main: DashboardViews.page(req, d, today: CalendarDate(req.now), rules: req.application.lantern.settings.caseloadRules))
    }

    static func personID(_ req: Request) throws -> UUID { try req.uuidParameter("personID", what: "person") }

    /// Runs a form's change; on success redirects to `done`, on invalid input shows `page` again with
    /// the errors and what was typed, answering 422.
    static func submit(_ req: Request, done: String? = nil, _ change: (FormBody) async throws -> String?,
                       page: @escaping ([String: [String]], [FieldError]) async throws -> HTML) async throws -> Response {
        let form = try FormBody(req)
        do {
            let location = try await change(form) ?? done ?? "/"
            return req.redirect(to: location, redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            var echo: [String: [String]] = [:]
            for (name, value) in form.pairs where name != CSRF.fieldName { echo[name, default: []].append(value) }
            return try await PeoplePages.respond(try await page(echo, problem.errors), status: .unprocessableEntity, req: req)
        }
    }

    /// A form's text fields as the API's JSON, leaving out those left empty.
    static func json(_ form: FormBody, fields: Set<String>, lists: Set<String> = [], checkboxes: Set<String> = []) -> [String: JSONValue] {
        var input = form.asJSON(fields: fields, checkboxes: checkboxes, lists: lists)
        for (key, value) in input { if case .string(let s) = value, s.trimmingCharacters(in: .whitespaces).isEmpty { input[key] = nil } }
        return input
    }

    // MARK: Intake

    static func intakePage(_ req: Request, echo: [String: [String]] = [:], errors: [FieldError] = []) async throws -> HTML {
        let records = try req.records()
        let (person, referrals) = try await records.referrals(of: try personID(req))
        return Layout.page(req, title: "Intake for \(person.displayName)",
                           main: PersonCoordinationViews.intake(req, person, referrals, today: records.today, mayWrite: records.policy.roleAllows(.update), echo: echo, errors: errors),
                           flash: req.query[String.self, at: "saved"].map { $0 == "decision" ? "Decision saved." : "Referral saved." })
    }

    static func intake(req: Request) async throws -> HTML { try await intakePage(req) }

    static func recordReferral(req: Request) async throws -> Response {
        let id = try personID(req)
        return try await submit(req, done: "/people/\(id.text)/intake?saved=referral", { form in
            _ = try await req.records().recordReferral(id, json(form, fields: PersonRecords.referralFields))
            return nil
        }, page: { echo, errors in try await intakePage(req, echo: echo, errors: errors) })
    }

    static func decideEligibility(req: Request) async throws -> Response {
        let id = try personID(req), referralID = try req.uuidParameter("referralID", what: "referral")
        return try await submit(req, done: "/people/\(id.text)/intake?saved=decision", { form in
            _ = try await req.records().decideEligibility(id, referralID: referralID, json(form, fields: PersonRecords.eligibilityFields))
            return nil
        }, page: { echo, errors in try await intakePage(req, echo: echo, errors: errors) })
    }

    // MARK: Meetings

    static func meetingsPage(_ req: Request, echo: [String: [String]] = [:], errors: [FieldError] = []) async throws -> HTML {
        let records = try req.records()
        let (person, rows, circle) = try await records.meetings(of: try personID(req))
        return Layout.page(req, title: "Planning meetings with \(person.displayName)",
                           main: PersonCoordinationViews.meetings(req, person, rows, circle: circle, today: records.today, mayWrite: records.policy.roleAllows(.update), echo: echo, errors: errors),
                           flash: req.query[String.self, at: "saved"] == "meeting" ? "Meeting saved." : nil)
    }

    static func meetings(req: Request) async throws -> HTML { try await meetingsPage(req) }

    static func scheduleMeeting(req: Request) async throws -> Response {
        let id = try personID(req)
        return try await submit(req, { form in
            let meeting = try await req.records().scheduleMeeting(id, json(form, fields: PersonRecords.meetingFields, lists: ["inviteeIds", "accommodations"], checkboxes: ["chosenByPerson"]))
            return "/people/\(id.text)/meetings/\(meeting.id!.text)?saved=meeting"
        }, page: { echo, errors in try await meetingsPage(req, echo: echo, errors: errors) })
    }

    static func meetingPage(_ req: Request, echo: [String: [String]] = [:], errors: [FieldError] = []) async throws -> HTML {
        let records = try req.records()
        let (person, meeting, circle, plans) = try await records.meeting(try req.uuidParameter("meetingID", what: "meeting"), of: try personID(req))
        return Layout.page(req, title: "Planning meeting on \(meeting.meetsOn)",
                           main: PersonCoordinationViews.meeting(req, person, meeting, circle: circle, plans: plans, today: records.today, mayWrite: records.policy.roleAllows(.update), echo: echo, errors: errors),
                           flash: req.query[String.self, at: "saved"] == "meeting" ? "Meeting saved." : nil)
    }

    static func meeting(req: Request) async throws -> HTML { try await meetingPage(req) }

    static func recordMeetingOutcome(req: Request) async throws -> Response {
        let id = try personID(req), meetingID = try req.uuidParameter("meetingID", what: "meeting")
        return try await submit(req, done: "/people/\(id.text)/meetings/\(meetingID.text)?saved=meeting", { form in
            _ = try await req.records().recordMeetingOutcome(meetingID, of: id, json(form, fields: PersonRecords.meetingOutcomeFields, lists: ["attendedIds"]))
            return nil
        }, page: { echo, errors in try await meetingPage(req, echo: echo, errors: errors) })
    }

    // MARK: Satisfaction

    static func satisfactionPage(_ req: Request, echo: [String: [String]] = [:], errors: [FieldError] = []) async throws -> HTML {
        let records = try req.records()
        let (person, rows, meetings) = try await records.surveys(of: try personID(req))
        return Layout.page(req, title: "How satisfied \(person.displayName) is",
                           main: PersonCoordinationViews.satisfaction(req, person, rows, meetings: meetings, today: records.today,
                                                                      mayWrite: records.policy.roleAllows(.giveOwnView), echo: echo, errors: errors),
                           flash: req.query[String.self, at: "saved"] == "survey" ? "Thank you. The answers are saved." : nil)
    }

    static func satisfaction(req: Request) async throws -> HTML { try await satisfactionPage(req) }

    static func recordSurvey(req: Request) async throws -> Response {
        let id = try personID(req)
        return try await submit(req, done: "/people/\(id.text)/satisfaction?saved=survey", { form in
            var input = json(form, fields: ["respondent", "answeredOn", "meetingId", "comment"])
            let respondent = form.first("respondent").flatMap(SurveyRespondent.init) ?? .person
            var answers: [String: JSONValue] = [:]
            for q in respondent.questions { if let v = form.first("answer-\(respondent.rawValue)-\(q.id)"), !v.isEmpty { answers[q.id] = .string(v) } }
            input["answers"] = .object(answers)
            _ = try await req.records().recordSurvey(id, input)
            return nil
        }, page: { echo, errors in try await satisfactionPage(req, echo: echo, errors: errors) })
    }

    // MARK: Decisions

    static func decisionsPage(_ req: Request, echo: [String: [String]] = [:], errors: [FieldError] = []) async throws -> HTML {
        let records = try req.records()
        let id = try personID(req)
        let detail = try await records.personWithPlanInEffect(id)
        let refusals = try await records.refusals(of: id)
        return Layout.page(req, title: "\(detail.person.displayName) decides",
                           main: PersonCoordinationViews.decisions(req, detail.person, plan: detail.plan, services: detail.services, refusals: refusals, today: records.today,
                                                                   mayWrite: records.policy.roleAllows(.writePlan), echo: echo, errors: errors),
                           flash: req.query[String.self, at: "saved"].map { $0 == "left" ? "Leaving services is recorded." : "The refusal is recorded." })
    }

    static func decisions(req: Request) async throws -> HTML { try await decisionsPage(req) }

    static func refuseService(req: Request) async throws -> Response {
        let id = try personID(req)
        return try await submit(req, done: "/people/\(id.text)/decisions?saved=refusal", { form in
            guard let planID = form.first("planId").flatMap(UUID.init(uuidString:)) else {
                throw Problem.invalid([FieldError("serviceEntryId", "There is no plan in effect to refuse a service from.")])
            }
            _ = try await req.records().refuseService(planID, json(form, fields: PersonRecords.refusalFields))
            return nil
        }, page: { echo, errors in try await decisionsPage(req, echo: echo, errors: errors) })
    }

    static func leave(req: Request) async throws -> Response {
        let id = try personID(req)
        return try await submit(req, done: "/people/\(id.text)/decisions?saved=left", { form in
            _ = try await req.records().leaveServices(id, json(form, fields: ["leftOn", "reason"]))
            return nil
        }, page: { echo, errors in try await decisionsPage(req, echo: echo, errors: errors) })
    }

    static func directOwnCoordination(req: Request) async throws -> Response {
        let id = try personID(req)
        let reason = try FormBody(req).first("selfReason")?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        _ = try await req.records().directOwnCoordination(id, since: nil, reason: reason)
        return req.redirect(to: "/people/\(id.text)?saved=1#coordination", redirectType: .normal)
    }
}

extension PersonRecords {
    /// The person, their plan in effect and its services, for the decisions page.
    func personWithPlanInEffect(_ personID: UUID) async throws -> (person: Person, plan: Plan?, services: [PlannedService]) {
        try await read(personID, .plan, detail: "viewed the plan in effect for decisions") { person, db in
            guard let plan = try await Plan.query(on: db).filter(\.$person.$id == personID).filter(\.$status == PlanStatus.active.rawValue).first() else {
                return (person, nil, [])
            }
            let content = try await PlanSection.query(on: db).filter(\.$plan.$id == plan.requireID()).filter(\.$sectionKey == "services").first()?.content ?? [:]
            return (person, plan, PlannedService.all(in: content))
        }
    }
}

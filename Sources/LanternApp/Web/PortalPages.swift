import Fluent
import LanternDomain
import Vapor

/// The person's and family's own pages under /my: home, sign, ask, tell, budget, the whole record,
/// who looked, what the family sees, and the language. Every read and change goes through
/// `PersonRecords`, as on every other page; these pages only speak the reader's language.
enum PortalPages {
    static func register(_ web: any RoutesBuilder) {
        let my = web.grouped("my")
        my.get(use: portal(start))
        my.get("settings", use: portal(settings))
        my.post("settings", use: portal(saveSettings))
        my.post("language", use: portal(switchLanguage))
        let person = my.grouped(":personID")
        person.get(use: portal(home))
        person.get("sign", use: portal(signing))
        person.post("sign", "agreement", use: portal(addAgreement))
        person.post("sign", ":signatureID", use: portal(sign))
        person.post("sign", ":signatureID", "decline", use: portal(decline))
        person.get("ask", use: portal(requests))
        person.post("ask", use: portal(ask))
        person.get("tell", use: portal(tell))
        person.post("tell", "survey", use: portal(answerSurvey))
        person.post("tell", "outcomes", ":outcomeID", use: portal(sayHowItGoes))
        person.get("budget", use: portal(budget))
        person.get("record", use: portal(record))
        person.get("record.json", use: recordJSON)
        person.get("who-looked", use: portal(whoLooked))
        person.get("sharing", use: portal(sharing))
        person.post("sharing", ":memberID", use: portal(share))
    }

    /// Runs a portal page in the reader's language; a refusal or a missing record is answered with a
    /// page in that language too, with its status.
    static func portal(_ handler: @escaping @Sendable (Request, Words) async throws -> Response) -> @Sendable (Request) async throws -> Response {
        { req in
            let w = Words(lang: try req.requireActor().language)
            do {
                return try await handler(req, w)
            } catch let problem as Problem {
                let key: String
                switch problem.status {
                case .notFound: key = "problem.notFound"
                case .forbidden: key = "problem.forbidden"
                case .conflict: key = "problem.conflict"
                case .gone: key = "problem.conflict"
                default: throw problem
                }
                let page = PortalLayout.page(req, w, title: w(key + ".title"), place: .init(current: ""), main: """
                <h1>\(w(key + ".title"))</h1>
                <p>\(w(key + ".lead"))</p>
                \(problem.status == .notFound ? HTML.empty : HTML("<p lang=\"en\">\(problem.detail)</p>"))
                <p><a class="big-link" href="/my">\(w("problem.home"))</a></p>
                """)
                return try await PeoplePages.respond(page, status: problem.status, req: req)
            }
        }
    }

    static func personID(_ req: Request) throws -> UUID { try req.uuidParameter("personID", what: "person") }

    static func respond(_ req: Request, _ w: Words, title: String, place: PortalLayout.Place, _ main: HTML,
                        status: HTTPResponseStatus = .ok, flash: String? = nil) async throws -> Response {
        try await PeoplePages.respond(PortalLayout.page(req, w, title: title, place: place, main: main, flash: flash), status: status, req: req)
    }

    /// After a change: back to a page, with a message that says it worked.
    static func done(_ req: Request, to path: String, _ message: String) -> Response {
        req.redirect(to: path + (path.contains("?") ? "&" : "?") + "done=" + (message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }

    /// The message of the change just made, when the page was reached from one. Only known keys are shown.
    static func flash(_ req: Request, _ w: Words) -> String? {
        guard let key = req.query[String.self, at: "done"], key.hasPrefix("done."), Messages.catalogues["en"]?[key] != nil else { return nil }
        return w(key)
    }

    /// A refusal's field messages in the reader's language, where the portal has its own words.
    static func localized(_ errors: [FieldError], _ w: Words) -> [FieldError] {
        errors.map { e in
            // A field of one of several forms on a page ends in that form's id: "feeling-<outcome id>".
            let key = "error.\(e.field.prefix { $0 != "-" })"
            let text = w(key)
            return text == key ? e : FieldError(e.field, text)
        }
    }

    // MARK: Start, language and settings

    static func start(req: Request, w: Words) async throws -> Response {
        let actor = try req.requireActor()
        if actor.role == .person, let own = actor.personID { return req.redirect(to: "/my/\(own.text)") }
        let people = try await req.records().portalPeople()
        if people.count == 1, let only = people.first?.id { return req.redirect(to: "/my/\(only.text)") }
        return try await respond(req, w, title: w("chooser.title"), place: .init(current: "home"), PortalViews.chooser(people, w))
    }

    static func settings(req: Request, w: Words) async throws -> Response {
        try await respond(req, w, title: w("settings.title"), place: .init(current: "settings"), PortalViews.settings(w, req: req), flash: flash(req, w))
    }

    static func saveSettings(req: Request, w: Words) async throws -> Response {
        let form = try FormBody(req)
        guard let language = form.first("language").flatMap(PortalLanguage.init) else {
            throw Problem.invalid([FieldError("language", w("error.language"))])
        }
        try await req.records().chooseLanguage(language)
        return done(req, to: "/my/settings", "done.language")
    }

    /// The language button in the header: the new language at once, back on the same page.
    static func switchLanguage(req: Request, w: Words) async throws -> Response {
        let form = try FormBody(req)
        guard let language = form.first("language").flatMap(PortalLanguage.init) else {
            throw Problem.invalid([FieldError("language", w("error.language"))])
        }
        try await req.records().chooseLanguage(language)
        // Only a path inside the portal, so the button cannot send anyone elsewhere.
        let next = form.first("next") ?? "/my"
        let safe = next.hasPrefix("/my") && !next.contains("//") && !next.contains("\\") ? next : "/my"
        return req.redirect(to: safe)
    }

    // MARK: Home

    static func home(req: Request, w: Words) async throws -> Response {
        let h = try await req.records().portalHome(try personID(req), language: w.lang)
        let title = h.reader.isSelf ? w("home.title.self") : w("home.title.other", ["name": h.reader.person.displayName])
        return try await respond(req, w, title: title, place: PortalLayout.place(h.reader, "home"), PortalViews.home(h, w))
    }

    // MARK: Signing

    static func signingPage(_ req: Request, _ w: Words, errors: [FieldError] = [], status: HTTPResponseStatus = .ok) async throws -> Response {
        let s = try await req.records().portalSigning(try personID(req))
        return try await respond(req, w, title: w("sign.title"), place: PortalLayout.place(s.reader, "sign"),
                                 PortalViews.signing(s, w, errors: localized(errors, w), req: req), status: status, flash: flash(req, w))
    }

    static func signing(req: Request, w: Words) async throws -> Response { try await signingPage(req, w) }

    /// The plan a signature request belongs to, when it is one of this person's.
    static func planOf(signature id: UUID, person: UUID, on db: any Database) async throws -> UUID {
        guard let signature = try await PlanSignature.find(id, on: db), let plan = try await Plan.find(signature.$plan.id, on: db),
              plan.$person.id == person else { throw Problem.notFound("signature request") }
        return try plan.requireID()
    }

    static func sign(req: Request, w: Words) async throws -> Response {
        let personID = try personID(req), signatureID = try req.uuidParameter("signatureID", what: "signature request")
        let form = try FormBody(req)
        guard form.first("agree") == "true" else {
            return try await signingPage(req, w, errors: [FieldError("agree", w("error.agree"))], status: .unprocessableEntity)
        }
        let records = try req.records()
        let planID = try await planOf(signature: signatureID, person: personID, on: req.db)
        let signature = try await PlanSignature.find(signatureID, on: req.db)
        var input: [String: JSONValue] = ["method": .string(SignatureMethod.ownAccount.rawValue)]
        if records.actor.personID != personID, signature?.signerRole != .person {
            // A guardian or parent signs for the person: the signature says so.
            let person = try await Person.find(personID, on: req.db)
            input["onBehalfOf"] = person.map { .string($0.displayName) }
        }
        _ = try await records.sign(planID, signature: signatureID, input)
        return done(req, to: "/my/\(personID.text)/sign", "done.signed")
    }

    static func decline(req: Request, w: Words) async throws -> Response {
        let personID = try personID(req), signatureID = try req.uuidParameter("signatureID", what: "signature request")
        let form = try FormBody(req)
        let planID = try await planOf(signature: signatureID, person: personID, on: req.db)
        do {
            _ = try await req.records().decline(planID, signature: signatureID, reason: form.first("reason"))
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            return try await signingPage(req, w, errors: problem.errors, status: .unprocessableEntity)
        }
        return done(req, to: "/my/\(personID.text)/sign", "done.declined")
    }

    static func addAgreement(req: Request, w: Words) async throws -> Response {
        let personID = try personID(req)
        let form = try FormBody(req)
        guard let planID = form.first("planId").flatMap(UUID.init(uuidString:)) else { throw Problem.notFound("plan") }
        guard let plan = try await Plan.find(planID, on: req.db), plan.$person.id == personID else { throw Problem.notFound("plan") }
        _ = try await req.records().addOwnAgreement(planID)
        return done(req, to: "/my/\(personID.text)/sign", "done.agreed")
    }

    // MARK: Asking for a change

    static func requestsPage(_ req: Request, _ w: Words, errors: [FieldError] = [], input: [String: String] = [:],
                             status: HTTPResponseStatus = .ok) async throws -> Response {
        let p = try await req.records().portalRequests(try personID(req))
        return try await respond(req, w, title: w("ask.title"), place: PortalLayout.place(p.reader, "ask"),
                                 PortalViews.requests(p, w, errors: localized(errors, w), input: input, req: req), status: status, flash: flash(req, w))
    }

    static func requests(req: Request, w: Words) async throws -> Response { try await requestsPage(req, w) }

    static func ask(req: Request, w: Words) async throws -> Response {
        let personID = try personID(req)
        let form = try FormBody(req)
        var input = form.asJSON(fields: PersonRecords.changeRequestFields)
        if input["about"] != .string(ChangeRequestKind.service.rawValue) { input["serviceId"] = nil }
        do {
            _ = try await req.records().askForChange(personID, input)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let echo = Dictionary(PersonRecords.changeRequestFields.compactMap { k in form.first(k).map { (k, $0) } }, uniquingKeysWith: { a, _ in a })
            return try await requestsPage(req, w, errors: problem.errors, input: echo, status: .unprocessableEntity)
        }
        return done(req, to: "/my/\(personID.text)/ask", "done.asked")
    }

    // MARK: Telling how it is going

    static func tellPage(_ req: Request, _ w: Words, errors: [FieldError] = [], form: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let records = try req.records()
        let personID = try personID(req)
        let (reader, board) = try await records.portalTell(personID)
        return try await respond(req, w, title: w("tell.title"), place: PortalLayout.place(reader, "tell"),
                                 PortalViews.tell(reader, board: board, w, errors: localized(errors, w), form: form, req: req), status: status, flash: flash(req, w))
    }

    static func tell(req: Request, w: Words) async throws -> Response { try await tellPage(req, w) }

    static func answerSurvey(req: Request, w: Words) async throws -> Response {
        let personID = try personID(req)
        let records = try req.records()
        let form = try FormBody(req)
        let respondent: SurveyRespondent = records.actor.personID == personID ? .person : .family
        var answers: [String: JSONValue] = [:]
        for q in respondent.questions { if let v = form.first("answer-\(q.id)"), !v.isEmpty { answers[q.id] = .string(v) } }
        var input: [String: JSONValue] = ["respondent": .string(respondent.rawValue), "answeredOn": .string(records.today.description), "answers": .object(answers)]
        if let comment = form.first("comment"), !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { input["comment"] = .string(comment) }
        do {
            _ = try await records.recordSurvey(personID, input)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            return try await tellPage(req, w, errors: problem.errors, form: "survey", status: .unprocessableEntity)
        }
        return done(req, to: "/my/\(personID.text)/tell", "done.survey")
    }

    static func sayHowItGoes(req: Request, w: Words) async throws -> Response {
        let personID = try personID(req), outcomeID = req.parameters.get("outcomeID") ?? ""
        let records = try req.records()
        let form = try FormBody(req)
        var input: [String: JSONValue] = [:]
        if let feeling = form.first("feeling"), !feeling.isEmpty { input["feeling"] = .string(feeling) }
        // Each goal's form on the page has its own field names, so that their ids differ.
        let id = outcomeID.lowercased()
        if let comment = form.first("comment-\(id)"), !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { input["comment"] = .string(comment) }
        if records.actor.personID != personID { input["helpedBy"] = .string(records.actor.displayName) }
        do {
            _ = try await records.recordSelfView(personID, outcomeID: outcomeID, input)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let errors = problem.errors.map { FieldError("\($0.field)-\(id)", $0.message) }
            return try await tellPage(req, w, errors: errors, form: id, status: .unprocessableEntity)
        }
        return done(req, to: "/my/\(personID.text)/tell", "done.outcome")
    }

    // MARK: Budget, record, who looked

    static func budget(req: Request, w: Words) async throws -> Response {
        let (reader, record, spending) = try await req.records().portalBudget(try personID(req))
        return try await respond(req, w, title: w("budget.title"), place: PortalLayout.place(reader, "budget"),
                                 PortalViews.budget(reader, record: record, spending: spending, w))
    }

    static func record(req: Request, w: Words) async throws -> Response {
        let records = try req.records()
        let record = try await records.wholeRecord(try personID(req))
        return try await respond(req, w, title: w("record.title"), place: PortalLayout.place(record.reader, "record"),
                                 PortalViews.record(record, w, today: records.today))
    }

    /// The same record as JSON, as a file to keep.
    static func recordJSON(req: Request) async throws -> Response {
        let records = try req.records()
        let record = try await records.wholeRecord(try personID(req))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let body = try encoder.encode(PortalAPI.RecordDTO(record, at: req.now, today: records.today))
        var headers = HTTPHeaders()
        headers.contentType = .json
        let name = record.reader.person.displayName.filter { $0.isLetter || $0.isNumber }
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"lantern-record-\(name)-\(records.today).json\"")
        return Response(status: .ok, headers: headers, body: .init(data: body))
    }

    static func whoLooked(req: Request, w: Words) async throws -> Response {
        let personID = try personID(req)
        let offset = max(0, req.query[Int.self, at: "from"] ?? 0)
        let (reader, lines, next) = try await req.records().accessLog(personID, offset: offset, limit: 50)
        return try await respond(req, w, title: w("who.title"), place: PortalLayout.place(reader, "who-looked"),
                                 PortalViews.whoLooked(lines, next: next, offset: offset, id: personID.text, w))
    }

    // MARK: What the family sees

    static func sharing(req: Request, w: Words) async throws -> Response {
        let (reader, members) = try await req.records().familySharing(try personID(req))
        return try await respond(req, w, title: w("share.title"), place: PortalLayout.place(reader, "sharing"),
                                 PortalViews.sharing(reader, members: members, w, req: req), flash: flash(req, w))
    }

    static func share(req: Request, w: Words) async throws -> Response {
        let personID = try personID(req), memberID = try req.uuidParameter("memberID", what: "family member")
        let form = try FormBody(req)
        let areas = Set(form.all("shared").compactMap(SharedArea.init))
        _ = try await req.records().share(personID, member: memberID, areas: areas)
        return done(req, to: "/my/\(personID.text)/sharing", "done.shared")
    }
}

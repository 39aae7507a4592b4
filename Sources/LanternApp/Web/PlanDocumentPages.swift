import Vapor

/// The pages made from a plan version (the printed plan, the one-page profile and its translation)
/// and the steps the overview offers once a version is sent out (a copy given, a review asked for,
/// the plan ended).
enum PlanDocumentPages {
    static func register(_ web: any RoutesBuilder) {
        web.get("plans", ":planID", "print", use: printPage)
        web.get("plans", ":planID", "profile", use: profilePage)
        web.get("plans", ":planID", "profile", "translate", use: translateForm)
        web.post("plans", ":planID", "profile", "translate", use: saveTranslation)
        web.post("plans", ":planID", "distributions", use: recordCopy)
        web.post("plans", ":planID", "review-requests", use: requestReview)
        web.post("plans", ":planID", "end", use: end)
    }

    static func document(_ html: HTML) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(string: html.raw))
    }

    static func printPage(req: Request) async throws -> Response {
        let records = try req.records()
        let d = try await records.planDocument(try req.uuidParameter("planID", what: "plan"), printing: true)
        return document(PlanDocumentViews.printPage(d, printedOn: records.today))
    }

    static func profilePage(req: Request) async throws -> Response {
        let language = try PlanFollowUpAPI.languageQuery(req)
        let d = try await req.records().planDocument(try req.uuidParameter("planID", what: "plan"), printing: false, language: language)
        return document(PlanDocumentViews.profilePage(d))
    }

    // MARK: Translating the profile

    static func translateForm(req: Request) async throws -> HTML {
        let planID = try req.uuidParameter("planID", what: "plan")
        let language = (try? PlanFollowUpAPI.languageQuery(req)) ?? nil
        let d = try await req.records().planDocument(planID, printing: false, language: language, permission: .writePlan)
        return Layout.page(req, title: "Translate the profile", main: translation(req, d, language: language?.tag, translatedBy: nil, typed: nil, errors: []))
    }

    static func saveTranslation(req: Request) async throws -> Response {
        let planID = try req.uuidParameter("planID", what: "plan")
        let body = try FormBody(req)
        let records = try req.records()
        let tag = body.first("language") ?? ""
        let by = body.first("translatedBy").flatMap { $0.isEmpty ? nil : $0 }
        // The fields name their text by its digest. An empty field removes a translation only when the
        // form showed that language's translations; otherwise it just was not filled in.
        let loaded = body.first("loaded") ?? ""
        let count = max(0, min(Int(body.first("count") ?? "") ?? 0, 500))
        var typed: [String: String] = [:]
        var items: [PersonRecords.TranslationItem] = []
        for i in 0..<count {
            guard let digest = body.first("s.\(i)"), let text = body.first("t.\(i)") else { continue }
            typed[digest] = text
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && loaded != ProfileLanguage(tag)?.tag { continue }
            items.append(PersonRecords.TranslationItem(sourceDigest: digest, text: text, field: "t-\(i)"))
        }
        guard let language = ProfileLanguage(tag) else {
            let d = try await records.planDocument(planID, printing: false, permission: .writePlan)
            let page = Layout.page(req, title: "Translate the profile",
                                   main: translation(req, d, language: tag, translatedBy: by, typed: typed,
                                                     errors: [FieldError("language", "Give the language as a tag such as es (Spanish), vi (Vietnamese) or zh-Hant (Chinese, traditional).")]))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
        do {
            _ = try await records.saveTranslations(planID, language: language, translatedBy: by, items: items)
            return req.redirect(to: PlanPaths.overview(planID.text) + "/profile?lang=" + language.tag, redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let d = try await records.planDocument(planID, printing: false, language: language, permission: .writePlan)
            let page = Layout.page(req, title: "Translate the profile", main: translation(req, d, language: language.tag, translatedBy: by, typed: typed, errors: problem.errors))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
    }

    /// One field per text on the profile, filled with the translation already recorded (or, after a
    /// refusal, with what was typed, keyed by the source text's digest).
    static func translation(_ req: Request, _ d: PlanDocument, language: String?, translatedBy: String?, typed: [String: String]?, errors: [FieldError]) -> HTML {
        let id = d.record.plan.id!.text
        let texts = d.profile.translatableTexts
        // Only a valid tag may mark the fields' language; a refused one is shown back in its own field only.
        let lang = language.flatMap(ProfileLanguage.init)?.tag
        let fields = texts.enumerated().map { i, source -> HTML in
            """
            <div class="field">
            <label for="field-t-\(i)">Translation of: <span class="source">\(source)</span></label>
            <input type="hidden" name="s.\(i)" value="\(PersonRecords.sourceDigest(source))">
            <textarea id="field-t-\(i)" name="t.\(i)" rows="2"\(lang.map { HTML(" lang=\"\($0)\"") } ?? .empty)>\(typed.map { $0[PersonRecords.sourceDigest(source)] ?? "" } ?? d.translations[source] ?? "")</textarea>
            </div>
            """
        }
        return """
        <h1>Translate \(d.record.person.displayName)'s profile</h1>
        <p><a href="\(PlanPaths.overview(id))/profile">Back to the profile</a></p>
        \(Form.errorSummary(errors, linkable: Set(["language", "translatedBy"] + texts.indices.map { "t-\($0)" })))
        <p>Write each text in the person's language. A translation belongs to the exact words it translates: when the plan changes a text, the profile shows the new words in English until they are translated again. To change or remove translations already recorded, show them first; then an emptied field removes its translation.</p>
        <form method="get" action="\(PlanPaths.overview(id))/profile/translate" class="filters">
        <div class="field"><label for="pick-lang">Show translations already recorded in (language tag)</label><input id="pick-lang" name="lang" type="text" value="\(language ?? "")"></div>
        <div class="actions"><button type="submit" class="secondary">Show</button></div>
        </form>
        <form method="post" action="\(PlanPaths.overview(id))/profile/translate" novalidate>\(Form.csrf(req))
        <input type="hidden" name="count" value="\(texts.count)">
        <input type="hidden" name="loaded" value="\(d.language?.tag ?? "")">
        \(Form.text("language", "Language (a tag such as es, vi or zh-Hant)", value: language, errors: errors, required: true))
        \(Form.text("translatedBy", "Translated by (optional)", value: translatedBy, errors: errors))
        \(fields)
        <div class="actions"><button type="submit">Save the translation</button></div>
        </form>
        """
    }

    // MARK: Steps on the overview

    static func recordCopy(req: Request) async throws -> Response {
        try await PlanPages.step(req, done: "copy") { records, planID, form in
            var input = form.asJSON(fields: PersonRecords.distributionFields, checkboxes: ["includesBudget"])
            if case .string("")? = input["purpose"] { input["purpose"] = nil }
            _ = try await records.recordDistribution(planID, input)
            return planID
        }
    }

    static func requestReview(req: Request) async throws -> Response {
        try await PlanPages.step(req, done: "review") { records, planID, form in
            var input = form.asJSON(fields: PersonRecords.reviewRequestFields)
            if case .string("")? = input["reason"] { input["reason"] = nil }
            _ = try await records.requestReview(planID, input)
            return planID
        }
    }

    static func end(req: Request) async throws -> Response {
        try await PlanPages.step(req, done: "ended") { records, planID, form in
            let date = form.first("endedOn").flatMap { $0.isEmpty ? nil : $0 }
            var endedOn: CalendarDate?
            if let date {
                guard let parsed = CalendarDate(date) else { throw Problem.invalid([FieldError("endedOn", "The date must be a real date written as YYYY-MM-DD.")]) }
                endedOn = parsed
            }
            return try await records.endPlan(planID, reason: form.first("reason"), on: endedOn).id!
        }
    }
}

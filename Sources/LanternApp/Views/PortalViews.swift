import LanternDomain
import Vapor

/// The words of the portal in the reader's language.
struct Words: Sendable {
    let lang: PortalLanguage
    func callAsFunction(_ key: String, _ values: [String: String] = [:]) -> String { Messages.text(key, lang, values) }

    /// "November 24, 2026" or "24 de noviembre de 2026".
    func day(_ date: CalendarDate) -> String {
        self("date.long", ["day": String(date.day), "month": self("month.\(date.month)"), "year": String(date.year)])
    }
    func day(_ text: String?) -> String { text.flatMap(CalendarDate.init).map(day) ?? (text ?? "") }
    func moment(_ date: Date) -> String {
        let d = CalendarDate(date)
        let seconds = Int(date.timeIntervalSince1970) % 86_400
        return self("date.moment", ["date": day(d), "time": String(format: "%02d:%02d", seconds / 3600, seconds % 3600 / 60)])
    }
    /// Text that stays in English (a section's title, a service's name), marked so for a screen reader.
    func english(_ text: String) -> HTML { lang == .en ? HTML("\(text)") : HTML("<span lang=\"en\">\(text)</span>") }

    var form: FormWords { FormWords(required: self("form.required"), errorPrefix: self("form.errorPrefix")) }

    /// A vocabulary value's words, or its English label when the language has none.
    func term<V: Vocabulary>(_ prefix: String, _ value: V) -> String { term(prefix, raw: value.rawValue, fallback: value.label) }
    func term(_ prefix: String, raw: String, fallback: String) -> String {
        let key = "\(prefix).\(raw)"
        let text = self(key)
        return text == key ? fallback : text
    }
}

/// The frame of the portal's pages: the reader's language on the document, a short navigation of
/// large links for the person whose pages these are, the language switch, and sign out.
enum PortalLayout {
    struct Place: Sendable {
        var person: Person?
        var shared: Set<SharedArea> = []
        var mayChooseSharing = false
        var current: String
    }

    static func page(_ req: Request, _ w: Words, title: String, place: Place, main: HTML, flash: String? = nil) -> HTML {
        let next = req.url.path
        var nav: [HTML] = []
        if let person = place.person, let id = person.id?.text {
            var items: [(String, String, Bool)] = [("home", "/my/\(id)", true)]
            items.append(("sign", "/my/\(id)/sign", place.shared.contains(.plan)))
            items.append(("ask", "/my/\(id)/ask", place.shared.contains(.plan)))
            items.append(("tell", "/my/\(id)/tell", true))
            items.append(("budget", "/my/\(id)/budget", place.shared.contains(.budget)))
            items.append(("record", "/my/\(id)/record", place.shared.contains(.record)))
            items.append(("who-looked", "/my/\(id)/who-looked", place.shared.contains(.record)))
            items.append(("sharing", "/my/\(id)/sharing", place.mayChooseSharing))
            nav = items.filter(\.2).map { key, href, _ in Layout.link(href, w("nav.\(key)"), current: place.current == key) }
        }
        nav.append(Layout.link("/my/settings", w("nav.settings"), current: place.current == "settings"))
        let other = PortalLanguage.allCases.filter { $0 != w.lang }
        let switches = other.map { language -> HTML in
            """
            <form method="post" action="/my/language" class="language-switch"><input type="hidden" name="\(CSRF.fieldName)" value="\(CSRF.token(for: req))">
            <input type="hidden" name="language" value="\(language.rawValue)"><input type="hidden" name="next" value="\(next)">
            <button type="submit" class="secondary" lang="\(language.htmlCode)">\(Messages.text("language.readIn", language))</button></form>
            """
        }
        let actor = req.actor
        let account: HTML = actor.map { actor in
            """
            <div class="account"><span>\(w("layout.signedInAs", ["name": actor.displayName]))</span>
            \(switches)
            <form method="post" action="/sign-out"><input type="hidden" name="\(CSRF.fieldName)" value="\(CSRF.token(for: req))">
            <button type="submit" class="button secondary">\(w("layout.signOut"))</button></form></div>
            """
        } ?? .empty
        let flashHTML: HTML = flash.map { "<div class=\"flash\" role=\"status\" data-drafts-saved>\($0)</div>" } ?? .empty
        let whose: HTML = place.person.map { HTML("<p class=\"whose\">\(w("layout.pagesOf", ["name": $0.displayName]))</p>") } ?? .empty
        return """
        \(Layout.documentStart(title: title, stylesheet: "/assets/lantern.css", lang: w.lang.htmlCode, script: "/assets/drafts.js"))
        <body class="portal">
        <a class="skip-link" href="#main">\(w("layout.skip"))</a>
        <header class="site-header">
        <p class="brand"><a href="/my">Lantern</a></p>
        <nav aria-label="\(w("layout.nav"))"><ul>\(nav)</ul></nav>
        \(account)
        </header>
        <main id="main" tabindex="-1">
        \(whose)
        \(flashHTML)
        \(main)
        </main>
        <footer class="site-footer"><p>\(w("layout.footer"))</p></footer>
        </body>
        </html>
        """
    }

    static func place(_ reader: PortalReader, _ current: String) -> Place {
        Place(person: reader.person, shared: reader.shared, mayChooseSharing: reader.mayChooseSharing, current: current)
    }

    /// A problem list at the top of a portal form, in the reader's language.
    static func errors(_ errors: [FieldError], _ w: Words) -> HTML {
        guard !errors.isEmpty else { return .empty }
        return """
        <div class="error-summary" role="alert" tabindex="-1" id="error-summary">
        <h2>\(w("form.fix"))</h2>
        <ul>\(errors.map { "<li><a href=\"#\(Form.fieldID($0.field))\">\($0.message)</a></li>" as HTML })</ul>
        </div>
        """
    }

    static func notShared(_ w: Words, _ person: Person) -> HTML {
        "<p class=\"card\">\(w("shared.not", ["name": person.displayName]))</p>"
    }
}

/// The portal's pages, each made for the person and family: short sentences, pictures with words,
/// large targets.
enum PortalViews {
    static func face(_ rating: SatisfactionRating) -> HTML {
        OutcomeViews.face(rating == .happy ? .goingWell : rating == .okay ? .okay : .notGoingWell)
    }

    // MARK: Choosing whose pages

    static func chooser(_ people: [Person], _ w: Words) -> HTML {
        let items = people.map { p -> HTML in "<li><a class=\"big-link\" href=\"/my/\(p.id!.text)\">\(p.displayName)</a></li>" }
        return """
        <h1>\(w("chooser.title"))</h1>
        \(people.isEmpty ? HTML("<p>\(w("chooser.none"))</p>") : HTML("<p>\(w("chooser.lead"))</p><ul class=\"big-links\">\(items)</ul>"))
        """
    }

    // MARK: Home

    static func home(_ h: PortalHome, _ w: Words) -> HTML {
        let r = h.reader, person = r.person, id = person.id!.text
        func words(_ text: String) -> HTML {
            if let t = h.translations[text] { return HTML("<span lang=\"\(w.lang.htmlCode)\">\(t)</span>") }
            return w.lang == .en ? HTML("\(text)") : HTML("<span lang=\"en\">\(text)</span>")
        }
        var todo: [HTML] = []
        if h.toSign > 0 { todo.append("<li><a class=\"big-link\" href=\"/my/\(id)/sign\">\(w("home.toSign", ["count": String(h.toSign)]))</a></li>") }
        if h.openRequests > 0 { todo.append("<li><a class=\"big-link\" href=\"/my/\(id)/ask\">\(w("home.openRequests", ["count": String(h.openRequests)]))</a></li>") }
        let todoHTML: HTML = todo.isEmpty ? .empty : "<section aria-labelledby=\"todo\" class=\"card attention\"><h2 id=\"todo\">\(w("home.todo"))</h2><ul class=\"big-links\">\(todo)</ul></section>"

        let planHTML: HTML
        if !r.sees(.plan) {
            planHTML = PortalLayout.notShared(w, person)
        } else if let plan = h.plan, let profile = h.profile {
            let parts = profile.parts.filter { $0.key != "outcomes" }.map { part -> HTML in
                """
                <section class="part" aria-labelledby="part-\(part.key)">
                <h3 id="part-\(part.key)">\(PlanDocumentViews.picture(part.key)) \(heading(part, w))</h3>
                <ul>\(part.items.map { "<li>\(words($0.text))</li>" as HTML })</ul>
                </section>
                """
            }
            let state = plan.planStatus == .active ? w("home.plan.inEffect", ["date": w.day(plan.effectiveStart)]) : w("home.plan.waiting")
            planHTML = """
            <p>\(state)</p>
            \(parts.isEmpty ? HTML("<p>\(w("home.plan.empty"))</p>") : HTML.join(parts))
            <p><a href="/plans/\(plan.id!.text)/print">\(w("home.plan.whole"))</a></p>
            """
        } else {
            planHTML = "<p>\(w("home.plan.none"))</p>"
        }

        let outcomesHTML: HTML
        if !r.sees(.outcomes) {
            outcomesHTML = PortalLayout.notShared(w, person)
        } else if let board = h.board, !board.outcomes.isEmpty {
            let items = board.outcomes.map { o -> HTML in
                let view = board.latestView[o.id]
                let last = o.steps.compactMap { board.lastEntry[$0.id] }.max()
                let feeling: HTML = view.map { v in
                    "<p class=\"own-view\">\(OutcomeViews.face(v.selfRating)) <span>\(w("home.outcome.said", ["feeling": w.term("feeling", v.selfRating), "date": w.day(v.saidOn)]))</span></p>"
                } ?? "<p>\(w("home.outcome.notSaid"))</p>"
                return """
                <li class="card outcome"><p class="step-name">\(words(o.text))</p>
                <p>\(w.term("outcomeStatus", o.status))\(o.targetDate.map { ". " + w("home.outcome.by", ["date": w.day($0)]) } ?? "").</p>
                \(feeling)
                <p>\(last.map { w("home.outcome.lastNews", ["date": w.day($0)]) } ?? w("home.outcome.noNews"))</p>
                <p><a href="/my/\(id)/tell#outcome-\(o.id)">\(w("home.outcome.tell"))</a></p></li>
                """
            }
            outcomesHTML = "<ul class=\"plain\">\(items)</ul>"
        } else {
            outcomesHTML = "<p>\(w("home.outcomes.none"))</p>"
        }

        let meetingHTML: HTML
        if !r.sees(.meetings) {
            meetingHTML = PortalLayout.notShared(w, person)
        } else if let m = h.nextMeeting {
            meetingHTML = """
            <p>\(w("home.meeting.when", ["date": w.day(m.meetsOn), "time": m.startsAt]))</p>
            <p>\(w("home.meeting.where", ["place": m.place]))</p>
            \(m.accommodations.isEmpty ? HTML.empty : HTML("<p>\(w("home.meeting.help"))</p><ul>\(m.accommodations.compactMap(Accommodation.init).map { "<li>\(w.term("accommodation", $0))</li>" as HTML })</ul>"))
            """
        } else {
            meetingHTML = "<p>\(w("home.meeting.none"))</p>"
        }

        let coordinatorHTML: HTML = h.coordinator.map { c in
            """
            <p>\(w("home.coordinator.is", ["name": c.displayName]))</p>
            <ul>
            <li>\(w("home.coordinator.email")) <a href="mailto:\(c.email)">\(c.email)</a></li>
            \(h.coordinatorPhone.map { HTML("<li>\(w("home.coordinator.phone")) <a href=\"tel:\($0.filter { $0.isNumber || $0 == "+" })\">\($0)</a></li>") } ?? .empty)
            </ul>
            """
        } ?? "<p>\(w("home.coordinator.none"))</p>"

        return """
        <h1>\(r.isSelf ? w("home.title.self") : w("home.title.other", ["name": person.displayName]))</h1>
        \(todoHTML)
        <section aria-labelledby="plan"><h2 id="plan">\(r.isSelf ? w("home.plan.self") : w("home.plan.other", ["name": person.displayName]))</h2>\(planHTML)</section>
        <section aria-labelledby="outcomes"><h2 id="outcomes">\(w("home.outcomes"))</h2>\(outcomesHTML)</section>
        <section aria-labelledby="meeting"><h2 id="meeting">\(w("home.meeting"))</h2>\(meetingHTML)</section>
        <section aria-labelledby="coordinator"><h2 id="coordinator">\(w("home.coordinator"))</h2>\(coordinatorHTML)</section>
        """
    }

    static func heading(_ part: PlanProfile.Part, _ w: Words) -> String {
        let child = part.heading.contains("our child") || part.heading.contains("our family")
        let key = "profile.\(part.key)" + (child ? ".child" : "")
        let text = w(key)
        return text == key ? part.heading : text
    }

    // MARK: Signing

    static func signing(_ s: PortalSigning, _ w: Words, errors: [FieldError], req: Request) -> HTML {
        let person = s.reader.person, id = person.id!.text
        guard let plan = s.plan else {
            return "<h1>\(w("sign.title"))</h1><p>\(w("sign.nothing"))</p>"
        }
        let version = w("sign.version", ["version": String(plan.versionNumber), "type": w.term("planType", plan.type)])
        let changes: HTML
        if let base = s.base {
            changes = s.changes.isEmpty
                ? "<p>\(w("sign.changes.none", ["version": String(base.versionNumber)]))</p>"
                : """
                  <p>\(w("sign.changes.lead", ["version": String(base.versionNumber)]))</p>
                  <ul class="changes">\(s.changes.map { "<li><strong>\(w.english($0.title))</strong>: \(w("change.\($0.change.rawValue)"))</li>" as HTML })</ul>
                  <p><a href="/plans/\(plan.id!.text)/compare">\(w("sign.changes.detail"))</a></p>
                  """
        } else {
            changes = "<p>\(w("sign.changes.first"))</p>"
        }
        let statusList = s.signatures.map { sig -> HTML in
            let state: String
            switch sig.signatureStatus {
            case .signed: state = w("sign.state.signed", ["date": sig.signedAt.map { w.day(CalendarDate($0)) } ?? ""])
            case .declined: state = w("sign.state.declined")
            default: state = w("sign.state.waiting")
            }
            let role = w.term("signer", sig.signerRole)
            return "<li><strong>\(sig.signerName)</strong> (\(role)\(sig.required ? "" : ", " + w("sign.optional"))): \(state)</li>"
        }
        let open = s.mine.filter { [.requested, .viewed].contains($0.signatureStatus) }
        let forms = open.map { sig -> HTML in
            let sid = sig.id!.text
            let forPerson = sig.signerRole != .person && !s.reader.isSelf
            return """
            <section class="card" aria-labelledby="sign-\(sid)">
            <h2 id="sign-\(sid)">\(forPerson ? w("sign.form.forPerson", ["name": person.displayName]) : w("sign.form.self"))</h2>
            <form method="post" action="/my/\(id)/sign/\(sid)" novalidate>
            \(Form.csrf(req))
            <div class="field checkbox\(errors.contains { $0.field == "agree" } ? HTML(unsafeRaw: " has-error") : .empty)">
            \(errors.first { $0.field == "agree" }.map { HTML("<p class=\"field-error\" id=\"field-agree-error\">\($0.message)</p>") } ?? .empty)
            <input id="field-agree" name="agree" type="checkbox" value="true"\(errors.contains { $0.field == "agree" } ? HTML(unsafeRaw: " aria-invalid=\"true\" aria-describedby=\"field-agree-error\"") : .empty)>
            <label for="field-agree">\(forPerson ? w("sign.agree.forPerson", ["name": person.displayName]) : w("sign.agree.self"))</label>
            </div>
            <div class="actions"><button type="submit">\(w("sign.submit"))</button></div>
            </form>
            <details\(errors.contains { $0.field == "reason" } ? HTML(unsafeRaw: " open") : .empty)><summary>\(w("sign.decline.open"))</summary>
            <form method="post" action="/my/\(id)/sign/\(sid)/decline" novalidate>
            \(Form.csrf(req))
            \(Form.text("reason", w("sign.decline.reason"), value: nil, errors: errors, hint: w("sign.decline.hint"), required: true, multiline: true, words: w.form))
            <div class="actions"><button type="submit" class="secondary">\(w("sign.decline.submit"))</button></div>
            </form></details>
            </section>
            """
        }
        let agreement: HTML = s.mayAddAgreement ? """
            <section class="card" aria-labelledby="agree-own">
            <h2 id="agree-own">\(w("sign.own.title"))</h2>
            <p>\(w("sign.own.lead"))</p>
            <form method="post" action="/my/\(id)/sign/agreement" novalidate>\(Form.csrf(req))<input type="hidden" name="planId" value="\(plan.id!.text)">
            <div class="actions"><button type="submit">\(w("sign.own.submit"))</button></div></form>
            </section>
            """ : .empty
        return """
        <h1>\(w("sign.title"))</h1>
        \(PortalLayout.errors(errors, w))
        <p class="lead">\(version). \(plan.planStatus == .awaitingSignatures ? w("sign.status.waiting") : w("sign.status.inEffect"))</p>
        <p><a class="big-link" href="/plans/\(plan.id!.text)/print">\(w("sign.read"))</a></p>
        <section aria-labelledby="changes"><h2 id="changes">\(w("sign.changes"))</h2>\(changes)</section>
        \(forms)
        \(agreement)
        \(open.isEmpty && !s.mayAddAgreement ? HTML("<p>\(w("sign.nothingForYou"))</p>") : .empty)
        <section aria-labelledby="who-signs"><h2 id="who-signs">\(w("sign.who"))</h2><ul>\(statusList)</ul></section>
        """
    }

    // MARK: Asking for a change

    static func requests(_ p: PortalRequests, _ w: Words, errors: [FieldError], input: [String: String], req: Request) -> HTML {
        let id = p.reader.person.id!.text
        let about = input["about"] ?? ""
        let form: HTML
        if p.plan == nil {
            form = "<p>\(w("ask.noPlan"))</p>"
        } else {
            let kinds = ChangeRequestKind.allCases.map { ($0.rawValue, w("ask.about.\($0.rawValue)")) }
            let services = p.services.map { ($0.id, $0.name) }
            form = """
            <form method="post" action="/my/\(id)/ask" novalidate data-drafts>
            \(Form.csrf(req))
            \(Form.choiceGroup("about", w("ask.about"), options: kinds, selected: [about], errors: errors, single: true, required: true, words: w.form))
            \(services.isEmpty ? HTML.empty : Form.choiceGroup("serviceId", w("ask.service"), options: services, selected: [input["serviceId"] ?? ""], errors: errors, hint: w("ask.service.hint"), single: true, words: w.form))
            \(Form.text("words", w("ask.words"), value: input["words"], errors: errors, hint: w("ask.words.hint"), required: true, multiline: true, words: w.form))
            <div class="actions"><button type="submit">\(w("ask.submit"))</button></div>
            </form>
            """
        }
        let list = p.requests.map { r -> HTML in
            let state: String
            switch r.requestStatus {
            case .open: state = w("ask.state.open", ["date": w.day(r.dueOn)])
            case .reviewStarted: state = w("ask.state.started")
            case .closed: state = w("ask.state.closed")
            }
            let what = r.aboutService.map { w("ask.list.service", ["service": $0]) } ?? w("ask.list.plan")
            return """
            <li class="card"><p><strong>\(w.day(r.requestedOn))</strong>: \(what). \(w("ask.list.by", ["name": r.requestedBy]))</p>
            \(r.reason.map { HTML("<p>“\($0)”</p>") } ?? .empty)
            <p class="request-state"><strong>\(state)</strong></p></li>
            """
        }
        return """
        <h1>\(w("ask.title"))</h1>
        <p class="lead">\(w("ask.lead"))</p>
        \(PortalLayout.errors(errors, w))
        \(form)
        <section aria-labelledby="asked"><h2 id="asked">\(w("ask.list"))</h2>
        \(list.isEmpty ? HTML("<p>\(w("ask.list.none"))</p>") : HTML("<ul class=\"plain\">\(list)</ul>"))</section>
        """
    }

    // MARK: Telling how it is going

    static func tell(_ reader: PortalReader, board: OutcomeBoard?, _ w: Words, errors: [FieldError], form: String?, req: Request) -> HTML {
        let id = reader.person.id!.text
        let respondent: SurveyRespondent = reader.isSelf ? .person : .family
        let questions = respondent.questions.map { q -> HTML in
            let name = "answer-\(q.id)"
            let choices = SatisfactionRating.allCases.reversed().map { rating -> HTML in
                let rid = "\(name)-\(rating.rawValue)"
                return "<div class=\"big-choice\"><input id=\"\(rid)\" name=\"\(name)\" type=\"radio\" value=\"\(rating.rawValue)\"><label for=\"\(rid)\">\(face(rating))<span>\(w("rating.\(rating.rawValue)"))</span></label></div>"
            }
            return "<fieldset class=\"field big-choices\"><legend>\(w("survey.\(respondent.rawValue).\(q.id)"))</legend><div class=\"choice-row\">\(choices)</div></fieldset>"
        }
        let survey: HTML = """
        <section aria-labelledby="survey"><h2 id="survey">\(w("tell.survey"))</h2>
        <p>\(w("tell.survey.lead"))</p>
        \(form == "survey" ? PortalLayout.errors(errors, w) : .empty)
        <form method="post" action="/my/\(id)/tell/survey" novalidate data-drafts>
        \(Form.csrf(req))
        <div id="field-answers">\(questions)</div>
        \(Form.text("comment", w("tell.comment"), value: nil, errors: [], hint: w("tell.comment.hint"), multiline: true, words: w.form))
        <div class="actions"><button type="submit">\(w("tell.survey.submit"))</button></div>
        </form></section>
        """
        var outcomes: HTML = .empty
        if reader.sees(.outcomes) {
            let items = (board?.outcomes ?? []).filter { [.notStarted, .inProgress].contains($0.status) }.map { o -> HTML in
                let name = "feeling"
                let choices = SelfRating.allCases.map { rating -> HTML in
                    let rid = "\(o.id)-\(rating.rawValue)"
                    return "<div class=\"big-choice\"><input id=\"\(rid)\" name=\"\(name)\" type=\"radio\" value=\"\(rating.rawValue)\"><label for=\"\(rid)\">\(OutcomeViews.face(rating))<span>\(w.term("feeling", rating))</span></label></div>"
                }
                return """
                <li class="card" id="outcome-\(o.id)">
                \(form == o.id ? PortalLayout.errors(errors, w) : .empty)
                <form method="post" action="/my/\(id)/tell/outcomes/\(o.id)" novalidate data-drafts>
                \(Form.csrf(req))
                <fieldset class="field big-choices" id="field-feeling-\(o.id)"><legend>\(w("tell.outcome.legend", ["outcome": o.text]))</legend><div class="choice-row">\(choices)</div></fieldset>
                \(Form.text("comment-\(o.id)", w("tell.outcome.comment"), value: nil, errors: [], multiline: true, words: w.form))
                <div class="actions"><button type="submit">\(w("tell.outcome.submit"))</button></div>
                </form></li>
                """
            }
            outcomes = """
            <section aria-labelledby="own-view"><h2 id="own-view">\(w("tell.outcomes"))</h2>
            \(items.isEmpty ? HTML("<p>\(w("home.outcomes.none"))</p>") : HTML("<ul class=\"plain\">\(items)</ul>"))</section>
            """
        }
        return """
        <h1>\(w("tell.title"))</h1>
        <p class="lead">\(w("tell.lead"))</p>
        \(survey)
        \(outcomes)
        """
    }

    // MARK: Budget

    static func budget(_ reader: PortalReader, record: PlanRecord?, spending: PersonRecords.Spending?, _ w: Words) -> HTML {
        guard let record, let spending else { return "<h1>\(w("budget.title"))</h1><p>\(w("budget.none"))</p>" }
        let budget = record.budget, names = record.names
        let rows = budget.lines.map { line -> HTML in
            let s = line.service
            let unit = line.catalogue?.unit
            let amount = s.units.map { n in
                w("budget.amount", ["amount": unit.map { w("unit.\($0.rawValue)", ["n": SectionSpec.plain(n)]) } ?? SectionSpec.plain(n),
                                    "interval": s.interval.map { w.term("interval", $0) } ?? ""])
            } ?? w("budget.notGiven")
            return """
            <tr><th scope="row">\(w.english(s.name))\(s.selfDirected ? HTML("<br><span class=\"tag\">\(w("budget.selfDirected"))</span>") : .empty)</th>
            <td>\(s.provider(names) ?? w("budget.notChosen"))</td><td>\(amount)</td>
            <td>\(s.fundingSource.map { w.term("funding", $0) } ?? w("budget.notGiven"))</td>
            <td class="number">\(line.problem == nil ? Money.text(line.cost) : w("budget.notCounted"))</td>
            <td class="number">\(spending.hasAuthorizations ? Money.text(spending.cost(s.id)) : "–")</td></tr>
            """
        }
        let payers = budget.byFunding.map { "<li>\($0.source.map { w.term("funding", $0) } ?? w("budget.notGiven")): <strong>\(Money.text($0.cost))</strong></li>" as HTML }
        let unpaid = budget.unpaid.map { "<li>\($0.name)\($0.provider(names).map { " (" + $0 + ")" } ?? "")</li>" as HTML }
        let plan = record.plan
        return """
        <h1>\(w("budget.title"))</h1>
        <p class="lead">\(w("budget.lead", ["from": w.day(plan.effectiveStart), "to": w.day(plan.effectiveEnd)]))</p>
        <p class="total">\(w("budget.total", ["total": Money.text(budget.total)]))</p>
        \(budget.lines.isEmpty ? HTML("<p>\(w("budget.noPaid"))</p>") : """
        <div class="table-wrap"><table>
        <caption>\(w("budget.table"))</caption>
        <thead><tr><th scope="col">\(w("budget.col.service"))</th><th scope="col">\(w("budget.col.from"))</th><th scope="col">\(w("budget.col.howMuch"))</th>
        <th scope="col">\(w("budget.col.pays"))</th><th scope="col" class="number">\(w("budget.col.cost"))</th><th scope="col" class="number">\(w("budget.col.used"))</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """)
        \(payers.isEmpty ? HTML.empty : HTML("<h2>\(w("budget.pays"))</h2><ul>\(payers)</ul>"))
        \(unpaid.isEmpty ? HTML.empty : HTML("<h2>\(w("budget.unpaid"))</h2><p>\(w("budget.unpaid.lead"))</p><ul>\(unpaid)</ul>"))
        """
    }

    // MARK: My record

    static func record(_ r: PortalRecord, _ w: Words, today: CalendarDate) -> HTML {
        let person = r.reader.person, id = person.id!.text
        let circle = r.circle.map { m -> HTML in "<li>\(m.name) (\(w.term("relationship", Relationship(rawValue: m.relationship) ?? .other)))</li>" }
        let plans = r.plans.reversed().map { item -> HTML in
            let p = item.plan
            let signed = item.signatures.filter { $0.signatureStatus == .signed }.map(\.signerName).joined(separator: ", ")
            return """
            <tr><th scope="row"><a href="/plans/\(p.id!.text)/print">\(w.term("planType", p.type)), \(w("record.version", ["n": String(p.versionNumber)]))</a></th>
            <td>\(w.term("planStatus", p.planStatus))</td><td>\(w.day(p.effectiveStart)) – \(w.day(p.effectiveEnd))</td><td>\(signed.isEmpty ? "–" : signed)</td></tr>
            """
        }
        let units = Dictionary(grouping: r.deliveries.filter { $0.withdrawnAt == nil }, by: { $0.$authorization.id }).mapValues { $0.reduce(0) { $0 + $1.units } }
        let services = r.authorizations.map { a -> HTML in
            """
            <tr><th scope="row">\(a.serviceName)</th><td>\(r.organizations[a.$organization.id] ?? "")</td><td>\(w.day(a.startsOn)) – \(w.day(a.endsOn))</td>
            <td class="number">\(a.units)</td><td class="number">\(SectionSpec.plain(units[a.id!] ?? 0))</td></tr>
            """
        }
        var steps: [String: String] = [:]
        for item in r.plans {
            for section in item.sections where section.sectionKey == "outcomes" {
                for o in PlannedOutcome.all(in: section.content) { for step in o.steps { steps[step.id] = step.text } }
            }
        }
        let progress = r.progress.filter { $0.withdrawnAt == nil }.suffix(200).reversed().map { e -> HTML in
            "<tr><td>\(w.day(e.entryDate))</td><td>\(steps[e.stepID] ?? e.stepID)</td><td>\(e.value.map(SectionSpec.plain) ?? "")\(e.note.map { " " + $0 } ?? "")</td></tr>"
        }
        let meetings = r.meetings.map { m -> HTML in "<li>\(w.day(m.meetsOn)), \(m.place): \(w.term("meetingStatus", m.meetingStatus))</li>" }
        return """
        <h1>\(w("record.title"))</h1>
        <p class="lead">\(w("record.lead", ["date": w.day(today)]))</p>
        <div class="actions screen-only"><a class="button" href="/my/\(id)/record.json" download>\(w("record.json"))</a>
        <button type="button" class="secondary" data-print hidden>\(w("record.print"))</button></div>
        <section aria-labelledby="about"><h2 id="about">\(w("record.about"))</h2>
        <dl class="facts"><dt>\(w("record.name"))</dt><dd>\(person.displayName)</dd><dt>\(w("record.birth"))</dt><dd>\(w.day(person.birthDate))</dd>
        <dt>\(w("record.language"))</dt><dd>\(person.primaryLanguage)</dd></dl></section>
        <section aria-labelledby="circle"><h2 id="circle">\(w("record.circle"))</h2><ul>\(circle)</ul></section>
        <section aria-labelledby="plans"><h2 id="plans">\(w("record.plans"))</h2>
        \(plans.isEmpty ? HTML("<p>–</p>") : HTML("<div class=\"table-wrap\"><table><caption>\(w("record.plans.caption"))</caption><thead><tr><th scope=\"col\">\(w("record.col.plan"))</th><th scope=\"col\">\(w("record.col.status"))</th><th scope=\"col\">\(w("record.col.dates"))</th><th scope=\"col\">\(w("record.col.signed"))</th></tr></thead><tbody>\(plans)</tbody></table></div>"))</section>
        <section aria-labelledby="services"><h2 id="services">\(w("record.services"))</h2>
        \(services.isEmpty ? HTML("<p>–</p>") : HTML("<div class=\"table-wrap\"><table><caption>\(w("record.services.caption"))</caption><thead><tr><th scope=\"col\">\(w("budget.col.service"))</th><th scope=\"col\">\(w("budget.col.from"))</th><th scope=\"col\">\(w("record.col.dates"))</th><th scope=\"col\" class=\"number\">\(w("record.col.units"))</th><th scope=\"col\" class=\"number\">\(w("record.col.delivered"))</th></tr></thead><tbody>\(services)</tbody></table></div>"))</section>
        <section aria-labelledby="progress"><h2 id="progress">\(w("record.progress"))</h2>
        <p>\(w("record.progress.count", ["count": String(r.progress.count)]))</p>
        \(progress.isEmpty ? HTML.empty : HTML("<div class=\"table-wrap\"><table><caption>\(w("record.progress.caption"))</caption><thead><tr><th scope=\"col\">\(w("record.col.date"))</th><th scope=\"col\">\(w("record.col.step"))</th><th scope=\"col\">\(w("record.col.value"))</th></tr></thead><tbody>\(progress)</tbody></table></div>"))</section>
        <section aria-labelledby="meetings"><h2 id="meetings">\(w("record.meetings"))</h2>\(meetings.isEmpty ? HTML("<p>–</p>") : HTML("<ul>\(meetings)</ul>"))</section>
        <section aria-labelledby="more"><h2 id="more">\(w("record.more"))</h2>
        <p>\(w("record.more.lead", ["requests": String(r.requests.count), "views": String(r.views.count), "surveys": String(r.surveys.count)]))</p></section>
        """
    }

    // MARK: Who looked

    static func whoLooked(_ lines: [AccessLogLine], next: Int?, offset: Int, id: String, _ w: Words) -> HTML {
        let rows = lines.map { line -> HTML in
            let e = line.entry
            let action = w.term("audit.action", raw: e.action, fallback: e.action)
            let what = w.term("audit.category", raw: e.category, fallback: e.category)
            let stopped: HTML = e.outcome == AuditOutcome.denied.rawValue ? HTML(" <strong>\(w("who.stopped"))</strong>") : .empty
            return "<tr><td>\(w.moment(e.at))</td><td>\(line.who)\(line.role.map { " (" + w.term("role", $0) + ")" } ?? "")</td><td>\(action): \(what)\(stopped)</td></tr>"
        }
        let pager: HTML = """
        <nav aria-label="\(w("who.pages"))"><ul class="links">
        \(offset > 0 ? HTML("<li><a href=\"/my/\(id)/who-looked?from=\(max(0, offset - 50))\">\(w("who.newer"))</a></li>") : .empty)
        \(next.map { HTML("<li><a href=\"/my/\(id)/who-looked?from=\($0)\">\(w("who.older"))</a></li>") } ?? .empty)
        </ul></nav>
        """
        return """
        <h1>\(w("who.title"))</h1>
        <p class="lead">\(w("who.lead"))</p>
        \(rows.isEmpty ? HTML("<p>\(w("who.none"))</p>") : HTML("<div class=\"table-wrap\"><table><caption>\(w("who.caption"))</caption><thead><tr><th scope=\"col\">\(w("who.col.when"))</th><th scope=\"col\">\(w("who.col.who"))</th><th scope=\"col\">\(w("who.col.what"))</th></tr></thead><tbody>\(rows)</tbody></table></div>"))
        \(pager)
        """
    }

    // MARK: Sharing and settings

    static func sharing(_ reader: PortalReader, members: [CircleMember], _ w: Words, req: Request) -> HTML {
        let id = reader.person.id!.text
        let forms = members.map { m -> HTML in
            let options = SharedArea.allCases.map { ($0.rawValue, w("share.area.\($0.rawValue)")) }
            return """
            <section class="card" aria-labelledby="member-\(m.id!.text)">
            <h2 id="member-\(m.id!.text)">\(m.name)</h2>
            <form method="post" action="/my/\(id)/sharing/\(m.id!.text)" novalidate>
            \(Form.csrf(req))
            <input type="hidden" name="shared" value="">
            \(Form.choiceGroup("shared", w("share.legend", ["name": m.name]), options: options, selected: m.sharedAreas.map(\.rawValue), errors: [], words: w.form))
            <div class="actions"><button type="submit">\(w("share.submit"))</button></div>
            </form></section>
            """
        }
        return """
        <h1>\(w("share.title"))</h1>
        <p class="lead">\(w("share.lead"))</p>
        \(forms.isEmpty ? HTML("<p>\(w("share.none"))</p>") : HTML.join(forms))
        """
    }

    static func settings(_ w: Words, req: Request) -> HTML {
        let options = PortalLanguage.allCases.map { ($0.rawValue, $0.name) }
        return """
        <h1>\(w("settings.title"))</h1>
        <form method="post" action="/my/settings" novalidate>
        \(Form.csrf(req))
        \(Form.choiceGroup("language", w("settings.language"), options: options, selected: [w.lang.rawValue], errors: [], hint: w("settings.language.hint"), single: true, words: w.form))
        <div class="actions"><button type="submit">\(w("settings.submit"))</button></div>
        </form>
        """
    }
}

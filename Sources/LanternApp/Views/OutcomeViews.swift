import Foundation
import Vapor

enum OutcomePaths {
    static func summary(_ person: String) -> String { "/people/\(person)/outcomes" }
    static func outcome(_ person: String, _ id: String) -> String { "/people/\(person)/outcomes/\(id)" }
    static func record(_ person: String, _ id: String, _ step: String) -> String { outcome(person, id) + "/steps/\(step)/record" }
    static func review(_ person: String, _ id: String) -> String { outcome(person, id) + "/review" }
    static func ownView(_ person: String, _ id: String) -> String { outcome(person, id) + "/how-it-is-going" }
    static func withdraw(_ person: String, _ id: String, _ entry: String) -> String { outcome(person, id) + "/entries/\(entry)/withdraw" }
}

/// The pages of outcomes and progress: the summary across a person's outcomes, one outcome with its
/// charts, and the forms to record progress, review an outcome and say how it is going.
enum OutcomeViews {
    // MARK: Pictures

    /// A face for the three-point scale. Decorative: the words beside it say the same.
    static func face(_ rating: SelfRating) -> HTML {
        let mouth: String
        switch rating {
        case .goingWell: mouth = "M14 28 Q24 37 34 28"
        case .okay: mouth = "M15 31 L33 31"
        case .notGoingWell: mouth = "M14 34 Q24 25 34 34"
        }
        let fill = rating == .goingWell ? "#ffe08a" : rating == .okay ? "#e8e8e8" : "#cfe0f5"
        return HTML(unsafeRaw: """
        <svg class="face" viewBox="0 0 48 48" width="48" height="48" aria-hidden="true" focusable="false">\
        <circle cx="24" cy="24" r="21" fill="\(fill)" stroke="#1f1f1f" stroke-width="2"/>\
        <circle cx="17" cy="19" r="2.6" fill="#1f1f1f"/><circle cx="31" cy="19" r="2.6" fill="#1f1f1f"/>\
        <path d="\(mouth)" fill="none" stroke="#1f1f1f" stroke-width="2.6" stroke-linecap="round"/></svg>
        """)
    }

    static func viewLine(_ view: OutcomeSelfView) -> HTML {
        """
        <p class="own-view">\(face(view.selfRating)) <span><strong>\(view.selfRating.label)</strong> (said on \(view.saidOn)\(view.helpedBy.map { ", with help from \($0)" } ?? ""))\(view.comment.map { HTML(": “\($0)”") } ?? .empty)</span></p>
        """
    }

    static func flagList(_ board: OutcomeBoard, _ flagged: [(PlannedOutcome, ActionStep, [ProgressFlag])], personID: String) -> HTML {
        if flagged.isEmpty { return .empty }
        let items = flagged.map { o, s, flags -> HTML in
            "<li><a href=\"\(OutcomePaths.outcome(personID, o.id))\">\(o.text)</a>: \(s.text) <strong>\(flags.map(OutcomeText.flagSentence).joined(separator: " "))</strong></li>"
        }
        return """
        <section aria-labelledby="attention" class="card attention">
        <h2 id="attention">Needs attention</h2>
        <p>Steps with nothing recorded for more than \(board.quietDays) days, or whose latest entries move away from the target.</p>
        <ul>\(items)</ul>
        </section>
        """
    }

    static func stepFacts(_ step: ActionStep, board: OutcomeBoard) -> HTML {
        """
        <dl class="facts">
        \(Views.fact("Who does it", OutcomeText.responsible(step, names: board.names)))
        \(Views.fact("Paid support", step.paid.map(Views.yesNo)))
        \(Views.fact("How often", step.frequency))
        \(Views.fact("When", step.schedule))
        \(Views.fact("By when", step.byDate?.description))
        \(Views.fact("How progress is measured", step.measure.label))
        \(Views.fact("Target", step.target.map(step.measure.format)))
        \(Views.fact("Latest", OutcomeText.latest(step, board: board)))
        </dl>
        """
    }

    // MARK: Across people

    static func attention(_ page: AttentionPage, first: Bool) -> HTML {
        let items = page.items
        let quiet = items.first?.board.quietDays
        let rows = items.flatMap { item in
            item.flagged.map { o, s, flags -> HTML in
                let pid = item.person.id!.text
                return """
                <tr><th scope="row"><a href="\(OutcomePaths.summary(pid))">\(item.person.displayName)</a></th>\
                <td><a href="\(OutcomePaths.outcome(pid, o.id))">\(o.text)</a></td><td>\(s.text)</td>\
                <td>\(flags.map(OutcomeText.flagSentence).joined(separator: " "))</td><td>\(OutcomeText.latest(s, board: item.board))</td></tr>
                """
            }
        }
        return """
        <h1>Outcomes that need attention</h1>
        <p>Action steps of the plans in effect, for the people you support, with nothing recorded for more than \(quiet.map(String.init) ?? "the set number of") days, or whose latest entries move away from the target.</p>
        \(page.total > page.checked || !first ? HTML("<p>\(first ? "Checked the first" : "Checked") \(page.checked) of the \(page.total) people in services, in name order.\(page.nextCursor.map { HTML(" <a href=\"/outcomes/attention?cursor=\($0)\">Check the next \(PersonRecords.attentionPeoplePerPage)</a>") } ?? "") \(first ? "" : HTML("<a href=\"/outcomes/attention\">Back to the start</a>"))</p>") : .empty)
        \(rows.isEmpty ? HTML("<p>Nothing needs attention \(page.total > page.checked ? "among these people" : "now").</p>") : """
        <div class="table-wrap"><table>
        <caption>\(rows.count == 1 ? "1 step" : "\(rows.count) steps") for \(items.count == 1 ? "1 person" : "\(items.count) people")</caption>
        <thead><tr><th scope="col">Person</th><th scope="col">Outcome</th><th scope="col">Step</th><th scope="col">Why</th><th scope="col">Latest</th></tr></thead>
        <tbody>\(HTML.join(rows))</tbody>
        </table></div>
        """)
        """
    }

    // MARK: Summary

    static func summary(_ req: Request, _ board: OutcomeBoard, policy: AccessPolicy) -> HTML {
        let personID = board.person.id!.text
        let name = board.person.displayName
        guard let plan = board.plan else {
            return """
            <h1>\(name)'s outcomes</h1>
            <p><a href="/people/\(personID)">Back to \(name)</a></p>
            <p>\(name) has no plan in effect. Outcomes and their progress show here once a plan is signed.</p>
            """
        }
        let sections = board.outcomes.enumerated().map { index, o -> HTML in
            let rows = o.steps.map { s -> HTML in
                let flags = board.flags(s, of: o)
                return """
                <tr><td>\(s.text)</td><td>\(OutcomeText.responsible(s, names: board.names))</td><td>\(s.frequency ?? "")</td>\
                <td>\(s.measure.label)\(s.target.map { HTML("; target \(s.measure.format($0))") } ?? .empty)</td>\
                <td>\(OutcomeText.latest(s, board: board))\(flags.isEmpty ? HTML.empty : HTML("<br><strong class=\"flag\">\(flags.map(OutcomeText.flagSentence).joined(separator: " "))</strong>"))</td>\
                <td>\(policy.mayRecord(on: s) ? HTML("<a href=\"\(OutcomePaths.record(personID, o.id, s.id))\">Record<span class=\"visually-hidden\"> progress on: \(s.text)</span></a>") : .empty)</td></tr>
                """
            }
            return """
            <section aria-labelledby="outcome-\(index + 1)" class="outcome">
            <h2 id="outcome-\(index + 1)"><a href="\(OutcomePaths.outcome(personID, o.id))">\(o.text)</a></h2>
            <dl class="facts">
            \(Views.fact("Life area", o.lifeDomain?.label))
            \(Views.fact("Status", o.status.label))
            \(Views.fact("Target date", o.targetDate?.description))
            </dl>
            \(board.latestView[o.id].map(viewLine) ?? .empty)
            \(o.steps.isEmpty ? HTML("<p>No action steps \(policy.seesWholeOutcomes ? "yet" : "for your organisation").</p>") : """
            <div class="table-wrap"><table>
            <caption>Action steps for: \(o.text)</caption>
            <thead><tr><th scope="col">Step</th><th scope="col">Who</th><th scope="col">How often</th><th scope="col">Measured by</th><th scope="col">Latest</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>\(rows)</tbody>
            </table></div>
            """)
            </section>
            """
        }
        return """
        <h1>\(name)'s outcomes</h1>
        <p><a href="/people/\(personID)">Back to \(name)</a> · From the plan in effect: <a href="\(PlanPaths.overview(plan.id!.text))">\(plan.title)</a></p>
        \(policy.seesWholeOutcomes ? flagList(board, board.flagged, personID: personID) : .empty)
        \(board.outcomes.isEmpty ? HTML("<p>\(policy.seesWholeOutcomes ? "The plan in effect has no outcomes with ids yet. Save its outcomes section in a new version to track progress." : "None of the plan's action steps are given to your organisation.")</p>") : HTML.join(sections))
        """
    }

    // MARK: One outcome

    static func detail(_ req: Request, _ d: OutcomeDetail, policy: AccessPolicy) -> HTML {
        let personID = d.board.person.id!.text
        let o = d.outcome
        let charts = Dictionary(OutcomeCharts.make(d).map { ($0.step.id, $0.chart) }, uniquingKeysWith: { a, _ in a })
        let steps = o.steps.enumerated().map { index, s -> HTML in
            let entries = d.latest[s.id] ?? []
            let chart: HTML = charts[s.id].map { chart in
                let rows = chart.points.map { p in "<tr><td>\(chart.weekly ? "Week of \(p.date)" : p.date.description)</td><td>\(chart.weekly && s.measure == .yesNo ? "\(ProgressMeasure.percentage.format(p.value)) yes" : s.measure.format(p.value))</td></tr>" as HTML }
                return """
                <figure class="chart">
                \(HTML(unsafeRaw: chart.svg))
                <figcaption>\(chart.summary)</figcaption>
                </figure>
                \(chart.points.isEmpty ? HTML.empty : """
                <details><summary>The numbers in the chart</summary>
                <div class="table-wrap"><table>
                <caption>\(chart.weekly ? "Weekly \(s.measure == .yesNo ? "share of yes" : "average")" : "Each entry") for step \(index + 1)</caption>
                <thead><tr><th scope="col">\(chart.weekly ? "Week" : "Date")</th><th scope="col">Value</th></tr></thead>
                <tbody>\(rows)</tbody>
                </table></div>
                </details>
                """)
                """
            } ?? .empty
            let notes = entries.map { e -> HTML in
                let withdraw: HTML = policy.mayWithdraw(recordedBy: e.recordedByID, organization: e.organizationID)
                    ? "<a href=\"\(OutcomePaths.withdraw(personID, o.id, e.id!.text))\">Withdraw<span class=\"visually-hidden\"> the entry of \(e.entryDate)</span></a>" : .empty
                return "<tr><td>\(e.entryDate)</td><td>\(e.value.map(s.measure.format) ?? "")</td><td>\(e.note ?? "")</td><td>\(d.recorders[e.recordedByID] ?? "Someone no longer here")</td><td>\(withdraw)</td></tr>"
            }
            return """
            <section aria-labelledby="step-\(index + 1)" class="step">
            <h2 id="step-\(index + 1)">Step \(index + 1): \(s.text)</h2>
            \(stepFacts(s, board: d.board))
            \(policy.mayRecord(on: s) ? HTML("<p><a class=\"button\" href=\"\(OutcomePaths.record(personID, o.id, s.id))\">Record progress<span class=\"visually-hidden\"> on step \(index + 1)</span></a></p>") : .empty)
            \(chart)
            \(notes.isEmpty ? HTML("<p>Nothing recorded yet.</p>") : """
            <div class="table-wrap"><table>
            <caption>Latest entries for step \(index + 1), newest first</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Value</th><th scope="col">Note</th><th scope="col">Recorded by</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>\(notes)</tbody>
            </table></div>
            """)
            </section>
            """
        }
        let views: HTML = policy.seesWholeOutcomes ? """
        <section aria-labelledby="own-view">
        <h2 id="own-view">How it is going, in \(d.board.person.displayName)'s words</h2>
        \(d.views.isEmpty ? HTML("<p>Nothing said yet.</p>") : HTML.join(d.views.prefix(5).map(viewLine)))
        \(policy.roleAllows(.giveOwnView) ? HTML("<p><a href=\"\(OutcomePaths.ownView(personID, o.id))\">Say how it is going</a></p>") : .empty)
        </section>
        """ : .empty
        let reviews: HTML = policy.seesWholeOutcomes ? """
        <section aria-labelledby="reviews">
        <h2 id="reviews">Reviews by the coordinator</h2>
        \(d.reviews.isEmpty ? HTML("<p>No review yet.</p>") : HTML.join(d.reviews.map { r in
            """
            <div class="card"><h3>Review of \(r.reviewedOn)</h3><dl class="facts">
            \(Views.fact("What is working", r.working))\(Views.fact("What is not working", r.notWorking))\(Views.fact("Next steps", r.nextSteps))
            \(Views.fact("By", d.recorders[r.recordedByID]))
            </dl></div>
            """ as HTML
        }))
        \(policy.roleAllows(.reviewProgress) ? HTML("<p><a href=\"\(OutcomePaths.review(personID, o.id))\">Review this outcome</a></p>") : .empty)
        </section>
        """ : .empty
        let services: HTML = policy.seesWholeOutcomes ? """
        <section aria-labelledby="services">
        <h2 id="services">Services that support it</h2>
        \(d.services.isEmpty ? HTML("<p>No service in the plan names this outcome.</p>") : HTML("<ul>\(d.services.map { s in "<li>\(s.text("service") ?? "")\(s.text("provider").map { HTML(", from \($0)") } ?? .empty)</li>" as HTML })</ul>"))
        </section>
        """ : .empty
        return """
        <h1>\(o.text)</h1>
        <p><a href="\(OutcomePaths.summary(personID))">All of \(d.board.person.displayName)'s outcomes</a></p>
        <dl class="facts">
        \(Views.fact("In the person's own words", Views.yesNo(o.inOwnWords)))
        \(Views.fact("Life area", o.lifeDomain?.label))
        \(Views.fact("How we will know", o.measure))
        \(Views.fact("Start date", o.startDate?.description))
        \(Views.fact("Target date", o.targetDate?.description))
        \(Views.fact("Status", o.status.label))
        \(o.statusReason.map { Views.fact("Why it changed or stopped", $0) } ?? .empty)
        </dl>
        \(policy.seesWholeOutcomes ? flagList(d.board, d.board.flagged.filter { $0.0.id == o.id }, personID: personID) : .empty)
        \(views)
        \(HTML.join(steps))
        \(services)
        \(reviews)
        """
    }

    // MARK: Forms

    /// Made for a phone: one value, today's date already filled in, a note, one big button.
    static func recordForm(_ req: Request, board: OutcomeBoard, outcome: PlannedOutcome, step: ActionStep, echo: [String: String], errors: [FieldError]) -> HTML {
        let personID = board.person.id!.text
        let action = OutcomePaths.record(personID, outcome.id, step.id)
        let value: HTML
        switch step.measure {
        case .yesNo:
            value = bigChoice("value", "Did it happen?", [("yes", "Yes"), ("no", "No")], value: echo["value"], errors: errors)
        case .rating:
            value = bigChoice("value", "Rating", (1...5).map { ("\($0)", "\($0)") }, value: echo["value"], errors: errors,
                              hint: "1 is the lowest, 5 the highest.")
        case .narrative:
            value = .empty
        case .count, .percentage, .duration:
            let label = step.measure == .count ? "How many" : step.measure == .percentage ? "Percentage of opportunities" : "How many minutes"
            value = Form.text("value", label, value: echo["value"], errors: errors,
                              hint: step.target.map { "The target is \(step.measure.format($0))." }, required: true, inputMode: "decimal")
        }
        return """
        <h1>Record progress</h1>
        <p class="step-name">\(step.text)</p>
        <p><a href="\(OutcomePaths.outcome(personID, outcome.id))">Back to the outcome</a></p>
        \(Form.errorSummary(errors))
        <form method="post" action="\(action)" novalidate class="quick">\(Form.csrf(req))
        \(Form.text("date", "Date", value: echo["date"] ?? board.today.description, errors: errors, required: true, type: "date"))
        \(value)
        \(Form.text("note", step.measure == .narrative ? "What happened" : "Note", value: echo["note"], errors: errors,
                    hint: step.measure == .narrative ? nil : "Optional. What helped, what got in the way.", required: step.measure == .narrative, multiline: true))
        <div class="actions"><button type="submit">Save</button></div>
        </form>
        """
    }

    /// Radios as large targets, in a fieldset so the question is read first.
    static func bigChoice(_ name: String, _ legend: String, _ options: [(String, String)], value: String?, errors: [FieldError], hint: String? = nil,
                          pictures: [String: HTML] = [:]) -> HTML {
        let error = errors.first { $0.field == name }?.message
        let base = Form.fieldID(name)
        let radios = options.map { v, text -> HTML in
            """
            <div class="big-choice"><input id="\(base)-\(v)" name="\(name)" type="radio" value="\(v)"\(value == v ? HTML(unsafeRaw: " checked") : .empty)>\
            <label for="\(base)-\(v)">\(pictures[v] ?? .empty)<span>\(text)</span></label></div>
            """
        }
        let described = [hint.map { _ in base + "-hint" }, error.map { _ in base + "-error" }].compactMap { $0 }
        return """
        <fieldset class="field big-choices\(error != nil ? HTML(unsafeRaw: " has-error") : .empty)" id="\(base)"\(described.isEmpty ? HTML.empty : " aria-describedby=\"\(described.joined(separator: " "))\"")>
        <legend>\(legend)</legend>
        \(hint.map { HTML("<p class=\"hint\" id=\"\(base)-hint\">\($0)</p>") } ?? .empty)
        \(error.map { HTML("<p class=\"field-error\" id=\"\(base)-error\"><span class=\"visually-hidden\">Error: </span>\($0)</p>") } ?? .empty)
        <div class="choice-row">\(radios)</div>
        </fieldset>
        """
    }

    /// Withdrawing a wrong entry: what it said, and why it is withdrawn.
    static func withdrawForm(_ req: Request, board: OutcomeBoard, outcome: PlannedOutcome, step: ActionStep?, entry: ProgressEntry,
                             echo: [String: String], errors: [FieldError]) -> HTML {
        let personID = board.person.id!.text
        return """
        <h1>Withdraw an entry</h1>
        <p><a href="\(OutcomePaths.outcome(personID, outcome.id))">Back to the outcome</a></p>
        \(Form.errorSummary(errors))
        <dl class="facts">
        \(Views.fact("Step", step?.text ?? "A step no longer in the plan"))
        \(Views.fact("Date", entry.entryDate))
        \(Views.fact("Value", entry.value.map { step?.measure.format($0) ?? SectionSpec.plain($0) }))
        \(Views.fact("Note", entry.note))
        </dl>
        <p>The entry stays in the record, marked withdrawn with your reason, and no longer counts in the charts.</p>
        <form method="post" action="\(OutcomePaths.withdraw(personID, outcome.id, entry.id!.text))" novalidate>\(Form.csrf(req))
        \(Form.text("reason", "Why it is withdrawn", value: echo["reason"], errors: errors, hint: "For example: recorded for the wrong day.", required: true, multiline: true))
        <div class="actions"><button type="submit">Withdraw the entry</button></div>
        </form>
        """
    }

    static func reviewForm(_ req: Request, board: OutcomeBoard, outcome: PlannedOutcome, echo: [String: String], errors: [FieldError]) -> HTML {
        let personID = board.person.id!.text
        return """
        <h1>Review: \(outcome.text)</h1>
        <p><a href="\(OutcomePaths.outcome(personID, outcome.id))">Back to the outcome</a></p>
        \(Form.errorSummary(errors))
        <form method="post" action="\(OutcomePaths.review(personID, outcome.id))" novalidate>\(Form.csrf(req))
        \(Form.text("reviewedOn", "Date of the review", value: echo["reviewedOn"] ?? board.today.description, errors: errors, required: true, type: "date"))
        \(Form.text("working", "What is working", value: echo["working"], errors: errors, required: true, multiline: true))
        \(Form.text("notWorking", "What is not working", value: echo["notWorking"], errors: errors, required: true, multiline: true))
        \(Form.text("nextSteps", "Next steps", value: echo["nextSteps"], errors: errors, hint: "What the team will do next, and who does it.", required: true, multiline: true))
        <div class="actions"><button type="submit">Save the review</button></div>
        </form>
        """
    }

    static func ownViewForm(_ req: Request, board: OutcomeBoard, outcome: PlannedOutcome, echo: [String: String], errors: [FieldError]) -> HTML {
        let personID = board.person.id!.text
        let pictures = Dictionary(uniqueKeysWithValues: SelfRating.allCases.map { ($0.rawValue, face($0)) })
        return """
        <h1>How is it going?</h1>
        <p class="step-name">\(outcome.text)</p>
        <p><a href="\(OutcomePaths.outcome(personID, outcome.id))">Back</a></p>
        \(Form.errorSummary(errors))
        <form method="post" action="\(OutcomePaths.ownView(personID, outcome.id))" novalidate class="quick">\(Form.csrf(req))
        \(bigChoice("feeling", "How is it going?", SelfRating.allCases.map { ($0.rawValue, $0.label) }, value: echo["feeling"], errors: errors, pictures: pictures))
        \(Form.text("comment", "Anything you want to say", value: echo["comment"], errors: errors, multiline: true))
        \(Form.text("helpedBy", "Who helped you say it", value: echo["helpedBy"], errors: errors, hint: "Leave empty if no one helped."))
        <div class="actions"><button type="submit">Save</button></div>
        </form>
        """
    }
}

import LanternDomain
import Vapor

/// Pages of a person's intake, planning meetings, satisfaction and decisions.
enum PersonCoordinationViews {
    static func back(_ person: Person) -> HTML { "<p><a href=\"/people/\(person.id!.text)\">Back to \(person.displayName)'s page</a></p>" }

    // MARK: Intake

    static func intake(_ req: Request, _ person: Person, _ referrals: [Referral], today: CalendarDate, mayWrite: Bool,
                       echo: [String: [String]], errors: [FieldError]) -> HTML {
        let id = person.id!.text
        func v(_ name: String) -> String? { echo[name]?.first }
        let engine = try? RuleEngine(library: RulePackLibrary.shared.get())
        let items = referrals.map { r -> HTML in
            let deadlines = engine?.intakeDeadlines(for: r.type) ?? []
            let due = deadlines.map { d -> HTML in
                let anchor = d.from == .referral ? r.referredOn : r.assessedOn
                let day = anchor.flatMap(CalendarDate.init)?.adding(days: d.withinDays)
                let what = d.step == .eligibility ? "Eligibility decided" : "First \(r.type.shortLabel) meeting held"
                return "<li>\(what) within \(d.withinDays) days of the \(d.from == .referral ? "referral" : "assessment")\(day.map { ": by \($0.description)" } ?? " (counted once the assessment is done)") <span class=\"citation\">(\(d.citation))</span></li>"
            }
            let decision: HTML = r.eligibility.map { e in
                HTML("<p><strong>\(e.label)</strong>, decided on \(r.decidedOn ?? "") after the assessment of \(r.assessedOn ?? "")\(r.decisionBasis.map { ": \($0)" } ?? "").</p>")
            } ?? (mayWrite ? HTML("""
            <form method="post" action="/people/\(id)/intake/\(r.id!.text)/eligibility" novalidate class="card">
            <h3>Record the eligibility decision</h3>
            \(Form.csrf(req))
            \(Form.text("assessedOn", "Day the assessment was completed", value: v("assessedOn"), errors: errors, required: true, type: "date"))
            \(Form.select("decision", "Decision", EligibilityDecision.self, value: v("decision"), errors: errors, required: true))
            \(Form.text("decidedOn", "Day of the decision", value: v("decidedOn") ?? today.description, errors: errors, required: true, type: "date"))
            \(Form.text("decisionBasis", "What the decision rests on", value: v("decisionBasis"), errors: errors, hint: "Needed when the person is not eligible: they are told why, and how to appeal.", multiline: true))
            <div class="actions"><button type="submit">Save the decision</button></div>
            </form>
            """) : HTML("<p>Waiting for the eligibility decision.</p>"))
            return """
            <article class="card"><h3>Referral of \(r.referredOn) for the \(r.type.shortLabel)</h3>
            <p>Referred by \(r.referrerName) (\(ReferralSource(rawValue: r.source)?.label.lowercased() ?? r.source))\(r.referrerContact.map { ", \($0)" } ?? ""). Why: \(r.reason)</p>
            \(deadlines.isEmpty ? HTML("<p>The rules for this plan type set no intake time limit.</p>") : HTML("<ul>\(due)</ul>"))
            \(decision)
            </article>
            """
        }
        let open = referrals.contains { $0.decision == nil }
        let form: HTML = mayWrite && !open && person.status != PersonStatus.exited.rawValue ? """
        <section aria-labelledby="new-referral"><h2 id="new-referral">Record a referral</h2>
        <form method="post" action="/people/\(id)/intake" novalidate>
        \(Form.csrf(req))
        \(Form.select("planType", "Program the person is referred to", PlanType.self, value: v("planType"), errors: errors, required: true))
        \(Form.text("referredOn", "Day the referral was received", value: v("referredOn") ?? today.description, errors: errors, required: true, type: "date"))
        \(Form.select("source", "Who referred", ReferralSource.self, value: v("source"), errors: errors, required: true))
        \(Form.text("referrerName", "Name of who referred", value: v("referrerName"), errors: errors, required: true))
        \(Form.text("referrerContact", "How to reach who referred", value: v("referrerContact"), errors: errors, hint: "A phone number or an email address."))
        \(Form.text("reason", "Why the person was referred", value: v("reason"), errors: errors, required: true, multiline: true))
        <div class="actions"><button type="submit">Save the referral</button></div>
        </form></section>
        """ : .empty
        return """
        <h1>Intake for \(person.displayName)</h1>
        \(back(person))
        <p class="lead">A referral starts the clock: the rules of the program set how soon eligibility is decided and the first plan meeting is held. The deadlines show on the coordinator's task list.</p>
        \(Form.errorSummary(errors))
        <section aria-labelledby="referrals"><h2 id="referrals">Referrals</h2>
        \(referrals.isEmpty ? HTML("<p>No referral recorded.</p>") : HTML.join(items))
        </section>
        \(form)
        """
    }

    // MARK: Meetings

    static func circleOptions(_ circle: [CircleMember]) -> [(value: String, label: String)] {
        circle.map { ($0.id!.text, "\($0.name) (\(Relationship(rawValue: $0.relationship)?.label.lowercased() ?? $0.relationship))") }
    }

    static func meetings(_ req: Request, _ person: Person, _ rows: [PlanningMeeting], circle: [CircleMember], today: CalendarDate, mayWrite: Bool,
                         echo: [String: [String]], errors: [FieldError]) -> HTML {
        let id = person.id!.text
        func v(_ name: String) -> String? { echo[name]?.first }
        let list = rows.map { m -> HTML in
            "<tr><th scope=\"row\"><a href=\"/people/\(id)/meetings/\(m.id!.text)\">\(m.meetsOn) at \(m.startsAt)</a></th><td>\(m.place)</td><td>\(m.meetingStatus.label)</td><td>\(m.facilitator)</td></tr>"
        }
        let form: HTML = mayWrite ? """
        <section aria-labelledby="plan-meeting"><h2 id="plan-meeting">Plan a meeting</h2>
        <p>\(person.displayName) chooses when and where the meeting is, and who comes.</p>
        \(Form.errorSummary(errors))
        <form method="post" action="/people/\(id)/meetings" novalidate>
        \(Form.csrf(req))
        \(Form.text("meetsOn", "Day", value: v("meetsOn"), errors: errors, required: true, type: "date"))
        \(Form.text("startsAt", "Time it starts", value: v("startsAt"), errors: errors, hint: "On the 24-hour clock, for example 14:30.", required: true, type: "time"))
        \(Form.text("place", "Place", value: v("place"), errors: errors, required: true))
        \(Form.checkbox("chosenByPerson", "\(person.displayName) chose the day, time and place", checked: v("chosenByPerson") == "true", errors: errors))
        \(Form.text("facilitator", "Who leads the meeting", value: v("facilitator"), errors: errors, hint: "The person, their coordinator or a facilitator they chose.", required: true))
        \(circle.isEmpty ? HTML("<p>No one is in the circle of support yet. <a href=\"/people/\(id)/circle/new\">Add people to the circle</a> to invite them.</p>")
            : Form.choiceGroup("inviteeIds", "Who \(person.displayName) invites from their circle", options: circleOptions(circle), selected: echo["inviteeIds"] ?? [], errors: errors))
        \(Form.text("otherInvitees", "Others invited", value: v("otherInvitees"), errors: errors, multiline: true))
        \(Form.checkboxGroup("accommodations", "What \(person.displayName) needs to take part", Accommodation.self, selected: echo["accommodations"] ?? [], errors: errors))
        \(Form.text("accommodationNotes", "More about what they need", value: v("accommodationNotes"), errors: errors, hint: "For example the interpreter's language, or the pictures to bring.", multiline: true))
        \(Form.text("advocate", "The advocate \(person.displayName) chose, if any", value: v("advocate"), errors: errors, hint: "Anyone may bring an advocate. Leave empty if the person does not want one."))
        <div class="actions"><button type="submit">Save the meeting</button></div>
        </form></section>
        """ : .empty
        return """
        <h1>Planning meetings with \(person.displayName)</h1>
        \(back(person))
        <section aria-labelledby="list"><h2 id="list">Meetings</h2>
        \(rows.isEmpty ? HTML("<p>No meeting yet.</p>") : HTML("""
        <div class="table-wrap"><table><caption>Meetings, newest first</caption>
        <thead><tr><th scope="col">When</th><th scope="col">Where</th><th scope="col">Status</th><th scope="col">Leads</th></tr></thead>
        <tbody>\(list)</tbody></table></div>
        """))
        </section>
        \(form)
        """
    }

    static func meeting(_ req: Request, _ person: Person, _ m: PlanningMeeting, circle: [CircleMember], plans: [Plan], today: CalendarDate, mayWrite: Bool,
                        echo: [String: [String]], errors: [FieldError]) -> HTML {
        let id = person.id!.text
        let names = Dictionary(circle.map { ($0.id!.text, $0.name) }, uniquingKeysWith: { a, _ in a })
        let invited = m.inviteeIDs.compactMap { names[$0] } + (m.otherInvitees.map { [$0] } ?? [])
        let came = m.attendedIDs.compactMap { names[$0] } + (m.attendedOthers.map { [$0] } ?? [])
        let plan = m.planID.flatMap { pid in plans.first { $0.id == pid } }
        let planOptions = [HTML("<option value=\"\">None</option>")] + plans.map { p in
            HTML("<option value=\"\(p.id!.text)\"\(p.id == m.planID || echo["planId"]?.first == p.id!.text ? HTML(unsafeRaw: " selected") : .empty)>\(p.type.shortLabel) version \(p.versionNumber) (\(p.planStatus.label.lowercased()))</option>")
        }
        let outcomeForm: HTML = mayWrite && m.meetingStatus == .planned ? """
        <section aria-labelledby="record"><h2 id="record">After the meeting</h2>
        \(Form.errorSummary(errors))
        <form method="post" action="/people/\(id)/meetings/\(m.id!.text)" novalidate>
        \(Form.csrf(req))
        \(Form.choiceGroup("status", "What happened", options: [(MeetingStatus.held.rawValue, "The meeting was held"), (MeetingStatus.cancelled.rawValue, "The meeting was cancelled")],
                           selected: echo["status"] ?? [], errors: errors, single: true, required: true))
        \(circle.isEmpty ? HTML.empty : Form.choiceGroup("attendedIds", "Who came from the circle", options: circleOptions(circle), selected: echo["attendedIds"] ?? [], errors: errors))
        \(Form.text("attendedOthers", "Others who came", value: echo["attendedOthers"]?.first, errors: errors))
        <div class="field"><label for="field-planId">Plan version the meeting was for</label><select id="field-planId" name="planId">\(planOptions)</select></div>
        \(Form.text("notes", "Notes", value: echo["notes"]?.first, errors: errors, hint: "What was decided, and what the person said.", multiline: true))
        <div class="actions"><button type="submit">Save</button></div>
        </form></section>
        """ : .empty
        return """
        <h1>Planning meeting on \(m.meetsOn)</h1>
        <p><a href="/people/\(id)/meetings">Back to \(person.displayName)'s meetings</a></p>
        <dl class="facts">
        \(Views.fact("Status", m.meetingStatus.label))
        \(Views.fact("When", "\(m.meetsOn) at \(m.startsAt)"))
        \(Views.fact("Where", m.place))
        \(Views.fact("Chosen by \(person.displayName)", Views.yesNo(m.chosenByPerson)))
        \(Views.fact("Leads the meeting", m.facilitator))
        \(Views.fact("Invited", invited.isEmpty ? "No one yet" : invited.joined(separator: ", ")))
        \(Views.fact("What \(person.displayName) needs to take part", m.accommodations.isEmpty ? "Nothing asked" : m.accommodations.compactMap { Accommodation(rawValue: $0)?.label }.joined(separator: "; ") + (m.accommodationNotes.map { ". \($0)" } ?? "")))
        \(Views.fact("Advocate", m.advocate ?? "None chosen"))
        \(m.meetingStatus == .held ? Views.fact("Who came", came.isEmpty ? "Not recorded" : came.joined(separator: ", ")) : .empty)
        \(plan.map { p in Views.fact("For the plan", "\(p.type.shortLabel) version \(p.versionNumber)") } ?? .empty)
        \(m.notes.map { Views.fact("Notes", $0) } ?? .empty)
        </dl>
        \(m.meetingStatus == .held ? HTML("<p><a href=\"/people/\(id)/satisfaction?meeting=\(m.id!.text)\">Ask how the meeting went (satisfaction survey)</a></p>") : .empty)
        \(outcomeForm)
        """
    }

    // MARK: Satisfaction

    static func satisfaction(_ req: Request, _ person: Person, _ rows: [SatisfactionSurvey], meetings: [PlanningMeeting], today: CalendarDate, mayWrite: Bool,
                             echo: [String: [String]], errors: [FieldError]) -> HTML {
        let id = person.id!.text
        let respondent = echo["respondent"]?.first.flatMap(SurveyRespondent.init) ?? (req.query[String.self, at: "respondent"].flatMap(SurveyRespondent.init) ?? .person)
        let meetingID = echo["meetingId"]?.first ?? req.query[String.self, at: "meeting"]
        let questions = respondent.questions.map { q -> HTML in
            let name = "answer-\(respondent.rawValue)-\(q.id)"
            let radios = SatisfactionRating.allCases.reversed().map { rating -> HTML in
                let rid = "\(name)-\(rating.rawValue)"
                return "<div class=\"rating\"><input id=\"\(rid)\" name=\"\(name)\" type=\"radio\" value=\"\(rating.rawValue)\"\(echo[name]?.first == String(rating.rawValue) ? HTML(unsafeRaw: " checked") : .empty)><label for=\"\(rid)\"><span class=\"face\" aria-hidden=\"true\">\(rating.symbol)</span> \(rating.label)</label></div>"
            }
            return "<fieldset class=\"field rating-scale\"><legend>\(q.text)</legend>\(radios)</fieldset>"
        }
        let meetingOptions = [HTML("<option value=\"\">Not after a meeting</option>")] + meetings.map { m in
            HTML("<option value=\"\(m.id!.text)\"\(meetingID == m.id!.text ? HTML(unsafeRaw: " selected") : .empty)>The meeting on \(m.meetsOn)</option>")
        }
        let other: SurveyRespondent = respondent == .person ? .family : .person
        let form: HTML = mayWrite ? """
        <section aria-labelledby="survey"><h2 id="survey">\(respondent == .person ? "Tell us how it is going" : "Questions for the family")</h2>
        <p>\(respondent == .person ? "Choose a face for each. You can skip any question." : "Answer for your family. You can skip any question.") <a href="/people/\(id)/satisfaction?respondent=\(other.rawValue)\(meetingID.map { "&meeting=\($0)" } ?? "")">\(other == .family ? "Questions for the family instead" : "Questions for the person instead")</a></p>
        \(Form.errorSummary(errors, linkable: ["answeredOn", "comment"]))
        <form method="post" action="/people/\(id)/satisfaction" novalidate>
        \(Form.csrf(req))
        <input type="hidden" name="respondent" value="\(respondent.rawValue)">
        \(questions)
        \(Form.text("comment", "Anything else you want to say", value: echo["comment"]?.first, errors: errors, multiline: true))
        \(Form.text("answeredOn", "Day of the answers", value: echo["answeredOn"]?.first ?? today.description, errors: errors, required: true, type: "date"))
        <div class="field"><label for="field-meetingId">After which meeting</label><select id="field-meetingId" name="meetingId">\(meetingOptions)</select></div>
        <div class="actions"><button type="submit">Send the answers</button></div>
        </form></section>
        """ : .empty
        let trend = SatisfactionTrend(rows.compactMap(\.score))
        let history = rows.map { s -> HTML in
            let answers = (SurveyRespondent(rawValue: s.respondent)?.questions ?? []).compactMap { q in s.ratings[q.id].map { "\(q.text) \($0.label)." } }.joined(separator: " ")
            return "<tr><th scope=\"row\">\(s.answeredOn)</th><td>\(SurveyRespondent(rawValue: s.respondent)?.label ?? s.respondent)</td><td class=\"number\">\(String(format: "%.1f", s.mean))</td><td>\(answers)\(s.comment.map { " “\($0)”" } ?? "")</td></tr>"
        }
        return """
        <h1>How satisfied \(person.displayName) is</h1>
        \(back(person))
        \(form)
        <section aria-labelledby="results"><h2 id="results">Answers over time</h2>
        \(rows.isEmpty ? HTML("<p>No answers yet.</p>") : HTML("""
        \(SatisfactionChart.figure(trend, id: "person-satisfaction"))
        <div class="table-wrap"><table><caption>Answers, newest first (1 not happy, 2 okay, 3 happy)</caption>
        <thead><tr><th scope="col">Day</th><th scope="col">Who</th><th scope="col" class="number">Mean</th><th scope="col">Answers</th></tr></thead>
        <tbody>\(history)</tbody></table></div>
        """))
        </section>
        """
    }

    // MARK: Decisions

    static func decisions(_ req: Request, _ person: Person, plan: Plan?, services: [PlannedService], refusals: [ServiceRefusal], today: CalendarDate, mayWrite: Bool,
                          echo: [String: [String]], errors: [FieldError]) -> HTML {
        let id = person.id!.text
        let refused = Set(refusals.filter { $0.$plan.id == plan?.id }.map(\.serviceEntryID))
        let choices = services.filter { $0.id != nil && !refused.contains($0.id!) }
        let refuseForm: HTML = mayWrite && plan != nil && !choices.isEmpty ? """
        <form method="post" action="/people/\(id)/decisions/refusal" novalidate class="card">
        <h3>\(person.displayName) says no to a service</h3>
        \(Form.csrf(req))
        <input type="hidden" name="planId" value="\(plan!.id!.text)">
        \(Form.choiceGroup("serviceEntryId", "Which service", options: choices.map { ($0.id!, $0.name + ($0.providerName.map { ", \($0)" } ?? "")) }, selected: echo["serviceEntryId"] ?? [], errors: errors, single: true, required: true))
        \(Form.text("refusedOn", "Day \(person.displayName) said no", value: echo["refusedOn"]?.first ?? today.description, errors: errors, required: true, type: "date"))
        \(Form.text("reason", "What \(person.displayName) said", value: echo["reason"]?.first, errors: errors, multiline: true))
        <p class="hint">The service stops that day, and a review of the plan is due so that the next version follows the decision.</p>
        <div class="actions"><button type="submit">Record the refusal</button></div>
        </form>
        """ : .empty
        let leaveForm: HTML = mayWrite && person.status != PersonStatus.exited.rawValue ? """
        <form method="post" action="/people/\(id)/decisions/leave" novalidate class="card">
        <h3>\(person.displayName) leaves services</h3>
        \(Form.csrf(req))
        \(Form.text("leftOn", "Day services end", value: echo["leftOn"]?.first ?? today.description, errors: errors, required: true, type: "date"))
        \(Form.text("reason", "Why", value: echo["reason"]?.first, errors: errors, required: true, multiline: true))
        <p class="hint">The plan in effect ends, services stop, and the person leaves the waiting list. Their record is kept.</p>
        <div class="actions"><button type="submit">Record leaving services</button></div>
        </form>
        """ : .empty
        let refusalRows = refusals.map { r -> HTML in "<li>\(r.serviceName): said no on \(r.refusedOn)\(r.reason.map { ": “\($0)”" } ?? "")</li>" }
        return """
        <h1>\(person.displayName) decides</h1>
        \(back(person))
        <p class="lead">The plan is \(person.displayName)'s. They can ask for a review at any time, say no to a service, have an advocate with them, and leave services.</p>
        \(Form.errorSummary(errors))
        <section aria-labelledby="review"><h2 id="review">Ask for a review</h2>
        \(plan.map { p in HTML("<p>Record the request on <a href=\"\(PlanPaths.overview(p.id!.text))\">the plan in effect</a>; a significant change in \(person.displayName)'s life is recorded there too.</p>") } ?? HTML("<p>There is no plan in effect.</p>"))
        </section>
        <section aria-labelledby="advocate"><h2 id="advocate">Have an advocate</h2>
        <p>An advocate can be in the circle of support (relationship “Advocate”) and is named for each <a href="/people/\(id)/meetings">planning meeting</a>.</p>
        </section>
        <section aria-labelledby="refuse"><h2 id="refuse">Say no to a service</h2>
        \(refusals.isEmpty ? HTML("<p>No service refused.</p>") : HTML("<ul>\(refusalRows)</ul>"))
        \(refuseForm)
        </section>
        <section aria-labelledby="leave"><h2 id="leave">Leave services</h2>
        \(person.status == PersonStatus.exited.rawValue ? HTML("<p>\(person.displayName) left services on \(person.exitDate ?? ""): \(person.exitReason ?? ""). The record is kept.</p>") : leaveForm)
        </section>
        """
    }
}

import Vapor

/// The parts of the plan overview about what happens once a version is sent out: the printed plan
/// and the profile, copies given, reviews asked for, and ending the plan.
enum PlanFollowUpViews {
    static func documents(_ plan: Plan, mayWrite: Bool) -> HTML {
        let id = plan.id!.text
        return """
        <section aria-labelledby="documents">
        <h2 id="documents">The plan to read and print</h2>
        <ul>
        <li><a href="\(PlanPaths.overview(id))/print">The whole plan, ready to print or save as PDF</a></li>
        <li><a href="\(PlanPaths.overview(id))/profile">One-page profile for \(plan.planStatus == .draft ? "the person (draft)" : "the person")</a>: large type, in their own words</li>
        \(mayWrite ? HTML("<li><a href=\"\(PlanPaths.overview(id))/profile/translate\">Record a translation of the profile</a></li>") : .empty)
        </ul>
        </section>
        """
    }

    static func copies(_ req: Request, _ plan: Plan, copies: [PlanDistribution], owed: [PersonRecords.OwedCopy], mayWrite: Bool, today: CalendarDate) -> HTML {
        let id = plan.id!.text
        let rows = copies.map { c -> HTML in
            "<tr><td>\(c.recipientName)</td><td>\(c.role.label)</td><td>\(c.sentOn)</td><td>\(c.distributionMethod.label)</td><td>\(Views.yesNo(c.includesBudget))</td><td>\(c.purpose ?? "")</td></tr>"
        }
        let table: HTML = copies.isEmpty ? "<p>No copy of this version has been recorded as given.</p>" : """
        <div class="table-wrap"><table>
        <caption>Copies of version \(plan.versionNumber) given</caption>
        <thead><tr><th scope="col">To</th><th scope="col">Who they are</th><th scope="col">Date</th><th scope="col">How</th><th scope="col">With the budget</th><th scope="col">Why</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table></div>
        """
        let owedNote: HTML = owed.isEmpty || plan.planStatus == .draft ? .empty : """
        <p><strong>Still to receive a copy:</strong> \(owed.map { "\($0.name) (\($0.role.label.lowercased())\($0.withBudget ? ", with the budget" : ""))" }.joined(separator: ", ")).
        \(owed.contains(where: \.withBudget) ? HTML("<span class=\"hint\">The person and their guardian always receive the budget with this plan.</span>") : .empty)</p>
        """
        let method = DistributionMethod.allCases.map { HTML("<option value=\"\($0.rawValue)\">\($0.label)</option>") }
        let role = RecipientRole.allCases.map { HTML("<option value=\"\($0.rawValue)\">\($0.label)</option>") }
        let form: HTML = mayWrite && plan.planStatus != .draft ? """
        <details class="card"><summary>Record a copy given</summary>
        <form method="post" action="/plans/\(id)/distributions">\(Form.csrf(req))
        <div class="field"><label for="copy-recipientName">Given to (name)</label><input id="copy-recipientName" name="recipientName" type="text" required aria-required="true" list="copy-owed" autocomplete="off"></div>
        <datalist id="copy-owed">\(owed.map { HTML("<option value=\"\($0.name)\">") })</datalist>
        <div class="field"><label for="copy-recipientRole">Who they are</label><select id="copy-recipientRole" name="recipientRole">\(role)</select></div>
        <div class="field"><label for="copy-method">How</label><select id="copy-method" name="method">\(method)</select></div>
        <div class="field"><label for="copy-sentOn">Date given</label><input id="copy-sentOn" name="sentOn" type="date" value="\(today.description)" max="\(today.description)" required aria-required="true"></div>
        <div class="field checkbox"><input id="copy-includesBudget" name="includesBudget" type="checkbox" value="true" checked><label for="copy-includesBudget">The copy included the budget</label></div>
        <div class="field"><label for="copy-purpose">Why it was given (optional)</label><input id="copy-purpose" name="purpose" type="text"></div>
        <div class="actions"><button type="submit">Record the copy</button></div>
        </form>
        </details>
        """ : .empty
        return """
        <section aria-labelledby="copies">
        <h2 id="copies">Copies given</h2>
        \(table)
        \(owedNote)
        \(form)
        </section>
        """
    }

    static func reviews(_ req: Request, _ plan: Plan, requests: [ReviewRequest], mayWrite: Bool, today: CalendarDate) -> HTML {
        let id = plan.id!.text
        let items = requests.map { r -> HTML in
            let overdue = r.requestStatus == .open && (CalendarDate(r.dueOn).map { $0 < today } ?? false)
            let answered: HTML = r.answeredByPlanID.map { HTML(": <a href=\"\(PlanPaths.overview($0.text))\">the new version</a>") } ?? .empty
            return """
            <li>\(r.reviewTrigger == .request ? HTML.empty : HTML("<strong>\(r.reviewTrigger.label):</strong> "))\(r.requestedBy) (\(r.role.label.lowercased())) \(r.reviewTrigger == .request ? "asked" : "told us") on \(r.requestedOn)\(r.reason.map { ": “\($0)”" } ?? "").
            <strong>\(overdue ? "Overdue: " : "")due by \(r.dueOn)</strong> <span class="citation">(\(r.dueCitation))</span>. \(r.requestStatus.label)\(answered).</li>
            """
        }
        let roles = [RecipientRole.person, .guardian, .parent, .family].map { HTML("<option value=\"\($0.rawValue)\">\($0.label)</option>") }
        let form: HTML = mayWrite && plan.planStatus == .active ? """
        <details class="card"><summary>Record that the person or their family asked for a review</summary>
        <form method="post" action="/plans/\(id)/review-requests">\(Form.csrf(req))
        <div class="field"><label for="review-requestedBy">Who asked (name)</label><input id="review-requestedBy" name="requestedBy" type="text" required aria-required="true"></div>
        <div class="field"><label for="review-requestedByRole">Who they are</label><select id="review-requestedByRole" name="requestedByRole">\(roles)</select></div>
        <div class="field"><label for="review-requestedOn">Date they asked</label><input id="review-requestedOn" name="requestedOn" type="date" value="\(today.description)" max="\(today.description)" required aria-required="true"></div>
        <div class="field"><label for="review-reason">What they want reviewed (optional)</label><textarea id="review-reason" name="reason" rows="3"></textarea></div>
        <p class="hint">The review is then due within the time the rules for this plan set. Starting a new version answers the request.</p>
        <div class="actions"><button type="submit">Record the request</button></div>
        </form>
        </details>
        <details class="card"><summary>Record a significant change in the person's life</summary>
        <form method="post" action="/plans/\(id)/review-requests">\(Form.csrf(req))
        <input type="hidden" name="trigger" value="\(ReviewTrigger.significantChange.rawValue)">
        <div class="field"><label for="change-reason">What changed (required)</label><textarea id="change-reason" name="reason" rows="3" required aria-required="true" aria-describedby="change-reason-hint"></textarea>
        <p class="hint" id="change-reason-hint">For example a move, a new health need, losing a job or a carer.</p></div>
        <div class="field"><label for="change-requestedBy">Who told you (name)</label><input id="change-requestedBy" name="requestedBy" type="text" required aria-required="true"></div>
        <div class="field"><label for="change-requestedByRole">Who they are</label><select id="change-requestedByRole" name="requestedByRole">\(RecipientRole.allCases.map { HTML("<option value=\"\($0.rawValue)\">\($0.label)</option>") })</select></div>
        <div class="field"><label for="change-requestedOn">Date you learned of it</label><input id="change-requestedOn" name="requestedOn" type="date" value="\(today.description)" max="\(today.description)" required aria-required="true"></div>
        <p class="hint">A review after a significant change is then due within the time the rules for this plan set.</p>
        <div class="actions"><button type="submit">Record the change</button></div>
        </form>
        </details>
        """ : .empty
        guard !requests.isEmpty || plan.planStatus == .active else { return .empty }
        return """
        <section aria-labelledby="reviews">
        <h2 id="reviews">Reviews asked for</h2>
        \(requests.isEmpty ? HTML("<p>No one has asked for a review of this plan.</p>") : HTML("<ul>\(items)</ul>"))
        \(form)
        </section>
        """
    }

    static func endForm(_ req: Request, _ plan: Plan, today: CalendarDate) -> HTML {
        let id = plan.id!.text
        return """
        <details class="card"><summary>End this plan</summary>
        <form method="post" action="/plans/\(id)/end">\(Form.csrf(req))
        <p>End the plan when the person leaves services, moves away or no longer needs it. An ended plan stays in the record; it can be the start of a new version later.</p>
        <div class="field"><label for="end-reason">Why the plan ends (required)</label><textarea id="end-reason" name="reason" rows="3" required aria-required="true"></textarea></div>
        <div class="field"><label for="end-endedOn">Date it ends</label><input id="end-endedOn" name="endedOn" type="date" value="\(today.description)" max="\(today.description)"></div>
        <div class="actions"><button type="submit" class="danger">End the plan</button></div>
        </form>
        </details>
        """
    }
}

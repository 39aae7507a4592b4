import LanternDomain
import Vapor

/// The coordinator's and the supervisor's dashboard.
enum DashboardViews {
    static func page(_ req: Request, _ d: Dashboard, today: CalendarDate, rules: CaseloadRules) -> HTML {
        let f = d.figures
        let open = d.tasks.filter { $0.task.taskStatus == .open }
        let overdue = open.filter { (CalendarDate($0.task.dueOn) ?? today) < today }
        let dueToday = open.filter { CalendarDate($0.task.dueOn) == today }
        let week = open.filter { let day = CalendarDate($0.task.dueOn) ?? today; return day > today && day <= today.adding(days: 7) }
        let missedContacts = overdue.filter { $0.task.taskKind == .monitoringContact }
        let tasksInAll = f.tasksOverdue + f.tasksDueToday + f.tasksDueThisWeek
        return """
        <h1>Dashboard</h1>
        <p class="lead">\(count(f.tasksOverdue, "task is", "tasks are")) overdue, \(f.tasksDueToday) due today and \(f.tasksDueThisWeek) in the next 7 days. \(count(f.meetingsNext14Days, "planning meeting", "planning meetings")) in the next 14 days. \(count(f.plansInEffect, "plan", "plans")) in effect, \(f.plansDueWithin60Days) due for renewal in the next 60 days.</p>
        <section aria-labelledby="due"><h2 id="due">Overdue, today and this week</h2>
        \(shown(d.tasks.count, of: tasksInAll, what: "tasks", link: "/tasks", linkText: "All tasks"))
        <h3>Overdue</h3>\(CoordinationViews.taskTable(req, "Overdue tasks, oldest first", overdue, done: false))
        <h3>Due today</h3>\(CoordinationViews.taskTable(req, "Tasks due today", dueToday, done: false))
        <h3>Due in the next 7 days</h3>\(CoordinationViews.taskTable(req, "Tasks due in the next 7 days", week, done: false))
        <p><a href="/tasks">All tasks</a></p>
        </section>
        \(meetings(d.meetings))
        \(shown(d.meetings.count, of: f.meetingsNext14Days, what: "meetings", link: nil, linkText: ""))
        \(referrals(d.referrals))
        \(shown(d.referrals.count, of: f.referralsWaiting, what: "referrals", link: nil, linkText: ""))
        \(contacts(missedContacts, today: today))
        \(expiring(d.expiring, today: today))
        \(shown(d.expiring.count, of: f.plansDueWithin60Days, what: "plans due for renewal", link: nil, linkText: ""))
        \(d.caseloads.map { caseloads($0, of: d.caseloadCount, over: d.overLimitCount, conflictsWithoutException: f.conflictsWithoutException, reviewed: d.reviewed) } ?? .empty)
        \(satisfaction(d.satisfaction, byCoordinator: d.satisfactionByCoordinator, of: d.satisfactionCoordinators))
        \(waiting(d.waiting, today: today))
        """
    }

    static func count(_ n: Int, _ one: String, _ many: String) -> HTML { "\(n) \(n == 1 ? one : many)" }

    /// Says when a list shows only its first rows, and where the rest are: a list is never cut silently.
    static func shown(_ shown: Int, of total: Int, what: String, link: String?, linkText: String) -> HTML {
        guard total > shown else { return .empty }
        let rest: HTML = link.map { HTML(" <a href=\"\($0)\">\(linkText)</a>.") } ?? ""
        return "<p class=\"hint\">Showing the first \(shown) of \(total) \(what), soonest first.\(rest)</p>"
    }

    static func meetings(_ rows: [Dashboard.Meeting]) -> HTML {
        let body = rows.map { m -> HTML in
            let id = m.person.id!.text
            return "<tr><th scope=\"row\"><a href=\"/people/\(id)/meetings/\(m.meeting.id!.text)\">\(m.meeting.meetsOn) at \(m.meeting.startsAt)</a></th><td><a href=\"/people/\(id)\">\(m.person.displayName)</a></td><td>\(m.meeting.place)</td><td>\(m.meeting.accommodations.compactMap { Accommodation(rawValue: $0)?.label }.joined(separator: "; "))</td></tr>"
        }
        return """
        <section aria-labelledby="meetings"><h2 id="meetings">Planning meetings in the next 14 days</h2>
        \(rows.isEmpty ? HTML("<p>None.</p>") : HTML("""
        <div class="table-wrap"><table><caption>Planning meetings, soonest first</caption>
        <thead><tr><th scope="col">When</th><th scope="col">Person</th><th scope="col">Where</th><th scope="col">What the person needs to take part</th></tr></thead>
        <tbody>\(body)</tbody></table></div>
        """))
        </section>
        """
    }

    static func referrals(_ rows: [Dashboard.OpenReferral]) -> HTML {
        guard !rows.isEmpty else { return .empty }
        let body = rows.map { r -> HTML in
            "<tr><th scope=\"row\"><a href=\"/people/\(r.person.id!.text)/intake\">\(r.person.displayName)</a></th><td>\(r.referral.referredOn)</td><td>\(r.referral.type.shortLabel)</td><td>\(ReferralSource(rawValue: r.referral.source)?.label ?? r.referral.source)</td></tr>"
        }
        return """
        <section aria-labelledby="intake"><h2 id="intake">Referrals waiting for an eligibility decision</h2>
        <p>The deadlines for each are on the task list.</p>
        <div class="table-wrap"><table><caption>Referrals waiting for a decision, oldest first</caption>
        <thead><tr><th scope="col">Person</th><th scope="col">Referred on</th><th scope="col">For</th><th scope="col">Referred by</th></tr></thead>
        <tbody>\(body)</tbody></table></div>
        </section>
        """
    }

    static func contacts(_ rows: [TaskItem], today: CalendarDate) -> HTML {
        let body = rows.map { t -> HTML in
            let days = CalendarDate(t.task.dueOn).map { $0.days(until: today) } ?? 0
            return "<tr><th scope=\"row\"><a href=\"/people/\(t.person.id!.text)/contacts\">\(t.person.displayName)</a></th><td>\(t.task.dueOn)</td><td class=\"number\">\(days)</td></tr>"
        }
        return """
        <section aria-labelledby="missed"><h2 id="missed">Overdue monitoring contacts</h2>
        \(rows.isEmpty ? HTML("<p>None: every contact is on time.</p>") : HTML("""
        <div class="table-wrap"><table><caption>Monitoring contacts not made on time</caption>
        <thead><tr><th scope="col">Person</th><th scope="col">Was due</th><th scope="col" class="number">Days late</th></tr></thead>
        <tbody>\(body)</tbody></table></div>
        """))
        </section>
        """
    }

    static func expiring(_ rows: [Dashboard.Expiring], today: CalendarDate) -> HTML {
        let body = rows.map { e -> HTML in
            "<tr><th scope=\"row\"><a href=\"/people/\(e.person.id!.text)\">\(e.person.displayName)</a></th><td>\(e.plan.type.shortLabel)</td><td>\(e.plan.effectiveStart ?? "")</td><td>\(e.due < today ? HTML("<strong>\(e.due.description): overdue</strong>") : HTML("\(e.due.description)"))</td></tr>"
        }
        return """
        <section aria-labelledby="expiring"><h2 id="expiring">Plans due for renewal in the next 60 days</h2>
        \(rows.isEmpty ? HTML("<p>None.</p>") : HTML("""
        <div class="table-wrap"><table><caption>Plans due for renewal, soonest first</caption>
        <thead><tr><th scope="col">Person</th><th scope="col">Plan</th><th scope="col">In effect since</th><th scope="col">Next plan due by</th></tr></thead>
        <tbody>\(body)</tbody></table></div>
        """))
        </section>
        """
    }

    static func caseloads(_ loads: [CoordinatorLoad], of total: Int, over: Int, conflictsWithoutException open: Int, reviewed: ReviewShare?) -> HTML {
        let reviewedText: HTML = reviewed.flatMap { r in r.share.map { share in
            HTML("\(r.reviewed) of \(r.people) people in services (\(Int((share * 100).rounded(.down)))%) have a plan that took effect in the last 12 months; the federal target is \(Int(ReviewShare.federalTarget * 100))%: \(r.meetsTarget ? HTML("met") : HTML("<strong>not met</strong>")).")
        } } ?? "No one is in services yet."
        let rows = loads.map { c -> HTML in
            "<tr><th scope=\"row\">\(c.name)</th><td class=\"number\">\(c.load.people)</td><td class=\"number\">\(SectionSpec.plain(c.load.weighted)) of \(SectionSpec.plain(c.load.limit))</td><td>\(c.load.isOver ? HTML("<span class=\"status todo\">Over</span>") : HTML("<span class=\"status done\">Within</span>"))</td></tr>"
        }
        return """
        <section aria-labelledby="team"><h2 id="team">Caseloads and reviews</h2>
        <p>\(reviewedText)</p>
        <p>\(over == 0 ? "No coordinator is over their limit." : "\(over) of \(total) coordinators \(over == 1 ? "is" : "are") over their limit.") \(open == 0 ? "No conflict of interest waits for action." : "\(open) \(open == 1 ? "conflict" : "conflicts") of interest with no exception documented.") <a href="/caseloads">Caseloads and conflicts in full</a></p>
        \(loads.isEmpty ? HTML.empty : HTML("""
        <div class="table-wrap"><table><caption>Caseloads, weighted by intensity, those over their limit first\(total > loads.count ? HTML(" (the first \(loads.count) of \(total))") : HTML.empty)</caption>
        <thead><tr><th scope="col">Coordinator</th><th scope="col" class="number">People</th><th scope="col" class="number">Weighted of limit</th><th scope="col">Against the limit</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """))
        </section>
        """
    }

    static func satisfaction(_ trend: SatisfactionTrend, byCoordinator: [Dashboard.CoordinatorSatisfaction], of coordinators: Int) -> HTML {
        let rows = trend.quarters.map { q -> HTML in
            "<tr><th scope=\"row\">\(q.label)</th><td class=\"number\">\(q.surveys)</td><td class=\"number\">\(String(format: "%.2f", q.mean))</td><td class=\"number\">\(Int((q.happyShare * 100).rounded()))%</td></tr>"
        }
        let coordinatorRows = byCoordinator.map { c -> HTML in
            "<tr><th scope=\"row\">\(c.coordinator.displayName)</th><td class=\"number\">\(c.surveys)</td><td class=\"number\">\(String(format: "%.2f", c.mean))</td></tr>"
        }
        return """
        <section aria-labelledby="satisfaction"><h2 id="satisfaction">Satisfaction over time</h2>
        <p>Answers from people and families on a three-point scale: 1 not happy, 2 okay, 3 happy.</p>
        \(trend.quarters.isEmpty ? HTML("<p>No survey answered in the last two years.</p>") : HTML("""
        \(SatisfactionChart.figure(trend, id: "satisfaction-chart"))
        <div class="table-wrap"><table><caption>Satisfaction by quarter</caption>
        <thead><tr><th scope="col">Quarter</th><th scope="col" class="number">Surveys</th><th scope="col" class="number">Mean (1 to 3)</th><th scope="col" class="number">Answers “happy”</th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """))
        \(byCoordinator.isEmpty ? HTML.empty : HTML("""
        <div class="table-wrap"><table><caption>Satisfaction by coordinator, last 12 months, the lowest first\(coordinators > byCoordinator.count ? HTML(" (the \(byCoordinator.count) lowest of \(coordinators))") : HTML.empty)</caption>
        <thead><tr><th scope="col">Coordinator</th><th scope="col" class="number">Surveys</th><th scope="col" class="number">Mean (1 to 3)</th></tr></thead>
        <tbody>\(coordinatorRows)</tbody></table></div>
        """))
        </section>
        """
    }

    static func waiting(_ rows: [Dashboard.Waiting], today: CalendarDate) -> HTML {
        let body = rows.map { w -> HTML in
            "<tr><th scope=\"row\">\(w.service)</th><td class=\"number\">\(w.people)</td><td>\(w.longestSince.description)</td><td class=\"number\">\(w.longestSince.days(until: today))</td></tr>"
        }
        return """
        <section aria-labelledby="waiting"><h2 id="waiting">Waiting lists by service</h2>
        \(rows.isEmpty ? HTML("<p>No one is waiting for a service.</p>") : HTML("""
        <div class="table-wrap"><table><caption>People waiting, by service, longest wait first</caption>
        <thead><tr><th scope="col">Service</th><th scope="col" class="number">People waiting</th><th scope="col">Waiting since</th><th scope="col" class="number">Longest wait in days</th></tr></thead>
        <tbody>\(body)</tbody></table></div>
        """))
        <p><a href="/waiting-list">The waiting list in full</a></p>
        </section>
        """
    }
}

/// Satisfaction by quarter as a server-drawn SVG: one bar per quarter, the mean on the 1 to 3 scale,
/// with a sentence that says what it shows.
enum SatisfactionChart {
    static func figure(_ trend: SatisfactionTrend, id: String) -> HTML {
        guard let first = trend.quarters.first, let last = trend.quarters.last else { return .empty }
        let width = 640.0, height = 200.0, left = 50.0, bottom = 30.0, gap = 6.0
        let barWidth = min(80, (width - left) / Double(trend.quarters.count) - gap)
        let scale = (height - bottom - 10) / 2   // from 1 to 3
        let bars = trend.quarters.enumerated().map { index, q -> HTML in
            let h = max(1, (q.mean - 1) * scale), x = left + Double(index) * (barWidth + gap)
            return """
            <rect x="\(BudgetChart.format(x))" y="\(BudgetChart.format(height - bottom - h))" width="\(BudgetChart.format(barWidth))" height="\(BudgetChart.format(h))" fill="#0b4f6c"></rect>
            <text \(BudgetChart.font) x="\(BudgetChart.format(x + barWidth / 2))" y="\(BudgetChart.format(height - 10))" text-anchor="middle">\(q.label)</text>
            """
        }
        let best = trend.quarters.max { $0.mean < $1.mean }!
        let direction = last.mean > first.mean + 0.05 ? "rose" : last.mean < first.mean - 0.05 ? "fell" : "stayed about the same"
        let sentence = trend.quarters.count == 1
            ? "Satisfaction in \(first.label): a mean of \(String(format: "%.1f", first.mean)) out of 3 from \(first.surveys) \(first.surveys == 1 ? "survey" : "surveys")."
            : "Satisfaction from \(first.label) to \(last.label) \(direction): a mean of \(String(format: "%.1f", first.mean)) then \(String(format: "%.1f", last.mean)) out of 3. The highest was \(best.label) at \(String(format: "%.1f", best.mean))."
        return """
        <figure class="chart">
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(BudgetChart.format(width)) \(BudgetChart.format(height))" role="img" aria-labelledby="\(id)-caption" focusable="false">
        <line x1="\(BudgetChart.format(left))" y1="\(BudgetChart.format(height - bottom))" x2="\(BudgetChart.format(width))" y2="\(BudgetChart.format(height - bottom))" stroke="#1b1b1b"></line>
        <text \(BudgetChart.font) x="\(BudgetChart.format(left - 6))" y="20" text-anchor="end">3</text>
        <text \(BudgetChart.font) x="\(BudgetChart.format(left - 6))" y="\(BudgetChart.format(height - bottom))" text-anchor="end">1</text>
        \(HTML.join(bars))
        </svg>
        <figcaption id="\(id)-caption">\(sentence)</figcaption>
        </figure>
        """
    }
}

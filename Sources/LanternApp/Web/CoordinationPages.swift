import LanternDomain
import Vapor

/// The supervisor's view of caseloads against their limits and of conflicts of interest.
enum CoordinationPages {
    static func register(_ web: any RoutesBuilder) {
        web.get("caseloads", use: caseloads)
        web.get("tasks", use: tasks)
        web.post("tasks", ":taskID", "done", use: completeTask)
    }

    static func tasks(req: Request) async throws -> HTML {
        let items = try await req.records().tasks()
        return Layout.page(req, title: "Tasks", main: CoordinationViews.tasks(req, items, today: CalendarDate(req.now)),
                           flash: req.query[String.self, at: "saved"] == "done" ? "Task marked done." : nil)
    }

    static func completeTask(req: Request) async throws -> Response {
        let note = try FormBody(req).first("note")?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        _ = try await req.records().completeTask(try req.uuidParameter("taskID", what: "task"), note: note)
        return req.redirect(to: "/tasks?saved=done", redirectType: .normal)
    }

    static func caseloads(req: Request) async throws -> HTML {
        let (loads, conflicts) = try await req.records().caseloadsAndConflicts()
        let rules = req.application.lantern.settings.caseloadRules
        return Layout.page(req, title: "Caseloads", main: CoordinationViews.caseloads(loads, conflicts: conflicts, rules: rules))
    }
}

enum CoordinationViews {
    static func tasks(_ req: Request, _ items: [TaskItem], today: CalendarDate) -> HTML {
        let open = items.filter { $0.task.taskStatus == .open }
        let overdue = open.filter { (CalendarDate($0.task.dueOn) ?? today) < today }
        let week = open.filter { let d = CalendarDate($0.task.dueOn) ?? today; return d >= today && d <= today.adding(days: 7) }
        let later = open.filter { (CalendarDate($0.task.dueOn) ?? today) > today.adding(days: 7) }
        let closed = items.filter { $0.task.taskStatus != .open }
        func table(_ caption: String, _ rows: [TaskItem], done: Bool) -> HTML {
            if rows.isEmpty { return "<p>None.</p>" }
            let body = rows.map { item -> HTML in
                let t = item.task
                let action: HTML = done ? HTML("<td>\(t.taskStatus.label)\(t.closedOn.map { " on \($0)" } ?? "")\(t.note.map { ": \($0)" } ?? "")</td>") : """
                <td><form method="post" action="/tasks/\(t.id!.text)/done" class="inline">\(Form.csrf(req))<button type="submit" class="secondary">Mark done<span class="visually-hidden">: \(t.title)</span></button></form></td>
                """
                return """
                <tr><th scope="row">\(t.title)</th><td><a href="/people/\(item.person.id!.text)">\(item.person.displayName)</a></td><td>\(t.dueOn)</td><td>\(t.citation)</td>\(action)</tr>
                """
            }
            return """
            <div class="table-wrap"><table>
            <caption>\(caption)</caption>
            <thead><tr><th scope="col">Task</th><th scope="col">Person</th><th scope="col">Due</th><th scope="col">Why</th><th scope="col">\(done ? HTML("Outcome") : HTML("<span class=\"visually-hidden\">Actions</span>"))</th></tr></thead>
            <tbody>\(body)</tbody>
            </table></div>
            """
        }
        return """
        <h1>Tasks</h1>
        <p class="lead">What is due for the people you support: the next plan every 12 months, IFSP reviews every six months, the Early Start transition at age 3, and reviews people asked for. \(overdue.count) overdue, \(week.count) due in the next 7 days.</p>
        <section aria-labelledby="overdue"><h2 id="overdue">Overdue</h2>\(table("Overdue, oldest first", overdue, done: false))</section>
        <section aria-labelledby="this-week"><h2 id="this-week">Due in the next 7 days</h2>\(table("Due in the next 7 days", week, done: false))</section>
        <section aria-labelledby="later"><h2 id="later">Later</h2>\(table("Due later", later, done: false))</section>
        <section aria-labelledby="closed"><h2 id="closed">Done in the last 30 days</h2>\(table("Done or no longer needed", closed, done: true))</section>
        """
    }

    static func caseloads(_ loads: [(User, Caseload)], conflicts: [ConflictRow], rules: CaseloadRules) -> HTML {
        let over = loads.filter { $0.1.isOver }
        let rows = loads.map { user, load -> HTML in
            """
            <tr><th scope="row">\(user.displayName)</th><td class="number">\(load.people)</td><td class="number">\(load.high)</td>
            <td class="number">\(SectionSpec.plain(load.weighted))</td><td class="number">\(SectionSpec.plain(load.limit))</td>
            <td>\(load.isOver ? HTML("<span class=\"status todo\">Over by \(SectionSpec.plain(load.weighted - load.limit))</span>") : HTML("<span class=\"status done\">Within</span>"))</td></tr>
            """
        }
        let conflictRows = conflicts.map { c -> HTML in
            """
            <tr><th scope="row"><a href="/people/\(c.person.id!.text)#coordination">\(c.person.displayName)</a></th><td>\(c.coordinator.displayName)</td><td>\(c.organization.name)</td>
            <td>\(c.exception.map { HTML("Exception documented on \($0.recordedOn)") } ?? HTML("<span class=\"status todo\">No exception: act now</span>"))</td></tr>
            """
        }
        return """
        <h1>Caseloads</h1>
        <p class="lead">Each coordinator's people, weighted by intensity (standard counts \(SectionSpec.plain(rules.standardWeight)), high counts \(SectionSpec.plain(rules.highWeight))), against their limit (\(SectionSpec.plain(rules.defaultLimit)) unless set for them).</p>
        <p>\(over.isEmpty ? "No coordinator is over their limit." : "\(over.count) \(over.count == 1 ? "coordinator is" : "coordinators are") over their limit: \(over.map(\.0.displayName).joined(separator: ", ")).")</p>
        \(loads.isEmpty ? HTML("<p>No coordinator to show.</p>") : HTML("""
        <div class="table-wrap"><table>
        <caption>Caseloads</caption>
        <thead><tr><th scope="col">Coordinator</th><th scope="col" class="number">People</th><th scope="col" class="number">High intensity</th>
        <th scope="col" class="number">Weighted</th><th scope="col" class="number">Limit</th><th scope="col">Against the limit</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table></div>
        """))
        <section aria-labelledby="conflicts"><h2 id="conflicts">Conflicts of interest</h2>
        <p>People whose coordinator works for an organisation that provides them services (42 CFR 441.301(c)(1)(vi)). Each needs another coordinator or provider, or a documented exception.</p>
        \(conflicts.isEmpty ? HTML("<p>None.</p>") : HTML("""
        <div class="table-wrap"><table>
        <caption>Conflicts of interest, those needing action first</caption>
        <thead><tr><th scope="col">Person</th><th scope="col">Coordinator</th><th scope="col">Works for</th><th scope="col">Exception</th></tr></thead>
        <tbody>\(conflictRows)</tbody>
        </table></div>
        """))
        </section>
        """
    }
}

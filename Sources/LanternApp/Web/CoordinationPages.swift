import LanternDomain
import Vapor

/// The supervisor's view of caseloads against their limits and of conflicts of interest.
enum CoordinationPages {
    static func register(_ web: any RoutesBuilder) {
        web.get("caseloads", use: caseloads)
        web.get("people", ":personID", "contacts", use: contacts)
        web.post("people", ":personID", "contacts", use: recordContact)
        web.get("tasks", use: tasks)
        web.post("tasks", ":taskID", "done", use: completeTask)
    }

    static func contacts(req: Request) async throws -> HTML {
        let records = try req.records()
        let (person, rows, next) = try await records.contacts(of: try req.uuidParameter("personID", what: "person"))
        return Layout.page(req, title: "Monitoring contacts with \(person.displayName)",
                           main: CoordinationViews.contacts(req, person, rows, next: next, today: records.today, mayRecord: records.policy.roleAllows(.update), echo: [:], errors: []),
                           flash: req.query[String.self, at: "saved"] == "contact" ? "Contact saved." : nil)
    }

    static func recordContact(req: Request) async throws -> Response {
        let records = try req.records()
        let personID = try req.uuidParameter("personID", what: "person")
        let form = try FormBody(req)
        do {
            _ = try await records.recordContact(personID, form.asJSON(fields: PersonRecords.contactFields))
            return req.redirect(to: "/people/\(personID.text)/contacts?saved=contact", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let (person, rows, next) = try await records.contacts(of: personID)
            let echo = Dictionary(PersonRecords.contactFields.compactMap { n in form.first(n).map { (n, $0) } }, uniquingKeysWith: { a, _ in a })
            let page = Layout.page(req, title: "Monitoring contacts with \(person.displayName)",
                                   main: CoordinationViews.contacts(req, person, rows, next: next, today: records.today, mayRecord: true, echo: echo, errors: problem.errors))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
    }

    static func tasks(req: Request) async throws -> HTML {
        let cursor = req.query[String.self, at: "cursor"].flatMap(PeopleQuery.Cursor.init(encoded:))
        let list = try await req.records().tasks(after: cursor)
        return Layout.page(req, title: "Tasks", main: CoordinationViews.tasks(req, list, first: cursor == nil, today: CalendarDate(req.now)),
                           flash: req.query[String.self, at: "saved"] == "done" ? "Task marked done." : nil)
    }

    static func completeTask(req: Request) async throws -> Response {
        let note = try FormBody(req).first("note")?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        _ = try await req.records().completeTask(try req.uuidParameter("taskID", what: "task"), note: note)
        return req.redirect(to: "/tasks?saved=done", redirectType: .normal)
    }

    static func caseloads(req: Request) async throws -> HTML {
        let cursor = try listCursor(req)
        let page = try await req.records().caseloadsAndConflicts(after: cursor, conflictsFrom: try conflictsFrom(req))
        let rules = req.application.lantern.settings.caseloadRules
        return Layout.page(req, title: "Caseloads", main: CoordinationViews.caseloads(page, first: cursor == nil, rules: rules))
    }

    /// Where the page of conflicts starts (`conflictsFrom`, a count of rows before it).
    static func conflictsFrom(_ req: Request) throws -> Int {
        guard let text = req.query[String.self, at: "conflictsFrom"], !text.isEmpty else { return 0 }
        guard let n = Int(text), n >= 0 else {
            throw Problem(.badRequest, "Check conflictsFrom", detail: "conflictsFrom is how many conflicts come before the page: a whole number, 0 or more.",
                          errors: [FieldError("conflictsFrom", "conflictsFrom must be a whole number, 0 or more.")])
        }
        return n
    }
}

enum CoordinationViews {
    static func contacts(_ req: Request, _ person: Person, _ rows: [MonitoringContact], next: CalendarDate?, today: CalendarDate, mayRecord: Bool,
                         echo: [String: String], errors: [FieldError]) -> HTML {
        let id = person.id!.text
        let frequency = person.contactFrequency.flatMap(ContactFrequency.init)
        let schedule: HTML = frequency.map { f in
            let due: HTML = next.map { n in n < today ? HTML("The next contact was due on \(n.description): <strong>overdue</strong>.") : HTML("The next contact is due by \(n.description).") } ?? ""
            return HTML("<p>Contact: \(f.label.lowercased()). \(due)</p>")
        } ?? HTML("<p>No contact frequency is set. Set it on <a href=\"/people/\(id)/edit\">\(person.displayName)'s details</a>.</p>")
        let form: HTML = mayRecord ? """
        <section aria-labelledby="record"><h2 id="record">Record a contact</h2>
        \(Form.errorSummary(errors))
        <form method="post" action="/people/\(id)/contacts" novalidate>
        \(Form.csrf(req))
        \(Form.text("contactOn", "Day of the contact", value: echo["contactOn"] ?? today.description, errors: errors, required: true, type: "date"))
        \(Form.choiceGroup("kind", "How", options: ContactKind.allCases.map { ($0.rawValue, $0.label) }, selected: echo["kind"].map { [$0] } ?? [], errors: errors, single: true, required: true))
        \(Form.text("findings", "What was found", value: echo["findings"], errors: errors, hint: "How the person is, whether services are given as planned, and whether the person is satisfied.", required: true, multiline: true))
        \(Form.text("followUp", "What follows", value: echo["followUp"], errors: errors, multiline: true))
        <div class="actions"><button type="submit">Save the contact</button></div>
        </form></section>
        """ : .empty
        let list = rows.map { c -> HTML in
            "<tr><th scope=\"row\">\(c.contactOn)</th><td>\(ContactKind(rawValue: c.kind)?.label ?? c.kind)</td><td>\(c.findings)</td><td>\(c.followUp ?? "")</td></tr>"
        }
        return """
        <h1>Monitoring contacts with \(person.displayName)</h1>
        <p><a href="/people/\(id)">Back to \(person.displayName)'s page</a></p>
        \(schedule)
        \(form)
        <section aria-labelledby="contacts"><h2 id="contacts">Contacts</h2>
        \(rows.isEmpty ? HTML("<p>No contact recorded yet.</p>") : HTML("""
        <div class="table-wrap"><table>
        <caption>Contacts, newest first</caption>
        <thead><tr><th scope="col">Day</th><th scope="col">How</th><th scope="col">What was found</th><th scope="col">What follows</th></tr></thead>
        <tbody>\(list)</tbody>
        </table></div>
        """))
        </section>
        """
    }

    static func tasks(_ req: Request, _ list: TaskList, first: Bool, today: CalendarDate) -> HTML {
        let open = list.open
        let overdue = open.filter { (CalendarDate($0.task.dueOn) ?? today) < today }
        let week = open.filter { let d = CalendarDate($0.task.dueOn) ?? today; return d >= today && d <= today.adding(days: 7) }
        let later = open.filter { (CalendarDate($0.task.dueOn) ?? today) > today.adding(days: 7) }
        let closed = list.closed
        let paging: HTML = list.openTotal > open.count || !first
            ? "<p>Showing \(open.count) of the \(list.openTotal) open tasks, by due date.\(list.nextCursor.map { HTML(" <a href=\"/tasks?cursor=\($0)\">Next \(PersonRecords.tasksPerPage)</a>") } ?? "") \(first ? HTML.empty : HTML("<a href=\"/tasks\">Back to the first page</a>"))</p>"
            : .empty
        let closedNote: HTML = list.closedTotal > closed.count ? "<p>Showing the latest \(closed.count) of the \(list.closedTotal) tasks closed in the last 30 days.</p>" : .empty
        return """
        <h1>Tasks</h1>
        <p class="lead">What is due for the people you support: intake deadlines, the next plan every 12 months, IFSP reviews every six months, the Early Start transition at age 3, reviews people asked for or that a change in their life calls for, monitoring contacts and satisfaction surveys. \(list.counts.overdue) overdue, \(list.counts.today + list.counts.week) due in the next 7 days.</p>
        \(paging)
        <section aria-labelledby="overdue"><h2 id="overdue">Overdue</h2>\(taskTable(req, "Overdue, oldest first", overdue, done: false))</section>
        <section aria-labelledby="this-week"><h2 id="this-week">Due in the next 7 days</h2>\(taskTable(req, "Due in the next 7 days", week, done: false))</section>
        <section aria-labelledby="later"><h2 id="later">Later</h2>\(taskTable(req, "Due later", later, done: false))</section>
        \(first ? HTML("<section aria-labelledby=\"closed\"><h2 id=\"closed\">Done in the last 30 days</h2>\(closedNote)\(taskTable(req, "Done or no longer needed", closed, done: true))</section>") : .empty)
        """
    }

    static func taskTable(_ req: Request, _ caption: String, _ rows: [TaskItem], done: Bool) -> HTML {
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

    static func caseloads(_ page: CaseloadsPage, first: Bool, rules: CaseloadRules) -> HTML {
        let reviewed = page.reviewed
        let percent = reviewed.share.map { Int(($0 * 100).rounded(.down)) }
        let target = Int(ReviewShare.federalTarget * 100)
        func rows(_ loads: [CoordinatorLoad]) -> HTML {
            let cells = loads.map { c -> HTML in
                """
                <tr><th scope="row">\(c.name)</th><td class="number">\(c.load.people)</td><td class="number">\(c.load.high)</td>
                <td class="number">\(SectionSpec.plain(c.load.weighted))</td><td class="number">\(SectionSpec.plain(c.load.limit))</td>
                <td>\(c.load.isOver ? HTML("<span class=\"status todo\">Over by \(SectionSpec.plain(c.excess))</span>") : HTML("<span class=\"status done\">Within</span>"))</td></tr>
                """
            }
            return "\(cells)"
        }
        let head: HTML = """
            <thead><tr><th scope="col">Coordinator</th><th scope="col" class="number">People</th><th scope="col" class="number">High intensity</th>
            <th scope="col" class="number">Weighted</th><th scope="col" class="number">Limit</th><th scope="col">Against the limit</th></tr></thead>
            """
        let conflictRows = page.conflicts.map { c -> HTML in
            """
            <tr><th scope="row"><a href="/people/\(c.person.id!.text)#coordination">\(c.person.displayName)</a></th><td>\(c.coordinator.displayName)</td><td>\(c.organization.name)</td>
            <td>\(c.exception.map { HTML("Exception documented on \($0.recordedOn)") } ?? HTML("<span class=\"status todo\">No exception: act now</span>"))</td></tr>
            """
        }
        let over = page.overLimitTotal
        let conflictPaging: HTML = page.conflictsTotal > page.conflicts.count || page.conflictsFrom > 0 ? HTML("""
            <p>This list shows conflicts \(page.conflictsFrom + 1) to \(page.conflictsFrom + page.conflicts.count) of \(page.conflictsTotal), those needing action first.\(page.nextConflictsFrom.map { HTML(" <a href=\"/caseloads?conflictsFrom=\($0)#conflicts\">Next \(PersonRecords.conflictsPerPage) conflicts</a>") } ?? "")\(page.conflictsFrom > 0 ? HTML(" <a href=\"/caseloads#conflicts\">Back to the first conflicts</a>") : "")</p>
            """) : .empty
        return """
        <h1>Caseloads</h1>
        <p class="lead">Each coordinator's people, weighted by intensity (standard counts \(SectionSpec.plain(rules.standardWeight)), high counts \(SectionSpec.plain(rules.highWeight))), against their limit (\(SectionSpec.plain(rules.defaultLimit)) unless set for them).</p>
        <p>\(page.coordinators) \(page.coordinators == 1 ? "coordinator" : "coordinators"), \(page.people) \(page.people == 1 ? "person" : "people"). \(over == 0 ? "No coordinator is over their limit." : "\(over) \(over == 1 ? "coordinator is" : "coordinators are") over their limit.")</p>
        <section aria-labelledby="reviewed"><h2 id="reviewed">Plans reviewed within 12 months</h2>
        <p>\(percent.map { p in HTML("\(reviewed.reviewed) of \(reviewed.people) people in services (\(p)%) have a plan that took effect in the last 12 months. The federal target is \(target)%: \(reviewed.meetsTarget ? HTML("met") : HTML("<strong>not met</strong>")).") } ?? HTML("No one is in services yet."))</p>
        </section>
        \(page.overLimit.isEmpty ? HTML.empty : HTML("""
        <section aria-labelledby="over"><h2 id="over">Over their limit</h2>
        \(over > page.overLimit.count ? HTML("<p>The \(page.overLimit.count) furthest over their limit of the \(over); every coordinator is in the list below, by name.</p>") : HTML.empty)
        <div class="table-wrap"><table>
        <caption>Coordinators over their limit, the furthest over first</caption>
        \(head)<tbody>\(rows(page.overLimit))</tbody>
        </table></div>
        </section>
        """))
        <section aria-labelledby="all-caseloads"><h2 id="all-caseloads">Every caseload</h2>
        \(page.page.isEmpty ? HTML("<p>No coordinator to show.</p>") : HTML("""
        <div class="table-wrap"><table>
        <caption>Caseloads, by coordinator's name</caption>
        \(head)<tbody>\(rows(page.page))</tbody>
        </table></div>
        """))
        \(ServiceViews.paging(page.page.count, of: page.coordinators, what: "coordinators", order: "by name", next: page.nextCursor, first: first, base: "/caseloads"))
        </section>
        <section aria-labelledby="conflicts"><h2 id="conflicts">Conflicts of interest</h2>
        <p>People whose coordinator works for an organisation that provides them services (42 CFR 441.301(c)(1)(vi)). Each needs another coordinator or provider, or a documented exception. \(page.conflictsWithoutException == 0 ? "None waits for action." : "\(page.conflictsWithoutException) with no exception documented.")</p>
        \(page.conflicts.isEmpty ? HTML("<p>None.</p>") : HTML("""
        <div class="table-wrap"><table>
        <caption>Conflicts of interest, those needing action first</caption>
        <thead><tr><th scope="col">Person</th><th scope="col">Coordinator</th><th scope="col">Works for</th><th scope="col">Exception</th></tr></thead>
        <tbody>\(conflictRows)</tbody>
        </table></div>
        """))
        \(conflictPaging)
        </section>
        """
    }
}

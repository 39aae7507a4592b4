import Fluent
import Vapor

/// The caseload list, a person's page, and the forms to add and edit a person.
enum PeoplePages {
    static func register(_ web: any RoutesBuilder) {
        // Staff who follow a caseload start on their dashboard; everyone else on the people they may see.
        // The person and family start on their own pages; coordinators and supervisors on the dashboard.
        web.get { req in
            guard let actor = req.actor else { return req.redirect(to: "/people") }
            if [.person, .guardianFamily].contains(actor.role) { return req.redirect(to: "/my") }
            return req.redirect(to: AccessPolicy(actor: actor).roleAllows(.reviewProgress) ? "/dashboard" : "/people")
        }
        web.get("people", use: list)
        web.get("people", "new", use: newForm)
        web.post("people", use: create)
        web.get("people", ":personID", use: show)
        web.get("people", ":personID", "edit", use: editForm)
        web.post("people", ":personID", "edit", use: update)
        web.post("people", ":personID", "coordinator", use: assignCoordinator)
        web.post("people", ":personID", "providers", use: linkProvider)
        web.post("people", ":personID", "conflict-exception", use: documentConflictException)
        web.post("people", ":personID", "providers", ":organizationID", "unlink", use: unlinkProvider)
    }

    // MARK: List

    static func list(req: Request) async throws -> HTML {
        let records = try req.records()
        let query: PeopleQuery
        var problem: Problem?
        do { query = try PeopleQuery.from(req) } catch let p as Problem { problem = p; query = PeopleQuery() }
        let page = try await records.listPeople(query)
        let coordinatorIDs = Set(page.people.compactMap(\.currentCoordinatorID))
        let coordinators = coordinatorIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues:
            try await User.query(on: req.db).filter(\.$id ~~ Array(coordinatorIDs)).all().map { ($0.id!, $0.displayName) })
        let today = records.today
        let title = records.actor.role == .supportCoordinator ? "My caseload" : "People"
        let rows = page.people.map { p -> HTML in
            """
            <tr>
            <th scope="row"><a href="/people/\(p.id)">\(p.displayName)</a>\(p.preferredName != nil ? HTML("<br><span class=\"hint\">Legal name: \(p.legalName)</span>") : .empty)</th>
            <td>\(p.age(on: today).map(String.init) ?? "")</td>
            <td>\(p.ageGroup(on: today)?.label ?? "")</td>
            <td>\(Views.label(PersonStatus.self, p.status))</td>
            <td>\(Views.label(ResidenceType.self, p.residenceType))</td>
            <td>\(p.primaryLanguage)\(p.interpreterNeeded ? HTML(" (interpreter)") : .empty)</td>
            <td>\(p.currentCoordinatorID.flatMap { coordinators[$0] } ?? "None")</td>
            </tr>
            """
        }
        var nextParams = [String]()
        if let q = query.search { nextParams.append("q=" + encode(q)) }
        if let s = query.status { nextParams.append("status=" + s.rawValue) }
        if let g = query.ageGroup { nextParams.append("ageGroup=" + g.rawValue) }
        let baseParams = nextParams
        if let cursor = page.nextCursor { nextParams.append("cursor=" + cursor) }
        let filterErrors = problem?.errors ?? []
        let main: HTML = """
        <h1>\(title)</h1>
        \(Form.errorSummary(filterErrors, linkable: ["q", "status", "ageGroup"]))
        <form method="get" action="/people" class="filters" role="search" aria-label="Find people">
        \(Form.text("q", "Name", value: query.search, errors: filterErrors, hint: "Part of a first, last or preferred name", type: "search"))
        \(Form.select("status", "Status", PersonStatus.self, value: query.status?.rawValue, errors: filterErrors))
        \(Form.select("ageGroup", "Age group", AgeGroup.self, value: query.ageGroup?.rawValue, errors: filterErrors))
        <button type="submit">Find</button>
        <a class="button secondary" href="/people">Clear</a>
        </form>
        \(records.policy.mayCreatePeople ? HTML("<p class=\"actions\"><a class=\"button\" href=\"/people/new\">Add a person</a></p>") : .empty)
        <p role="status">\(page.people.isEmpty ? "No one matches." : "Showing \(page.people.count) \(page.people.count == 1 ? "person" : "people")\(page.nextCursor != nil ? ", more on the next page" : "").")</p>
        \(page.people.isEmpty ? HTML.empty : """
        <div class="table-wrap"><table>
        <caption>\(title)</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Age</th><th scope="col">Age group</th><th scope="col">Status</th><th scope="col">Lives in</th><th scope="col">Language</th><th scope="col">Coordinator</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table></div>
        """)
        <nav class="pagination" aria-label="Pages">
        \(query.cursor != nil ? HTML("<a href=\"/people?\(baseParams.joined(separator: "&"))\">First page</a>") : .empty)
        \(page.nextCursor != nil ? HTML("<a href=\"/people?\(nextParams.joined(separator: "&"))\">Next page</a>") : .empty)
        </nav>
        """
        return Layout.page(req, title: title, main: main)
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    // MARK: Show

    struct Detail: Sendable {
        var person: Person
        var members: [CircleMember]
        var assignments: [CoordinatorAssignment]
        var providers: [ProviderLink]
        var coordinatorChoices: [User]
        var providerChoices: [Organization]
        var plans: [Plan]
        /// The coordinator works for one of the person's linked providers: which, and the exception when documented.
        var conflict: (organization: Organization, coordinator: User, exception: ConflictException?)?
    }

    static func show(req: Request) async throws -> HTML {
        let records = try req.records()
        let id = try req.uuidParameter("personID", what: "person")
        let detail = try await records.read(id, .demographics, detail: "person page: demographics, circle, coordinators, providers, plan list") { person, db in
            async let members = CircleMember.query(on: db).filter(\.$person.$id == id).sort(\.$name).all()
            async let assignments = CoordinatorAssignment.query(on: db).filter(\.$person.$id == id).with(\.$coordinator)
                .sort(\.$startsOn, .descending).all()
            async let providers = ProviderLink.query(on: db).filter(\.$person.$id == id).with(\.$organization).all()
            async let plans = Plan.query(on: db).filter(\.$person.$id == id).sort(\.$createdAt, .descending).limit(50).all()
            let choices = try await records.coordinatorChoices(on: db)
            let providerChoices = records.policy.roleAllows(.linkProvider)
                ? try await Organization.query(on: db).filter(\.$kind == OrganizationKind.provider.rawValue).sort(\.$name).all() : []
            let links = try await providers
            var conflict: (Organization, User, ConflictException?)?
            if let coordinatorID = person.currentCoordinatorID, let coordinator = try await User.find(coordinatorID, on: db),
               let link = links.first(where: { $0.$organization.id == coordinator.$organization.id }) {
                let exception = try await Caseloads.exceptions(of: id, on: db).first { $0.$organization.id == link.$organization.id && $0.$coordinator.id == coordinatorID }
                conflict = (link.organization, coordinator, exception)
            }
            return Detail(person: person, members: try await members, assignments: try await assignments, providers: links,
                          coordinatorChoices: choices, providerChoices: providerChoices, plans: try await plans, conflict: conflict)
        }
        return Layout.page(req, title: detail.person.displayName, main: PersonView.page(req, detail, records: records),
                           flash: req.query[String.self, at: "saved"].map { _ in "Saved." })
    }

    // MARK: Add and edit

    static let checkboxes: Set<String> = ["interpreterNeeded"]
    static let lists: Set<String> = ["communicationMethods"]

    static func newForm(req: Request) async throws -> HTML {
        let records = try req.records()
        guard records.policy.mayCreatePeople else { throw Problem.forbidden("Your role cannot add people. Ask a support coordinator.") }
        let person = Person()
        person.status = PersonStatus.referred.rawValue
        person.communicationMethods = []
        person.interpreterNeeded = false
        let choices = try await records.coordinatorChoices(on: req.db)
        return Layout.page(req, title: "Add a person", main: PersonView.form(req, person: person, errors: [], creating: true, coordinators: choices))
    }

    static func create(req: Request) async throws -> Response {
        let records = try req.records()
        let form = try FormBody(req)
        var input = form.asJSON(fields: PersonFields.allowed, checkboxes: checkboxes, lists: lists)
        if let coordinator = form.first("coordinatorId"), !coordinator.isEmpty { input["coordinatorId"] = .string(coordinator) }
        do {
            let person = try await records.createPerson(input)
            return req.redirect(to: "/people/\(person.id!.text)?saved=1", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let draft = Person()
            draft.communicationMethods = []; draft.interpreterNeeded = false; draft.status = PersonStatus.referred.rawValue
            input.removeValue(forKey: "coordinatorId")
            _ = PersonFields.apply(input, to: draft, creating: true, today: records.today)
            let choices = try await records.coordinatorChoices(on: req.db)
            let page = Layout.page(req, title: "Add a person", main: PersonView.form(req, person: draft, errors: problem.errors, creating: true, echo: form, coordinators: choices))
            return try await respond(page, status: .unprocessableEntity, req: req)
        }
    }

    static func editForm(req: Request) async throws -> HTML {
        let records = try req.records()
        let id = try req.uuidParameter("personID", what: "person")
        let person = try await records.change(id, .update, .demographics, action: .view) { person, _ in (person, "edit form") }
        return Layout.page(req, title: "Edit \(person.displayName)", main: PersonView.form(req, person: person, errors: [], creating: false))
    }

    static func update(req: Request) async throws -> Response {
        let records = try req.records()
        let id = try req.uuidParameter("personID", what: "person")
        let form = try FormBody(req)
        let input = form.asJSON(fields: PersonFields.allowed, checkboxes: checkboxes, lists: lists)
        let version = ETag.of(version: Int(form.first("version") ?? "") ?? -1)
        do {
            _ = try await records.updatePerson(id, input, ifMatch: version)
            return req.redirect(to: "/people/\(id.text)?saved=1", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity || problem.status == .preconditionFailed {
            let current = try await records.read(id, .demographics, detail: "edit form after refusal") { person, _ in person }
            var errors = problem.errors
            if problem.status == .preconditionFailed {
                errors = [FieldError("version", "Someone else saved this record while you were editing. Your changes were not saved. The form now shows the latest version: make your change again.")]
            } else {
                _ = PersonFields.apply(input, to: current, creating: false, today: records.today)
            }
            let page = Layout.page(req, title: "Edit \(current.displayName)", main: PersonView.form(req, person: current, errors: errors, creating: false, echo: problem.status == .preconditionFailed ? nil : form))
            return try await respond(page, status: problem.status == .preconditionFailed ? .conflict : .unprocessableEntity, req: req)
        }
    }

    static func assignCoordinator(req: Request) async throws -> Response {
        let records = try req.records()
        let id = try req.uuidParameter("personID", what: "person")
        let form = try FormBody(req)
        var errors: [FieldError] = []
        let coordinatorID = form.first("coordinatorId").flatMap(UUID.init(uuidString:))
        let reason = form.first("reason")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        func optional(_ name: String) -> String? { form.first(name)?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
        if coordinatorID == nil { errors.append(FieldError("coordinatorId", "Choose a coordinator.")) }
        if reason.isEmpty { errors.append(FieldError("reason", "Say why the coordinator is changing.")) }
        let chosenBy = optional("chosenBy").flatMap(CoordinatorChooser.init)
        if errors.isEmpty, let coordinatorID {
            do {
                _ = try await records.assignCoordinator(coordinatorID, to: id, startsOn: nil, reason: reason,
                                                        overLimitReason: optional("overLimitReason"), conflictFirewall: optional("conflictFirewall"),
                                                        offered: form.all("optionsOffered").compactMap(UUID.init(uuidString:)), chosenBy: chosenBy)
                return req.redirect(to: "/people/\(id.text)?saved=1", redirectType: .normal)
            } catch let problem as Problem where problem.status == .unprocessableEntity {
                errors = problem.errors
            }
        }
        throw Problem(.unprocessableEntity, "Coordinator not changed", detail: errors.map(\.message).joined(separator: " ") + " Go back to the person's page and try again.")
    }

    static func linkProvider(req: Request) async throws -> Response {
        let records = try req.records()
        let id = try req.uuidParameter("personID", what: "person")
        let form = try FormBody(req)
        guard let organizationID = form.first("organizationId").flatMap(UUID.init(uuidString:)) else {
            throw Problem(.unprocessableEntity, "Provider not linked", detail: "Choose a provider agency. Go back to the person's page and try again.")
        }
        do {
            _ = try await records.linkProvider(organizationID, to: id, since: nil,
                                               conflictFirewall: form.first("linkFirewall")?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            throw Problem(.unprocessableEntity, "Provider not linked", detail: problem.errors.map(\.message).joined(separator: " ") + " Go back to the person's page.")
        }
        return req.redirect(to: "/people/\(id.text)?saved=1#coordination", redirectType: .normal)
    }

    static func documentConflictException(req: Request) async throws -> Response {
        let records = try req.records()
        let id = try req.uuidParameter("personID", what: "person")
        let form = try FormBody(req)
        let firewall = form.first("exceptionFirewall")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard let organizationID = form.first("organizationId").flatMap(UUID.init(uuidString:)), !firewall.isEmpty else {
            throw Problem(.unprocessableEntity, "Exception not documented", detail: "Describe the firewall that keeps coordination apart from the provider's services. Go back to the person's page and try again.")
        }
        do {
            _ = try await records.documentConflictException(id, organizationID: organizationID, firewall: firewall)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            throw Problem(.unprocessableEntity, "Exception not documented", detail: problem.errors.map(\.message).joined(separator: " ") + " Go back to the person's page.")
        }
        return req.redirect(to: "/people/\(id.text)?saved=1#coordination", redirectType: .normal)
    }

    static func unlinkProvider(req: Request) async throws -> Response {
        let records = try req.records()
        let id = try req.uuidParameter("personID", what: "person")
        try await records.unlinkProvider(try req.uuidParameter("organizationID", what: "provider link"), from: id)
        return req.redirect(to: "/people/\(id.text)?saved=1#coordination", redirectType: .normal)
    }

    static func respond(_ page: HTML, status: HTTPResponseStatus, req: Request) async throws -> Response {
        let response = try await page.encodeResponse(for: req)
        response.status = status
        return response
    }
}

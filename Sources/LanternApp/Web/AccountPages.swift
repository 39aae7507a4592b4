import Fluent
import Vapor

/// Accounts for administrators: list, add, change role or access, deactivate. Every change goes
/// through `Accounts`, so it is checked and audited exactly as through the API.
enum AccountPages {
    static func register(_ web: any RoutesBuilder) {
        web.get("accounts", use: list)
        web.get("accounts", "new", use: newForm)
        web.post("accounts", use: create)
        web.get("accounts", ":userID", "edit", use: editForm)
        web.post("accounts", ":userID", "edit", use: update)
    }

    static func requireAdministrator(_ req: Request) throws -> Actor {
        let actor = try req.requireActor()
        guard AccessPolicy(actor: actor).mayManageAccounts else { throw Problem.notFound("page") }
        return actor
    }

    static func list(req: Request) async throws -> HTML {
        _ = try requireAdministrator(req)
        let role = req.query[String.self, at: "role"].flatMap(Role.init(rawValue:))
        var query = User.query(on: req.db).with(\.$organization).sort(\.$email)
        if let role { query = query.filter(\.$role == role.rawValue) }
        let users = try await query.limit(500).all()
        let rows = users.map { u -> HTML in
            """
            <tr><th scope="row"><a href="/accounts/\(u.id)/edit">\(u.displayName)</a></th><td>\(u.email)</td><td>\(u.userRole.label)</td>
            <td>\(u.organization?.name ?? "")</td><td>\(u.isActive ? "Active" : "Deactivated")</td></tr>
            """
        }
        let main: HTML = """
        <h1>Accounts</h1>
        <p class="actions"><a class="button" href="/accounts/new">Add an account</a></p>
        <form method="get" action="/accounts" class="filters" aria-label="Filter accounts">
        \(Form.select("role", "Role", Role.self, value: role?.rawValue, errors: []))
        <button type="submit">Filter</button>
        </form>
        <div class="table-wrap"><table>
        <caption>\(users.count) account\(users.count == 1 ? "" : "s")</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Organisation</th><th scope="col">State</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table></div>
        """
        return Layout.page(req, title: "Accounts", main: main, flash: req.query[String.self, at: "saved"].map { _ in "Saved." })
    }

    struct Choices: Sendable {
        var organizations: [Organization]
        var supervisors: [User]
        static func load(_ db: any Database) async throws -> Choices {
            Choices(organizations: try await Organization.query(on: db).sort(\.$name).all(),
                    supervisors: try await User.query(on: db).filter(\.$role == Role.supervisor.rawValue).sort(\.$displayName).all())
        }
    }

    static func newForm(req: Request) async throws -> HTML {
        _ = try requireAdministrator(req)
        return Layout.page(req, title: "Add an account", main: form(req, user: nil, choices: try await .load(req.db), errors: [], echo: nil))
    }

    static let fields: Set<String> = ["email", "displayName", "role", "organizationId", "supervisorId", "personId", "password"]

    /// The form as the API's body; empty choices mean "none".
    static func input(_ form: FormBody, fields: Set<String>) -> [String: JSONValue] {
        var input = form.asJSON(fields: fields)
        for key in ["organizationId", "supervisorId", "personId"] where input[key] == .string("") { input[key] = .null }
        return input
    }

    static func create(req: Request) async throws -> Response {
        let actor = try requireAdministrator(req)
        let body = try FormBody(req)
        do {
            _ = try await Accounts.create(input(body, fields: fields), actor: actor, req: req)
            return req.redirect(to: "/accounts?saved=1", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let page = Layout.page(req, title: "Add an account", main: form(req, user: nil, choices: try await .load(req.db), errors: problem.errors, echo: body))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
    }

    static func editForm(req: Request) async throws -> HTML {
        _ = try requireAdministrator(req)
        guard let user = try await User.find(try req.uuidParameter("userID", what: "account"), on: req.db) else { throw Problem.notFound("account") }
        return Layout.page(req, title: "Edit \(user.displayName)", main: form(req, user: user, choices: try await .load(req.db), errors: [], echo: nil))
    }

    static func update(req: Request) async throws -> Response {
        let actor = try requireAdministrator(req)
        let id = try req.uuidParameter("userID", what: "account")
        let body = try FormBody(req)
        var changes = input(body, fields: ["displayName", "role", "organizationId", "supervisorId", "personId"])
        changes["isActive"] = .bool(body.first("isActive") == "true")
        let version = ETag.of(version: Int(body.first("version") ?? "") ?? -1)
        do {
            _ = try await Accounts.update(id, changes, ifMatch: version, actor: actor, req: req)
            return req.redirect(to: "/accounts?saved=1", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity || problem.status == .preconditionFailed {
            guard let user = try await User.find(id, on: req.db) else { throw Problem.notFound("account") }
            let stale = problem.status == .preconditionFailed
            let errors = stale ? [FieldError("version", "Someone else changed this account while you were editing. Nothing was saved; the form shows the latest version.")] : problem.errors
            let page = Layout.page(req, title: "Edit \(user.displayName)", main: form(req, user: user, choices: try await .load(req.db), errors: errors, echo: stale ? nil : body))
            return try await PeoplePages.respond(page, status: stale ? .conflict : .unprocessableEntity, req: req)
        }
    }

    static func options(_ items: [(String, String)], selected: String?) -> [HTML] {
        [HTML("<option value=\"\">None</option>")] + items.map { value, label -> HTML in
            "<option value=\"\(value)\"\(value == selected ? HTML(unsafeRaw: " selected") : .empty)>\(label)</option>"
        }
    }

    static func choice(_ name: String, _ label: String, _ items: [(String, String)], selected: String?, hint: String, errors: [FieldError]) -> HTML {
        let error = errors.first { $0.field == name }?.message
        let described = "\(Form.fieldID(name))-hint" + (error != nil ? " \(Form.fieldID(name))-error" : "")
        return """
        <div class="field\(error != nil ? HTML(unsafeRaw: " has-error") : .empty)">
        <label for="\(Form.fieldID(name))">\(label)</label>
        <p class="hint" id="\(Form.fieldID(name))-hint">\(hint)</p>
        \(error.map { HTML("<p class=\"field-error\" id=\"\(Form.fieldID(name))-error\"><span class=\"visually-hidden\">Error: </span>\($0)</p>") } ?? .empty)
        <select id="\(Form.fieldID(name))" name="\(name)" aria-describedby="\(described)"\(error != nil ? HTML(unsafeRaw: " aria-invalid=\"true\"") : .empty)>\(options(items, selected: selected))</select>
        </div>
        """
    }

    static func form(_ req: Request, user u: User?, choices: Choices, errors: [FieldError], echo: FormBody?) -> HTML {
        func v(_ name: String, _ model: String?) -> String? { echo?.first(name) ?? model }
        let creating = u == nil
        let action = creating ? "/accounts" : "/accounts/\(u!.id!.text)/edit"
        return """
        <h1>\(creating ? "Add an account" : "Edit \(u!.displayName)")</h1>
        \(Form.editorStart(req, action: action, version: u?.version, errors: errors))
        \(creating ? Form.text("email", "Email", value: v("email", nil), errors: errors, hint: "They sign in with it.", required: true, type: "email", autocomplete: "off") : HTML("<p><strong>Email:</strong> \(u!.email)</p>"))
        \(Form.text("displayName", "Name", value: v("displayName", u?.displayName), errors: errors, required: true))
        \(Form.select("role", "Role", Role.self, value: v("role", u?.role), errors: errors, hint: "What they may see and do. Changing it signs them out everywhere.", required: true))
        \(choice("organizationId", "Organisation", choices.organizations.map { ($0.id!.text, $0.name) }, selected: v("organizationId", u?.$organization.id?.text), hint: "Provider staff must belong to a provider agency.", errors: errors))
        \(choice("supervisorId", "Supervisor", choices.supervisors.map { ($0.id!.text, $0.displayName) }, selected: v("supervisorId", u?.supervisorID?.text), hint: "For support coordinators: who supervises them.", errors: errors))
        \(Form.text("personId", "Person record id", value: v("personId", u?.personID?.text), errors: errors, hint: "Only for the role 'Person supported': the id of their own record."))
        \(creating ? Form.text("password", "First password", value: nil, errors: errors, hint: "8 to 128 characters. A few words together are strong and easy to remember.", required: true, type: "password", autocomplete: "new-password") : Form.checkbox("isActive", "Account is active (untick to stop them signing in)", checked: echo.map { $0.first("isActive") == "true" } ?? u!.isActive, errors: errors))
        <div class="actions">
        <button type="submit">\(creating ? "Add account" : "Save changes")</button>
        <a href="/accounts">Cancel</a>
        </div>
        </form>
        """
    }
}

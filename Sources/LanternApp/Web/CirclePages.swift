import Fluent
import Vapor

/// Adding, editing and removing people in someone's circle of support.
enum CirclePages {
    static func register(_ web: any RoutesBuilder) {
        web.get("people", ":personID", "circle", "new", use: newForm)
        web.post("people", ":personID", "circle", use: create)
        web.get("people", ":personID", "circle", ":memberID", "edit", use: editForm)
        web.post("people", ":personID", "circle", ":memberID", "edit", use: update)
        web.get("people", ":personID", "circle", ":memberID", "remove", use: confirmRemove)
        web.post("people", ":personID", "circle", ":memberID", "remove", use: remove)
    }

    static let checkboxes: Set<String> = ["isPaid", "chosenByPerson", "hasLegalAuthority", "receivesPlanCopy"]
    static let formFields = CircleFields.allowed.subtracting(["userId"])

    static func newForm(req: Request) async throws -> HTML {
        let records = try req.records()
        let personID = try req.uuidParameter("personID", what: "person")
        let person = try await records.change(personID, .manageCircle, .circle, action: .view) { person, _ in (person, "add circle member form") }
        let member = CircleMember.blank()
        return Layout.page(req, title: "Add to \(person.displayName)'s circle", main: form(req, person: person, member: member, errors: [], echo: nil))
    }

    static func create(req: Request) async throws -> Response {
        let records = try req.records()
        let personID = try req.uuidParameter("personID", what: "person")
        let body = try FormBody(req)
        do {
            _ = try await records.addCircleMember(to: personID, body.asJSON(fields: formFields, checkboxes: checkboxes))
            return req.redirect(to: "/people/\(personID.text)?saved=1#circle", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let person = try await records.read(personID, .circle, detail: "circle form after refusal") { person, _ in person }
            let page = Layout.page(req, title: "Add to \(person.displayName)'s circle", main: form(req, person: person, member: .blank(), errors: problem.errors, echo: body))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
    }

    static func editForm(req: Request) async throws -> HTML {
        let records = try req.records()
        let personID = try req.uuidParameter("personID", what: "person")
        let memberID = try req.uuidParameter("memberID", what: "circle member")
        let (person, member) = try await memberForChange(records, personID, memberID, note: "edit circle member form")
        return Layout.page(req, title: "Edit \(member.name)", main: form(req, person: person, member: member, errors: [], echo: nil))
    }

    /// The person and one member of their circle, for a page that changes the circle (audited as a view).
    static func memberForChange(_ records: PersonRecords, _ personID: UUID, _ memberID: UUID, note: String) async throws -> (Person, CircleMember) {
        try await records.change(personID, .manageCircle, .circle, action: .view) { person, db in
            ((person, try await PersonRecords.member(memberID, of: personID, on: db)), note)
        }
    }

    static func update(req: Request) async throws -> Response {
        let records = try req.records()
        let personID = try req.uuidParameter("personID", what: "person")
        let memberID = try req.uuidParameter("memberID", what: "circle member")
        let body = try FormBody(req)
        let version = ETag.of(version: Int(body.first("version") ?? "") ?? -1)
        do {
            _ = try await records.updateCircleMember(memberID, of: personID, body.asJSON(fields: formFields, checkboxes: checkboxes), ifMatch: version)
            return req.redirect(to: "/people/\(personID.text)?saved=1#circle", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity || problem.status == .preconditionFailed {
            let stale = problem.status == .preconditionFailed
            let (person, member) = try await records.read(personID, .circle, detail: "circle form after refusal") { person, db in
                (person, try await PersonRecords.member(memberID, of: personID, on: db))
            }
            let errors = stale ? [FieldError("version", "Someone else saved this while you were editing. Your changes were not saved; the form shows the latest version.")] : problem.errors
            let page = Layout.page(req, title: "Edit \(member.name)", main: form(req, person: person, member: member, errors: errors, echo: stale ? nil : body))
            return try await PeoplePages.respond(page, status: stale ? .conflict : .unprocessableEntity, req: req)
        }
    }

    /// Removing someone cannot be undone, so the page asks first (WCAG 3.3.4).
    static func confirmRemove(req: Request) async throws -> HTML {
        let records = try req.records()
        let personID = try req.uuidParameter("personID", what: "person")
        let memberID = try req.uuidParameter("memberID", what: "circle member")
        let (person, member) = try await memberForChange(records, personID, memberID, note: "remove circle member form")
        let pid = personID.text
        let main: HTML = """
        <h1>Remove \(member.name) from \(person.displayName)'s circle?</h1>
        <p>\(member.name) will no longer be listed in the circle of support\(member.userID != nil ? HTML(" and their account will no longer see this record") : .empty). This cannot be undone; you can add them again later.</p>
        <form method="post" action="/people/\(pid)/circle/\(memberID.text)/remove" class="actions">
        \(Form.csrf(req))
        <input type="hidden" name="version" value="\(member.version)">
        <button type="submit" class="danger">Yes, remove \(member.name)</button>
        <a href="/people/\(pid)/circle/\(memberID.text)/edit">No, go back</a>
        </form>
        """
        return Layout.page(req, title: "Remove \(member.name)", main: main)
    }

    static func remove(req: Request) async throws -> Response {
        let records = try req.records()
        let personID = try req.uuidParameter("personID", what: "person")
        let memberID = try req.uuidParameter("memberID", what: "circle member")
        let version = ETag.of(version: Int((try FormBody(req)).first("version") ?? "") ?? -1)
        do {
            try await records.removeCircleMember(memberID, of: personID, ifMatch: version)
        } catch let problem as Problem where problem.status == .preconditionFailed {
            throw Problem(.conflict, "Changed by someone else", detail: "Someone changed this circle member after you opened the page, so nothing was removed. Open the person's page, check the change, and try again.")
        }
        return req.redirect(to: "/people/\(personID.text)?saved=1#circle", redirectType: .normal)
    }

    static func form(_ req: Request, person: Person, member m: CircleMember, errors: [FieldError], echo: FormBody?) -> HTML {
        let creating = m.id == nil
        func v(_ name: String, _ model: String?) -> String? { echo?.first(name) ?? model }
        func c(_ name: String, _ model: Bool) -> Bool { echo.map { $0.first(name) == "true" } ?? model }
        let pid = person.id!.text
        let action = creating ? "/people/\(pid)/circle" : "/people/\(pid)/circle/\(m.id!.text)/edit"
        let removeForm: HTML = creating ? .empty : """
        <p><a class="button danger" href="/people/\(pid)/circle/\(m.id!.text)/remove">Remove \(m.name) from the circle</a></p>
        """
        return """
        <h1>\(creating ? "Add someone to \(person.displayName)'s circle of support" : "Edit \(m.name) in \(person.displayName)'s circle")</h1>
        \(Form.editorStart(req, action: action, version: creating ? nil : m.version, errors: errors))
        \(Form.text("name", "Name", value: v("name", creating ? nil : m.name), errors: errors, required: true))
        \(Form.select("relationship", "Relationship or role", Relationship.self, value: v("relationship", creating ? nil : m.relationship), errors: errors, required: true))
        \(Form.checkbox("isPaid", "Paid support (for example staff or a professional)", checked: c("isPaid", m.isPaid), errors: errors))
        \(Form.checkbox("chosenByPerson", "The person chose to have them in the circle", checked: c("chosenByPerson", m.chosenByPerson), errors: errors))
        \(Form.checkbox("hasLegalAuthority", "Holds legal authority (guardian, conservator, parent of a minor)", checked: c("hasLegalAuthority", m.hasLegalAuthority), errors: errors))
        \(Form.text("authorityScope", "What the legal authority covers", value: v("authorityScope", m.authorityScope), errors: errors, hint: "For example: all decisions, medical, financial"))
        \(Form.text("phone", "Phone", value: v("phone", m.phone), errors: errors, type: "tel", autocomplete: "off"))
        \(Form.text("email", "Email", value: v("email", m.email), errors: errors, type: "email", autocomplete: "off"))
        \(Form.text("address", "Address", value: v("address", m.address), errors: errors, autocomplete: "off"))
        \(Form.checkbox("receivesPlanCopy", "Gets a copy of the plan", checked: c("receivesPlanCopy", m.receivesPlanCopy), errors: errors))
        <div class="actions">
        <button type="submit">\(creating ? "Add to circle" : "Save changes")</button>
        <a href="/people/\(pid)#circle">Cancel</a>
        </div>
        </form>
        \(removeForm)
        """
    }
}

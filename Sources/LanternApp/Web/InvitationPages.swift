import LanternDomain
import Vapor

/// Inviting the person or their family (on the person's page), and the invitation link itself, in
/// the invitee's language.
enum InvitationPages {
    /// The link is opened by someone not signed in yet.
    static func registerPublic(_ web: any RoutesBuilder) {
        web.get("invitations", ":token", use: show)
        web.post("invitations", ":token", use: accept)
    }

    static func registerSignedIn(_ web: any RoutesBuilder) {
        web.post("people", ":personID", "invitations", use: invite)
    }

    static func invite(req: Request) async throws -> HTML {
        let personID = try req.uuidParameter("personID", what: "person")
        let form = try FormBody(req)
        var input = form.asJSON(fields: PersonRecords.invitationFields)
        if case .string("")? = input["circleMemberId"] { input["circleMemberId"] = nil }
        let (invitation, token) = try await req.records().invite(personID, input)
        let link = PersonRecords.invitationPath(token)
        return Layout.page(req, title: "Invitation made", main: """
        <h1>Invitation made</h1>
        <p>An email with this link is on its way to \(invitation.email). It works once, until \(CalendarDate(invitation.expiresAt).description).</p>
        <p>You can also give the link by hand. It is shown only now:</p>
        <p class="card"><a href="\(link)" id="invitation-link">\(link)</a></p>
        <p><a href="/people/\(personID.text)">Back to the person's page</a></p>
        """)
    }

    static func page(_ req: Request, _ open: Invitations.Open, token: String, errors: [FieldError]) -> HTML {
        let lang = open.invitation.portalLanguage
        func t(_ key: String, _ values: [String: String] = [:]) -> String { Messages.text(key, lang, values) }
        return Layout.page(req, title: t("invitation.title"), main: """
        <div lang="\(lang.htmlCode)">
        <h1>\(t("invitation.title"))</h1>
        <p class="lead">\(t("invitation.lead", ["inviter": open.inviter, "person": open.person.displayName]))</p>
        <p>\(t("invitation.what"))</p>
        \(Form.errorSummary(errors))
        <form method="post" action="/invitations/\(token)" novalidate>
        \(Form.csrf(req))
        <p>\(t("invitation.email", ["email": open.invitation.email]))</p>
        \(Form.text("password", t("invitation.password.label"), value: nil, errors: errors, hint: t("invitation.password.hint"), required: true, type: "password", autocomplete: "new-password"))
        \(Form.text("confirm", t("invitation.confirm.label"), value: nil, errors: errors, required: true, type: "password", autocomplete: "new-password"))
        <div class="actions"><button type="submit">\(t("invitation.submit"))</button></div>
        </form>
        <p>\(t("invitation.expires", ["date": CalendarDate(open.invitation.expiresAt).description]))</p>
        </div>
        """)
    }

    /// Said in every language, since nothing tells which the reader speaks.
    static func gone(_ req: Request, person: String?) async throws -> Response {
        func lead(_ language: PortalLanguage) -> String {
            Messages.text("invitation.gone.lead", language, ["person": person ?? Messages.text("invitation.gone.someone", language)])
        }
        let others = PortalLanguage.allCases.filter { $0 != .en }.map { language -> HTML in
            "<div lang=\"\(language.htmlCode)\"><h2>\(Messages.text("invitation.gone.title", language))</h2><p>\(lead(language))</p></div>"
        }
        let page = Layout.page(req, title: Messages.text("invitation.gone.title", .en), main: """
        <h1>\(Messages.text("invitation.gone.title", .en))</h1>
        <p>\(lead(.en))</p>
        \(others)
        """)
        return try await PeoplePages.respond(page, status: .gone, req: req)
    }

    static func show(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard let open = try await Invitations.find(token, on: req.db, now: req.now) else { return try await gone(req, person: nil) }
        return try await page(req, open, token: token, errors: []).encodeResponse(for: req)
    }

    static func accept(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let form = try FormBody(req)
        do {
            let invitation = try await Invitations.accept(token, password: form.first("password") ?? "", confirm: form.first("confirm") ?? "", req: req)
            let lang = invitation.portalLanguage
            let done = Layout.page(req, title: Messages.text("invitation.done.title", lang), main: """
            <div lang="\(lang.htmlCode)">
            <h1>\(Messages.text("invitation.done.title", lang))</h1>
            <p>\(Messages.text("invitation.done.lead", lang, ["email": invitation.email]))</p>
            <p><a href="/sign-in">\(Messages.text("invitation.done.signIn", lang))</a></p>
            </div>
            """)
            return try await done.encodeResponse(for: req)
        } catch let problem as Problem where problem.status == .gone {
            return try await gone(req, person: nil)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            guard let open = try await Invitations.find(token, on: req.db, now: req.now) else { return try await gone(req, person: nil) }
            return try await PeoplePages.respond(page(req, open, token: token, errors: problem.errors), status: .unprocessableEntity, req: req)
        }
    }
}

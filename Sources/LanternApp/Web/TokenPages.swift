import Fluent
import Vapor

/// Personal access tokens for the API: make one (shown once), see them, revoke them.
enum TokenPages {
    static func register(_ web: any RoutesBuilder) {
        web.get("tokens", use: list)
        web.post("tokens", use: create)
        web.post("tokens", ":tokenID", "revoke", use: revoke)
    }

    static func list(req: Request) async throws -> HTML {
        try await render(req, newSecret: nil, errors: [], typed: nil)
    }

    static func render(_ req: Request, newSecret: String?, errors: [FieldError], typed: FormBody?) async throws -> HTML {
        let actor = try req.requireActor()
        let tokens = try await AccessToken.query(on: req.db).filter(\.$user.$id == actor.userID).sort(\.$createdAt, .descending).all()
        let rows = tokens.map { t -> HTML in
            let state: String = t.revokedAt != nil ? "Revoked" : (t.expiresAt.map { $0 < req.now } ?? false) ? "Expired" : "Active"
            let revoke: HTML = t.revokedAt == nil ? """
            <form method="post" action="/tokens/\(t.id)/revoke">\(Form.csrf(req))<button type="submit" class="secondary">Revoke<span class="visually-hidden"> \(t.name)</span></button></form>
            """ : .empty
            return """
            <tr><th scope="row">\(t.name)</th><td><code>\(t.prefix)…</code></td><td>\(Views.dateText(t.createdAt))</td>
            <td>\(t.lastUsedAt.map(Views.dateText) ?? "Never")</td><td>\(t.expiresAt.map(Views.dateText) ?? "Never")</td><td>\(state)</td><td>\(revoke)</td></tr>
            """
        }
        let secret: HTML = newSecret.map { """
            <div class="card" role="status"><h2>Your new token</h2><p>Copy it now: Lantern shows it only once and keeps only a fingerprint of it.</p>
            <p class="secret">\($0)</p><p>Send it with each API request as <code>Authorization: Bearer</code> followed by the token.</p></div>
            """ } ?? .empty
        let main: HTML = """
        <h1>API tokens</h1>
        <p>A token lets a program use the Lantern API as you, with exactly your access. Revoke a token you no longer use. The API is described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
        \(secret)
        \(Form.errorSummary(errors))
        <form method="post" action="/tokens" class="card" novalidate>
        <h2>Make a token</h2>
        \(Form.csrf(req))
        \(Form.text("name", "What is it for?", value: typed?.first("name"), errors: errors, hint: "For example: monthly report script", required: true))
        \(Form.text("expiresInDays", "Days until it expires", value: typed?.first("expiresInDays") ?? "90", errors: errors, hint: "1 to 365. Leave empty for no end date.", type: "number"))
        <button type="submit">Make token</button>
        </form>
        <h2>Your tokens</h2>
        \(tokens.isEmpty ? HTML("<p>You have no tokens.</p>") : """
        <div class="table-wrap"><table><caption>Your tokens</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Made</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>\(rows)</tbody></table></div>
        """)
        """
        return Layout.page(req, title: "API tokens", main: main)
    }

    static func create(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try FormBody(req)
        var errors: [FieldError] = []
        let name = form.first("name")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if name.isEmpty { errors.append(FieldError("name", "Say what the token is for, so you can recognise it later.")) }
        else if name.count > 100 { errors.append(FieldError("name", "Use at most 100 characters.")) }
        var days: Int?
        if let text = form.first("expiresInDays")?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if let n = Int(text), (1...365).contains(n) { days = n } else { errors.append(FieldError("expiresInDays", "Days until it expires must be a whole number from 1 to 365, or empty.")) }
        }
        if !errors.isEmpty {
            return try await PeoplePages.respond(try await render(req, newSecret: nil, errors: errors, typed: form), status: .unprocessableEntity, req: req)
        }
        let (_, secret) = try await Tokens.create(name: name, expiresInDays: days, actor: actor, req: req)
        return try await PeoplePages.respond(try await render(req, newSecret: secret, errors: [], typed: nil), status: .created, req: req)
    }

    static func revoke(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        try await Tokens.revoke(try req.uuidParameter("tokenID", what: "token"), actor: actor, req: req)
        return req.redirect(to: "/tokens", redirectType: .normal)
    }
}

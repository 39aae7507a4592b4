import Vapor

/// Signing in and out.
enum SignInPages {
    static func register(_ web: any RoutesBuilder) {
        web.get("sign-in", use: show)
        web.post("sign-in", use: submit)
        web.post("sign-out", use: signOut)
    }

    static func show(req: Request) async throws -> Response {
        if req.actor != nil { return req.redirect(to: "/people") }
        let expired = req.storage[SessionExpiredKey.self] == true
        return try await render(req, email: "", message: expired ? "You were signed out because the session timed out. Please sign in again." : nil,
                                status: .ok)
    }

    static func render(_ req: Request, email: String, message: String?, status: HTTPResponseStatus) async throws -> Response {
        let next = safeNext(req.query[String.self, at: "next"] ?? (try? FormBody(req).first("next")) ?? nil)
        let errors = message.map { [FieldError("email", $0)] } ?? []
        let main: HTML = """
        <h1>Sign in to Lantern</h1>
        \(Form.errorSummary(errors))
        <form method="post" action="/sign-in" class="sign-in" novalidate>
        \(Form.csrf(req))
        <input type="hidden" name="next" value="\(next)">
        \(Form.text("email", "Email", value: email, errors: errors, required: true, type: "email", autocomplete: "username"))
        \(Form.text("password", "Password", value: nil, errors: [], required: true, type: "password", autocomplete: "current-password"))
        <button type="submit">Sign in</button>
        </form>
        <p class="hint">Lantern signs you out after 30 minutes without activity, and always after 12 hours.</p>
        """
        let response = try await Layout.page(req, title: "Sign in", main: main).encodeResponse(for: req)
        response.status = status
        return response
    }

    static func submit(req: Request) async throws -> Response {
        let form = try FormBody(req)
        let email = form.first("email") ?? ""
        switch try await Sessions.signIn(email: email, password: form.first("password") ?? "", req: req) {
        case let .signedIn(cookieValue, _):
            let response = req.redirect(to: safeNext(form.first("next")), redirectType: .normal)
            response.cookies[Sessions.cookieName] = Sessions.cookie(cookieValue, req: req)
            return response
        case let .refused(message):
            return try await render(req, email: email, message: message, status: .unprocessableEntity)
        case let .wait(until):
            let seconds = max(1, Int(until.timeIntervalSince(req.now).rounded(.up)))
            let wait = seconds < 90 ? "\(seconds) seconds" : "\(Int((Double(seconds) / 60).rounded(.up))) minutes"
            let response = try await render(req, email: email, message: "Too many tries for this account. Wait \(wait), then try again, or ask your administrator to help.", status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            return response
        }
    }

    static func signOut(req: Request) async throws -> Response {
        try await Sessions.signOut(req: req)
        let response = req.redirect(to: "/sign-in?signed-out=1", redirectType: .normal)
        response.cookies[Sessions.cookieName] = Sessions.cookie("", req: req, expires: true)
        return response
    }

    /// Only a path on this site: never another host, so sign-in cannot be used to send people elsewhere.
    static func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\"), !value.hasPrefix("/sign-"),
              // Browsers drop tabs and newlines from URLs, so "/\t/evil.example" would become "//evil.example".
              value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
              let parts = URLComponents(string: value), parts.scheme == nil, parts.host == nil else { return "/" }
        return value
    }
}

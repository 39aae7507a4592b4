import Vapor

/// Every form carries a token that a page from another site cannot know. Signed-in forms use the
/// session's token; the sign-in form uses a random cookie value (double submit). No state changes on GET.
enum CSRF {
    static let fieldName = "_csrf"
    static let cookieName = "lantern_form"

    /// The token to put in this page's forms.
    static func token(for req: Request) -> String {
        if let actor = req.actor, case let .session(_, token) = actor.channel { return token }
        if let existing = req.cookies[cookieName]?.string, !existing.isEmpty { return existing }
        if let made = req.storage[PendingCookieKey.self] { return made }
        let made = Secrets.random()
        req.storage[PendingCookieKey.self] = made
        return made
    }

    struct PendingCookieKey: StorageKey { typealias Value = String }

    static func isValid(_ submitted: String?, for req: Request) -> Bool {
        guard let submitted, !submitted.isEmpty else { return false }
        if let actor = req.actor, case let .session(_, token) = actor.channel {
            return Secrets.constantTimeEqual(submitted, token)
        }
        guard let cookie = req.cookies[cookieName]?.string else { return false }
        return Secrets.constantTimeEqual(submitted, cookie)
    }
}

/// Checks the token on every browser request that can change something, and sets the pre-session cookie.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.method != .GET && req.method != .HEAD {
            // The body may still be streaming in; collect it before reading the token.
            // A signed-in user's file upload may be larger; the upload route sets its own limit.
            let multipart = req.headers.contentType?.type == "multipart" && req.actor != nil
            if req.body.data == nil { _ = try await req.body.collect(max: multipart ? 6 * 1_048_576 : 1_048_576).get() }
            // A file upload sends its token as one part of the multipart body.
            let token = multipart
                ? try? req.content.get(String.self, at: CSRF.fieldName)
                : (try? FormBody(req))?.first(CSRF.fieldName)
            guard CSRF.isValid(token, for: req) else {
                throw Problem(.forbidden, "Form expired",
                              detail: "This form is out of date or came from another site. Go back, reload the page, and send it again.")
            }
        }
        let response = try await next.respond(to: req)
        if let made = req.storage[CSRF.PendingCookieKey.self] {
            response.cookies[CSRF.cookieName] = HTTPCookies.Value(string: made, path: "/", isSecure: req.application.lantern.secureCookies,
                                                                 isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }
}

/// An `application/x-www-form-urlencoded` body read as ordered pairs, so that repeated names
/// (a group of checkboxes) keep every value.
struct FormBody: Sendable {
    var pairs: [(String, String)]

    init(_ req: Request) throws {
        guard let buffer = req.body.data else { pairs = []; return }
        let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
        pairs = text.split(separator: "&").compactMap { part in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let key = kv.first else { return nil }
            return (decode(key), kv.count > 1 ? decode(kv[1]) : "")
        }
    }

    func first(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }
    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    /// The form as the JSON object the API takes: text fields as given, listed checkbox fields as
    /// true/false, multi-value fields as arrays.
    func asJSON(fields: Set<String>, checkboxes: Set<String> = [], lists: Set<String> = []) -> [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        for name in fields {
            if lists.contains(name) { object[name] = .array(all(name).map(JSONValue.string)) }
            else if checkboxes.contains(name) { object[name] = .bool(first(name) == "true") }
            else if let value = first(name) { object[name] = .string(value) }
        }
        return object
    }
}

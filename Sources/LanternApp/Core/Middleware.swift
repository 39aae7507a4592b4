import Logging
import Vapor

/// Turns every error into an answer a person can act on: problem+json for the API, a page for browsers.
/// Unexpected errors are logged with the request id only, never with personal data.
struct ProblemMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch let redirect as Redirect {
            return req.redirect(to: redirect.location, redirectType: .normal)
        } catch {
            let problem = Problem.from(error)
            if problem.status == .internalServerError {
                req.logger.error("request failed", metadata: ["error": "\(String(reflecting: type(of: error)))", "detail": "\(error)"])
            }
            if req.url.path.hasPrefix("/fhir/") { return problem.operationOutcome(for: req) }
            if req.isAPI || !(req.headers.accept.mediaTypes.contains(.html)) && req.headers.accept.mediaTypes.contains(.json) {
                return problem.response(for: req)
            }
            let page = Layout.page(req, title: problem.title, main: Views.errorPage(problem))
            var headers = problem.headers
            headers.contentType = .html
            return Response(status: problem.status, headers: headers, body: .init(string: page.raw))
        }
    }
}

/// Headers every answer carries, and `no-store` on anything that may hold personal data.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        let h = response.headers
        var headers = h
        headers.replaceOrAdd(name: "Content-Security-Policy",
                             value: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        headers.replaceOrAdd(name: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()")
        if req.application.lantern.secureCookies {
            headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        if !req.url.path.hasPrefix("/assets/") {
            headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        response.headers = headers
        return response
    }
}

/// Logs one line per request: method, route pattern (never the query string, which can hold names),
/// status and time. Personal data and secrets stay out of the logs.
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next.respond(to: req)
        let elapsed = ContinuousClock.now - start
        let route = req.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        req.logger.info("request", metadata: [
            "method": "\(req.method.rawValue)", "route": "\(route)", "status": "\(response.status.code)",
            "ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
        ])
        req.application.lantern.metrics.record(method: req.method.rawValue, route: route, status: response.status.code, duration: elapsed)
        return response
    }
}

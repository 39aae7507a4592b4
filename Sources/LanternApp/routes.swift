import Vapor

/// Every route. Web pages use the session cookie and CSRF tokens; the API uses bearer tokens.
func routes(_ app: Application) throws {
    OperationsRoutes.register(app)
    FHIRRoutes.register(app)
    for (name, text, type) in [("lantern.css", Stylesheet.css, "css"), ("document.css", DocumentStylesheet.css, "css"), ("drafts.js", PortalScript.drafts, "javascript")] {
        app.get("assets", .constant(name)) { _ -> Response in
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "text", subType: type, parameters: ["charset": "utf-8"])
            headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
            return Response(status: .ok, headers: headers, body: .init(string: text))
        }
    }

    let web = app.grouped(SessionAuthenticator(), CSRFMiddleware())
    SignInPages.register(web)
    InvitationPages.registerPublic(web)
    let signedIn = web.grouped(RequireSignIn())
    PeoplePages.register(signedIn)
    CirclePages.register(signedIn)
    TokenPages.register(signedIn)
    AuditPages.register(signedIn)
    AccountPages.register(signedIn)
    PlanPages.register(signedIn)
    PlanDocumentPages.register(signedIn)
    ProfilePhotoPages.register(signedIn)
    OutcomePages.register(signedIn)
    ServicePages.register(signedIn)
    CoordinationPages.register(signedIn)
    PersonCoordinationPages.register(signedIn)
    InvitationPages.registerSignedIn(signedIn)
    PortalPages.register(signedIn)

    let api = app.grouped("api", "v1")
    api.get("openapi.json") { req -> Response in
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try OpenAPIDocument.data()))
    }
    let authenticated = api.grouped(TokenAuthenticator(), RequireSignIn())
    PeopleAPI.register(authenticated)
    AccountsAPI.register(authenticated)
    AuditAPI.register(authenticated)
    PlansAPI.register(authenticated)
    PlanFollowUpAPI.register(authenticated)
    OutcomesAPI.register(authenticated)
    ServicesAPI.register(authenticated)
    CoordinationAPI.register(authenticated)
    PersonCoordinationAPI.register(authenticated)
    FHIRImportAPI.register(authenticated)
    PortalAPI.register(authenticated)
}

/// Ends the request unless someone is signed in: a redirect to sign-in for pages, 401 for the API.
struct RequireSignIn: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        _ = try req.requireActor()
        return try await next.respond(to: req)
    }
}

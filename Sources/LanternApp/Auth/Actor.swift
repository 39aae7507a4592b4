import Vapor

/// Who is making the request: the signed-in user, as the access policy and the audit trail need them.
public struct Actor: Sendable {
    public enum Channel: Sendable { case session(id: UUID, csrfToken: String), token(id: UUID) }
    public var userID: UUID
    public var email: String
    public var displayName: String
    public var role: Role
    public var organizationID: UUID?
    public var personID: UUID?
    /// The language the account reads its pages in (the person's and family's pages).
    public var language: PortalLanguage
    public var channel: Channel

    init(user: User, channel: Channel) throws {
        userID = try user.requireID(); email = user.email; displayName = user.displayName
        role = user.userRole; organizationID = user.$organization.id; personID = user.personID
        language = user.language.flatMap(PortalLanguage.init) ?? .en
        self.channel = channel
    }
}

extension Request {
    private struct ActorKey: StorageKey { typealias Value = Actor }
    var actor: Actor? {
        get { storage[ActorKey.self] }
        set { storage[ActorKey.self] = newValue }
    }
    /// The signed-in user, or the answer that asks them to sign in.
    func requireActor() throws -> Actor {
        guard let actor else { throw isAPI ? Problem.signInRequired : Redirect.toSignIn(from: self) }
        return actor
    }
    /// The JSON API and the FHIR surface: tokens, and errors as JSON rather than pages.
    var isAPI: Bool { url.path.hasPrefix("/api/") || url.path.hasPrefix("/fhir/") }
    /// The address the request came from, for the audit trail (the proxy's header first when one is set).
    var sourceAddress: String? {
        // The proxy appends the address it saw; anything before it was sent by the client and can be forged.
        if application.lantern.trustForwardedFor, let forwarded = headers[.xForwardedFor].last?.split(separator: ",").last {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress
    }
}

/// Sends a browser to another page. Thrown, so that a check deep in a handler can end the request.
struct Redirect: Error {
    var location: String
    static func toSignIn(from req: Request) -> Redirect {
        var next = req.url.path
        if let query = req.url.query { next += "?" + query }
        let allowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=?+"))
        return Redirect(location: "/sign-in?next=" + (next.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"))
    }
}

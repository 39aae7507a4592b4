import Fluent
import Vapor

/// `/api/v1/me`, `/users`, `/organizations` and `/tokens`.
enum AccountsAPI {
    static func register(_ api: any RoutesBuilder) {
        api.get("me", use: me)
        api.get("users", use: listUsers)
        api.post("users", use: createUser)
        api.get("users", ":userID", use: showUser)
        api.patch("users", ":userID", use: updateUser)
        api.get("organizations", use: listOrganizations)
        api.post("organizations", use: createOrganization)
        api.get("tokens", use: listTokens)
        api.delete("tokens", ":tokenID", use: revokeToken)
    }

    static func me(req: Request) async throws -> JSONReply<UserDTO> {
        let actor = try req.requireActor()
        guard let user = try await User.find(actor.userID, on: req.db) else { throw Problem.notFound("account") }
        return .versioned(UserDTO(user), version: user.version)
    }

    static func requireAdministrator(_ req: Request) throws -> Actor {
        let actor = try req.requireActor()
        guard AccessPolicy(actor: actor).mayManageAccounts else {
            throw Problem.forbidden("Only an administrator can manage accounts and organisations.")
        }
        return actor
    }

    /// Accounts in email order, a page at a time; `q` searches names and emails.
    static func listUsers(req: Request) async throws -> JSONReply<ListReply<UserDTO>> {
        let actor = try req.requireActor()
        let policy = AccessPolicy(actor: actor)
        guard policy.mayListStaff else { throw Problem.forbidden("Only administrators and supervisors can list accounts.") }
        var errors: [FieldError] = []
        var query = User.query(on: req.db)
        if actor.role == .supervisor { query = query.filter(\.$supervisorID == actor.userID) }
        if let role = req.query[String.self, at: "role"], !role.isEmpty {
            if Role(rawValue: role) != nil { query = query.filter(\.$role == role) } else { errors.append(FieldError("role", "role must be one of: \(Role.allowedList).")) }
        }
        if let q = req.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespaces).lowercased(), !q.isEmpty {
            let needle = PeopleQuery.escapeLike(q)
            query = query.group(.or) { $0.filter(\.$email ~~ needle).filter(\.$displayName ~~ needle) }
        }
        var limit = 50
        if let text = req.query[String.self, at: "limit"], !text.isEmpty {
            if let n = Int(text), (1...200).contains(n) { limit = n } else { errors.append(FieldError("limit", "limit must be a whole number from 1 to 200.")) }
        }
        if let cursor = req.query[String.self, at: "cursor"], !cursor.isEmpty {
            if let data = Data(base64Encoded: cursor), let after = String(data: data, encoding: .utf8) { query = query.filter(\.$email > after) }
            else { errors.append(FieldError("cursor", "cursor is not one Lantern gave out. Start again from the first page.")) }
        }
        if !errors.isEmpty { throw Problem(.badRequest, "Check the search", detail: errors.map(\.message).joined(separator: " "), errors: errors) }
        let rows = try await query.sort(\.$email).limit(limit + 1).all()
        let users = Array(rows.prefix(limit))
        let next = rows.count > limit ? users.last.map { Data($0.email.utf8).base64EncodedString() } : nil
        return JSONReply(value: ListReply(items: users.map(UserDTO.init), nextCursor: next))
    }

    static func createUser(req: Request) async throws -> JSONReply<UserDTO> {
        let actor = try requireAdministrator(req)
        let user = try await Accounts.create(try req.jsonObject(), actor: actor, req: req)
        return .versioned(UserDTO(user), version: user.version, status: .created, location: "/api/v1/users/\(user.id!.text)")
    }

    static func showUser(req: Request) async throws -> JSONReply<UserDTO> {
        let actor = try req.requireActor()
        let id = try req.uuidParameter("userID", what: "account")
        guard let user = try await User.find(id, on: req.db),
              actor.role == .administrator || user.id == actor.userID || (actor.role == .supervisor && user.supervisorID == actor.userID) else {
            throw Problem.notFound("account")
        }
        return .versioned(UserDTO(user), version: user.version)
    }

    static func updateUser(req: Request) async throws -> JSONReply<UserDTO> {
        let actor = try requireAdministrator(req)
        let id = try req.uuidParameter("userID", what: "account")
        let input = try req.jsonObject()
        let user = try await Accounts.update(id, input, ifMatch: try req.requiredIfMatch(), actor: actor, req: req)
        return .versioned(UserDTO(user), version: user.version)
    }

    struct OrganizationDTO: Content {
        var id: String
        var name: String
        var kind: OrganizationKind
    }

    static func listOrganizations(req: Request) async throws -> JSONReply<ListReply<OrganizationDTO>> {
        _ = try req.requireActor()
        let orgs = try await Organization.query(on: req.db).sort(\.$name).all()
        return JSONReply(value: ListReply(items: orgs.map { OrganizationDTO(id: $0.id!.text, name: $0.name, kind: $0.organizationKind) }, nextCursor: nil))
    }

    static func createOrganization(req: Request) async throws -> JSONReply<OrganizationDTO> {
        let actor = try requireAdministrator(req)
        var r = FieldReader(try req.jsonObject(), creating: true)
        r.rejectUnknown(allowed: ["name", "kind"])
        let name = r.text("name", label: "Name", required: true, max: 200) ?? nil
        let kind = r.choice("kind", label: "Kind", OrganizationKind.self, required: true) ?? nil
        guard r.errors.isEmpty, let name, let kind else { throw Problem.invalid(r.errors) }
        let org = Organization(id: UUID(), name: name, kind: kind)
        let source = req.sourceAddress
        try await req.auditedTransaction { db, log in
            try await org.create(on: db)
            log.add(AuditEvent(userID: actor.userID.text, userLabel: actor.email, personID: nil, action: .create, category: .account,
                               sourceAddress: source, detail: "organisation \(org.id!.text) created"))
        }
        return JSONReply(value: OrganizationDTO(id: org.id!.text, name: name, kind: kind), status: .created)
    }

    struct TokenDTO: Content {
        var id: String
        var name: String
        var prefix: String
        var createdAt: Date
        var lastUsedAt: Date?
        var expiresAt: Date?
        var revokedAt: Date?
    }

    static func listTokens(req: Request) async throws -> JSONReply<ListReply<TokenDTO>> {
        let actor = try req.requireActor()
        let tokens = try await AccessToken.query(on: req.db).filter(\.$user.$id == actor.userID).sort(\.$createdAt, .descending).all()
        return JSONReply(value: ListReply(items: tokens.map { TokenDTO(id: $0.id!.text, name: $0.name, prefix: $0.prefix, createdAt: $0.createdAt,
                                                                      lastUsedAt: $0.lastUsedAt, expiresAt: $0.expiresAt, revokedAt: $0.revokedAt) }, nextCursor: nil))
    }

    static func revokeToken(req: Request) async throws -> HTTPStatus {
        let actor = try req.requireActor()
        try await Tokens.revoke(try req.uuidParameter("tokenID", what: "token"), actor: actor, req: req)
        return .noContent
    }
}

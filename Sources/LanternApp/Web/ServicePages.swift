import LanternDomain
import Vapor

/// Pages for the budget, authorizations and delivered units, the catalogue and the waiting list.
/// Forms post the same fields as the API and show its refusals beside them.
enum ServicePages {
    static func register(_ web: any RoutesBuilder) {
        web.get("plans", ":planID", "budget", use: budget)
        web.get("authorizations", use: authorizations)
        web.get("people", ":personID", "authorizations", use: personAuthorizations)
        web.get("authorizations", ":authorizationID", use: authorization)
        web.post("authorizations", ":authorizationID", "deliveries", use: recordDelivery)
        web.get("authorizations", ":authorizationID", "deliveries", ":deliveryID", "withdraw", use: withdrawForm)
        web.post("authorizations", ":authorizationID", "deliveries", ":deliveryID", "withdraw", use: withdraw)
        web.post("catalogue", "providers", ":organizationID", use: approve)
        web.get("catalogue", use: catalogue)
        web.post("catalogue", use: addService)
        web.get("catalogue", ":code", use: catalogueService)
        web.post("catalogue", ":code", "rates", use: addRate)
        web.post("catalogue", ":code", use: changeLimits)
        web.get("waiting-list", use: waitingList)
    }

    static func budget(req: Request) async throws -> HTML {
        let (record, spending) = try await req.records().budget(of: try req.uuidParameter("planID", what: "plan"))
        return Layout.page(req, title: "\(record.person.displayName)'s budget", main: ServiceViews.budget(record, spending: spending))
    }

    static func authorizations(req: Request) async throws -> HTML {
        let records = try req.records()
        let alertsOnly = req.query[String.self, at: "alerts"] == "true"
        let cursor = req.query[String.self, at: "cursor"].flatMap(PeopleQuery.Cursor.init(encoded:))
        let page = try await records.authorizationsInEffect(alertsOnly: alertsOnly, after: cursor)
        return Layout.page(req, title: "Authorizations", main: ServiceViews.authorizationList(page, first: cursor == nil, alertsOnly: alertsOnly, isProvider: records.actor.role == .providerStaff))
    }

    static func personAuthorizations(req: Request) async throws -> HTML {
        let (person, items) = try await req.records().authorizations(of: try req.uuidParameter("personID", what: "person"))
        return Layout.page(req, title: "\(person.displayName)'s authorizations", main: ServiceViews.personAuthorizations(person, items))
    }

    /// The delivery entry to withdraw, from the authorization's own entries.
    static func deliveryContext(_ req: Request, _ records: PersonRecords) async throws -> (AuthorizationUsage, ServiceDelivery) {
        let deliveryID = try req.uuidParameter("deliveryID", what: "delivery entry")
        let (usage, deliveries) = try await records.authorization(try req.uuidParameter("authorizationID", what: "authorization"), limit: 5000)
        guard let delivery = deliveries.first(where: { $0.id == deliveryID }), delivery.withdrawnAt == nil else { throw Problem.notFound("delivery entry") }
        guard records.policy.mayRecordDelivery(for: usage.authorization.$organization.id) else {
            throw Problem.forbidden("Only the provider's staff, or the person's coordinator, withdraw units delivered.")
        }
        return (usage, delivery)
    }

    static func withdrawForm(req: Request) async throws -> HTML {
        let (usage, delivery) = try await deliveryContext(req, try req.records())
        return Layout.page(req, title: "Withdraw units delivered", main: ServiceViews.withdrawForm(req, usage, delivery, reason: "", errors: []))
    }

    static func withdraw(req: Request) async throws -> Response {
        let records = try req.records()
        let (usage, delivery) = try await deliveryContext(req, records)
        let reason = try FormBody(req).first("reason") ?? ""
        do {
            _ = try await records.withdrawDelivery(delivery.id!, reason: reason)
            return req.redirect(to: ServicePaths.authorization(usage.authorization.id!.text) + "?saved=withdrawn", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let page = Layout.page(req, title: "Withdraw units delivered", main: ServiceViews.withdrawForm(req, usage, delivery, reason: reason, errors: problem.errors))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
    }

    static func approve(req: Request) async throws -> Response {
        let organizationID = try req.uuidParameter("organizationID", what: "provider organisation")
        _ = try await Catalogue.setApprovals(organizationID, codes: try FormBody(req).all("codes"), req: req)
        return req.redirect(to: "/catalogue?saved=approvals#providers", redirectType: .normal)
    }

    static func authorization(req: Request) async throws -> HTML {
        let records = try req.records()
        let (usage, deliveries) = try await records.authorization(try req.uuidParameter("authorizationID", what: "authorization"))
        let flash: String? = switch req.query[String.self, at: "saved"] {
        case "delivery": "Units delivered saved."
        case "withdrawn": "The entry is withdrawn. It no longer counts."
        default: nil
        }
        return Layout.page(req, title: usage.authorization.serviceName, main: detail(req, records, usage, deliveries, echo: [:], errors: []), flash: flash)
    }

    static func detail(_ req: Request, _ records: PersonRecords, _ usage: AuthorizationUsage, _ deliveries: [ServiceDelivery], echo: [String: String], errors: [FieldError]) -> HTML {
        let mayRecord = records.policy.roleAllows(.recordDelivery) && records.policy.mayRecordDelivery(for: usage.authorization.$organization.id)
        return ServiceViews.authorizationDetail(req, usage, deliveries: deliveries, mayRecord: mayRecord, echo: echo, errors: errors)
    }

    static func recordDelivery(req: Request) async throws -> Response {
        let id = try req.uuidParameter("authorizationID", what: "authorization")
        let records = try req.records()
        let body = try FormBody(req)
        let fields: Set<String> = ["deliveredOn", "units", "note"]
        do {
            _ = try await records.recordDelivery(id, body.asJSON(fields: fields))
            return req.redirect(to: ServicePaths.authorization(id.text) + "?saved=delivery", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let (usage, deliveries) = try await records.authorization(id)
            let echo = Dictionary(fields.compactMap { name in body.first(name).map { (name, $0) } }, uniquingKeysWith: { a, _ in a })
            let page = Layout.page(req, title: usage.authorization.serviceName, main: detail(req, records, usage, deliveries, echo: echo, errors: problem.errors))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
    }

    static func catalogue(req: Request) async throws -> HTML {
        let actor = try req.requireActor()
        let items = try await Catalogue.items(on: req.db)
        let providers = try await Catalogue.providers(on: req.db)
        let flash: String? = switch req.query[String.self, at: "saved"] {
        case "service": "Service added to the catalogue."
        case "approvals": "The provider's approved services are saved."
        default: nil
        }
        return Layout.page(req, title: "Service catalogue", main: ServiceViews.catalogue(req, items, providers: providers, mayManage: AccessPolicy(actor: actor).mayManageCatalogue,
                                                                                       echo: [:], errors: []), flash: flash)
    }

    static func addService(req: Request) async throws -> Response {
        let body = try FormBody(req)
        let text: Set<String> = ["code", "name", "unit", "rate", "rateFrom", "maxPerDay", "maxPerWeek", "maxPerYear", "equivalenceGroup"]
        var input = body.asJSON(fields: text.union(["fundingSources"]), lists: ["fundingSources"])
        // A blank limit on the form means no limit.
        for key in ["maxPerDay", "maxPerWeek", "maxPerYear", "equivalenceGroup"] where input[key] == .string("") { input[key] = nil }
        do {
            _ = try await Catalogue.create(input, req: req)
            return req.redirect(to: "/catalogue?saved=service", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            var echo = Dictionary(text.compactMap { name in body.first(name).map { (name, $0) } }, uniquingKeysWith: { a, _ in a })
            echo["fundingSources"] = body.all("fundingSources").joined(separator: ",")
            let items = try await Catalogue.items(on: req.db)
            let page = Layout.page(req, title: "Service catalogue", main: ServiceViews.catalogue(req, items, providers: try await Catalogue.providers(on: req.db),
                                                                                               mayManage: true, echo: echo, errors: problem.errors))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
    }

    static func catalogueService(req: Request) async throws -> HTML {
        try await catalogueServicePage(req, echo: [:], errors: []).0
    }

    static func catalogueServicePage(_ req: Request, echo: [String: String], errors: [FieldError]) async throws -> (HTML, String) {
        let actor = try req.requireActor()
        let code = (req.parameters.get("code") ?? "").uppercased()
        guard let item = try await Catalogue.items(codes: [code], on: req.db).first else { throw Problem.notFound("service in the catalogue") }
        let flash: String? = switch req.query[String.self, at: "saved"] {
        case "rate": "Rate added."
        case "limits": "Limits saved."
        default: nil
        }
        return (Layout.page(req, title: "\(item.entry.name) (\(code))",
                            main: ServiceViews.catalogueService(req, item, mayManage: AccessPolicy(actor: actor).mayManageCatalogue, echo: echo, errors: errors), flash: flash), code)
    }

    /// Saves through the catalogue's own checks; a refusal shows the page again with what was typed.
    static func catalogueForm(_ req: Request, fields: Set<String>, saved: String,
                              _ save: @Sendable (String, [String: JSONValue]) async throws -> Void) async throws -> Response {
        let form = try FormBody(req)
        let code = (req.parameters.get("code") ?? "").uppercased()
        var input = form.asJSON(fields: fields)
        // A blank limit on the form means no limit.
        for key in fields where input[key] == .string("") { input[key] = .null }
        do {
            try await save(code, input)
            return req.redirect(to: "/catalogue/\(code)?saved=\(saved)", redirectType: .normal)
        } catch let problem as Problem where [.unprocessableEntity, .preconditionFailed].contains(problem.status) {
            let errors = problem.status == .preconditionFailed ? [FieldError("version", "Someone else changed this service while you were editing. The form shows the latest version.")] : problem.errors
            let echo = problem.status == .preconditionFailed ? [:] : Dictionary(fields.compactMap { n in form.first(n).map { (n, $0) } }, uniquingKeysWith: { a, _ in a })
            let (page, _) = try await catalogueServicePage(req, echo: echo, errors: errors)
            return try await PeoplePages.respond(page, status: problem.status == .preconditionFailed ? .conflict : .unprocessableEntity, req: req)
        }
    }

    static func addRate(req: Request) async throws -> Response {
        try await catalogueForm(req, fields: ["perUnit", "from"], saved: "rate") { code, input in _ = try await Catalogue.addRate(code, input, req: req) }
    }

    static func changeLimits(req: Request) async throws -> Response {
        let version = try FormBody(req).first("version") ?? ""
        return try await catalogueForm(req, fields: ["maxPerDay", "maxPerWeek", "maxPerYear", "equivalenceGroup"], saved: "limits") { code, input in
            _ = try await Catalogue.update(code, input, ifMatch: ETag.of(version: Int(version) ?? -1), req: req)
        }
    }

    static func waitingList(req: Request) async throws -> HTML {
        let cursor = req.query[String.self, at: "cursor"].flatMap(PeopleQuery.Cursor.init(encoded:))
        let (page, byService) = try await req.records().waitingList(after: cursor)
        return Layout.page(req, title: "Waiting list", main: ServiceViews.waitingList(page, byService: byService, first: cursor == nil, today: CalendarDate(req.now)))
    }
}

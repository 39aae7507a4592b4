import LanternDomain
import Vapor

/// The service catalogue, providers and their approved services, a plan's budget, authorizations
/// and the units delivered against them, and the waiting list.
enum ServicesAPI {
    static func register(_ api: any RoutesBuilder) {
        api.get("catalogue", use: catalogue)
        api.post("catalogue", use: addService)
        api.get("catalogue", ":code", use: service)
        api.patch("catalogue", ":code", use: changeService)
        api.post("catalogue", ":code", "rates", use: addRate)
        api.get("providers", use: providers)
        api.put("providers", ":organizationID", "services", use: approve)
        api.get("plans", ":planID", "budget", use: budget)
        api.get("authorizations", use: authorizations)
        api.get("people", ":personID", "authorizations", use: personAuthorizations)
        api.get("authorizations", ":authorizationID", use: authorization)
        api.post("authorizations", ":authorizationID", "deliveries", use: recordDelivery)
        api.post("service-deliveries", ":deliveryID", "withdraw", use: withdrawDelivery)
        api.get("waiting-list", use: waitingList)
    }

    // MARK: Catalogue

    struct RateDTO: Content { var from: String; var to: String?; var perUnit: Double }
    struct CatalogueServiceDTO: Content {
        var code: String
        var name: String
        var unit: String
        var fundingSources: [String]
        var maxPerDay: Double?
        var maxPerWeek: Double?
        var maxPerYear: Double?
        var equivalenceGroup: String?
        var rates: [RateDTO]
        var version: Int
        init(_ item: Catalogue.Item) {
            let e = item.entry
            code = e.code; name = e.name; unit = e.unit; fundingSources = FundingSource.allCases.filter(e.sources.contains).map(\.rawValue)
            maxPerDay = e.maxPerDay; maxPerWeek = e.maxPerWeek; maxPerYear = e.maxPerYear; equivalenceGroup = e.equivalenceGroup
            rates = item.rates.map { RateDTO(from: $0.effectiveFrom, to: $0.effectiveTo, perUnit: $0.perUnit) }
            version = e.version
        }
    }

    static func catalogue(req: Request) async throws -> JSONReply<ListReply<CatalogueServiceDTO>> {
        _ = try req.requireActor()
        return JSONReply(value: ListReply(items: try await Catalogue.items(on: req.db).map(CatalogueServiceDTO.init), nextCursor: nil))
    }

    static func code(_ req: Request) -> String { (req.parameters.get("code") ?? "").uppercased() }

    static func service(req: Request) async throws -> JSONReply<CatalogueServiceDTO> {
        _ = try req.requireActor()
        guard let item = try await Catalogue.items(codes: [code(req)], on: req.db).first else { throw Problem.notFound("service in the catalogue") }
        return .versioned(CatalogueServiceDTO(item), version: item.entry.version)
    }

    static func addService(req: Request) async throws -> JSONReply<CatalogueServiceDTO> {
        let item = try await Catalogue.create(try req.jsonObject(), req: req)
        return .versioned(CatalogueServiceDTO(item), version: item.entry.version, status: .created, location: "/api/v1/catalogue/\(item.entry.code)")
    }

    static func changeService(req: Request) async throws -> JSONReply<CatalogueServiceDTO> {
        try Catalogue.requireAdmin(try req.requireActor())
        let item = try await Catalogue.update(code(req), try req.jsonObject(), ifMatch: try req.requiredIfMatch(), req: req)
        return .versioned(CatalogueServiceDTO(item), version: item.entry.version)
    }

    static func addRate(req: Request) async throws -> JSONReply<CatalogueServiceDTO> {
        let item = try await Catalogue.addRate(code(req), try req.jsonObject(), req: req)
        return .versioned(CatalogueServiceDTO(item), version: item.entry.version, status: .created)
    }

    struct ProviderDTO: Content { var id: String; var name: String; var approvedServices: [String] }

    static func providers(req: Request) async throws -> JSONReply<ListReply<ProviderDTO>> {
        _ = try req.requireActor()
        let rows = try await Catalogue.providers(on: req.db)
        return JSONReply(value: ListReply(items: rows.map { ProviderDTO(id: $0.0.id!.text, name: $0.0.name, approvedServices: $0.1) }, nextCursor: nil))
    }

    static func approve(req: Request) async throws -> JSONReply<ProviderDTO> {
        let organizationID = try req.uuidParameter("organizationID", what: "provider organisation")
        let input = try req.jsonObject()
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: ["codes"])
        guard case let .array(items)? = input["codes"], items.allSatisfy({ if case .string = $0 { true } else { false } }) else {
            r.fail("codes", "Give codes: the list of catalogue codes the provider is approved for, for example [\"T2015\"].")
            throw Problem.invalid(r.errors)
        }
        if !r.errors.isEmpty { throw Problem.invalid(r.errors) }
        let codes = try await Catalogue.setApprovals(organizationID, codes: items.compactMap { if case let .string(s) = $0 { s } else { nil } }, req: req)
        let name = try await Organization.find(organizationID, on: req.db)?.name ?? ""
        return JSONReply(value: ProviderDTO(id: organizationID.text, name: name, approvedServices: codes))
    }

    // MARK: Budget

    struct MonthDTO: Content { var month: String; var units: Double; var cost: Double }
    struct BudgetLineDTO: Content {
        var serviceId: String?
        var service: String
        var serviceCode: String?
        var provider: String?
        var fundingSource: String?
        var selfDirected: Bool
        var startsOn: String?
        var endsOn: String?
        var unit: String?
        var units: Double
        var authorizedUnits: Int
        var cost: Double
        var rates: [RateDTO]
        var months: [MonthDTO]
        var problem: String?
        /// Units delivered so far under the authorization made from this service, and their cost.
        var deliveredUnits: Double
        var spent: Double
    }
    struct FundingTotalDTO: Content { var fundingSource: String?; var label: String; var cost: Double }
    struct UnpaidDTO: Content { var service: String; var givenBy: String?; var frequency: String? }
    struct BudgetDTO: Content {
        var planId: String
        var personId: String
        var periodStart: String?
        var periodEnd: String?
        var total: Double
        var byFunding: [FundingTotalDTO]
        var byMonth: [MonthDTO]
        var selfDirectedCost: Double
        var individualBudget: Double?
        var lines: [BudgetLineDTO]
        var unpaid: [UnpaidDTO]
        var spent: Double
        var selfDirectedSpent: Double
    }

    static func budgetDTO(_ record: PlanRecord, spending: PersonRecords.Spending) -> BudgetDTO {
        let budget = record.budget, names = record.names
        func months(_ m: [MonthAmount]) -> [MonthDTO] { m.map { MonthDTO(month: $0.month.description, units: ($0.units * 100).rounded() / 100, cost: $0.cost) } }
        return BudgetDTO(
            planId: record.plan.id!.text, personId: record.person.id!.text, periodStart: record.plan.effectiveStart, periodEnd: record.plan.effectiveEnd,
            total: budget.total,
            byFunding: budget.byFunding.map { FundingTotalDTO(fundingSource: $0.source?.rawValue, label: $0.source?.label ?? "Payer not given", cost: $0.cost) },
            byMonth: months(budget.byMonth), selfDirectedCost: budget.selfDirectedCost, individualBudget: budget.individualBudget,
            lines: budget.lines.map { line in
                BudgetLineDTO(serviceId: line.service.id, service: line.service.name, serviceCode: line.service.code, provider: line.service.provider(names),
                              fundingSource: line.service.fundingSource?.rawValue, selfDirected: line.service.selfDirected,
                              startsOn: line.period?.lowerBound.description, endsOn: line.period?.upperBound.description,
                              unit: line.catalogue?.unit.rawValue, units: (line.units * 100).rounded() / 100, authorizedUnits: line.authorizedUnits,
                              cost: line.cost, rates: line.rates.map { RateDTO(from: $0.from.description, to: $0.to.description, perUnit: $0.perUnit) },
                              months: months(line.months), problem: line.problem,
                              deliveredUnits: (spending.units(line.service.id) * 100).rounded() / 100, spent: spending.cost(line.service.id))
            },
            unpaid: budget.unpaid.map { UnpaidDTO(service: $0.name, givenBy: $0.provider(names), frequency: nil) },
            spent: ((budget.lines.reduce(0) { $0 + spending.cost($1.service.id) }) * 100).rounded() / 100,
            selfDirectedSpent: ((budget.lines.filter(\.service.selfDirected).reduce(0) { $0 + spending.cost($1.service.id) }) * 100).rounded() / 100)
    }

    static func budget(req: Request) async throws -> JSONReply<BudgetDTO> {
        let (record, spending) = try await req.records().budget(of: try req.uuidParameter("planID", what: "plan"))
        return JSONReply(value: budgetDTO(record, spending: spending))
    }

    // MARK: Authorizations

    struct AuthorizationDTO: Content {
        var id: String
        var personId: String
        var personName: String
        var planId: String
        var organizationId: String
        var provider: String
        var serviceEntryId: String
        var serviceCode: String
        var service: String
        var unit: String
        var units: Int
        var delivered: Double
        var remaining: Double
        var usedShare: Double
        var alert: String?
        var plannedCost: Double
        var fundingSource: String?
        var startsOn: String
        var endsOn: String
        var status: String
        var endedOn: String?
        init(_ u: AuthorizationUsage) {
            let a = u.authorization
            id = a.id!.text; personId = a.$person.id.text; personName = u.person.displayName; planId = a.$plan.id.text
            organizationId = a.$organization.id.text; provider = u.organizationName; serviceEntryId = a.serviceEntryID
            serviceCode = a.serviceCode; service = a.serviceName; unit = a.unit; units = a.units
            delivered = (u.delivered * 100).rounded() / 100; remaining = (u.remaining * 100).rounded() / 100
            usedShare = (u.share * 1000).rounded() / 1000; alert = u.alert?.rawValue
            plannedCost = a.plannedCost; fundingSource = a.fundingSource; startsOn = a.startsOn; endsOn = a.endsOn
            status = a.status; endedOn = a.endedOn
        }
    }

    struct DeliveryDTO: Content {
        var id: String
        var authorizationId: String
        var deliveredOn: String
        var units: Double
        var note: String?
        var externalId: String?
        var recordedBy: String
        var createdAt: Date?
        var withdrawnAt: Date?
        var withdrawnReason: String?
        init(_ d: ServiceDelivery) {
            id = d.id!.text; authorizationId = d.$authorization.id.text; deliveredOn = d.deliveredOn; units = d.units; note = d.note
            externalId = d.externalID; recordedBy = d.recordedByID.text; createdAt = d.createdAt; withdrawnAt = d.withdrawnAt; withdrawnReason = d.withdrawnReason
        }
    }

    static func authorizations(req: Request) async throws -> JSONReply<ListReply<AuthorizationDTO>> {
        let alertsOnly = req.query[String.self, at: "alerts"] == "true"
        let page = try await req.records().authorizationsInEffect(alertsOnly: alertsOnly, after: try listCursor(req))
        return JSONReply(value: ListReply(items: page.items.map(AuthorizationDTO.init), nextCursor: page.nextCursor))
    }

    static func personAuthorizations(req: Request) async throws -> JSONReply<ListReply<AuthorizationDTO>> {
        let (_, rows) = try await req.records().authorizations(of: try req.uuidParameter("personID", what: "person"))
        return JSONReply(value: ListReply(items: rows.map(AuthorizationDTO.init), nextCursor: nil))
    }

    struct AuthorizationDetailDTO: Content { var authorization: AuthorizationDTO; var deliveries: [DeliveryDTO] }

    static func authorization(req: Request) async throws -> JSONReply<AuthorizationDetailDTO> {
        let (usage, deliveries) = try await req.records().authorization(try req.uuidParameter("authorizationID", what: "authorization"))
        return JSONReply(value: AuthorizationDetailDTO(authorization: AuthorizationDTO(usage), deliveries: deliveries.map(DeliveryDTO.init)))
    }

    struct RecordedDTO: Content { var delivery: DeliveryDTO; var authorization: AuthorizationDTO }

    static func recordDelivery(req: Request) async throws -> JSONReply<RecordedDTO> {
        let (delivery, usage) = try await req.records().recordDelivery(try req.uuidParameter("authorizationID", what: "authorization"), try req.jsonObject())
        return JSONReply(value: RecordedDTO(delivery: DeliveryDTO(delivery), authorization: AuthorizationDTO(usage)), status: .created)
    }

    static func withdrawDelivery(req: Request) async throws -> JSONReply<DeliveryDTO> {
        let input = try req.jsonObject()
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: ["reason"])
        let reason = r.text("reason", label: "Reason", required: true, max: 500)
        if !r.errors.isEmpty { throw Problem.invalid(r.errors) }
        return JSONReply(value: DeliveryDTO(try await req.records().withdrawDelivery(try req.uuidParameter("deliveryID", what: "delivery entry"), reason: reason ?? nil)))
    }

    // MARK: Waiting list

    struct WaitingDTO: Content {
        var id: String
        var personId: String
        var personName: String
        var planId: String
        var service: String
        var serviceCode: String?
        var since: String
        var daysWaiting: Int
    }

    static func waitingList(req: Request) async throws -> JSONReply<ListReply<WaitingDTO>> {
        let today = CalendarDate(req.now)
        let (page, _) = try await req.records().waitingList(after: try listCursor(req))
        return JSONReply(value: ListReply(items: page.items.map { entry, person in
            WaitingDTO(id: entry.id!.text, personId: person.id!.text, personName: person.displayName, planId: entry.$plan.id.text, service: entry.serviceName,
                       serviceCode: entry.serviceCode, since: entry.since, daysWaiting: CalendarDate(entry.since).map { $0.days(until: today) } ?? 0)
        }, nextCursor: page.nextCursor))
    }
}

import Fluent
import LanternDomain
import SQLKit
import Vapor

/// The service catalogue: read by everyone who writes plans, changed only by administrators, every
/// change audited. Rates are never changed in place: a new rate starts on a day, and the rate before
/// it ends the day before, so past budgets keep the rates they were counted with.
enum Catalogue {
    /// One service with its rates, as the API and the pages show it.
    struct Item: Sendable {
        var entry: CatalogueEntry
        var rates: [CatalogueRate]
        var domain: CatalogueService { entry.domain(rates: rates) }
    }

    /// Every service (or those with `codes`), by name, with their rates: two queries.
    static func items(codes: Set<String>? = nil, on db: any Database) async throws -> [Item] {
        var query = CatalogueEntry.query(on: db).sort(\.$name).sort(\.$code)
        // The catalogue is reference data (services, not people): read whole, so no service looks unknown.
        if let codes { query = query.filter(\.$code ~~ Array(codes)) }
        let entries = try await query.all()
        guard !entries.isEmpty else { return [] }
        let rates = try await CatalogueRate.query(on: db).filter(\.$service.$id ~~ entries.compactMap(\.id)).sort(\.$effectiveFrom).all()
        let byService = Dictionary(grouping: rates, by: { $0.$service.id })
        return entries.map { Item(entry: $0, rates: byService[$0.id!] ?? []) }
    }

    /// The catalogue the rules and the budget need for a plan's services.
    static func forPlan(_ services: SectionContent?, on db: any Database) async throws -> ServiceCatalogue {
        try await forPlans([services], on: db)[0]
    }

    /// The catalogues of many plans' services, in their order, read with the queries of one.
    static func forPlans(_ services: [SectionContent?], on db: any Database) async throws -> [ServiceCatalogue] {
        let codesOfEach = services.map { Set(($0 ?? [:]).entries("services").compactMap { $0.text("serviceCode")?.uppercased() }) }
        let codes = codesOfEach.reduce(into: Set<String>()) { $0.formUnion($1) }
        if codes.isEmpty { return codesOfEach.map { _ in ServiceCatalogue() } }
        let items = try await items(codes: codes, on: db)
        // The rule asks whether each provider a plan names is approved for its service, so only those
        // providers' approvals are read (a statewide service has hundreds), and which services have any.
        let serviceIDs = items.compactMap(\.entry.id)
        let named = Array(Set(services.flatMap { PlannedService.all(in: $0 ?? [:]).compactMap(\.providerID) }.compactMap(UUID.init(uuidString:))))
        var approvedBy: [UUID: Set<String>] = [:]
        for row in try await db.sql.select().distinct().column("service_id").from(ProviderApproval.schema)
            .where("service_id", .in, SQLBind.group(serviceIDs)).all() {
            approvedBy[try row.decode(column: "service_id", as: UUID.self)] = []
        }
        if !named.isEmpty && !approvedBy.isEmpty {
            for row in try await db.sql.select().column("service_id").column("organization_id").from(ProviderApproval.schema)
                .where("service_id", .in, SQLBind.group(Array(approvedBy.keys))).where("organization_id", .in, SQLBind.group(named)).all() {
                approvedBy[try row.decode(column: "service_id", as: UUID.self), default: []].insert(try row.decode(column: "organization_id", as: UUID.self).text)
            }
        }
        let all = items.map { item in
            var service = item.domain
            // A service nobody is approved for yet is not checked: approvals are recorded service by service.
            service.approvedProviders = approvedBy[item.entry.id!]
            return (code: item.entry.code.uppercased(), service: service)
        }
        return codesOfEach.map { wanted in ServiceCatalogue(all.filter { wanted.contains($0.code) }.map(\.service)) }
    }

    /// Every code with its name, for choosing a service and checking one.
    /// The services' names by code: those with `codes`, or every one.
    static func names(codes: Set<String>? = nil, on db: any Database) async throws -> [(code: String, name: String)] {
        if codes?.isEmpty == true { return [] }
        var query = CatalogueEntry.query(on: db).sort(\.$name).field(\.$code).field(\.$name)
        if let codes { query = query.filter(\.$code ~~ codes.map { $0.uppercased() }) }
        return try await query.all().map { ($0.code, $0.name) }
    }

    static func find(_ code: String, on db: any Database) async throws -> CatalogueEntry {
        guard let entry = try await CatalogueEntry.query(on: db).filter(\.$code == code.uppercased()).first() else {
            throw Problem.notFound("service in the catalogue")
        }
        return entry
    }

    static let fields: Set<String> = ["code", "name", "unit", "fundingSources", "maxPerDay", "maxPerWeek", "maxPerYear", "equivalenceGroup", "rate", "rateFrom"]

    /// Reads a service's fields into `entry`. Creating also takes its first rate (`rate`, `rateFrom`).
    static func apply(_ input: [String: JSONValue], to entry: CatalogueEntry, creating: Bool) -> (errors: [FieldError], firstRate: ServiceRate?) {
        var r = FieldReader(input, creating: creating)
        r.rejectUnknown(allowed: creating ? fields : fields.subtracting(["code", "rate", "rateFrom"]))
        if creating, let code = r.text("code", label: "Code", required: true, max: 20), let code {
            let upper = code.uppercased()
            if upper.range(of: "^[A-Z0-9][A-Z0-9.\\-]{0,19}$", options: .regularExpression) == nil {
                r.fail("code", "Code must be letters and digits (a HCPCS or state procedure code), for example T2015 or S5150.")
            } else { entry.code = upper }
        }
        if let name = r.text("name", label: "Name", required: true, max: 160), let name { entry.name = name }
        if case let unit?? = r.choice("unit", label: "Unit", ServiceUnit.self, required: true) { entry.unit = unit.rawValue }
        if let sources = r.choices("fundingSources", label: "Who may pay", FundingSource.self) {
            if sources.isEmpty { r.fail("fundingSources", "Choose at least one funding source that may pay for this service.") }
            entry.fundingSources = FundingSource.allCases.filter(sources.contains).map(\.rawValue).joined(separator: ",")
        } else if creating {
            r.fail("fundingSources", "Choose at least one funding source that may pay for this service.")
        }
        for (key, label, path) in [("maxPerDay", "Most units a day", \CatalogueEntry.maxPerDay), ("maxPerWeek", "Most units a week", \CatalogueEntry.maxPerWeek),
                                   ("maxPerYear", "Most units a year", \CatalogueEntry.maxPerYear)] {
            if let value = number(&r, key, label: label) { entry[keyPath: path] = value }
        }
        if let group = r.text("equivalenceGroup", label: "Equivalent services group", max: 60) { entry.equivalenceGroup = group?.lowercased() }
        var first: ServiceRate?
        if creating {
            let rate = number(&r, "rate", label: "Rate per unit")
            let from = r.date("rateFrom", label: "Rate applies from", required: true)
            if case let perUnit?? = rate, case let start?? = from { first = ServiceRate(from: start, perUnit: perUnit) }
            else if rate == nil || rate! == nil { r.fail("rate", "Give the rate per unit in dollars, for example 6.84.") }
        }
        return (r.errors, first)
    }

    /// A number field: nil absent, .some(nil) cleared.
    static func number(_ r: inout FieldReader, _ key: String, label: String) -> Double?? {
        switch r.input[key] {
        case nil: return nil
        case .null?, .string("")?: return .some(nil)
        case let .number(n)? where n >= 0 && n < 10_000_000: return .some(n)
        case let .string(s)? where Double(s).map { $0 >= 0 && $0 < 10_000_000 } == true: return .some(Double(s)!)
        default: r.fail(key, "\(label) must be a number of 0 or more, for example 24."); return nil
        }
    }

    static func requireAdmin(_ actor: Actor) throws {
        guard AccessPolicy(actor: actor).mayManageCatalogue else {
            throw Problem.forbidden("Only an administrator changes the service catalogue.")
        }
    }

    static func create(_ input: [String: JSONValue], req: Request) async throws -> Item {
        let actor = try req.requireActor()
        try requireAdmin(actor)
        let entry = CatalogueEntry()
        let (errors, first) = apply(input, to: entry, creating: true)
        guard errors.isEmpty, let first else { throw Problem.invalid(errors) }
        entry.id = UUID(); entry.version = 1
        let source = req.sourceAddress
        return try await req.auditedTransaction { db, log in
            if try await CatalogueEntry.query(on: db).filter(\.$code == entry.code).count() > 0 {
                throw Problem.invalid([FieldError("code", "The catalogue already has \(entry.code). Change that service instead.")])
            }
            try await entry.create(on: db)
            let rate = CatalogueRate()
            rate.id = UUID(); rate.$service.id = entry.id!; rate.effectiveFrom = first.from.description; rate.perUnit = first.perUnit
            try await rate.create(on: db)
            log.add(AuditEvent(userID: actor.userID.text, userLabel: actor.email, personID: nil, action: .create, category: .catalogue,
                               sourceAddress: source, detail: "catalogue service \(entry.code) added at \(first.perUnit) a unit from \(first.from)"))
            return Item(entry: entry, rates: [rate])
        }
    }

    static func update(_ code: String, _ input: [String: JSONValue], ifMatch: String, req: Request) async throws -> Item {
        let actor = try req.requireActor()
        try requireAdmin(actor)
        let source = req.sourceAddress
        return try await req.auditedTransaction { db, log in
            let entry = try await find(code, on: db)
            try ETag.check(ifMatch, version: entry.version)
            let (errors, _) = apply(input, to: entry, creating: false)
            if !errors.isEmpty { throw Problem.invalid(errors) }
            entry.version += 1
            try await entry.save(on: db)
            log.add(AuditEvent(userID: actor.userID.text, userLabel: actor.email, personID: nil, action: .update, category: .catalogue,
                               sourceAddress: source, detail: "catalogue service \(entry.code) changed: \(input.keys.sorted().joined(separator: ", "))"))
            return Item(entry: entry, rates: try await CatalogueRate.query(on: db).filter(\.$service.$id == entry.id!).sort(\.$effectiveFrom).all())
        }
    }

    /// A new rate from a day. The rate in force that day ends the day before; a rate may not start on
    /// or before the start of the latest one (rates are added in time order, never rewritten).
    static func addRate(_ code: String, _ input: [String: JSONValue], req: Request) async throws -> Item {
        let actor = try req.requireActor()
        try requireAdmin(actor)
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: ["perUnit", "from"])
        let perUnit = number(&r, "perUnit", label: "Rate per unit")
        let from = r.date("from", label: "Applies from", required: true)
        if perUnit == nil || perUnit! == nil { r.fail("perUnit", "Give the rate per unit in dollars, for example 6.84.") }
        guard r.errors.isEmpty, case let rateValue?? = perUnit, case let start?? = from else { throw Problem.invalid(r.errors) }
        let source = req.sourceAddress
        return try await req.auditedTransaction { db, log in
            let entry = try await find(code, on: db)
            let rates = try await CatalogueRate.query(on: db).filter(\.$service.$id == entry.id!).sort(\.$effectiveFrom).all()
            if let latest = rates.last, let latestStart = CalendarDate(latest.effectiveFrom), start <= latestStart {
                throw Problem.invalid([FieldError("from", "A new rate must start after the latest one (\(latestStart)). Rates already used in budgets are not rewritten.")])
            }
            if let latest = rates.last, latest.effectiveTo.flatMap(CalendarDate.init).map({ $0 >= start }) ?? true {
                latest.effectiveTo = start.adding(days: -1).description
                try await latest.save(on: db)
            }
            let rate = CatalogueRate()
            rate.id = UUID(); rate.$service.id = entry.id!; rate.effectiveFrom = start.description; rate.perUnit = rateValue
            try await rate.create(on: db)
            entry.version += 1
            try await entry.save(on: db)
            log.add(AuditEvent(userID: actor.userID.text, userLabel: actor.email, personID: nil, action: .update, category: .catalogue,
                               sourceAddress: source, detail: "catalogue service \(entry.code): rate \(rateValue) a unit from \(start)"))
            return Item(entry: entry, rates: rates + [rate])
        }
    }

    /// Sets the services a provider organisation is approved for.
    static func setApprovals(_ organizationID: UUID, codes: [String], req: Request) async throws -> [String] {
        let actor = try req.requireActor()
        try requireAdmin(actor)
        let source = req.sourceAddress, today = CalendarDate(req.now).description
        return try await req.auditedTransaction { db, log in
            guard let organization = try await Organization.find(organizationID, on: db), organization.organizationKind == .provider else {
                throw Problem.notFound("provider organisation")
            }
            let wanted = Set(codes.map { $0.uppercased() })
            let entries = try await CatalogueEntry.query(on: db).filter(\.$code ~~ Array(wanted)).all()
            let unknown = wanted.subtracting(entries.map(\.code))
            if !unknown.isEmpty {
                throw Problem.invalid([FieldError("codes", "Not in the catalogue: \(unknown.sorted().joined(separator: ", ")). Add the service to the catalogue first.")])
            }
            let existing = try await ProviderApproval.query(on: db).filter(\.$organization.$id == organizationID).all()
            let keep = Set(entries.compactMap(\.id))
            for approval in existing where !keep.contains(approval.$service.id) { try await approval.delete(on: db) }
            let have = Set(existing.map { $0.$service.id })
            for entry in entries where !have.contains(entry.id!) {
                let approval = ProviderApproval()
                approval.id = UUID(); approval.$organization.id = organizationID; approval.$service.id = entry.id!; approval.approvedOn = today
                try await approval.create(on: db)
            }
            log.add(AuditEvent(userID: actor.userID.text, userLabel: actor.email, personID: nil, action: .update, category: .catalogue,
                               sourceAddress: source, detail: "provider \(organization.name) approved for: \(wanted.sorted().joined(separator: ", "))"))
            return entries.map(\.code).sorted()
        }
    }

    /// Provider organisations with the codes each is approved for.
    static func providers(on db: any Database) async throws -> [(Organization, [String])] {
        let organizations = try await Organization.query(on: db).filter(\.$kind == OrganizationKind.provider.rawValue).sort(\.$name).all()
        let approvals = try await ProviderApproval.query(on: db).with(\.$service).all()
        let byOrg = Dictionary(grouping: approvals, by: { $0.$organization.id })
        return organizations.map { org in (org, (byOrg[org.id!] ?? []).map(\.service.code).sorted()) }
    }
}

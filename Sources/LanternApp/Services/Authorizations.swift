import Fluent
import LanternDomain
import Vapor

/// What happens to a plan's services when it takes effect: each paid service from a provider in
/// Lantern becomes an authorization (units over a period) that the provider sees; the ones of the
/// version it replaces close; providers the plan names are linked to the person; services no
/// provider can give go on the waiting list. All in the transaction that puts the plan in effect.
enum ServiceAuthorizations {
    struct Outcome: Sendable, CustomStringConvertible {
        var issued = 0, closed = 0, linked = 0, waiting = 0, leftWaiting = 0
        var description: String {
            "\(issued) authorizations issued, \(closed) closed, \(linked) providers linked, \(waiting) added to the waiting list, \(leftWaiting) left it"
        }
    }

    static func planTookEffect(_ plan: Plan, replacing old: [Plan], on today: CalendarDate, db: any Database) async throws -> Outcome {
        var outcome = Outcome()
        let planID = try plan.requireID(), personID = plan.$person.id
        let rows = try await PlanSection.query(on: db).filter(\.$plan.$id == planID).filter(\.$sectionKey ~~ ["services", "outcomes"]).all()
        let services = rows.first { $0.sectionKey == "services" }?.content ?? [:]
        let steps = rows.first { $0.sectionKey == "outcomes" }?.content.entries("steps") ?? []

        // The authorizations of the versions this one replaces close today.
        let current = try await Authorization.query(on: db).filter(\.$person.$id == personID).filter(\.$status == AuthorizationStatus.active.rawValue).all()
        for authorization in current where authorization.$plan.id != planID {
            let sameSeries = old.first { $0.id == authorization.$plan.id }?.seriesID == plan.seriesID
            authorization.status = (sameSeries ? AuthorizationStatus.replaced : .ended).rawValue
            authorization.endedOn = today.description
            try await authorization.save(on: db)
            outcome.closed += 1
        }

        let catalogue = try await Catalogue.forPlan(services, on: db)
        for a in authorizations(for: plan, services: services, catalogue: catalogue) {
            try await a.create(on: db)
            outcome.issued += 1
        }

        // Providers the plan gives services or steps to serve the person from now on.
        let named = Array(providersNamed(services: services, steps: steps))
        if !named.isEmpty {
            let linked = Set(try await ProviderLink.query(on: db).filter(\.$person.$id == personID).all().map { $0.$organization.id })
            let known = try await Organization.query(on: db).filter(\.$id ~~ named).all().compactMap(\.id)
            for organization in known where !linked.contains(organization) {
                let link = ProviderLink()
                link.id = UUID(); link.$person.id = personID; link.$organization.id = organization; link.since = today.description
                try await link.create(on: db)
                outcome.linked += 1
            }
        }

        // The waiting list follows the plan: a service still waiting stays on it (from its first date);
        // one now given, or no longer in the plan, leaves it.
        let open = try await WaitingListEntry.query(on: db).filter(\.$person.$id == personID).filter(\.$endedOn == nil).all()
        let planned = PlannedService.all(in: services)
        for w in newlyWaiting(plan, services: services, open: open, on: today) {
            try await w.create(on: db)
            outcome.waiting += 1
        }
        for entry in open {
            let now = planned.first { $0.id == entry.serviceEntryID }
            guard now?.waiting != true else { continue }
            entry.endedOn = today.description
            entry.endReason = now == nil ? "No longer in the plan" : "A provider gives it from this plan"
            try await entry.save(on: db)
            outcome.leftWaiting += 1
        }
        return outcome
    }

    /// The authorizations a plan's services become when it takes effect: each paid service from a
    /// provider in Lantern, with units and cost from the catalogue over the plan's period.
    static func authorizations(for plan: Plan, services: SectionContent, catalogue: ServiceCatalogue, newID: () -> UUID = { UUID() }) -> [Authorization] {
        let budget = PlanBudget.compute(services: PlannedService.all(in: services), catalogue: catalogue,
                                        plan: (plan.effectiveStart.flatMap(CalendarDate.init), plan.effectiveEnd.flatMap(CalendarDate.init)))
        var result: [Authorization] = []
        for line in budget.lines {
            let s = line.service
            guard let providerText = s.providerID, let provider = UUID(uuidString: providerText), let code = s.code, let entryID = s.id,
                  let period = line.period, let unit = line.catalogue?.unit, line.units > 0 else { continue }
            let a = Authorization()
            a.id = newID(); a.$person.id = plan.$person.id; a.$plan.id = plan.id!; a.$organization.id = provider
            a.serviceEntryID = entryID; a.serviceCode = code; a.serviceName = s.name; a.unit = unit.rawValue
            a.units = line.authorizedUnits; a.plannedCost = line.cost; a.fundingSource = s.fundingSource?.rawValue
            a.startsOn = period.lowerBound.description; a.endsOn = period.upperBound.description
            a.status = AuthorizationStatus.active.rawValue
            result.append(a)
        }
        return result
    }

    /// The provider organisations a plan gives services or steps to: they serve the person from now on.
    static func providersNamed(services: SectionContent, steps: [SectionContent]) -> Set<UUID> {
        Set(Set(PlannedService.all(in: services).compactMap(\.providerID) + steps.compactMap { $0.text("organizationId") }).compactMap { UUID(uuidString: $0) })
    }

    /// The services of a plan that go on the waiting list (from their first date), unless already on it.
    static func newlyWaiting(_ plan: Plan, services: SectionContent, open: [WaitingListEntry], on today: CalendarDate,
                             newID: () -> UUID = { UUID() }) -> [WaitingListEntry] {
        var result: [WaitingListEntry] = []
        for service in PlannedService.all(in: services) where service.waiting {
            guard let entryID = service.id, !open.contains(where: { $0.serviceEntryID == entryID }) else { continue }
            let w = WaitingListEntry()
            w.id = newID(); w.$person.id = plan.$person.id; w.$plan.id = plan.id!; w.serviceEntryID = entryID; w.serviceCode = service.code
            w.serviceName = service.name; w.since = (service.waitingSince ?? today).description
            result.append(w)
        }
        return result
    }

    /// A plan that ends takes its authorizations with it: no units are delivered under them after that day.
    static func planEnded(_ plan: Plan, on day: CalendarDate, db: any Database) async throws -> Int {
        let open = try await Authorization.query(on: db).filter(\.$plan.$id == plan.requireID()).filter(\.$status == AuthorizationStatus.active.rawValue).all()
        for authorization in open {
            authorization.status = AuthorizationStatus.ended.rawValue
            authorization.endedOn = day.description
            try await authorization.save(on: db)
        }
        return open.count
    }
}

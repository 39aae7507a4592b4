import Fluent
import Foundation
import LanternDomain
import Vapor

/// Reading plans for FHIR, under the same access policy as everything else; each export is audited
/// as an export of the person's plan.
extension PersonRecords {
    static func fhirSource(_ plan: Plan, _ person: Person, on db: any Database) async throws -> FHIRExport.Source {
        let record = try await load(plan, person, on: db)
        let coordinator = try await person.currentCoordinatorID.asyncMap { try await User.find($0, on: db) } ?? nil
        let agency = try await coordinator?.$organization.id.asyncMap { try await Organization.find($0, on: db) } ?? nil
        let since = try await CoordinatorAssignment.query(on: db).filter(\.$person.$id == person.requireID()).filter(\.$endsOn == nil).first()?.startsOn
        let signatures = try await PlanSignature.query(on: db).filter(\.$plan.$id == plan.requireID()).sort(\.$signedAt).all()
        return FHIRExport.Source(record: record, coordinator: coordinator, agency: agency, coordinationSince: since, signatures: signatures)
    }

    /// One plan's resources.
    func fhirPlan(_ planID: UUID) async throws -> FHIRExport.Source {
        try await withPlan(planID, .view, action: .export) { plan, person, db in
            (try await Self.fhirSource(plan, person, on: db), "exported as FHIR")
        }
    }

    /// Every plan of a person, newest first (for the CarePlan search and $everything).
    func fhirPlans(of personID: UUID) async throws -> [FHIRExport.Source] {
        try await read(personID, .plan, action: .export, detail: "exported plans as FHIR") { person, db in
            var sources: [FHIRExport.Source] = []
            for plan in try await Plan.query(on: db).filter(\.$person.$id == personID).sort(\.$createdAt, .descending).limit(50).all() {
                sources.append(try await Self.fhirSource(plan, person, on: db))
            }
            return sources
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case let .some(value): return try await transform(value)
        case .none: return nil
        }
    }
}

import Fluent
import Foundation
import LanternDomain
import Vapor

/// Reading plans for FHIR, under the same access policy as everything else; each export is audited
/// as an export of the person's plan.
extension PersonRecords {
    /// What FHIR needs of each plan, in their order, read for all of them at once (see `load(_:on:)`).
    static func fhirSources(_ plans: [(Plan, Person)], on db: any Database) async throws -> [FHIRExport.Source] {
        guard !plans.isEmpty else { return [] }
        let records = try await load(plans, on: db)
        let personIDs = Array(Set(try plans.map { try $0.1.requireID() }))
        let coordinatorIDs = Array(Set(plans.compactMap { $0.1.currentCoordinatorID }))
        let coordinators = coordinatorIDs.isEmpty ? [:]
            : Dictionary(try await User.query(on: db).filter(\.$id ~~ coordinatorIDs).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let agencyIDs = Array(Set(coordinators.values.compactMap { $0.$organization.id }))
        let agencies = agencyIDs.isEmpty ? [:]
            : Dictionary(try await Organization.query(on: db).filter(\.$id ~~ agencyIDs).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        // One open assignment per person (assigning ends the one before); were there two, the latest counts.
        let since = Dictionary(try await CoordinatorAssignment.query(on: db).filter(\.$person.$id ~~ personIDs).filter(\.$endsOn == nil)
            .sort(\.$startsOn).all().map { ($0.$person.id, $0.startsOn) }, uniquingKeysWith: { _, latest in latest })
        let signatures = Dictionary(grouping: try await PlanSignature.query(on: db).filter(\.$plan.$id ~~ plans.map { $0.0.id! })
            .sort(\.$signedAt).sort(\.$id).all(), by: { $0.$plan.id })
        return records.map { record in
            let coordinator = record.person.currentCoordinatorID.flatMap { coordinators[$0] }
            return FHIRExport.Source(record: record, coordinator: coordinator, agency: coordinator?.$organization.id.flatMap { agencies[$0] },
                                     coordinationSince: since[record.person.id!], signatures: signatures[record.plan.id!] ?? [])
        }
    }

    /// One plan's resources.
    func fhirPlan(_ planID: UUID) async throws -> FHIRExport.Source {
        try await withPlan(planID, .view, action: .export) { plan, person, db in
            (try await Self.fhirSources([(plan, person)], on: db)[0], "exported as FHIR")
        }
    }

    /// Every plan of a person, newest first (for the CarePlan search and $everything).
    func fhirPlans(of personID: UUID) async throws -> [FHIRExport.Source] {
        try await read(personID, .plan, action: .export, detail: "exported plans as FHIR") { person, db in
            let plans = try await Plan.query(on: db).filter(\.$person.$id == personID).sort(\.$createdAt, .descending).limit(50).all()
            return try await Self.fhirSources(plans.map { ($0, person) }, on: db)
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

import Fluent
import Foundation
import LanternDomain

/// A service in the catalogue: its code, unit, who may pay for it, its limits and its equivalents.
/// Rates live in `CatalogueRate`, each with the days it applies to.
public final class CatalogueEntry: Model, @unchecked Sendable {
    public static let schema = "catalogue_services"
    @ID(key: .id) public var id: UUID?
    @Field(key: "code") public var code: String
    @Field(key: "name") public var name: String
    @Field(key: "unit") public var unit: String
    /// Funding source values, comma separated.
    @Field(key: "funding_sources") public var fundingSources: String
    @OptionalField(key: "max_per_day") public var maxPerDay: Double?
    @OptionalField(key: "max_per_week") public var maxPerWeek: Double?
    @OptionalField(key: "max_per_year") public var maxPerYear: Double?
    @OptionalField(key: "equivalence_group") public var equivalenceGroup: String?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _code, _name, _unit, _fundingSources, _maxPerDay, _maxPerWeek, _maxPerYear, _equivalenceGroup, _version, _createdAt,
        _updatedAt
    ] }
    public init() {}

    var sources: Set<FundingSource> { Set(fundingSources.split(separator: ",").compactMap { FundingSource(rawValue: String($0)) }) }
    var serviceUnit: ServiceUnit { ServiceUnit(rawValue: unit) ?? .item }

    func domain(rates: [CatalogueRate]) -> CatalogueService {
        CatalogueService(code: code, name: name, unit: serviceUnit,
                         rates: rates.compactMap { r in CalendarDate(r.effectiveFrom).map { ServiceRate(from: $0, to: r.effectiveTo.flatMap(CalendarDate.init), perUnit: r.perUnit) } },
                         fundingSources: sources, limits: ServiceLimits(perDay: maxPerDay, perWeek: maxPerWeek, perYear: maxPerYear),
                         equivalenceGroup: equivalenceGroup)
    }
}

/// A rate per unit from one day (to another, or until the next rate).
public final class CatalogueRate: Model, @unchecked Sendable {
    public static let schema = "catalogue_rates"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "service_id") public var service: CatalogueEntry
    @Field(key: "effective_from") public var effectiveFrom: String
    @OptionalField(key: "effective_to") public var effectiveTo: String?
    @Field(key: "per_unit") public var perUnit: Double
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [_id, _service, _effectiveFrom, _effectiveTo, _perUnit, _createdAt] }
    public init() {}
}

/// A provider organisation approved to deliver a service of the catalogue.
public final class ProviderApproval: Model, @unchecked Sendable {
    public static let schema = "provider_approvals"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "organization_id") public var organization: Organization
    @Parent(key: "service_id") public var service: CatalogueEntry
    @Field(key: "approved_on") public var approvedOn: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [_id, _organization, _service, _approvedOn, _createdAt] }
    public init() {}
}

/// What a paid service in a plan in effect allows a provider to deliver and bill: units over a period.
/// Made when the plan takes effect; closed (status "replaced" or "ended") when another version does.
public final class Authorization: Model, @unchecked Sendable {
    public static let schema = "authorizations"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Parent(key: "plan_id") public var plan: Plan
    @Parent(key: "organization_id") public var organization: Organization
    /// The id of the services entry in the plan, kept across versions.
    @Field(key: "service_entry_id") public var serviceEntryID: String
    @Field(key: "service_code") public var serviceCode: String
    @Field(key: "service_name") public var serviceName: String
    @Field(key: "unit") public var unit: String
    @Field(key: "units") public var units: Int
    /// Dollars, as the budget counted it when the plan took effect.
    @Field(key: "planned_cost") public var plannedCost: Double
    @OptionalField(key: "funding_source") public var fundingSource: String?
    @Field(key: "starts_on") public var startsOn: String
    @Field(key: "ends_on") public var endsOn: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "ended_on") public var endedOn: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _person, _plan, _organization, _serviceEntryID, _serviceCode, _serviceName, _unit, _units, _plannedCost, _fundingSource,
        _startsOn, _endsOn, _status, _endedOn, _createdAt
    ] }
    public init() {}

    var serviceUnit: ServiceUnit { ServiceUnit(rawValue: unit) ?? .item }
    var authorizationStatus: AuthorizationStatus { AuthorizationStatus(rawValue: status) ?? .ended }
}

public enum AuthorizationStatus: String, Vocabulary {
    case active, replaced, ended
    public var label: String {
        switch self {
        case .active: "In effect"
        case .replaced: "Replaced by a newer plan"
        case .ended: "Ended"
        }
    }
}

/// Units a provider delivered under an authorization on one day. Withdrawn, never deleted, when wrong.
public final class ServiceDelivery: Model, @unchecked Sendable {
    public static let schema = "service_deliveries"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "authorization_id") public var authorization: Authorization
    @Parent(key: "person_id") public var person: Person
    @Parent(key: "organization_id") public var organization: Organization
    @Field(key: "delivered_on") public var deliveredOn: String
    @Field(key: "units") public var units: Double
    @OptionalField(key: "note") public var note: String?
    @OptionalField(key: "external_id") public var externalID: String?
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @OptionalField(key: "withdrawn_at") public var withdrawnAt: Date?
    @OptionalField(key: "withdrawn_reason") public var withdrawnReason: String?
    @OptionalField(key: "withdrawn_by_id") public var withdrawnByID: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _authorization, _person, _organization, _deliveredOn, _units, _note, _externalID, _recordedByID, _withdrawnAt,
        _withdrawnReason, _withdrawnByID, _createdAt
    ] }
    public init() {}
}

/// A person waiting for a service that no provider can give yet, from the plan that says so.
public final class WaitingListEntry: Model, @unchecked Sendable {
    public static let schema = "waiting_list_entries"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Parent(key: "plan_id") public var plan: Plan
    @Field(key: "service_entry_id") public var serviceEntryID: String
    @OptionalField(key: "service_code") public var serviceCode: String?
    @Field(key: "service_name") public var serviceName: String
    @Field(key: "since") public var since: String
    @OptionalField(key: "ended_on") public var endedOn: String?
    @OptionalField(key: "end_reason") public var endReason: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _person, _plan, _serviceEntryID, _serviceCode, _serviceName, _since, _endedOn, _endReason, _createdAt
    ] }
    public init() {}
}

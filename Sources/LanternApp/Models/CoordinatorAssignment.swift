import Fluent
import Foundation

/// Who coordinated a person's supports, from when to when, and why it changed. The open row
/// (no end date) matches `Person.currentCoordinatorID`; both are written in one transaction.
public final class CoordinatorAssignment: Model, @unchecked Sendable {
    public static let schema = "coordinator_assignments"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Parent(key: "coordinator_id") public var coordinator: User
    @Field(key: "starts_on") public var startsOn: String
    @OptionalField(key: "ends_on") public var endsOn: String?
    @Field(key: "reason") public var reason: String
    @OptionalField(key: "assigned_by_id") public var assignedByID: UUID?
    /// Why the coordinator took the person on although it put them over their caseload limit.
    @OptionalField(key: "over_limit_reason") public var overLimitReason: String?
    /// The coordinators the person was offered (user ids), and who chose among them.
    @OptionalField(key: "options_offered") public var optionsOffered: [String]?
    @OptionalField(key: "chosen_by") public var chosenBy: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _person, _coordinator, _startsOn, _endsOn, _reason, _assignedByID, _overLimitReason, _optionsOffered, _chosenBy, _createdAt
    ] }
    public init() {}
}

/// A documented exception to the conflict-of-interest rule (42 CFR 441.301(c)(1)(vi)): the person's
/// coordinator works for an organisation that also provides them services, because it is the only
/// willing and qualified provider in the area. The firewall says how coordination is kept apart from
/// service delivery. It ends when the coordinator or the provider changes.
public final class ConflictException: Model, @unchecked Sendable {
    public static let schema = "conflict_exceptions"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Parent(key: "organization_id") public var organization: Organization
    @Parent(key: "coordinator_id") public var coordinator: User
    @Field(key: "reason") public var reason: String
    @Field(key: "firewall") public var firewall: String
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Field(key: "recorded_on") public var recordedOn: String
    @OptionalField(key: "ended_on") public var endedOn: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _person, _organization, _coordinator, _reason, _firewall, _recordedByID, _recordedOn, _endedOn, _createdAt
    ] }
    public init() {}
}

/// A provider organisation that serves a person. For now an explicit link; later issues derive it
/// from services in the plan. It is what lets that organisation's staff see the person.
public final class ProviderLink: Model, @unchecked Sendable {
    public static let schema = "provider_links"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Parent(key: "organization_id") public var organization: Organization
    @Field(key: "since") public var since: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [_id, _person, _organization, _since, _createdAt] }
    public init() {}
}

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
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
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
    public init() {}
}

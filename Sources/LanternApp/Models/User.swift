import Fluent
import Foundation

/// An account. Each has exactly one role; provider staff belong to a provider organisation,
/// coordinators answer to a supervisor, and a person-supported account points at their own record.
public final class User: Model, @unchecked Sendable {
    public static let schema = "users"
    @ID(key: .id) public var id: UUID?
    @Field(key: "email") public var email: String
    @Field(key: "display_name") public var displayName: String
    @Field(key: "role") public var role: String
    @OptionalParent(key: "organization_id") public var organization: Organization?
    @OptionalField(key: "supervisor_id") public var supervisorID: UUID?
    @OptionalField(key: "person_id") public var personID: UUID?
    /// A coordinator's own caseload limit (weighted); none set is the organisation's default.
    @OptionalField(key: "caseload_limit") public var caseloadLimit: Double?
    @Field(key: "password_hash") public var passwordHash: String
    /// The language of the pages for the person and family (`PortalLanguage`); none: English.
    @OptionalField(key: "language") public var language: String?
    @Field(key: "is_active") public var isActive: Bool
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _email, _displayName, _role, _organization, _supervisorID, _personID, _caseloadLimit, _passwordHash, _language, _isActive,
        _version, _createdAt, _updatedAt
    ] }
    public init() {}
    public init(id: UUID? = nil, email: String, displayName: String, role: Role, organizationID: UUID?,
                supervisorID: UUID? = nil, personID: UUID? = nil, passwordHash: String) {
        self.id = id; self.email = email.lowercased(); self.displayName = displayName; self.role = role.rawValue
        self.$organization.id = organizationID; self.supervisorID = supervisorID; self.personID = personID
        self.passwordHash = passwordHash; self.isActive = true; self.version = 1
    }
    public var userRole: Role { Role(rawValue: role) ?? .person }
}

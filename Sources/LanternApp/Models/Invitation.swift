import Fluent
import Foundation

/// An invitation for the person, or someone in their circle, to make their own account. The link
/// holds a random token; only its SHA-256 is stored. It works once, until it expires.
public final class Invitation: Model, @unchecked Sendable {
    public static let schema = "invitations"
    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Parent(key: "person_id") public var person: Person
    /// The circle member the account is for; none: the account is the person's own.
    @OptionalField(key: "circle_member_id") public var circleMemberID: UUID?
    @Field(key: "role") public var role: String
    @Field(key: "email") public var email: String
    @Field(key: "display_name") public var displayName: String
    @Field(key: "language") public var language: String
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "accepted_at") public var acceptedAt: Date?
    @OptionalField(key: "withdrawn_at") public var withdrawnAt: Date?
    @OptionalField(key: "user_id") public var userID: UUID?
    @Field(key: "invited_by_id") public var invitedByID: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _tokenHash, _person, _circleMemberID, _role, _email, _displayName, _language, _expiresAt, _acceptedAt, _withdrawnAt,
        _userID, _invitedByID, _createdAt
    ] }
    public init() {}

    var portalLanguage: PortalLanguage { PortalLanguage(rawValue: language) ?? .en }
    func isOpen(at now: Date) -> Bool { acceptedAt == nil && withdrawnAt == nil && expiresAt > now }
}

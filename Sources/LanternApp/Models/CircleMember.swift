import Fluent
import Foundation

/// Someone in the person's circle of support: family, friends, paid staff, professionals.
/// A member may be linked to an account (a guardian who signs in), which is what lets them see the record.
public final class CircleMember: Model, @unchecked Sendable {
    public static let schema = "circle_members"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Field(key: "name") public var name: String
    @Field(key: "relationship") public var relationship: String
    @Field(key: "is_paid") public var isPaid: Bool
    @Field(key: "chosen_by_person") public var chosenByPerson: Bool
    @Field(key: "has_legal_authority") public var hasLegalAuthority: Bool
    @OptionalField(key: "authority_scope") public var authorityScope: String?
    @OptionalField(key: "phone") public var phone: String?
    @OptionalField(key: "email") public var email: String?
    @OptionalField(key: "address") public var address: String?
    @Field(key: "receives_plan_copy") public var receivesPlanCopy: Bool
    @OptionalField(key: "user_id") public var userID: UUID?
    /// What the person lets this member see through their own account (`SharedArea`, comma-separated).
    /// A member with legal authority sees everything whatever this says.
    @OptionalField(key: "shared_areas") public var sharedAreasText: String?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _person, _name, _relationship, _isPaid, _chosenByPerson, _hasLegalAuthority, _authorityScope, _phone, _email, _address,
        _receivesPlanCopy, _userID, _sharedAreasText, _version, _createdAt, _updatedAt
    ] }
    public init() {}

    /// A new member with the defaults a form starts from.
    static func blank() -> CircleMember {
        let m = CircleMember()
        m.isPaid = false; m.chosenByPerson = true; m.hasLegalAuthority = false; m.receivesPlanCopy = false; m.version = 1
        return m
    }

    var sharedAreas: Set<SharedArea> {
        get { Set((sharedAreasText ?? "").split(separator: ",").compactMap { SharedArea(rawValue: String($0)) }) }
        set { sharedAreasText = SharedArea.allCases.filter(newValue.contains).map(\.rawValue).joined(separator: ",") }
    }
}

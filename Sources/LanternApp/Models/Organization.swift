import Fluent
import Foundation

/// The coordinating agency, or a provider agency that delivers supports.
public final class Organization: Model, @unchecked Sendable {
    public static let schema = "organizations"
    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kind: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [_id, _name, _kind, _createdAt] }
    public init() {}
    public init(id: UUID? = nil, name: String, kind: OrganizationKind) {
        self.id = id; self.name = name; self.kind = kind.rawValue
    }
    public var organizationKind: OrganizationKind { OrganizationKind(rawValue: kind) ?? .provider }
}

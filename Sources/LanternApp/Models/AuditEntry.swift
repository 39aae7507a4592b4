import Fluent
import Foundation

/// One row of the audit trail. Rows are only ever inserted; each carries the SHA-256 of its own
/// content chained to the hash of the row before it, so any change, removal or insertion shows.
public final class AuditEntry: Model, @unchecked Sendable {
    public static let schema = "audit_entries"
    /// The position in the chain, 1, 2, 3, ... with no gaps.
    @ID(custom: "seq", generatedBy: .user) public var id: Int?
    @Field(key: "at_ms") public var atMillis: Int64
    @OptionalField(key: "user_id") public var userID: String?
    @OptionalField(key: "user_label") public var userLabel: String?
    @OptionalField(key: "person_id") public var personID: String?
    @Field(key: "action") public var action: String
    @Field(key: "category") public var category: String
    @OptionalField(key: "source_address") public var sourceAddress: String?
    @Field(key: "outcome") public var outcome: String
    @Field(key: "detail") public var detail: String
    @Field(key: "prev_hash") public var prevHash: String
    @Field(key: "hash") public var hash: String
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _atMillis, _userID, _userLabel, _personID, _action, _category, _sourceAddress, _outcome, _detail, _prevHash, _hash
    ] }
    public init() {}

    public var at: Date { Date(timeIntervalSince1970: Double(atMillis) / 1000) }
}

/// The single row that holds the end of the chain. Every audited write locks it first, which both
/// orders the chain and serializes writers across instances (a row lock on PostgreSQL, the write
/// lock on SQLite).
public final class AuditChainHead: Model, @unchecked Sendable {
    public static let schema = "audit_chain_head"
    @ID(custom: .id, generatedBy: .user) public var id: Int?
    @Field(key: "last_seq") public var lastSeq: Int
    @Field(key: "last_hash") public var lastHash: String
    @Field(key: "touched_at") public var touchedAt: Int64
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [_id, _lastSeq, _lastHash, _touchedAt] }
    public init() {}
}

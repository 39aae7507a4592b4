import Fluent
import Foundation
import LanternDomain

/// Something a coordinator must do for a person by a date. Made by the scheduler from the rules'
/// deadlines; `source_key` is unique, so it exists once whatever number of instances compute it.
public final class CoordinationTask: Model, @unchecked Sendable {
    public static let schema = "coordination_tasks"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    /// The coordinator when the task was made; the list follows the person's current coordinator.
    @OptionalField(key: "assignee_id") public var assigneeID: UUID?
    @Field(key: "kind") public var kind: String
    @Field(key: "title") public var title: String
    @Field(key: "due_on") public var dueOn: String
    @Field(key: "show_from") public var showFrom: String
    @Field(key: "citation") public var citation: String
    @Field(key: "source_key") public var sourceKey: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "closed_on") public var closedOn: String?
    @OptionalField(key: "closed_by_id") public var closedByID: UUID?
    @OptionalField(key: "note") public var note: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _person, _assigneeID, _kind, _title, _dueOn, _showFrom, _citation, _sourceKey, _status, _closedOn, _closedByID, _note,
        _createdAt
    ] }
    public init() {}

    var taskStatus: TaskStatus { TaskStatus(rawValue: status) ?? .open }
    var taskKind: TaskKind? { TaskKind(rawValue: kind) }
}

public enum TaskStatus: String, Vocabulary {
    case open, done
    /// What it was for no longer applies (the plan was replaced, the request answered).
    case closed
    public var label: String {
        switch self {
        case .open: "To do"
        case .done: "Done"
        case .closed: "No longer needed"
        }
    }
}

/// An email waiting to be sent. Reminders are written here in the transaction that makes them;
/// a sender delivers them when SMTP is configured. Unique by key, like the tasks.
public final class OutboxEmail: Model, @unchecked Sendable {
    public static let schema = "outbox_emails"
    @ID(key: .id) public var id: UUID?
    @Field(key: "to_address") public var toAddress: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String
    @Field(key: "source_key") public var sourceKey: String
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @Field(key: "attempts") public var attempts: Int
    @OptionalField(key: "last_error") public var lastError: String?
    /// A sender holds the row until then; after, another may take it (the first one died).
    @OptionalField(key: "claimed_until") public var claimedUntil: Date?
    /// After a failure, the next try waits until then.
    @OptionalField(key: "next_attempt_at") public var nextAttemptAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _toAddress, _subject, _body, _sourceKey, _sentAt, _attempts, _lastError, _claimedUntil, _nextAttemptAt, _createdAt
    ] }
    public init() {}
}

/// A contact between the coordinator and the person to monitor the plan: when, how, what was found,
/// and what follows.
public final class MonitoringContact: Model, @unchecked Sendable {
    public static let schema = "monitoring_contacts"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Field(key: "contact_on") public var contactOn: String
    @Field(key: "kind") public var kind: String
    @Field(key: "findings") public var findings: String
    @OptionalField(key: "follow_up") public var followUp: String?
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [_id, _person, _contactOn, _kind, _findings, _followUp, _recordedByID, _createdAt] }
    public init() {}
}

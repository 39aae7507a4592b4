import Fluent
import Foundation

/// One recorded observation on an action step: the date, the value in the step's measure (none for a
/// narrative step), a note, and who recorded it from which organisation.
public final class ProgressEntry: Model, @unchecked Sendable {
    public static let schema = "progress_entries"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Field(key: "outcome_id") public var outcomeID: String
    @Field(key: "step_id") public var stepID: String
    /// The plan version in effect when it was recorded, whose step this was.
    @Field(key: "plan_id") public var planID: UUID
    @Field(key: "entry_date") public var entryDate: String
    @OptionalField(key: "value") public var value: Double?
    @OptionalField(key: "note") public var note: String?
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @OptionalField(key: "organization_id") public var organizationID: UUID?
    /// form, api or bulk.
    @Field(key: "source") public var source: String
    /// The sending system's own id for the entry, unique per organisation.
    @OptionalField(key: "external_id") public var externalID: String?
    /// A wrong entry is withdrawn, never deleted: it stays in the record with why and by whom, and
    /// no longer counts in charts, flags or reviews.
    @OptionalField(key: "withdrawn_at") public var withdrawnAt: Date?
    @OptionalField(key: "withdrawn_reason") public var withdrawnReason: String?
    @OptionalField(key: "withdrawn_by_id") public var withdrawnByID: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _person, _outcomeID, _stepID, _planID, _entryDate, _value, _note, _recordedByID, _organizationID, _source, _externalID,
        _withdrawnAt, _withdrawnReason, _withdrawnByID, _createdAt
    ] }
    public init() {}
}

/// The coordinator's periodic review of an outcome: what is working, what is not, what happens next.
public final class OutcomeReview: Model, @unchecked Sendable {
    public static let schema = "outcome_reviews"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Field(key: "outcome_id") public var outcomeID: String
    @Field(key: "plan_id") public var planID: UUID
    @Field(key: "reviewed_on") public var reviewedOn: String
    @Field(key: "working") public var working: String
    @Field(key: "not_working") public var notWorking: String
    @Field(key: "next_steps") public var nextSteps: String
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _person, _outcomeID, _planID, _reviewedOn, _working, _notWorking, _nextSteps, _recordedByID, _createdAt
    ] }
    public init() {}
}

/// How the person says an outcome is going, on a three-point scale with pictures, and in their words.
public final class OutcomeSelfView: Model, @unchecked Sendable {
    public static let schema = "outcome_self_views"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Field(key: "outcome_id") public var outcomeID: String
    @Field(key: "said_on") public var saidOn: String
    @Field(key: "feeling") public var feeling: String
    @OptionalField(key: "comment") public var comment: String?
    /// Who helped the person say it, when someone did.
    @OptionalField(key: "helped_by") public var helpedBy: String?
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [_id, _person, _outcomeID, _saidOn, _feeling, _comment, _helpedBy, _recordedByID, _createdAt] }
    public init() {}

    public var selfRating: SelfRating { SelfRating(rawValue: feeling) ?? .okay }
}

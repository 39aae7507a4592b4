import Fluent
import Foundation

/// A copy of a plan version given to someone: who, when, how, and whether it included the budget.
/// It is also the accounting of disclosures (HIPAA 164.528: date, recipient, what, why).
public final class PlanDistribution: Model, @unchecked Sendable {
    public static let schema = "plan_distributions"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: Plan
    @Field(key: "recipient_name") public var recipientName: String
    @Field(key: "recipient_role") public var recipientRole: String
    @Field(key: "method") public var method: String
    @Field(key: "sent_on") public var sentOn: String
    @Field(key: "includes_budget") public var includesBudget: Bool
    @OptionalField(key: "purpose") public var purpose: String?
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _plan, _recipientName, _recipientRole, _method, _sentOn, _includesBudget, _purpose, _recordedByID, _createdAt
    ] }
    public init() {}

    public var role: RecipientRole { RecipientRole(rawValue: recipientRole) ?? .other }
    public var distributionMethod: DistributionMethod { DistributionMethod(rawValue: method) ?? .print }
}

public enum RecipientRole: String, Vocabulary {
    case person, guardian, parent, provider
    case regionalCenter = "regional_center"
    case family, other
    public var label: String {
        switch self {
        case .person: "The person"
        case .guardian: "Guardian or legal representative"
        case .parent: "Parent"
        case .provider: "Provider"
        case .regionalCenter: "Regional center"
        case .family: "Family member"
        case .other: "Someone else"
        }
    }
    /// Who gets the budget with their copy, where the plan type's rules ask it (Missouri ISP guide).
    public var mustReceiveBudget: Bool { [.person, .guardian, .parent].contains(self) }
}

public enum DistributionMethod: String, Vocabulary {
    case portal, print, mail, email
    public var label: String {
        switch self {
        case .portal: "Through Lantern (their own account)"
        case .print: "Printed copy, by hand"
        case .mail: "Printed copy, by post"
        case .email: "Email"
        }
    }
}

/// A review of the plan asked for by the person or their representative, and when it is due.
public final class ReviewRequest: Model, @unchecked Sendable {
    public static let schema = "plan_review_requests"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: Plan
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "requested_by") public var requestedBy: String
    @Field(key: "requested_by_role") public var requestedByRole: String
    @Field(key: "requested_on") public var requestedOn: String
    @OptionalField(key: "reason") public var reason: String?
    @Field(key: "due_on") public var dueOn: String
    @Field(key: "due_citation") public var dueCitation: String
    @Field(key: "status") public var status: String
    /// The new version started to answer the request.
    @OptionalField(key: "answered_by_plan_id") public var answeredByPlanID: UUID?
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    /// Why the review is due (`ReviewTrigger`).
    @Field(key: "trigger") public var trigger: String
    /// The service the person asked to change, when they asked about one service rather than the plan.
    @OptionalField(key: "about_service") public var aboutService: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _plan, _personID, _requestedBy, _requestedByRole, _requestedOn, _reason, _dueOn, _dueCitation, _status, _answeredByPlanID,
        _recordedByID, _trigger, _aboutService, _createdAt
    ] }
    public init() {}

    public var reviewTrigger: ReviewTrigger { ReviewTrigger(rawValue: trigger) ?? .request }
    public var requestStatus: ReviewRequestStatus { ReviewRequestStatus(rawValue: status) ?? .open }
    public var role: RecipientRole { RecipientRole(rawValue: requestedByRole) ?? .other }
}

public enum ReviewRequestStatus: String, Vocabulary {
    case open
    case reviewStarted = "review_started"
    /// The plan ended before a review was started.
    case closed
    public var label: String {
        switch self {
        case .open: "Waiting for a review"
        case .reviewStarted: "Review started"
        case .closed: "Closed: the plan ended"
        }
    }
}

/// One statement of a person's profile in another language. Keyed by the exact source text, so a
/// translation applies only while the plan says the same thing, in any version, and never drifts.
public final class ProfileTranslation: Model, @unchecked Sendable {
    public static let schema = "profile_translations"
    @ID(key: .id) public var id: UUID?
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "language") public var language: String
    @Field(key: "source_digest") public var sourceDigest: String
    @Field(key: "translated_text") public var translatedText: String
    @OptionalField(key: "translated_by") public var translatedBy: String?
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _personID, _language, _sourceDigest, _translatedText, _translatedBy, _recordedByID, _createdAt, _updatedAt
    ] }
    public init() {}
}

/// The photo a person chose for their one-page profile, with the words that describe it to someone
/// who cannot see it.
public final class ProfilePhoto: Model, @unchecked Sendable {
    public static let schema = "profile_photos"
    @ID(key: .id) public var id: UUID?
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "content_type") public var contentType: String
    @Field(key: "data") public var data: Data
    /// What the photo shows, for someone who cannot see it (the img alt text).
    @Field(key: "description") public var altText: String
    @Field(key: "uploaded_by_id") public var uploadedByID: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [_id, _personID, _contentType, _data, _altText, _uploadedByID, _createdAt] }
    public init() {}
}

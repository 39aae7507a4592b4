import Fluent
import NIOConcurrencyHelpers
import Foundation

/// One version of a person's support plan: its type and dates. The content lives in `PlanSection`
/// rows, one per component, so a whole plan can be copied into a new version (same `seriesID`, next
/// `versionNumber`) and the old one frozen, never changed again.
public final class Plan: Model, @unchecked Sendable {
    public static let schema = "plans"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Field(key: "plan_type") public var planType: String
    @Field(key: "plan_kind") public var planKind: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "meeting_date") public var meetingDate: String?
    @OptionalField(key: "effective_start") public var effectiveStart: String?
    @OptionalField(key: "effective_end") public var effectiveEnd: String?
    @OptionalField(key: "implementation_date") public var implementationDate: String?
    @OptionalField(key: "next_review_date") public var nextReviewDate: String?
    @OptionalField(key: "planning_language") public var planningLanguage: String?
    /// Every version of the same living plan shares this id; the first version's id.
    @Field(key: "series_id") public var seriesID: UUID
    @Field(key: "version_number") public var versionNumber: Int
    @OptionalField(key: "previous_plan_id") public var previousPlanID: UUID?
    /// Set when the version is signed or replaced; a frozen plan refuses every change.
    @OptionalField(key: "frozen_at") public var frozenAt: Date?
    @Field(key: "created_by_id") public var createdByID: UUID
    /// SHA-256 of the version as sent for signatures (see `PlanDigest`); every signature records it too.
    @OptionalField(key: "content_digest") public var contentDigest: String?
    /// Why this version was started: an amendment, next year's plan, a review the person asked for.
    @OptionalField(key: "change_reason") public var changeReason: String?
    @OptionalField(key: "ended_on") public var endedOn: String?
    @OptionalField(key: "end_reason") public var endReason: String?
    /// Optimistic-concurrency version of the plan's own fields (the ETag), not the plan version.
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _person, _planType, _planKind, _status, _meetingDate, _effectiveStart, _effectiveEnd, _implementationDate, _nextReviewDate,
        _planningLanguage, _seriesID, _versionNumber, _previousPlanID, _frozenAt, _createdByID, _contentDigest, _changeReason, _endedOn,
        _endReason, _version, _createdAt, _updatedAt
    ] }
    public init() {}

    public var type: PlanType { PlanType(rawValue: planType) ?? .federalHCBS }
    public var kind: PlanKind { PlanKind(rawValue: planKind) ?? .initial }
    public var planStatus: PlanStatus { PlanStatus(rawValue: status) ?? .draft }
    /// "ISP (annual) · meeting 2026-03-02"
    public var title: String {
        "\(type.shortLabel) · \(kind.label.lowercased())" + (meetingDate.map { " · meeting \($0)" } ?? "")
    }
}

/// The content of one component of a plan, as JSON shaped by its `SectionSpec`. A section with no row
/// has not been written yet (version 0).
public final class PlanSection: Model, @unchecked Sendable {
    public static let schema = "plan_sections"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: Plan
    @Field(key: "section_key") public var sectionKey: String
    @Field(key: "content") public var contentJSON: String
    @Field(key: "version") public var version: Int
    @OptionalField(key: "updated_by_id") public var updatedByID: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [_id, _plan, _sectionKey, _contentJSON, _version, _updatedByID, _createdAt, _updatedAt] }
    public init() {}

    /// The content, decoded once per stored text: a page or an export reads sections many times, and
    /// decoding JSON into `JSONValue` was a large share of its time (measured with perf).
    public var content: SectionContent {
        get {
            let json = contentJSON
            if let cached = decoded.withLockedValue({ $0 }), cached.json == json { return cached.value }
            let value = (try? JSONDecoder().decode(SectionContent.self, from: Data(json.utf8))) ?? [:]
            decoded.withLockedValue { $0 = (json, value) }
            return value
        }
        set {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            contentJSON = String(decoding: (try? encoder.encode(newValue)) ?? Data("{}".utf8), as: UTF8.self)
            decoded.withLockedValue { $0 = (contentJSON, newValue) }
        }
    }
    private let decoded = NIOLockedValueBox<(json: String, value: SectionContent)?>(nil)
}

/// One signature a plan version needs, and what became of it. A signature records exactly which
/// version was signed by its SHA-256 digest, so a later change to that version is detected.
public final class PlanSignature: Model, @unchecked Sendable {
    public static let schema = "plan_signatures"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "plan_id") public var plan: Plan
    @Field(key: "role") public var role: String
    @Field(key: "signer_name") public var signerName: String
    @OptionalField(key: "circle_member_id") public var circleMemberID: UUID?
    /// The account that may sign through Lantern, when there is one.
    @OptionalField(key: "user_id") public var userID: UUID?
    @OptionalField(key: "organization_id") public var organizationID: UUID?
    @Field(key: "required") public var required: Bool
    @Field(key: "reason") public var reason: String
    @Field(key: "citation") public var citation: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "on_behalf_of") public var onBehalfOf: String?
    @OptionalField(key: "method") public var method: String?
    @OptionalField(key: "signed_at") public var signedAt: Date?
    /// When the signer first opened the version they were asked to sign.
    @OptionalField(key: "viewed_at") public var viewedAt: Date?
    @OptionalField(key: "had_support") public var hadSupport: Bool?
    @OptionalField(key: "support_by") public var supportBy: String?
    @OptionalField(key: "digest") public var digest: String?
    @OptionalField(key: "decline_reason") public var declineReason: String?
    @OptionalField(key: "recorded_by_id") public var recordedByID: UUID?
    @Field(key: "version") public var version: Int
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _plan, _role, _signerName, _circleMemberID, _userID, _organizationID, _required, _reason, _citation, _status, _onBehalfOf,
        _method, _signedAt, _viewedAt, _hadSupport, _supportBy, _digest, _declineReason, _recordedByID, _version, _createdAt, _updatedAt
    ] }
    public init() {}

    public var signatureStatus: SignatureStatus { SignatureStatus(rawValue: status) ?? .requested }
    public var signerRole: SignerRole { SignerRole(rawValue: role) ?? .person }
}

public enum SignatureStatus: String, Vocabulary {
    case requested, viewed, signed, declined
    /// The version was taken back to draft before everyone signed; the request no longer counts.
    case withdrawn
    public var label: String {
        switch self {
        case .requested: "Asked to sign"
        case .viewed: "Has seen the plan"
        case .signed: "Signed"
        case .declined: "Declined"
        case .withdrawn: "Withdrawn"
        }
    }
}

public enum SignatureMethod: String, Vocabulary {
    case ownAccount = "own_account"
    case inPerson = "in_person"
    case paperScanned = "paper_scanned"
    public var label: String {
        switch self {
        case .ownAccount: "With their own account"
        case .inPerson: "In person, on a shared device"
        case .paperScanned: "On paper, scanned"
        }
    }
}

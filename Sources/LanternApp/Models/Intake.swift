import Fluent
import Foundation
import LanternDomain

/// A referral to the single point of entry, and the eligibility decision that answers it.
public final class Referral: Model, @unchecked Sendable {
    public static let schema = "referrals"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    /// The plan the person would get, whose rule pack sets the intake deadlines.
    @Field(key: "plan_type") public var planType: String
    @Field(key: "referred_on") public var referredOn: String
    @Field(key: "source") public var source: String
    @Field(key: "referrer_name") public var referrerName: String
    @OptionalField(key: "referrer_contact") public var referrerContact: String?
    @Field(key: "reason") public var reason: String
    @OptionalField(key: "assessed_on") public var assessedOn: String?
    @OptionalField(key: "decision") public var decision: String?
    @OptionalField(key: "decided_on") public var decidedOn: String?
    @OptionalField(key: "decision_basis") public var decisionBasis: String?
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _person, _planType, _referredOn, _source, _referrerName, _referrerContact, _reason, _assessedOn, _decision, _decidedOn,
        _decisionBasis, _recordedByID, _createdAt
    ] }
    public init() {}

    var type: PlanType { PlanType(rawValue: planType) ?? .federalHCBS }
    var eligibility: EligibilityDecision? { decision.flatMap(EligibilityDecision.init) }
}

/// A planning meeting: when and where the person chose, who they invited, what they need to take
/// part, who came, and the notes, linked to the plan version it was for.
public final class PlanningMeeting: Model, @unchecked Sendable {
    public static let schema = "planning_meetings"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @OptionalField(key: "plan_id") public var planID: UUID?
    @Field(key: "meets_on") public var meetsOn: String
    @Field(key: "starts_at") public var startsAt: String
    @Field(key: "place") public var place: String
    @Field(key: "chosen_by_person") public var chosenByPerson: Bool
    @Field(key: "facilitator") public var facilitator: String
    /// Circle members the person invited.
    @Field(key: "invitee_ids") public var inviteeIDs: [String]
    @OptionalField(key: "other_invitees") public var otherInvitees: String?
    @Field(key: "accommodations") public var accommodations: [String]
    @OptionalField(key: "accommodation_notes") public var accommodationNotes: String?
    /// The advocate the person chose to have with them, if any.
    @OptionalField(key: "advocate") public var advocate: String?
    @Field(key: "status") public var status: String
    @Field(key: "attended_ids") public var attendedIDs: [String]
    @OptionalField(key: "attended_others") public var attendedOthers: String?
    @OptionalField(key: "notes") public var notes: String?
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _person, _planID, _meetsOn, _startsAt, _place, _chosenByPerson, _facilitator, _inviteeIDs, _otherInvitees, _accommodations,
        _accommodationNotes, _advocate, _status, _attendedIDs, _attendedOthers, _notes, _recordedByID, _createdAt, _updatedAt
    ] }
    public init() {}

    var meetingStatus: MeetingStatus { MeetingStatus(rawValue: status) ?? .planned }
}

/// A satisfaction survey answered by the person or their family, with the coordinator at the time,
/// so that results can be read per person over time and per coordinator.
public final class SatisfactionSurvey: Model, @unchecked Sendable {
    public static let schema = "satisfaction_surveys"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Field(key: "respondent") public var respondent: String
    @Field(key: "answered_on") public var answeredOn: String
    @OptionalField(key: "meeting_id") public var meetingID: UUID?
    @OptionalField(key: "coordinator_id") public var coordinatorID: UUID?
    /// Question id to rating (1 to 3), as JSON; a question not answered is left out.
    @Field(key: "answers") public var answers: String
    @Field(key: "mean") public var mean: Double
    @OptionalField(key: "comment") public var comment: String?
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    /// Sums of the answers, kept with them (`setAnswers`) so the database adds up satisfaction over
    /// a whole state without reading each survey's answers.
    @Field(key: "answer_count") public var answerCount: Int
    @Field(key: "rating_sum") public var ratingSum: Int
    @Field(key: "happy_count") public var happyCount: Int
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [
        _id, _person, _respondent, _answeredOn, _meetingID, _coordinatorID, _answers, _mean, _comment, _recordedByID, _createdAt,
        _answerCount, _ratingSum, _happyCount,
    ] }
    public init() {}

    /// Made-up answers for the demo and the statewide generator, a little happier the more recent:
    /// `draw` gives a number in a range from the caller's seeded source.
    static func syntheticAnswers(_ respondent: SurveyRespondent, daysAgo: Int, draw: (ClosedRange<Int>) -> Int) -> [String: Int] {
        var answers: [String: Int] = [:]
        for q in respondent.questions where draw(1...100) <= 90 {
            let roll = draw(1...100) + (700 - daysAgo) / 35
            answers[q.id] = roll > 55 ? 3 : roll > 20 ? 2 : 1
        }
        if answers.isEmpty { answers[respondent.questions[0].id] = 2 }
        return answers
    }

    /// The answers (question id to rating 1 to 3), their mean and their sums, all at once.
    func setAnswers(_ ratings: [String: Int]) throws {
        answers = String(decoding: try JSONEncoder.sorted.encode(ratings), as: UTF8.self)
        let counted = ratings.values.filter { SatisfactionRating(rawValue: $0) != nil }
        mean = ratings.isEmpty ? 0 : Double(ratings.values.reduce(0, +)) / Double(ratings.count)
        answerCount = counted.count
        ratingSum = counted.reduce(0, +)
        happyCount = counted.filter { $0 == SatisfactionRating.happy.rawValue }.count
    }

    var ratings: [String: SatisfactionRating] {
        let raw = (try? JSONDecoder().decode([String: Int].self, from: Data(answers.utf8))) ?? [:]
        return raw.compactMapValues(SatisfactionRating.init)
    }
    var score: SurveyScore? {
        CalendarDate(answeredOn).map { SurveyScore(answeredOn: $0, ratings: Array(ratings.values)) }
    }
}

/// A service in the plan that the person said no to. The service's authorization ends that day and a
/// review is due, so that the next version of the plan follows the person's decision.
public final class ServiceRefusal: Model, @unchecked Sendable {
    public static let schema = "service_refusals"
    @ID(key: .id) public var id: UUID?
    @Parent(key: "person_id") public var person: Person
    @Parent(key: "plan_id") public var plan: Plan
    @Field(key: "service_entry_id") public var serviceEntryID: String
    @Field(key: "service_name") public var serviceName: String
    @Field(key: "refused_on") public var refusedOn: String
    @OptionalField(key: "reason") public var reason: String?
    @Field(key: "recorded_by_id") public var recordedByID: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    // Written out, not reflected: see `StoredModels`.
    public var properties: [any AnyProperty] { [_id, _person, _plan, _serviceEntryID, _serviceName, _refusedOn, _reason, _recordedByID, _createdAt] }
    public init() {}
}

/// Why a review of the plan is due.
public enum ReviewTrigger: String, Vocabulary {
    /// The person or their representative asked.
    case request
    /// The person's circumstances or needs changed significantly.
    case significantChange = "significant_change"
    /// The person refused a service in the plan.
    case refusal
    public var label: String {
        switch self {
        case .request: "Asked for"
        case .significantChange: "Significant change"
        case .refusal: "Service refused"
        }
    }
}

/// Who chose the coordinator.
public enum CoordinatorChooser: String, Vocabulary {
    case person, guardian, family
    /// No choice was possible (only one coordinator serves the area); the reason says so.
    case assigned
    public var label: String {
        switch self {
        case .person: "The person chose"
        case .guardian: "The guardian chose"
        case .family: "The family chose"
        case .assigned: "Assigned without a choice"
        }
    }
}

import Foundation

/// Who referred a person to the single point of entry.
public enum ReferralSource: String, Vocabulary {
    case person = "self"
    case family
    case doctor
    case hospital
    case school
    case agency
    case other
    public var label: String {
        switch self {
        case .person: "The person themself"
        case .family: "Parent or family"
        case .doctor: "Doctor or clinic"
        case .hospital: "Hospital"
        case .school: "School or child care"
        case .agency: "Another agency"
        case .other: "Someone else"
        }
    }
}

/// The decision on whether the person is eligible for the program they were referred to.
public enum EligibilityDecision: String, Vocabulary {
    case eligible
    /// Eligible for now, to be confirmed (Lanterman "provisional" eligibility for young children).
    case provisional
    case notEligible = "not_eligible"
    public var label: String {
        switch self {
        case .eligible: "Eligible"
        case .provisional: "Eligible for now (provisional)"
        case .notEligible: "Not eligible"
        }
    }
    public var admits: Bool { self != .notEligible }
}

/// The day an intake deadline counts from.
public enum IntakeAnchor: String, Codable, Sendable {
    /// The day the referral was received.
    case referral
    /// The day the assessment was completed.
    case assessment
}

/// What must happen by an intake deadline.
public enum IntakeStep: String, Codable, Sendable {
    /// Decide eligibility (complete the assessment).
    case eligibility
    /// Hold the first planning meeting: the initial IFSP, IPP or ISP meeting.
    case firstPlanMeeting
}

/// One intake time limit that a plan type's rule pack sets, with its source.
public struct IntakeDeadline: Codable, Sendable, Equatable {
    public var step: IntakeStep
    public var from: IntakeAnchor
    public var withinDays: Int
    public var citation: String
    public init(step: IntakeStep, from: IntakeAnchor, withinDays: Int, citation: String) {
        self.step = step; self.from = from; self.withinDays = withinDays; self.citation = citation
    }
}

/// A referral as far as its deadlines go.
public struct ReferralFacts: Sendable, Equatable {
    public var id: String
    public var person: String
    public var planType: PlanType
    public var referredOn: CalendarDate
    public var assessedOn: CalendarDate?
    public var decision: EligibilityDecision?
    /// Whether the first planning meeting has been held (a plan of the type has a meeting date).
    public var firstMeetingHeld: Bool
    public init(id: String, person: String, planType: PlanType, referredOn: CalendarDate, assessedOn: CalendarDate? = nil,
                decision: EligibilityDecision? = nil, firstMeetingHeld: Bool = false) {
        self.id = id; self.person = person; self.planType = planType; self.referredOn = referredOn
        self.assessedOn = assessedOn; self.decision = decision; self.firstMeetingHeld = firstMeetingHeld
    }
}

extension Deadlines {
    /// What intake still owes a referral under its plan type's deadlines. Eligibility is due until it
    /// is decided; the first meeting is due until it is held, unless the person was found not
    /// eligible. A deadline counted from the assessment waits for the assessment. Each shows at once.
    public static func intake(_ referral: ReferralFacts, rules: [IntakeDeadline]) -> [DueItem] {
        rules.compactMap { rule in
            let anchor: CalendarDate?
            switch rule.from {
            case .referral: anchor = referral.referredOn
            case .assessment: anchor = referral.assessedOn
            }
            guard let start = anchor else { return nil }
            let due = start.adding(days: rule.withinDays)
            switch rule.step {
            case .eligibility:
                guard referral.decision == nil else { return nil }
                return DueItem(kind: .eligibilityDecision, key: "intake-eligibility:\(referral.id)",
                               title: "\(TaskKind.eligibilityDecision.label) for \(referral.person), referred on \(referral.referredOn)",
                               due: due, showFrom: referral.referredOn, citation: rule.citation)
            case .firstPlanMeeting:
                guard !referral.firstMeetingHeld, referral.decision?.admits ?? true else { return nil }
                return DueItem(kind: .firstPlanMeeting, key: "intake-first-meeting:\(referral.id)",
                               title: "First \(referral.planType.shortLabel) meeting for \(referral.person), \(rule.withinDays) days from the \(rule.from == .referral ? "referral" : "assessment")",
                               due: due, showFrom: start, citation: rule.citation)
            }
        }
    }

    /// A review after a significant change in the person's life, by the date the rule pack set.
    public static func changeReview(changeID: String, person: String, noticedOn: CalendarDate, due: CalendarDate, citation: String) -> DueItem {
        DueItem(kind: .changeReview, key: "change-review:\(changeID)", title: "\(TaskKind.changeReview.label): \(person), noticed on \(noticedOn)",
                due: due, showFrom: noticedOn, citation: citation)
    }

    /// Ask the person and family how satisfied they are: two weeks after a planning meeting, and
    /// when a year has passed since the last answer (or since coordination began).
    public static func satisfactionAfterMeeting(meetingID: String, person: String, heldOn: CalendarDate) -> DueItem {
        DueItem(kind: .satisfactionSurvey, key: "satisfaction-meeting:\(meetingID)", title: "\(TaskKind.satisfactionSurvey.label): \(person), after the meeting on \(heldOn)",
                due: heldOn.adding(days: 14), showFrom: heldOn, citation: "Continuous monitoring of the satisfaction of the person and family (The Arc, individual service coordination)")
    }

    public static func satisfactionYearly(personID: String, person: String, last: CalendarDate) -> DueItem {
        let due = last.adding(months: 12)
        return DueItem(kind: .satisfactionSurvey, key: "satisfaction-yearly:\(personID):\(due)", title: "\(TaskKind.satisfactionSurvey.label): \(person), once a year",
                       due: due, showFrom: due.adding(days: -30), citation: "Continuous monitoring of the satisfaction of the person and family (The Arc, individual service coordination)")
    }
}

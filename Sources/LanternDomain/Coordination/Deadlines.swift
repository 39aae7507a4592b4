import Foundation

/// What a coordinator must do by a date.
public enum TaskKind: String, Vocabulary {
    case nextPlan = "next_plan"
    case ifspReview = "ifsp_review"
    case transitionNotice = "transition_notice"
    case transitionConference = "transition_conference"
    case requestedReview = "requested_review"
    case monitoringContact = "monitoring_contact"
    case eligibilityDecision = "eligibility_decision"
    case firstPlanMeeting = "first_plan_meeting"
    case changeReview = "change_review"
    case satisfactionSurvey = "satisfaction_survey"
    public var label: String {
        switch self {
        case .nextPlan: "Next plan due"
        case .ifspReview: "Six-month IFSP review"
        case .transitionNotice: "Tell the school district about the transition at age 3"
        case .transitionConference: "Hold the transition conference"
        case .requestedReview: "Review the person asked for"
        case .monitoringContact: "Monitoring contact"
        case .eligibilityDecision: "Decide eligibility"
        case .firstPlanMeeting: "Hold the first planning meeting"
        case .changeReview: "Review the plan after a significant change"
        case .satisfactionSurvey: "Ask how satisfied the person and family are"
        }
    }
}

/// One thing due: what, by when, from when it shows on the coordinator's list, why (the citation),
/// and a key that names it once, so that it is created exactly once however often it is computed.
public struct DueItem: Sendable, Equatable {
    public var kind: TaskKind
    public var key: String
    public var title: String
    public var due: CalendarDate
    public var showFrom: CalendarDate
    public var citation: String
}

/// The dates the rules set. Pure: the same facts always give the same items.
public enum Deadlines {
    /// The next plan: at least every 12 months, so by the day before the anniversary of the start of
    /// the plan in effect (or the plan's own end, when sooner). It shows 60 days ahead.
    public static func nextPlan(planID: String, person: String, type: PlanType, start: CalendarDate, end: CalendarDate?) -> DueItem {
        var due = start.adding(months: 12).adding(days: -1)
        if let end, end < due { due = end }
        return DueItem(kind: .nextPlan, key: "next-plan:\(planID)", title: "\(TaskKind.nextPlan.label) for \(person) (\(type.shortLabel))",
                       due: due, showFrom: due.adding(days: -60), citation: "42 CFR 441.301(c)(3)")
    }

    /// An IFSP is reviewed every six months from its meeting; it shows 30 days ahead.
    public static func ifspReview(planID: String, person: String, meeting: CalendarDate) -> DueItem {
        let due = meeting.adding(months: 6)
        return DueItem(kind: .ifspReview, key: "ifsp-review:\(planID)", title: "\(TaskKind.ifspReview.label) for \(person)",
                       due: due, showFrom: due.adding(days: -30), citation: "34 CFR 303.342(b)")
    }

    /// The third birthday (a child born on 29 February turns 3 on 28 February).
    public static func thirdBirthday(_ birth: CalendarDate) -> CalendarDate { birth.adding(months: 36) }

    /// Early Start ends at 3: the school district is told at least 90 days before the third birthday,
    /// and the transition conference is held between 9 months and 90 days before it. Both show from
    /// 9 months before.
    public static func transition(person: String, personID: String, birth: CalendarDate) -> [DueItem] {
        let birthday = thirdBirthday(birth)
        let due = birthday.adding(days: -90), window = birthday.adding(months: -9)
        return [
            DueItem(kind: .transitionNotice, key: "transition-notice:\(personID):\(birthday)", title: "\(TaskKind.transitionNotice.label): \(person) turns 3 on \(birthday)",
                    due: due, showFrom: window, citation: "34 CFR 303.209(b)"),
            DueItem(kind: .transitionConference, key: "transition-conference:\(personID):\(birthday)", title: "\(TaskKind.transitionConference.label) for \(person), between \(window) and \(due)",
                    due: due, showFrom: window, citation: "34 CFR 303.209(c)"),
        ]
    }

    /// A review the person or their representative asked for, by the date the rule pack set when it
    /// was recorded; it shows at once.
    /// A request about one service says which.
    public static func requestedReview(requestID: String, person: String, requestedOn: CalendarDate, due: CalendarDate, citation: String,
                                       service: String? = nil) -> DueItem {
        let what = service.map { "Change to \($0) the person asked for" } ?? TaskKind.requestedReview.label
        return DueItem(kind: .requestedReview, key: "requested-review:\(requestID)", title: "\(what): \(person), asked on \(requestedOn)",
                       due: due, showFrom: requestedOn, citation: citation)
    }
}

/// How often the coordinator is in contact with the person to monitor their plan and services.
public enum ContactFrequency: String, Vocabulary {
    case monthly, quarterly
    case twiceAYear = "twice_a_year"
    case yearly
    public var label: String {
        switch self {
        case .monthly: "Every month"
        case .quarterly: "Every three months"
        case .twiceAYear: "Every six months"
        case .yearly: "Every year"
        }
    }
    public var months: Int {
        switch self {
        case .monthly: 1
        case .quarterly: 3
        case .twiceAYear: 6
        case .yearly: 12
        }
    }
}

/// How a monitoring contact happened.
public enum ContactKind: String, Vocabulary {
    case faceToFace = "face_to_face"
    case phone, video
    public var label: String {
        switch self {
        case .faceToFace: "Face to face"
        case .phone: "Phone"
        case .video: "Video"
        }
    }
}

extension Deadlines {
    /// The next monitoring contact: one interval after the last (or after coordination began, when
    /// there has been none). It shows a week ahead; a new contact answers it.
    public static func monitoringContact(personID: String, person: String, last: CalendarDate?, since: CalendarDate, frequency: ContactFrequency) -> DueItem {
        let due = (last ?? since).adding(months: frequency.months)
        return DueItem(kind: .monitoringContact, key: "monitoring:\(personID):\(due)", title: "Monitoring contact with \(person) (\(frequency.label.lowercased()))",
                       due: due, showFrom: due.adding(days: -7), citation: "42 CFR 441.301(c)(2)(viii): monitoring at the frequency set for the person")
    }
}

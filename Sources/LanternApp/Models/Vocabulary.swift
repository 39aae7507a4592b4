import Foundation
import LanternDomain

public enum Role: String, Vocabulary {
    case administrator, supervisor
    case supportCoordinator = "support_coordinator"
    case providerStaff = "provider_staff"
    case guardianFamily = "guardian_family"
    case person
    public var label: String {
        switch self {
        case .administrator: "Administrator"
        case .supervisor: "Supervisor"
        case .supportCoordinator: "Support coordinator"
        case .providerStaff: "Provider staff"
        case .guardianFamily: "Guardian or family"
        case .person: "Person supported"
        }
    }
}

public enum OrganizationKind: String, Vocabulary {
    case coordinatingAgency = "coordinating_agency"
    case provider
    public var label: String { self == .provider ? "Provider agency" : "Coordinating agency" }
}

public enum PersonStatus: String, Vocabulary {
    case referred, waiting, active, exited
    public var label: String {
        switch self {
        case .referred: "Referred"
        case .waiting: "Waiting for services"
        case .active: "Getting services"
        case .exited: "Left services"
        }
    }
}

public enum ResidenceType: String, Vocabulary {
    case familyHome = "family_home"
    case ownHome = "own_home"
    case supportedLiving = "supported_living"
    case groupHome = "group_home"
    case other
    public var label: String {
        switch self {
        case .familyHome: "Family home"
        case .ownHome: "Own home"
        case .supportedLiving: "Supported living"
        case .groupHome: "Group home or residential"
        case .other: "Other"
        }
    }
}

public enum LegalStatus: String, Vocabulary {
    case selfDetermining = "self"
    case supportedDecisionMaking = "supported_decision_making"
    case limitedGuardianship = "limited_guardianship"
    case fullGuardianship = "full_guardianship"
    case conservatorship
    case minorWithParent = "minor_with_parent"
    public var label: String {
        switch self {
        case .selfDetermining: "Adult who decides for themself"
        case .supportedDecisionMaking: "Supported decision-making"
        case .limitedGuardianship: "Limited guardianship"
        case .fullGuardianship: "Full guardianship"
        case .conservatorship: "Conservatorship"
        case .minorWithParent: "Minor with parent"
        }
    }
    /// Whether someone else holds legal authority, so the plan needs their signature too.
    public var hasRepresentative: Bool {
        switch self {
        case .selfDetermining, .supportedDecisionMaking: false
        default: true
        }
    }
}

public enum CommunicationMethod: String, Vocabulary {
    case speech, pictures
    case signLanguage = "sign_language"
    case gestures
    case bodyLanguage = "body_language"
    case augmentativeDevice = "augmentative_device"
    case interpreter
    public var label: String {
        switch self {
        case .speech: "Speech"
        case .pictures: "Pictures"
        case .signLanguage: "Sign language"
        case .gestures: "Gestures"
        case .bodyLanguage: "Body language"
        case .augmentativeDevice: "Augmentative device"
        case .interpreter: "Interpreter"
        }
    }
}

public enum Relationship: String, Vocabulary {
    case guardian, parent, family, friend, peer
    case directSupportProfessional = "direct_support_professional"
    case supportCoordinator = "support_coordinator"
    case employer
    case jobCoach = "job_coach"
    case teacher, clinician, advocate, other
    public var label: String {
        switch self {
        case .guardian: "Guardian"
        case .parent: "Parent"
        case .family: "Family"
        case .friend: "Friend"
        case .peer: "Peer"
        case .directSupportProfessional: "Direct support professional"
        case .supportCoordinator: "Support coordinator"
        case .employer: "Employer"
        case .jobCoach: "Job coach"
        case .teacher: "Teacher"
        case .clinician: "Clinician"
        case .advocate: "Advocate"
        case .other: "Other"
        }
    }
}

/// Derived from the date of birth on the day asked; never stored.
public enum AgeGroup: String, Vocabulary {
    case infantToddler = "infant_toddler"
    case schoolAge = "school_age"
    case transitionYouth = "transition_youth"
    case adult
    case olderAdult = "older_adult"
    public var label: String {
        switch self {
        case .infantToddler: "Infant or toddler (under 3)"
        case .schoolAge: "School age (3 to 13)"
        case .transitionYouth: "Transition-age youth (14 to 21)"
        case .adult: "Working-age adult (22 to 64)"
        case .olderAdult: "Older adult (65 and over)"
        }
    }
    public static func forAge(_ years: Int) -> AgeGroup {
        switch years {
        case ..<3: .infantToddler
        case 3...13: .schoolAge
        case 14...21: .transitionYouth
        case 22...64: .adult
        default: .olderAdult
        }
    }
    /// The birth dates (inclusive lower, exclusive upper) that fall in this group on `today`.
    public func birthDateRange(on today: CalendarDate) -> (after: String?, notAfter: String?) {
        func yearsAgo(_ n: Int) -> String {
            let year = today.year - n
            let day = min(today.day, CalendarDate.daysIn(month: today.month, year: year))
            return String(format: "%04d-%02d-%02d", year, today.month, day)
        }
        // Age >= n  <=> birth date <= today - n years.
        switch self {
        case .infantToddler: return (yearsAgo(3), nil)
        case .schoolAge: return (yearsAgo(14), yearsAgo(3))
        case .transitionYouth: return (yearsAgo(22), yearsAgo(14))
        case .adult: return (yearsAgo(65), yearsAgo(22))
        case .olderAdult: return (nil, yearsAgo(65))
        }
    }
}

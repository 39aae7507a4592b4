import Foundation

/// The life areas of an outcome: the Charting the LifeCourse domains.
public enum LifeDomain: String, Vocabulary {
    case dailyLifeAndEmployment = "daily_life_and_employment"
    case communityLiving = "community_living"
    case safetyAndSecurity = "safety_and_security"
    case healthyLiving = "healthy_living"
    case socialAndSpirituality = "social_and_spirituality"
    case citizenshipAndAdvocacy = "citizenship_and_advocacy"
    public var label: String {
        switch self {
        case .dailyLifeAndEmployment: "Daily life and employment"
        case .communityLiving: "Community living"
        case .safetyAndSecurity: "Safety and security"
        case .healthyLiving: "Healthy living"
        case .socialAndSpirituality: "Social and spirituality"
        case .citizenshipAndAdvocacy: "Citizenship and advocacy"
        }
    }
}

/// Where an outcome stands. A changed or discontinued outcome says why in its status reason.
public enum OutcomeStatus: String, Vocabulary {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    case achieved, changed, discontinued
    public var label: String {
        switch self {
        case .notStarted: "Not started"
        case .inProgress: "In progress"
        case .achieved: "Achieved"
        case .changed: "Changed"
        case .discontinued: "Discontinued"
        }
    }
}

extension Vocabulary {
    /// The values as the choices of a plan section field.
    static var choices: [Choice] { allCases.map { Choice($0.rawValue, $0.label) } }
}

/// How progress on an action step is measured.
public enum ProgressMeasure: String, Vocabulary {
    case yesNo = "yes_no"
    case count
    /// Percentage of opportunities.
    case percentage
    /// Minutes.
    case duration
    /// A rating from 1 to 5.
    case rating
    /// Words only: nothing to chart.
    case narrative
    public var label: String {
        switch self {
        case .yesNo: "Yes or no"
        case .count: "Count"
        case .percentage: "Percentage of opportunities"
        case .duration: "Duration in minutes"
        case .rating: "Rating from 1 to 5"
        case .narrative: "Narrative"
        }
    }

    public var isCharted: Bool { self != .narrative }

    /// Whether reaching `target` means going up from `start`. Shares, percentages and ratings are
    /// better higher; a count or a duration may be meant to go down (fewer incidents), which shows
    /// in a first entry above the target.
    public func goesUp(from start: Double, to target: Double) -> Bool {
        ![.count, .duration].contains(self) || start <= target
    }

    /// A value in words: "7", "85%", "40 minutes", "4 out of 5", "yes".
    public func format(_ value: Double) -> String {
        let number = value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
        switch self {
        case .yesNo: return value >= 0.5 ? "yes" : "no"
        case .count, .narrative: return number
        case .percentage: return number + "%"
        case .duration: return number + (number == "1" ? " minute" : " minutes")
        case .rating: return number + " out of 5"
        }
    }

    /// The lowest and highest value the chart's axis must show, before the data and the target widen it.
    var axisRange: ClosedRange<Double> {
        switch self {
        case .yesNo: 0...1
        case .percentage: 0...100
        case .rating: 1...5
        case .count, .duration, .narrative: 0...1
        }
    }
}

/// Who carries out an action step.
public enum ResponsibleKind: String, Vocabulary {
    case person
    case circle
    case provider
    public var label: String {
        switch self {
        case .person: "The person"
        case .circle: "Someone in the circle of support"
        case .provider: "A provider organisation"
        }
    }
}

/// How one of last year's outcomes ended, in next year's review of the past year.
public enum PriorOutcomeResult: String, Vocabulary {
    case achieved
    case continuing
    case notWorking = "not_working"
    case changed, discontinued
    public var label: String {
        switch self {
        case .achieved: "Achieved"
        case .continuing: "Continuing"
        case .notWorking: "Not working"
        case .changed: "Changed"
        case .discontinued: "Discontinued"
        }
    }
}

/// The rules of the outcomes section that look at more than one field.
enum OutcomeChecks {
    @Sendable static func check(_ content: SectionContent) -> [FieldError] {
        var errors: [FieldError] = []
        for (i, outcome) in content.entries("outcomes").enumerated() {
            if let status = outcome.text("status").flatMap(OutcomeStatus.init), [.changed, .discontinued].contains(status),
               outcome.text("statusReason") == nil {
                errors.append(FieldError("outcomes.\(i).statusReason", "Say why the outcome was \(status.label.lowercased()): what happened and what the person wants now."))
            }
        }
        for (i, step) in content.entries("steps").enumerated() {
            let path = "steps.\(i)"
            switch step.text("responsibleKind").flatMap(ResponsibleKind.init) {
            case .circle? where step.text("circleMemberId") == nil:
                errors.append(FieldError("\(path).circleMemberId", "Choose who in the circle of support does this step."))
            case .provider? where step.text("organizationId") == nil:
                errors.append(FieldError("\(path).organizationId", "Choose the provider organisation that does this step."))
            default: break
            }
            guard let measure = step.text("progressMeasure").flatMap(ProgressMeasure.init), case let .number(target)? = step["target"] else { continue }
            switch measure {
            case .narrative:
                errors.append(FieldError("\(path).target", "A step measured in words has no number to reach. Leave the target empty, or choose another way to measure."))
            case .percentage where target > 100, .yesNo where target > 100:
                errors.append(FieldError("\(path).target", "The target is a percentage: use a number from 0 to 100."))
            case .rating where target < 1 || target > 5:
                errors.append(FieldError("\(path).target", "The target is a rating: use a number from 1 to 5."))
            default: break
            }
        }
        return errors
    }
}

import Foundation

/// An action step of a plan, read from the outcomes section.
public struct ActionStep: Sendable, Equatable {
    public var id: String
    public var outcomeID: String
    public var text: String
    public var responsible: ResponsibleKind
    public var circleMemberID: String?
    public var organizationID: String?
    public var paid: Bool?
    public var frequency: String?
    public var schedule: String?
    public var byDate: CalendarDate?
    public var measure: ProgressMeasure
    public var target: Double?
}

/// An outcome of a plan with its steps, read from the outcomes section.
public struct PlannedOutcome: Sendable, Equatable {
    public var id: String
    public var text: String
    public var inOwnWords: Bool
    public var lifeDomain: LifeDomain?
    public var measure: String?
    public var startDate: CalendarDate?
    public var targetDate: CalendarDate?
    public var status: OutcomeStatus
    public var statusReason: String?
    public var steps: [ActionStep]

    /// The outcomes of a plan's outcomes section, in order. Entries saved before outcomes had ids
    /// are left out: nothing can be recorded against them until the section is saved again.
    public static func all(in content: SectionContent) -> [PlannedOutcome] {
        let steps = content.entries("steps").compactMap { s -> ActionStep? in
            guard let id = s.text("id"), let outcomeID = s.text("outcomeId"), let text = s.text("step") else { return nil }
            var target: Double?
            if case let .number(n)? = s["target"] { target = n }
            return ActionStep(id: id, outcomeID: outcomeID, text: text,
                              responsible: s.text("responsibleKind").flatMap(ResponsibleKind.init) ?? .person,
                              circleMemberID: s.text("circleMemberId"), organizationID: s.text("organizationId"), paid: s.bool("paid"),
                              frequency: s.text("frequency"), schedule: s.text("schedule"), byDate: s.text("byDate").flatMap(CalendarDate.init),
                              measure: s.text("progressMeasure").flatMap(ProgressMeasure.init) ?? .narrative, target: target)
        }
        return content.entries("outcomes").compactMap { o in
            guard let id = o.text("id"), let text = o.text("outcome") else { return nil }
            return PlannedOutcome(id: id, text: text, inOwnWords: o.bool("inOwnWords") ?? false,
                                  lifeDomain: o.text("lifeDomain").flatMap(LifeDomain.init), measure: o.text("measure"),
                                  startDate: o.text("startDate").flatMap(CalendarDate.init), targetDate: o.text("targetDate").flatMap(CalendarDate.init),
                                  status: o.text("status").flatMap(OutcomeStatus.init) ?? .notStarted, statusReason: o.text("statusReason"),
                                  steps: steps.filter { $0.outcomeID == id })
        }
    }
}

/// The person's own view of how an outcome is going: three points, each shown with a picture.
public enum SelfRating: String, Vocabulary {
    case goingWell = "going_well"
    case okay
    case notGoingWell = "not_going_well"
    public var label: String {
        switch self {
        case .goingWell: "Going well"
        case .okay: "Okay"
        case .notGoingWell: "Not going well"
        }
    }
}

extension ProgressMeasure {
    /// Why `value` cannot be recorded for a step measured this way, or nil when it can. A narrative
    /// step takes no number; every other step needs one.
    public func problem(with value: Double?) -> String? {
        guard let value else { return self == .narrative ? nil : "Give the \(noun) for this step." }
        guard value.isFinite else { return "The value must be a number." }
        switch self {
        case .narrative: return "This step is recorded in words only. Leave the value empty and write the note."
        case .yesNo: return value == 0 || value == 1 ? nil : "Answer yes or no."
        case .count: return value >= 0 && value <= 100_000 && value.rounded() == value ? nil : "The count must be a whole number from 0 to 100000."
        case .percentage: return (0...100).contains(value) ? nil : "The percentage must be from 0 to 100."
        case .duration: return (0...1440).contains(value) ? nil : "The duration is in minutes: from 0 to 1440 (one day)."
        case .rating: return (1...5).contains(value) && value.rounded() == value ? nil : "The rating must be a whole number from 1 to 5."
        }
    }

    /// What the value is called on a form: "count", "minutes".
    public var noun: String {
        switch self {
        case .yesNo: "answer"
        case .count: "count"
        case .percentage: "percentage"
        case .duration: "minutes"
        case .rating: "rating"
        case .narrative: "note"
        }
    }
}

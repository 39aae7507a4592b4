import Foundation

/// Next year's "review of the past year", filled in from this year's outcomes and what was recorded
/// against them: where each outcome ended (achieved, continuing, not working, changed, discontinued)
/// and the evidence in words. The team reads and edits it; it is a draft, not a verdict.
public enum PriorYearReview {
    public struct Review: Sendable {
        public var on: CalendarDate
        public var working: String
        public var notWorking: String
        public init(on: CalendarDate, working: String, notWorking: String) { self.on = on; self.working = working; self.notWorking = notWorking }
    }

    public struct View: Sendable {
        public var on: CalendarDate
        public var rating: SelfRating
        public var comment: String?
        public init(on: CalendarDate, rating: SelfRating, comment: String?) { self.on = on; self.rating = rating; self.comment = comment }
    }

    /// What is known of each outcome: values by step id, the latest review and the person's latest view by outcome id.
    public struct Evidence: Sendable {
        public var points: [String: [ProgressPoint]]
        public var reviews: [String: Review]
        public var views: [String: View]
        public init(points: [String: [ProgressPoint]] = [:], reviews: [String: Review] = [:], views: [String: View] = [:]) {
            self.points = points; self.reviews = reviews; self.views = views
        }
    }

    /// The entries of the prior-year section's `outcomeReview` list, one per outcome, in plan order.
    public static func entries(for outcomes: [PlannedOutcome], evidence: Evidence) -> [SectionContent] {
        outcomes.map { outcome in
            var entry: SectionContent = ["outcome": .string(outcome.text), "result": .string(result(outcome, evidence).rawValue)]
            let text = lines(outcome, evidence).joined(separator: "\n")
            if !text.isEmpty { entry["evidence"] = .string(String(text.prefix(4000))) }
            return entry
        }
    }

    /// Where an outcome ended. The team's own status comes first; otherwise the data: every measured
    /// step at its target is achieved; a step with nothing recorded, or whose latest entries moved
    /// away from its target, is not working; anything else is continuing.
    public static func result(_ outcome: PlannedOutcome, _ evidence: Evidence) -> PriorOutcomeResult {
        switch outcome.status {
        case .achieved: return .achieved
        case .changed: return .changed
        case .discontinued: return .discontinued
        case .notStarted, .inProgress: break
        }
        let measured = outcome.steps.filter(\.measure.isCharted)
        if measured.isEmpty { return .continuing }
        var allReached = true
        for step in measured {
            let points = (evidence.points[step.id] ?? []).sorted { $0.date < $1.date }
            guard let first = points.first, let last = points.last else { return .notWorking }
            guard let target = step.target else { allReached = false; continue }
            let goal = step.measure == .yesNo ? target / 100 : target
            let recent = points.suffix(6)
            let latest = step.measure == .yesNo ? recent.map(\.value).reduce(0, +) / Double(recent.count) : last.value
            if step.measure.goesUp(from: first.value, to: goal) ? latest < goal : latest > goal { allReached = false }
            let moving = ProgressFlag.flags(entries: points, target: target, measure: step.measure, startedOn: first.date,
                                            today: last.date, quietDays: Int.max / 2)
            if moving.contains(.movingAwayFromTarget) { return .notWorking }
        }
        return allReached ? .achieved : .continuing
    }

    static func lines(_ outcome: PlannedOutcome, _ evidence: Evidence) -> [String] {
        var lines: [String] = []
        if let reason = outcome.statusReason { lines.append("Why it \(outcome.status == .discontinued ? "stopped" : "changed"): \(reason)") }
        for step in outcome.steps {
            let points = evidence.points[step.id] ?? []
            let summary = step.measure.isCharted
                ? ProgressChart.sentence(measure: step.measure, entries: points.sorted { $0.date < $1.date }, target: step.target, targetDate: step.byDate ?? outcome.targetDate)
                : (points.isEmpty ? "No progress has been recorded yet." : "\(points.count) notes recorded.")
            lines.append("\(step.text): \(summary)")
        }
        if let review = evidence.reviews[outcome.id] {
            lines.append("Last review (\(review.on)). Working: \(review.working) Not working: \(review.notWorking)")
        }
        if let view = evidence.views[outcome.id] {
            lines.append("The person said on \(view.on): \(view.rating.label.lowercased())" + (view.comment.map { ", “\($0)”" } ?? "") + ".")
        }
        return lines
    }
}

import Foundation

/// Outcomes and steps in words, shared by the pages and the API.
enum OutcomeText {
    /// "Example Job Partners", "Sam Rivera (circle of support)", "The person".
    static func responsible(_ step: ActionStep, names: [String: String]) -> String {
        switch step.responsible {
        case .person: return "The person"
        case .circle: return step.circleMemberID.flatMap { names[$0] } ?? "Someone in the circle of support"
        case .provider: return step.organizationID.flatMap { names[$0] } ?? "A provider no longer linked"
        }
    }

    static func flagCode(_ flag: ProgressFlag) -> String {
        switch flag {
        case .noRecentData: "no_recent_data"
        case .movingAwayFromTarget: "moving_away_from_target"
        }
    }

    static func flagSentence(_ flag: ProgressFlag) -> String {
        switch flag {
        case let .noRecentData(days): "Nothing recorded for \(days) days."
        case .movingAwayFromTarget: "The latest entries move away from the target."
        }
    }

    /// "4 out of 5 on 2026-11-20", or the note of a narrative step.
    static func latest(_ step: ActionStep, board: OutcomeBoard) -> String {
        guard let last = board.lastEntry[step.id] else { return "Nothing recorded yet" }
        if step.measure.isCharted, let point = board.recent[step.id]?.last, point.date == last {
            return "\(step.measure.format(point.value)) on \(last)"
        }
        return "Last recorded on \(last)"
    }
}

/// The charts of one outcome: one per step that is measured in numbers.
enum OutcomeCharts {
    struct Item { var step: ActionStep; var chart: ProgressChart }

    static func make(_ detail: OutcomeDetail) -> [Item] {
        detail.outcome.steps.enumerated().compactMap { index, step in
            guard step.measure.isCharted else { return nil }
            let points = detail.points[step.id] ?? []
            return Item(step: step, chart: ProgressChart.make(id: "chart-\(index + 1)", title: "Step \(index + 1): \(step.text)", measure: step.measure,
                                                               entries: points, target: step.target, targetDate: step.byDate ?? detail.outcome.targetDate))
        }
    }
}

import Foundation

/// One recorded value of progress on a day.
public struct ProgressPoint: Sendable, Equatable {
    public var date: CalendarDate
    public var value: Double
    public init(_ date: CalendarDate, _ value: Double) { self.date = date; self.value = value }
}

/// Progress over time as an SVG chart drawn on the server, with the sentence that says what it shows
/// for someone who cannot see it. Yes-or-no entries are charted as the share of "yes" each week; a
/// long series (over a year of daily entries) as weekly averages, so the chart stays readable and small.
public struct ProgressChart: Sendable, Equatable {
    public var measure: ProgressMeasure
    /// What is drawn, after grouping by week where needed; the data table shows the same.
    public var points: [ProgressPoint]
    /// Whether `points` are weekly values (week starting Monday) rather than single entries.
    public var weekly: Bool
    public var target: Double?
    public var targetDate: CalendarDate?
    public var summary: String
    public var svg: String

    // Colours are presentation attributes, not CSS, so the chart looks the same printed, saved or
    // shown under a strict content security policy; they meet WCAG AA contrast on white.
    static let width = 640.0, height = 260.0
    static let left = 64.0, right = 20.0, top = 20.0, bottom = 44.0

    /// - Parameter id: prefixes the ids of the chart's title and description, so several charts can share a page.
    public static func make(id: String = "chart", title: String, measure: ProgressMeasure, entries: [ProgressPoint], target: Double?,
                            targetDate: CalendarDate?) -> ProgressChart {
        let sorted = entries.sorted { $0.date < $1.date }
        let weekly = measure == .yesNo || sorted.count > 366
        let points = weekly ? weeklyPoints(sorted, share: measure == .yesNo) : sorted
        // A yes-or-no target is the share of "yes" to reach, in percent.
        let shown: ProgressMeasure = measure == .yesNo ? .percentage : measure
        let summary = sentence(measure: measure, entries: sorted, target: target, targetDate: targetDate)
        let svg = draw(id: escape(id), title: title, summary: summary, measure: shown, points: points, target: target, targetDate: targetDate)
        return ProgressChart(measure: measure, points: points, weekly: weekly, target: target, targetDate: targetDate, summary: summary, svg: svg)
    }

    /// The Monday that starts the week of `date`.
    static func weekStart(_ date: CalendarDate) -> CalendarDate {
        // Day 0 (1970-01-01) was a Thursday: Monday is 3 days before it.
        let offset = ((date.dayNumber + 3) % 7 + 7) % 7
        return date.adding(days: -offset)
    }

    static func weeklyPoints(_ sorted: [ProgressPoint], share: Bool) -> [ProgressPoint] {
        var groups: [(CalendarDate, [Double])] = []
        for p in sorted {
            let week = weekStart(p.date)
            if let last = groups.last, last.0 == week { groups[groups.count - 1].1.append(p.value) } else { groups.append((week, [p.value])) }
        }
        return groups.map { week, values in
            let mean = values.reduce(0, +) / Double(values.count)
            return ProgressPoint(week, share ? (mean * 1000).rounded() / 10 : (mean * 10).rounded() / 10)
        }
    }

    // MARK: The sentence

    static func sentence(measure: ProgressMeasure, entries: [ProgressPoint], target: Double?, targetDate: CalendarDate?) -> String {
        guard let first = entries.first, let last = entries.last else { return "No progress has been recorded yet." }
        let count = entries.count == 1 ? "1 entry" : "\(entries.count) entries"
        let by = targetDate.map { " by \($0)" } ?? ""
        if measure == .yesNo {
            let yes = entries.filter { $0.value >= 0.5 }.count
            let share = Int((Double(yes) / Double(entries.count) * 100).rounded())
            let recent = entries.suffix(7)
            let recentYes = recent.filter { $0.value >= 0.5 }.count
            var text = "\(count) from \(first.date) to \(last.date): yes on \(yes) (\(share)%). In the last \(recent.count == 1 ? "entry" : "\(recent.count) entries"), yes on \(recentYes)."
            if let target { text += " The target is yes on \(ProgressMeasure.percentage.format(target)) of entries\(by)." }
            return text
        }
        var text = "\(count) from \(first.date) to \(last.date). The latest is \(measure.format(last.value))"
        if entries.count > 1 {
            let change = last.value > first.value ? "up from" : last.value < first.value ? "down from" : "the same as"
            text += ", \(change) \(measure.format(first.value)) at the start"
        }
        text += "."
        if let target {
            let up = measure.goesUp(from: first.value, to: target)
            if up ? last.value >= target : last.value <= target {
                text += " The target, \(measure.format(target))\(by), is reached."
            } else if up ? first.value < target : first.value > target {
                let part = max(0, (last.value - first.value) / (target - first.value))
                text += " The target is \(measure.format(target))\(by): \(Int((part * 100).rounded()))% of the way there."
            } else {
                text += " The target is \(measure.format(target))\(by), and the latest is \(up ? "below" : "above") it."
            }
        }
        return text
    }

    // MARK: The picture

    static func draw(id: String, title: String, summary: String, measure: ProgressMeasure, points: [ProgressPoint], target: Double?, targetDate: CalendarDate?) -> String {
        let plotW = width - left - right, plotH = height - top - bottom
        // Axis ranges: the measure's own, widened to the data and the target; time from the first point
        // to the last or the target date.
        var lo = measure.axisRange.lowerBound, hi = measure.axisRange.upperBound
        for v in points.map(\.value) + (target.map { [$0] } ?? []) { lo = min(lo, v); hi = max(hi, v) }
        if measure == .count || measure == .duration { hi = niceCeiling(hi * 1.1) }
        if hi == lo { hi = lo + 1 }
        let days = points.map(\.date.dayNumber) + (targetDate.map { [$0.dayNumber] } ?? [])
        let d0 = days.min() ?? 0, d1 = max(days.max() ?? 1, d0 + 1)
        func x(_ day: Int) -> Double { left + Double(day - d0) / Double(d1 - d0) * plotW }
        func y(_ v: Double) -> Double { top + (1 - (v - lo) / (hi - lo)) * plotH }
        func n(_ v: Double) -> String { String(format: "%.1f", v) }

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"progress-chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">"
        out += "<title id=\"\(id)-title\">\(escape(title))</title><desc id=\"\(id)-desc\">\(escape(summary))</desc>"
        // Gridlines and the value axis: five steps.
        for i in 0...4 {
            let v = lo + (hi - lo) * Double(i) / 4
            out += "<line class=\"grid\" stroke=\"#d0d4d8\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y(v)))\" y2=\"\(n(y(v)))\"/>"
            out += "<text class=\"tick\" font-family=\"system-ui, sans-serif\" font-size=\"13\" fill=\"#1b1b1b\" x=\"\(n(left - 8))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\">\(escape(measure.format((v * 10).rounded() / 10)))</text>"
        }
        // Time axis: the first day, the middle and the last.
        if !points.isEmpty {
            for (i, day) in [d0, (d0 + d1) / 2, d1].enumerated() {
                let date = CalendarDate(Date(timeIntervalSince1970: Double(day) * 86_400))
                let anchor = ["start", "middle", "end"][i]
                out += "<text class=\"tick\" font-family=\"system-ui, sans-serif\" font-size=\"13\" fill=\"#1b1b1b\" x=\"\(n(x(day)))\" y=\"\(n(height - bottom + 22))\" text-anchor=\"\(anchor)\">\(date)</text>"
            }
        }
        if let target {
            out += "<line class=\"target\" stroke=\"#8a3b00\" stroke-width=\"2\" stroke-dasharray=\"6 4\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y(target)))\" y2=\"\(n(y(target)))\"/>"
            out += "<text class=\"target-label\" font-family=\"system-ui, sans-serif\" font-size=\"13\" font-weight=\"bold\" fill=\"#8a3b00\" x=\"\(n(width - right - 8))\" y=\"\(n(y(target) - 6))\" text-anchor=\"end\">Target \(escape(measure.format(target)))</text>"
        }
        if let targetDate, !points.isEmpty {
            out += "<line class=\"target\" stroke=\"#8a3b00\" stroke-width=\"2\" stroke-dasharray=\"6 4\" x1=\"\(n(x(targetDate.dayNumber)))\" x2=\"\(n(x(targetDate.dayNumber)))\" y1=\"\(n(top))\" y2=\"\(n(height - bottom))\"/>"
        }
        if points.count > 1 {
            out += "<polyline class=\"line\" fill=\"none\" stroke=\"#0b4f6c\" stroke-width=\"3\" stroke-linejoin=\"round\" points=\"" + points.map { "\(n(x($0.date.dayNumber))),\(n(y($0.value)))" }.joined(separator: " ") + "\"/>"
        }
        if points.count <= 60 {
            for p in points { out += "<circle class=\"dot\" fill=\"#0b4f6c\" cx=\"\(n(x(p.date.dayNumber)))\" cy=\"\(n(y(p.value)))\" r=\"4\"/>" }
        }
        out += "<line class=\"axis\" stroke=\"#1b1b1b\" stroke-width=\"2\" x1=\"\(n(left))\" x2=\"\(n(left))\" y1=\"\(n(top))\" y2=\"\(n(height - bottom))\"/>"
        out += "<line class=\"axis\" stroke=\"#1b1b1b\" stroke-width=\"2\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(height - bottom))\" y2=\"\(n(height - bottom))\"/>"
        return out + "</svg>"
    }

    /// 1, 2 or 5 times a power of ten, at or above `v`: round numbers on the axis.
    static func niceCeiling(_ v: Double) -> Double {
        guard v > 0 else { return 1 }
        let power = pow(10, floor(log10(v)))
        for step in [1.0, 2, 5, 10] where step * power >= v { return step * power }
        return 10 * power
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// Why an outcome needs the coordinator's attention.
public enum ProgressFlag: Sendable, Equatable {
    /// Nothing recorded for this many days (since the last entry, or since the step started).
    case noRecentData(days: Int)
    /// The recent entries move away from the target.
    case movingAwayFromTarget

    /// - Parameters:
    ///   - quietDays: how many days without an entry are still fine; one more is flagged.
    ///   - recent: how many of the latest entries the trend is taken from (at least 3 are needed).
    public static func flags(entries: [ProgressPoint], target: Double?, measure: ProgressMeasure, startedOn: CalendarDate,
                             today: CalendarDate, quietDays: Int, recent: Int = 6) -> [ProgressFlag] {
        var flags: [ProgressFlag] = []
        let sorted = entries.sorted { $0.date < $1.date }
        let since = sorted.last?.date ?? startedOn
        let quiet = since.days(until: today)
        if quiet > quietDays { flags.append(.noRecentData(days: quiet)) }
        let window = Array(sorted.suffix(recent))
        if var target, window.count >= 3 {
            if measure == .yesNo { target /= 100 }
            // The earlier and the later half of the latest entries (the middle one of an odd count is left
            // out). Moving away means the later half is further from the target by more than noise:
            // a tenth of the measure's scale. Past the target, in the direction it is to be reached
            // from, is not moving away.
            let half = window.count / 2
            let before = mean(window.prefix(half).map(\.value)), after = mean(window.suffix(half).map(\.value))
            let scale: Double = switch measure {
            case .yesNo: 1
            case .percentage: 100
            case .rating: 4
            case .count, .duration, .narrative: max(abs(target), 1)
            }
            let direction: Double = measure.goesUp(from: window[0].value, to: target) ? 1 : -1
            let passed = (after - target) * direction >= 0
            if !passed && abs(after - target) - abs(before - target) >= scale / 10 { flags.append(.movingAwayFromTarget) }
        }
        return flags
    }

    static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
}

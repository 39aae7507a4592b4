import Vapor

/// Small views shared by several pages.
enum Views {
    static func errorPage(_ problem: Problem) -> HTML {
        """
        <h1>\(problem.title)</h1>
        <p>\(problem.detail)</p>
        <p><a href="/people">Go to the list of people</a></p>
        """
    }

    static func yesNo(_ value: Bool) -> String { value ? "Yes" : "No" }

    static func fact(_ term: String, _ value: String?) -> HTML {
        "<dt>\(term)</dt><dd>\(value.flatMap { $0.isEmpty ? nil : $0 } ?? "Not recorded")</dd>"
    }

    static func label<V: Vocabulary>(_ type: V.Type, _ raw: String?) -> String {
        raw.flatMap { V(rawValue: $0)?.label } ?? (raw ?? "")
    }

    /// "2026-11-18 11:06:40 UTC", from the calendar rather than a new `DateFormatter` for each date.
    static func dateText(_ date: Date) -> String {
        let time = CalendarDate.utc.dateComponents([.hour, .minute, .second], from: date)
        let pad: (Int?) -> String = { CalendarDate.padded($0 ?? 0, 2) }
        return "\(CalendarDate(date)) \(pad(time.hour)):\(pad(time.minute)):\(pad(time.second)) UTC"
    }
}

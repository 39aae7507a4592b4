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

    static func dateText(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return f.string(from: date)
    }
}

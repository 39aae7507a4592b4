import Foundation

/// When in the week a support happens: days and a span of the day. Without times it covers the whole day.
public struct WeeklyTime: Sendable, Equatable {
    public var days: Set<Weekday>
    /// Minutes after midnight; `until` is after `from`.
    public var from: Int?
    public var until: Int?

    /// Whether both happen at once on some day: a shared day, and spans of the day that overlap by
    /// more than an instant (one ending at 12:00 and the other starting at 12:00 do not).
    public func overlaps(_ other: WeeklyTime) -> Bool {
        guard !days.isDisjoint(with: other.days) else { return false }
        let a = (from ?? 0, until ?? 24 * 60), b = (other.from ?? 0, other.until ?? 24 * 60)
        return a.0 < b.1 && b.0 < a.1
    }

    /// "Monday and Wednesday, 09:00 to 12:00".
    public var words: String {
        let when = Weekday.words(days)
        guard let from, let until else { return when }
        return "\(when), \(TimeOfDay.text(from)) to \(TimeOfDay.text(until))"
    }

    init?(_ entry: SectionContent) {
        guard let text = entry.text("days"), let days = Weekday.parse(text), !days.isEmpty else { return nil }
        self.days = days
        from = entry.text("fromTime").flatMap(TimeOfDay.minutes)
        until = entry.text("untilTime").flatMap(TimeOfDay.minutes)
        if let f = from, let u = until, u <= f { from = nil; until = nil }
        if from == nil || until == nil { from = nil; until = nil }
    }
}

/// One entry of the services section, read for the budget and the rules.
public struct PlannedService: Sendable, Equatable {
    /// Where the entry is: "services.2", for a finding to point at.
    public var path: String
    public var id: String?
    public var name: String
    public var isPaid: Bool
    public var code: String?
    public var providerID: String?
    public var providerName: String?
    public var outcomeID: String?
    public var needID: String?
    public var units: Double?
    public var interval: ServiceInterval?
    public var time: WeeklyTime?
    public var start: CalendarDate?
    public var end: CalendarDate?
    public var location: String?
    public var fundingSource: FundingSource?
    public var program: String?
    public var selfDirected: Bool
    /// No provider can deliver it yet: the person waits for it.
    public var waiting: Bool
    public var waitingSince: CalendarDate?

    /// The services of a plan, in the order written.
    public static func all(in content: SectionContent) -> [PlannedService] {
        content.entries("services").enumerated().map { index, e in
            PlannedService(path: "services.\(index)", id: e.text("id"), name: e.text("service") ?? "Service \(index + 1)",
                           isPaid: e.text("funding") == "paid", code: e.text("serviceCode")?.uppercased(),
                           providerID: e.text("providerId"), providerName: e.text("provider"), outcomeID: e.text("outcomeId"),
                           needID: e.text("needId"), units: e.number("units"), interval: e.text("interval").flatMap(ServiceInterval.init),
                           time: WeeklyTime(e), start: e.text("startDate").flatMap(CalendarDate.init), end: e.text("endDate").flatMap(CalendarDate.init),
                           location: e.text("location"), fundingSource: e.text("fundingSource").flatMap(FundingSource.init),
                           program: e.text("program"), selfDirected: e.bool("selfDirected") ?? false,
                           waiting: e.bool("waiting") ?? false, waitingSince: e.text("waitingSince").flatMap(CalendarDate.init))
        }
    }

    /// The days it runs within the plan: its own dates, kept inside the plan's. Nil when neither says.
    public func period(within plan: (start: CalendarDate?, end: CalendarDate?)) -> ClosedRange<CalendarDate>? {
        guard let first = [start, plan.start].compactMap({ $0 }).max(), let last = [end, plan.end].compactMap({ $0 }).min(), first <= last else { return nil }
        return first...last
    }

    /// Who delivers it, by name, with `names` for provider ids.
    public func provider(_ names: [String: String]) -> String? {
        providerID.flatMap { names[$0] } ?? providerName
    }
}

/// An unpaid support the plan already counts on: an unpaid entry of the services section or an entry
/// of the natural and community supports section.
public struct NaturalSupport: Sendable, Equatable {
    public var path: String
    public var section: String
    public var name: String
    public var givenBy: String?
    public var time: WeeklyTime?
    public var start: CalendarDate?
    public var end: CalendarDate?

    public static func all(in sections: [String: SectionContent]) -> [NaturalSupport] {
        let unpaid = (sections["services"] ?? [:]).entries("services").enumerated().compactMap { index, e -> NaturalSupport? in
            guard e.text("funding") == "unpaid" else { return nil }
            return NaturalSupport(path: "services.\(index)", section: "services", name: e.text("service") ?? "Support \(index + 1)", givenBy: e.text("provider"),
                                  time: WeeklyTime(e), start: e.text("startDate").flatMap(CalendarDate.init), end: e.text("endDate").flatMap(CalendarDate.init))
        }
        let community = (sections["non-division-supports"] ?? [:]).entries("supports").enumerated().map { index, e in
            NaturalSupport(path: "supports.\(index)", section: "non-division-supports", name: e.text("support") ?? "Support \(index + 1)",
                           givenBy: e.text("providedBy"), time: WeeklyTime(e), start: nil, end: nil)
        }
        return unpaid + community
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    public func number(_ key: String) -> Double? {
        switch self[key] {
        case let .number(n)?: return n
        case let .string(s)?: return Double(s)
        default: return nil
        }
    }
}

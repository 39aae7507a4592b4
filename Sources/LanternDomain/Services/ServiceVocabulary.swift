import Foundation

/// What one unit of a service is, as the catalogue bills it.
public enum ServiceUnit: String, Vocabulary {
    case fifteenMinutes = "15_minutes"
    case hour, day, month, item
    public var label: String {
        switch self {
        case .fifteenMinutes: "15 minutes"
        case .hour: "Hour"
        case .day: "Day"
        case .month: "Month"
        case .item: "Item"
        }
    }
    /// "24 units of 15 minutes", "3 hours": how an amount reads.
    public func amount(_ units: Double) -> String {
        let n = SectionSpec.plain((units * 100).rounded() / 100)
        switch self {
        case .fifteenMinutes: return "\(n) \(units == 1 ? "unit" : "units") of 15 minutes"
        case .hour: return "\(n) \(units == 1 ? "hour" : "hours")"
        case .day: return "\(n) \(units == 1 ? "day" : "days")"
        case .month: return "\(n) \(units == 1 ? "month" : "months")"
        case .item: return "\(n) \(units == 1 ? "item" : "items")"
        }
    }
}

/// Who pays for a service.
public enum FundingSource: String, Vocabulary {
    case medicaidWaiver = "medicaid_waiver"
    case medicaidStatePlan = "medicaid_state_plan"
    case stateFunds = "state_funds"
    case privateInsurance = "private_insurance"
    case schoolDistrict = "school_district"
    case earlyStart = "early_start"
    case other
    public var label: String {
        switch self {
        case .medicaidWaiver: "Medicaid waiver"
        case .medicaidStatePlan: "Medicaid state plan"
        case .stateFunds: "State funds"
        case .privateInsurance: "Private insurance"
        case .schoolDistrict: "School district"
        case .earlyStart: "Early Start"
        case .other: "Other"
        }
    }
}

/// The span an amount of units is given for: "24 units a week".
public enum ServiceInterval: String, Vocabulary {
    case day, week, month, year
    /// The whole time the service runs in this plan.
    case period
    public var label: String {
        switch self {
        case .day: "Each day"
        case .week: "Each week"
        case .month: "Each month"
        case .year: "Each year"
        case .period: "In all, for the whole plan"
        }
    }
    public var phrase: String {
        switch self {
        case .day: "a day"
        case .week: "a week"
        case .month: "a month"
        case .year: "a year"
        case .period: "in all"
        }
    }
}

public enum Weekday: String, Vocabulary {
    case mon, tue, wed, thu, fri, sat, sun
    public var label: String {
        switch self {
        case .mon: "Monday"
        case .tue: "Tuesday"
        case .wed: "Wednesday"
        case .thu: "Thursday"
        case .fri: "Friday"
        case .sat: "Saturday"
        case .sun: "Sunday"
        }
    }

    /// Days stored as "mon,wed,fri" (in week order); nil when any part is not a day.
    public static func parse(_ text: String) -> Set<Weekday>? {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        var days = Set<Weekday>()
        for part in parts {
            guard let day = Weekday(rawValue: part) ?? allCases.first(where: { $0.label.lowercased() == part }) else { return nil }
            days.insert(day)
        }
        return days
    }

    public static func text(_ days: Set<Weekday>) -> String {
        allCases.filter(days.contains).map(\.rawValue).joined(separator: ",")
    }

    /// "Monday, Wednesday and Friday".
    public static func words(_ days: Set<Weekday>) -> String {
        let names = allCases.filter(days.contains).map(\.label)
        if names.count == 7 { return "every day" }
        if names.count <= 1 { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}

/// A time of day as minutes after midnight, written "HH:MM" (24-hour).
public enum TimeOfDay {
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...23).contains(h), (0...59).contains(m) else { return nil }
        return h * 60 + m
    }

    public static func text(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
}

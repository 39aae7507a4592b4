import Foundation

/// How much support a person's coordination takes. High intensity (frequent crises, long travel,
/// complex needs) weighs more on a coordinator's caseload.
public enum Intensity: String, Vocabulary {
    case standard, high
    public var label: String {
        switch self {
        case .standard: "Standard"
        case .high: "High (intense needs, frequent crises or long travel)"
        }
    }
}

/// The weight of each intensity on a caseload and the limit a coordinator carries unless their own is
/// set. Good practice (The Arc): 25 to 30 people, 10 to 15 where needs are intense, which the
/// default weights of 1 and 2 and a limit of 30 express.
public struct CaseloadRules: Sendable, Equatable {
    public var standardWeight: Double
    public var highWeight: Double
    public var defaultLimit: Double

    public init(standardWeight: Double = 1, highWeight: Double = 2, defaultLimit: Double = 30) {
        self.standardWeight = standardWeight; self.highWeight = highWeight; self.defaultLimit = defaultLimit
    }

    public func weight(_ intensity: Intensity) -> Double {
        switch intensity {
        case .standard: standardWeight
        case .high: highWeight
        }
    }
}

/// One coordinator's caseload: the people, their weighted sum and the limit.
public struct Caseload: Sendable, Equatable {
    public var standard: Int
    public var high: Int
    public var limit: Double
    public var rules: CaseloadRules

    public init(standard: Int, high: Int, limit: Double?, rules: CaseloadRules) {
        self.standard = standard; self.high = high; self.limit = limit ?? rules.defaultLimit; self.rules = rules
    }

    public var people: Int { standard + high }
    public var weighted: Double { Double(standard) * rules.standardWeight + Double(high) * rules.highWeight }
    public var isOver: Bool { weighted > limit + 1e-9 }
    /// Whether taking on one more person of `intensity` would go over the limit.
    public func wouldExceed(adding intensity: Intensity) -> Bool { weighted + rules.weight(intensity) > limit + 1e-9 }
}

/// The share of people in services whose plan was made or reviewed within the last 12 months,
/// against the federal target (at least 90% of people reassessed and their plans revised within 12
/// months: 42 CFR 441.302(a)(6), 2024 Access Rule).
public struct ReviewShare: Sendable, Equatable {
    public static let federalTarget = 0.9
    public var reviewed: Int
    public var people: Int

    public init(reviewed: Int, people: Int) { self.reviewed = reviewed; self.people = people }

    public var share: Double? { people > 0 ? Double(reviewed) / Double(people) : nil }
    public var meetsTarget: Bool { (share ?? 1) >= Self.federalTarget }

    /// A plan that took effect on `start` counts as reviewed within 12 months on `today` until the
    /// anniversary: started 2025-11-19, it counts through 2026-11-18.
    public static func isWithinYear(start: CalendarDate, today: CalendarDate) -> Bool {
        start > today.adding(months: -12) && start <= today
    }
}

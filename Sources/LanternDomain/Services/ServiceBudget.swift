import Foundation

/// A calendar month, for totals by month.
public struct YearMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int, month: Int
    public init(_ year: Int, _ month: Int) { self.year = year; self.month = month }
    public init(_ day: CalendarDate) { year = day.year; month = day.month }
    public static func < (a: Self, b: Self) -> Bool { (a.year, a.month) < (b.year, b.month) }
    public var description: String { String(format: "%04d-%02d", year, month) }
    public var days: Int { CalendarDate.daysIn(month: month, year: year) }
    public var firstDay: CalendarDate { CalendarDate("\(description)-01")! }
    public var lastDay: CalendarDate { CalendarDate(String(format: "%@-%02d", description, days))! }
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    /// "March 2027".
    public var words: String { "\(Self.monthNames[month - 1]) \(year)" }
}

/// Units and dollars in one month.
public struct MonthAmount: Sendable, Equatable {
    public var month: YearMonth
    public var units: Double
    /// Dollars, rounded to the cent.
    public var cost: Double
}

/// The cost of one paid service across its period, or why it cannot be counted.
public struct BudgetLine: Sendable {
    public var service: PlannedService
    public var catalogue: CatalogueService?
    public var period: ClosedRange<CalendarDate>?
    /// Units across the period (unrounded; `authorizedUnits` is what a provider is given).
    public var units: Double
    /// Dollars: the sum of the months, each rounded to the cent.
    public var cost: Double
    public var months: [MonthAmount]
    /// The rates used, in order, with the days each covered.
    public var rates: [(from: CalendarDate, to: CalendarDate, perUnit: Double)]
    /// Why the cost is not (fully) known, in plain words; nil when it is.
    public var problem: String?

    /// Whole units to authorize: the planned units rounded up, so a partial week still has its days.
    public var authorizedUnits: Int { Int(((units * 100).rounded() / 100).rounded(.up)) }
}

/// A plan's budget: each paid service's cost, with totals by who pays and by month, and the
/// self-directed part against the person's individual budget.
public struct PlanBudget: Sendable {
    public var lines: [BudgetLine]
    /// Unpaid supports the plan counts on, listed with the budget so it shows every support.
    public var unpaid: [PlannedService]
    public var total: Double
    public var byFunding: [(source: FundingSource?, cost: Double)]
    public var byMonth: [MonthAmount]
    public var selfDirectedCost: Double
    public var individualBudget: Double?

    /// Works out the budget. `plan` is the plan's period; a service's own dates are kept inside it.
    public static func compute(services: [PlannedService], catalogue: ServiceCatalogue, plan: (start: CalendarDate?, end: CalendarDate?),
                               individualBudget: Double? = nil) -> PlanBudget {
        let lines = services.filter { $0.isPaid && !$0.waiting }.map { cost(of: $0, catalogue: catalogue, plan: plan) }
        var funding: [FundingSource?: Double] = [:], months: [YearMonth: MonthAmount] = [:]
        for line in lines {
            funding[line.service.fundingSource, default: 0] += line.cost
            for m in line.months {
                var sum = months[m.month] ?? MonthAmount(month: m.month, units: 0, cost: 0)
                sum.units += m.units; sum.cost = cents(sum.cost + m.cost)
                months[m.month] = sum
            }
        }
        let order = FundingSource.allCases.map(Optional.some) + [nil]
        return PlanBudget(lines: lines, unpaid: services.filter { !$0.isPaid },
                          total: cents(lines.reduce(0) { $0 + $1.cost }),
                          byFunding: order.compactMap { source in funding[source].map { (source, cents($0)) } },
                          byMonth: months.values.sorted { $0.month < $1.month },
                          selfDirectedCost: cents(lines.filter(\.service.selfDirected).reduce(0) { $0 + $1.cost }),
                          individualBudget: individualBudget)
    }

    /// One service: the days of its period, month by month and rate by rate, each day carrying its
    /// share of the amount (a weekly amount is a seventh a day; a monthly one is spread over that
    /// month's days; a yearly one over the days of the year from its start; an amount "in all" over the whole period).
    public static func cost(of service: PlannedService, catalogue: ServiceCatalogue, plan: (start: CalendarDate?, end: CalendarDate?)) -> BudgetLine {
        var line = BudgetLine(service: service, catalogue: catalogue[service.code], period: service.period(within: plan),
                              units: 0, cost: 0, months: [], rates: [], problem: nil)
        guard let period = line.period else {
            line.problem = "It has no dates inside the plan's period, so its cost cannot be counted. Give the plan (or the service) a start and an end date."
            return line
        }
        guard let units = service.units, let interval = service.interval else {
            line.problem = "It has no amount (units and how often), so its cost cannot be counted."
            return line
        }
        guard let entry = line.catalogue else {
            line.problem = service.code == nil ? "It is not chosen from the service catalogue, so it has no rate and its cost is not counted."
                : "Its code \(service.code!) is not in the service catalogue, so it has no rate and its cost is not counted."
            return line
        }
        let periodDays = Double(period.lowerBound.days(until: period.upperBound) + 1)
        // A yearly amount is spread over the year that starts with the service, so a full year of it is the amount.
        let yearDays = Double(period.lowerBound.days(until: period.lowerBound.adding(months: 12)))
        var day = period.lowerBound
        var missingRate: [CalendarDate] = []
        while day <= period.upperBound {
            let month = YearMonth(day)
            // A run of days in one month under one rate.
            var last = min(month.lastDay, period.upperBound)
            if let change = entry.nextRateChange(after: day), change <= last { last = change.adding(days: -1) }
            let days = Double(day.days(until: last) + 1)
            let perDay: Double = switch interval {
            case .day: units
            case .week: units / 7
            case .month: units / Double(month.days)
            case .year: units / yearDays
            case .period: units / periodDays
            }
            let runUnits = perDay * days
            var amount = line.months.last?.month == month ? line.months.removeLast() : MonthAmount(month: month, units: 0, cost: 0)
            amount.units += runUnits
            if let rate = entry.rate(on: day) {
                amount.cost += runUnits * rate
                if let previous = line.rates.last, previous.perUnit == rate, previous.to.adding(days: 1) == day {
                    line.rates[line.rates.count - 1].to = last
                } else {
                    line.rates.append((day, last, rate))
                }
            } else {
                missingRate.append(day)
            }
            line.months.append(amount)
            line.units += runUnits
            day = last.adding(days: 1)
        }
        line.months = line.months.map { MonthAmount(month: $0.month, units: $0.units, cost: cents($0.cost)) }
        line.cost = cents(line.months.reduce(0) { $0 + $1.cost })
        if let first = missingRate.first {
            line.problem = "The catalogue has no rate for \(entry.code) on \(first)\(missingRate.count > 1 ? " and some later days" : ""), so part of its cost is not counted."
        }
        return line
    }

    static func cents(_ dollars: Double) -> Double { (dollars * 100).rounded() / 100 }
}

/// How much of an authorization is used, and whether the coordinator and provider should hear of it:
/// at 90% the units are nearly used; past 100% units were delivered that the authorization does not cover.
public enum UtilisationAlert: String, Sendable, CaseIterable {
    case nearlyUsed = "nearly_used"
    case overAuthorized = "over_authorized"

    public static let nearlyUsedShare = 0.9

    public static func of(delivered: Double, authorized: Int) -> UtilisationAlert? {
        guard authorized > 0 else { return delivered > 0 ? .overAuthorized : nil }
        // Compared in hundredths of a unit, so 0.1 + 0.2 units count as 0.3.
        let used = (delivered * 100).rounded(), allowed = Double(authorized) * 100
        if used > allowed { return .overAuthorized }
        if used >= (allowed * nearlyUsedShare).rounded() { return .nearlyUsed }
        return nil
    }

    public var label: String {
        switch self {
        case .nearlyUsed: "Nearly used: 90% or more of the units are delivered"
        case .overAuthorized: "Over: more units delivered than authorized"
        }
    }
}

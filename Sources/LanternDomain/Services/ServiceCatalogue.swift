import Foundation

/// A rate per unit and the days it applies to. `to` is the last day; nil runs on until the next rate.
public struct ServiceRate: Sendable, Equatable, Codable {
    public var from: CalendarDate
    public var to: CalendarDate?
    /// Dollars per unit.
    public var perUnit: Double
    public init(from: CalendarDate, to: CalendarDate? = nil, perUnit: Double) { self.from = from; self.to = to; self.perUnit = perUnit }

    enum CodingKeys: String, CodingKey { case from, to, perUnit }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let start = CalendarDate(try c.decode(String.self, forKey: .from)) else {
            throw DecodingError.dataCorruptedError(forKey: .from, in: c, debugDescription: "from must be a date written as YYYY-MM-DD")
        }
        from = start
        to = try c.decodeIfPresent(String.self, forKey: .to).flatMap(CalendarDate.init)
        perUnit = try c.decode(Double.self, forKey: .perUnit)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(from.description, forKey: .from)
        try c.encodeIfPresent(to?.description, forKey: .to)
        try c.encode(perUnit, forKey: .perUnit)
    }
}

/// The most units of a service one person may have.
public struct ServiceLimits: Sendable, Equatable, Codable {
    public var perDay: Double?
    public var perWeek: Double?
    public var perYear: Double?
    public init(perDay: Double? = nil, perWeek: Double? = nil, perYear: Double? = nil) {
        self.perDay = perDay; self.perWeek = perWeek; self.perYear = perYear
    }
}

/// One service of the catalogue, as the rules and the budget need it.
public struct CatalogueService: Sendable, Equatable {
    /// The HCPCS or state procedure code, upper case: "T2015", "S5150".
    public var code: String
    public var name: String
    public var unit: ServiceUnit
    public var rates: [ServiceRate]
    public var fundingSources: Set<FundingSource>
    public var limits: ServiceLimits
    /// Services with the same group are equivalent: one can stand in for the other, so having both
    /// at once is a duplicate.
    public var equivalenceGroup: String?
    /// The ids of the provider organisations approved to give it; nil when not known (not checked).
    public var approvedProviders: Set<String>?

    public init(code: String, name: String, unit: ServiceUnit, rates: [ServiceRate], fundingSources: Set<FundingSource>,
                limits: ServiceLimits = ServiceLimits(), equivalenceGroup: String? = nil, approvedProviders: Set<String>? = nil) {
        self.code = code; self.name = name; self.unit = unit; self.rates = rates.sorted { $0.from < $1.from }
        self.fundingSources = fundingSources; self.limits = limits; self.equivalenceGroup = equivalenceGroup
        self.approvedProviders = approvedProviders
    }

    /// The rate on a day: the latest rate starting on or before it whose end (if any) has not passed.
    public func rate(on day: CalendarDate) -> Double? {
        rates.last { $0.from <= day && ($0.to.map { day <= $0 } ?? true) }?.perUnit
    }

    /// The first day after `day` on which the rate may change.
    func nextRateChange(after day: CalendarDate) -> CalendarDate? {
        var candidates: [CalendarDate] = rates.map(\.from).filter { $0 > day }
        candidates += rates.compactMap { $0.to?.adding(days: 1) }.filter { $0 > day }
        return candidates.min()
    }

    public func isEquivalent(to other: CatalogueService) -> Bool {
        code == other.code || (equivalenceGroup != nil && equivalenceGroup == other.equivalenceGroup)
    }
}

/// The services a plan may draw on, by code.
public struct ServiceCatalogue: Sendable {
    public var services: [String: CatalogueService]
    public init(_ services: [CatalogueService] = []) {
        self.services = Dictionary(services.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }
    public subscript(code: String?) -> CatalogueService? { code.flatMap { services[$0.uppercased()] } }
    public var codes: Set<String> { Set(services.keys) }
}

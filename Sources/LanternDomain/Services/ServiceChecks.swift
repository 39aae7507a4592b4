import Foundation

/// The checks of a plan's services that need the catalogue: duplicates and overlaps, limits, who
/// pays, and what each paid service is for. A rule pack names the check and words the finding;
/// each issue gives where it is and the words to fill in (`{service}`, `{other}` ...).
public enum ServiceCheck: String, Codable, Sendable, CaseIterable {
    /// The same or an equivalent service for overlapping dates from two providers or two payers.
    case duplicate
    /// A paid service at a time a natural or community support already covers.
    case naturalSupport
    /// More units than the catalogue allows a day, a week or a year.
    case limits
    /// A paid service that names no outcome and no need.
    case purpose
    /// A payer the catalogue does not list for the service.
    case funding
    /// A paid public service not chosen from the catalogue, so it has no rate.
    case catalogue
    /// A provider in Lantern chosen for a service it is not approved to give.
    case approval
}

public struct ServiceIssue: Sendable, Equatable {
    /// The section and field to fix: ("services", "services.2.providerId").
    public var section: String
    public var field: String
    public var values: [String: String]
}

public struct ServiceChecks: Sendable {
    public var services: [PlannedService]
    public var natural: [NaturalSupport]
    public var catalogue: ServiceCatalogue
    public var plan: (start: CalendarDate?, end: CalendarDate?)
    /// Names for provider ids.
    public var names: [String: String]

    public init(sections: [String: SectionContent], catalogue: ServiceCatalogue, plan: (start: CalendarDate?, end: CalendarDate?), names: [String: String] = [:]) {
        services = PlannedService.all(in: sections["services"] ?? [:])
        natural = NaturalSupport.all(in: sections)
        self.catalogue = catalogue; self.plan = plan; self.names = names
    }

    /// Paid services actually given (not waiting for a provider).
    var given: [PlannedService] { services.filter { $0.isPaid && !$0.waiting } }

    public func issues(_ check: ServiceCheck) -> [ServiceIssue] {
        switch check {
        case .duplicate: duplicates()
        case .naturalSupport: naturalSupportOverlaps()
        case .limits: overLimits()
        case .purpose: given.filter { $0.outcomeID == nil && $0.needID == nil }.map { issue($0, "outcomeId") }
        case .funding: wrongPayers()
        case .catalogue: uncatalogued()
        case .approval: unapproved()
        }
    }

    func issue(_ s: PlannedService, _ field: String, _ values: [String: String] = [:]) -> ServiceIssue {
        ServiceIssue(section: "services", field: "\(s.path).\(field)", values: values.merging(["service": "“\(s.name)”"]) { a, _ in a })
    }

    func duplicates() -> [ServiceIssue] {
        var found: [ServiceIssue] = []
        let list = given
        for (j, later) in list.enumerated() {
            guard let b = catalogue[later.code], let bPeriod = later.period(within: plan) else { continue }
            for earlier in list[..<j] {
                guard let a = catalogue[earlier.code], a.isEquivalent(to: b), let aPeriod = earlier.period(within: plan), aPeriod.overlaps(bPeriod) else { continue }
                var differences: [String] = []
                let pa = providerKey(earlier), pb = providerKey(later)
                if let pa, let pb, pa != pb {
                    differences.append("two providers (\(earlier.provider(names) ?? "?") and \(later.provider(names) ?? "?"))")
                }
                if let fa = earlier.fundingSource, let fb = later.fundingSource, fa != fb {
                    differences.append("two payers (\(fa.label) and \(fb.label))")
                }
                guard !differences.isEmpty else { continue }
                let overlap = max(aPeriod.lowerBound, bPeriod.lowerBound)...min(aPeriod.upperBound, bPeriod.upperBound)
                found.append(issue(later, "serviceCode", [
                    "other": "“\(earlier.name)”", "how": a.code == b.code ? "the same service (\(a.code))" : "equivalent services (\(a.code) and \(b.code))",
                    "from": overlap.lowerBound.description, "to": overlap.upperBound.description,
                    "difference": differences.joined(separator: " and "),
                ]))
                break
            }
        }
        return found
    }

    func providerKey(_ s: PlannedService) -> String? {
        s.providerID ?? s.providerName?.lowercased().trimmingCharacters(in: .whitespaces)
    }

    func naturalSupportOverlaps() -> [ServiceIssue] {
        given.compactMap { service -> ServiceIssue? in
            guard let time = service.time, let period = service.period(within: plan) else { return nil }
            for support in natural {
                guard let theirs = support.time, time.overlaps(theirs) else { continue }
                // A support without dates runs all through the service's period.
                let first = support.start ?? period.lowerBound, last = support.end ?? period.upperBound
                guard first <= last, (first...last).overlaps(period) else { continue }
                return issue(service, "days", ["support": "“\(support.name)”", "givenBy": support.givenBy.map { " (given by \($0))" } ?? "",
                                              "when": time.words, "theirs": theirs.words])
            }
            return nil
        }
    }

    /// Units of one service a week on average, and the most on one day, as planned.
    func perWeek(_ s: PlannedService, units: Double, days: Double) -> Double? {
        guard let interval = s.interval else { return nil }
        return switch interval {
        case .day: units * 7
        case .week: units
        case .month: units * 12 / 52
        case .year: units / 52
        case .period: days > 0 ? units / days * 7 : nil
        }
    }

    func perDay(_ s: PlannedService, units: Double) -> Double? {
        switch s.interval {
        case .day?: return units
        // A weekly amount given on named days is shared among them.
        case .week?: return s.time.map { units / Double($0.days.count) }
        default: return nil
        }
    }

    func overLimits() -> [ServiceIssue] {
        var found: [ServiceIssue] = []
        let byCode = Dictionary(grouping: given.filter { catalogue[$0.code] != nil }, by: { $0.code! })
        for code in byCode.keys.sorted() {
            let entry = catalogue[code]!, group = byCode[code]!, last = group.last!
            let unit = entry.unit
            func report(_ limit: Double, _ span: String, _ planned: Double) {
                found.append(issue(last, "units", ["limit": "\(unit.amount(limit)) \(span)", "planned": "\(unit.amount(planned)) \(span)", "code": code]))
            }
            // The peak: each service with those of the same code that run at the same time as it.
            func peak(_ amount: (PlannedService) -> Double?, sameDays: Bool) -> Double {
                group.map { s in
                    guard let own = amount(s), let period = s.period(within: plan) else { return 0 }
                    return own + group.filter { t in
                        guard t != s, let other = t.period(within: plan), other.overlaps(period) else { return false }
                        guard sameDays, let a = s.time?.days, let b = t.time?.days else { return true }
                        return !a.isDisjoint(with: b)
                    }.compactMap(amount).reduce(0, +)
                }.max() ?? 0
            }
            if let max = entry.limits.perDay {
                let most = peak({ s in s.units.flatMap { perDay(s, units: $0) } }, sameDays: true)
                if most > max + 1e-9 { report(max, "a day", most); continue }
            }
            if let max = entry.limits.perWeek {
                let weekly = peak({ s in
                    guard let units = s.units, let period = s.period(within: plan) else { return nil }
                    return perWeek(s, units: units, days: Double(period.lowerBound.days(until: period.upperBound) + 1))
                }, sameDays: false)
                if weekly > max + 1e-9 { report(max, "a week", weekly); continue }
            }
            if let max = entry.limits.perYear {
                let yearly = group.map { PlanBudget.cost(of: $0, catalogue: catalogue, plan: plan).units }.reduce(0, +)
                if yearly > max + 1e-9 { report(max, "a year", yearly) }
            }
        }
        return found
    }

    func wrongPayers() -> [ServiceIssue] {
        given.compactMap { s in
            guard let entry = catalogue[s.code], let source = s.fundingSource, !entry.fundingSources.contains(source) else { return nil }
            let allowed = FundingSource.allCases.filter(entry.fundingSources.contains).map(\.label)
            return issue(s, "fundingSource", ["source": source.label, "code": entry.code,
                                              "allowed": allowed.isEmpty ? "no payer yet" : allowed.joined(separator: ", ")])
        }
    }

    func unapproved() -> [ServiceIssue] {
        given.compactMap { s in
            guard let provider = s.providerID, let entry = catalogue[s.code], let approved = entry.approvedProviders, !approved.contains(provider) else { return nil }
            return issue(s, "providerId", ["provider": names[provider] ?? "The provider chosen", "code": entry.code, "name": entry.name])
        }
    }

    func uncatalogued() -> [ServiceIssue] {
        let publicPayers: Set<FundingSource> = [.medicaidWaiver, .medicaidStatePlan, .stateFunds, .earlyStart]
        return given.compactMap { s in
            guard catalogue[s.code] == nil, let payer = s.fundingSource, publicPayers.contains(payer) else { return nil }
            return issue(s, "serviceCode", ["code": s.code ?? ""])
        }
    }
}

@testable import LanternDomain
import XCTest

/// The services of a plan: what each paid service costs (month by month, rate by rate), the checks
/// against the catalogue at their boundaries, the findings the rule packs word from them, and how the
/// services section is saved. Every expected number is worked out by hand in the comment beside it.
final class ServiceBudgetTests: XCTestCase {
    let year2027: (start: CalendarDate?, end: CalendarDate?) = (CalendarDate("2027-01-01"), CalendarDate("2027-12-31"))
    let noPlanDates: (start: CalendarDate?, end: CalendarDate?) = (nil, nil)
    let names = ["p1": "Acme Supports", "p2": "Bright Days"]

    /// T2015 and S5100 stand in for each other (group "day"); S5150 is respite; H2023 is counted in hours.
    let catalogue = ServiceCatalogue([
        CatalogueService(code: "T2015", name: "Community integration", unit: .fifteenMinutes, rates: [ServiceRate(from: CalendarDate("2020-01-01")!, perUnit: 5)],
                         fundingSources: [.medicaidWaiver], limits: ServiceLimits(perDay: 24), equivalenceGroup: "day"),
        CatalogueService(code: "S5100", name: "Adult day care", unit: .fifteenMinutes, rates: [ServiceRate(from: CalendarDate("2020-01-01")!, perUnit: 4)],
                         fundingSources: [.medicaidWaiver, .stateFunds], equivalenceGroup: "day"),
        CatalogueService(code: "S5150", name: "Respite", unit: .fifteenMinutes, rates: [ServiceRate(from: CalendarDate("2020-01-01")!, perUnit: 3)],
                         fundingSources: [.medicaidWaiver, .stateFunds], limits: ServiceLimits(perWeek: 40), equivalenceGroup: "respite"),
        CatalogueService(code: "H2023", name: "Supported employment", unit: .hour, rates: [ServiceRate(from: CalendarDate("2020-01-01")!, perUnit: 30)],
                         fundingSources: [.medicaidWaiver], limits: ServiceLimits(perYear: 520)),
    ])

    // MARK: - Helpers

    func d(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// A catalogue with T2015 alone, at the given rates.
    func t2015(_ rates: [ServiceRate]) -> ServiceCatalogue {
        ServiceCatalogue([CatalogueService(code: "T2015", name: "Community integration", unit: .fifteenMinutes, rates: rates, fundingSources: [.medicaidWaiver])])
    }

    /// One entry of the services section. `provider` is a provider id; `by` is who gives it, in words.
    func service(_ name: String, paid: Bool = true, code: String? = "T2015", units: Double? = nil, per interval: String? = nil,
                 from start: String? = nil, to end: String? = nil, days: String? = nil, time: (String, String)? = nil,
                 provider: String? = nil, by: String? = nil, payer: String? = nil, outcome: String? = "o1", need: String? = nil,
                 selfDirected: Bool = false, waiting: Bool = false) -> JSONValue {
        var e: SectionContent = ["service": .string(name), "funding": .string(paid ? "paid" : "unpaid")]
        func set(_ key: String, _ value: String?) { if let value { e[key] = .string(value) } }
        set("serviceCode", code); set("interval", interval); set("startDate", start); set("endDate", end); set("days", days)
        set("fromTime", time?.0); set("untilTime", time?.1); set("providerId", provider); set("provider", by)
        set("fundingSource", payer); set("outcomeId", outcome); set("needId", need)
        if let units { e["units"] = .number(units) }
        if selfDirected { e["selfDirected"] = .bool(true) }
        if waiting { e["waiting"] = .bool(true); e["waitingSince"] = .string("2026-11-01") }
        return .object(e)
    }

    func services(_ entries: JSONValue...) -> SectionContent { ["services": .array(entries)] }

    /// The natural and community supports section with one support.
    func community(_ name: String, by: String, days: String, time: (String, String)? = nil) -> SectionContent {
        var e: SectionContent = ["support": .string(name), "providedBy": .string(by), "days": .string(days)]
        if let time { e["fromTime"] = .string(time.0); e["untilTime"] = .string(time.1) }
        return ["supports": .array([.object(e)])]
    }

    func cost(_ entry: JSONValue, _ catalogue: ServiceCatalogue, plan: (start: CalendarDate?, end: CalendarDate?)) -> BudgetLine {
        PlanBudget.cost(of: PlannedService.all(in: services(entry))[0], catalogue: catalogue, plan: plan)
    }

    func issues(_ check: ServiceCheck, _ sections: [String: SectionContent]) -> [ServiceIssue] {
        ServiceChecks(sections: sections, catalogue: catalogue, plan: year2027, names: names).issues(check)
    }

    func issues(_ check: ServiceCheck, _ entries: JSONValue...) -> [ServiceIssue] {
        issues(check, ["services": ["services": .array(entries)]])
    }

    func months(_ line: BudgetLine) -> [String] { line.months.map(\.month.description) }
    func rates(_ line: BudgetLine) -> [String] { line.rates.map { "\($0.from)...\($0.to) @ \($0.perUnit)" } }

    // MARK: - Cost of one service

    func testAWeeklyAmountAcrossAFullYear() {
        let line = cost(service("Day program", units: 14, per: "week", from: "2027-01-01", to: "2027-12-31"), t2015([ServiceRate(from: d("2026-07-01"), perUnit: 5)]), plan: noPlanDates)
        XCTAssertNil(line.problem)
        // 14 a week is 2 a day; 2027 has 365 days: 730 units, at $5.00 that is $3,650.00.
        XCTAssertEqual(line.units, 730, accuracy: 1e-6)
        XCTAssertEqual(line.cost, 3650, accuracy: 0.005)
        XCTAssertEqual(line.authorizedUnits, 730)
        guard months(line) == (1...12).map({ String(format: "2027-%02d", $0) }) else { return XCTFail("months: \(months(line))") }
        // January: 31 days × 2 = 62 units, $310.00. February: 28 × 2 = 56 units, $280.00.
        XCTAssertEqual(line.months[0].units, 62, accuracy: 1e-6)
        XCTAssertEqual(line.months[0].cost, 310, accuracy: 0.005)
        XCTAssertEqual(line.months[1].units, 56, accuracy: 1e-6)
        XCTAssertEqual(line.months[1].cost, 280, accuracy: 0.005)
        XCTAssertEqual(line.months.reduce(0) { $0 + $1.units }, 730, accuracy: 1e-6)
        XCTAssertEqual(line.months.reduce(0) { $0 + $1.cost }, 3650, accuracy: 0.005)
        XCTAssertEqual(rates(line), ["2027-01-01...2027-12-31 @ 5.0"], "one rate all year: one segment, not one a month")
    }

    func testARateChangeInTheMiddleOfAMonth() {
        let catalogue = t2015([ServiceRate(from: d("2027-01-01"), to: d("2027-03-14"), perUnit: 4), ServiceRate(from: d("2027-03-15"), perUnit: 5)])
        let line = cost(service("Day program", units: 14, per: "week", from: "2027-02-01", to: "2027-04-30"), catalogue, plan: noPlanDates)
        XCTAssertNil(line.problem)
        guard months(line) == ["2027-02", "2027-03", "2027-04"] else { return XCTFail("months: \(months(line))") }
        // February: 28 days × 2 = 56 units × $4 = $224.
        XCTAssertEqual(line.months[0].cost, 224, accuracy: 0.005)
        // March: 1–14 is 14 days × 2 = 28 units × $4 = $112; 15–31 is 17 days × 2 = 34 units × $5 = $170; $282 in all.
        XCTAssertEqual(line.months[1].units, 62, accuracy: 1e-6)
        XCTAssertEqual(line.months[1].cost, 282, accuracy: 0.005)
        // April: 30 × 2 = 60 units × $5 = $300. In all 56 + 62 + 60 = 178 units, 224 + 282 + 300 = $806.
        XCTAssertEqual(line.months[2].cost, 300, accuracy: 0.005)
        XCTAssertEqual(line.units, 178, accuracy: 1e-6)
        XCTAssertEqual(line.cost, 806, accuracy: 0.005)
        XCTAssertEqual(rates(line), ["2027-02-01...2027-03-14 @ 4.0", "2027-03-15...2027-04-30 @ 5.0"])
    }

    func testPartMonthsOfAMonthlyAmountAreRoundedMonthByMonth() {
        let line = cost(service("Respite", units: 10, per: "month", from: "2027-01-17", to: "2027-02-10"), t2015([ServiceRate(from: d("2027-01-01"), perUnit: 3.33)]), plan: noPlanDates)
        XCTAssertNil(line.problem)
        guard months(line) == ["2027-01", "2027-02"] else { return XCTFail("months: \(months(line))") }
        // January 17–31 is 15 of 31 days: 150/31 = 4.8387 units × $3.33 = $16.1129 → $16.11.
        XCTAssertEqual(line.months[0].units, 150.0 / 31, accuracy: 1e-6)
        XCTAssertEqual(line.months[0].cost, 16.11, accuracy: 0.005)
        // February 1–10 is 10 of 28 days: 100/28 = 3.5714 units × $3.33 = $11.8929 → $11.89.
        XCTAssertEqual(line.months[1].units, 100.0 / 28, accuracy: 1e-6)
        XCTAssertEqual(line.months[1].cost, 11.89, accuracy: 0.005)
        // The line is the sum of the rounded months, $28.00 (rounding the unrounded $28.0058 would give $28.01).
        XCTAssertEqual(line.cost, 28.00, accuracy: 0.005)
        // 4.8387 + 3.5714 = 8.4101 units; a provider is given 9.
        XCTAssertEqual(line.units, 150.0 / 31 + 100.0 / 28, accuracy: 1e-6)
        XCTAssertEqual(line.authorizedUnits, 9)
    }

    func testYearlyAndDailyAmountsInALeapYear() {
        let catalogue = t2015([ServiceRate(from: d("2027-01-01"), perUnit: 1.5)])
        // 732 a year over 2028's 366 days is 2 a day: February has 29 × 2 = 58 units, $87.00; the year 732 units, $1,098.00.
        let yearly = cost(service("Day program", units: 732, per: "year", from: "2028-01-01", to: "2028-12-31"), catalogue, plan: noPlanDates)
        XCTAssertEqual(yearly.units, 732, accuracy: 1e-6)
        XCTAssertEqual(yearly.cost, 1098, accuracy: 0.005)
        guard yearly.months.count == 12 else { return XCTFail("months: \(months(yearly))") }
        XCTAssertEqual(yearly.months[1].units, 58, accuracy: 1e-6)
        XCTAssertEqual(yearly.months[1].cost, 87, accuracy: 0.005)
        // 3 a day through February 2028: 29 × 3 = 87 units × $1.50 = $130.50.
        let daily = cost(service("Day program", units: 3, per: "day", from: "2028-02-01", to: "2028-02-29"), catalogue, plan: noPlanDates)
        XCTAssertEqual(daily.units, 87, accuracy: 1e-6)
        XCTAssertEqual(daily.cost, 130.50, accuracy: 0.005)
    }

    func testAnAmountInAllIsSpreadEvenlyOverThePeriod() {
        let line = cost(service("Assessment", units: 100, per: "period", from: "2027-01-27", to: "2027-02-05"), t2015([ServiceRate(from: d("2027-01-01"), perUnit: 2)]), plan: noPlanDates)
        // 100 units over 10 days is 10 a day: January 27–31 has 5 days (50 units, $100), February 1–5 the other 5.
        guard months(line) == ["2027-01", "2027-02"] else { return XCTFail("months: \(months(line))") }
        XCTAssertEqual(line.months[0].units, 50, accuracy: 1e-6)
        XCTAssertEqual(line.months[0].cost, 100, accuracy: 0.005)
        XCTAssertEqual(line.months[1].units, 50, accuracy: 1e-6)
        XCTAssertEqual(line.cost, 200, accuracy: 0.005)
    }

    func testAuthorizedUnitsRoundUpButNotForFloatingPointDust() {
        var line = cost(service("Assessment", units: 100, per: "period", from: "2027-01-27", to: "2027-02-05"), t2015([ServiceRate(from: d("2027-01-01"), perUnit: 2)]), plan: noPlanDates)
        line.units = 156.43
        XCTAssertEqual(line.authorizedUnits, 157)
        line.units = 156.0000000001
        XCTAssertEqual(line.authorizedUnits, 156, "what the arithmetic leaves past the cent is not a unit")
        line.units = 156
        XCTAssertEqual(line.authorizedUnits, 156)
    }

    func testWhatCannotBeCostedSaysWhy() {
        let noDates = cost(service("Day program", units: 14, per: "week"), catalogue, plan: noPlanDates)
        XCTAssertNotNil(noDates.problem)
        XCTAssertNil(noDates.period)
        XCTAssertEqual(noDates.cost, 0)
        XCTAssertEqual(noDates.months, [])
        XCTAssertNotNil(cost(service("Day program", units: 14, per: "week", from: "2026-01-01", to: "2026-06-30"), catalogue, plan: year2027).problem, "wholly before the plan")

        for entry in [service("Day program", from: "2027-01-01"), service("Day program", units: 14, from: "2027-01-01")] {
            let line = cost(entry, catalogue, plan: year2027)
            XCTAssertTrue(line.problem?.contains("no amount") == true, line.problem ?? "no problem")
            XCTAssertEqual(line.cost, 0)
        }
        let uncoded = cost(service("Day program", code: nil, units: 14, per: "week"), catalogue, plan: year2027)
        XCTAssertTrue(uncoded.problem?.contains("not chosen from the service catalogue") == true, uncoded.problem ?? "no problem")
        let unknown = cost(service("Day program", code: "ZZZ", units: 14, per: "week"), catalogue, plan: year2027)
        XCTAssertTrue(unknown.problem?.contains("ZZZ") == true, unknown.problem ?? "no problem")
        XCTAssertEqual(unknown.cost, 0)

        // The only rate starts on 15 March; the service on 1 March. March 1–14 (28 units) has no rate and is not costed;
        // March 15–31 is 34 units × $5 = $170. All 62 units are still planned.
        let late = cost(service("Day program", units: 14, per: "week", from: "2027-03-01", to: "2027-03-31"), t2015([ServiceRate(from: d("2027-03-15"), perUnit: 5)]), plan: noPlanDates)
        XCTAssertTrue(late.problem?.contains("2027-03-01") == true, late.problem ?? "no problem")
        XCTAssertEqual(late.units, 62, accuracy: 1e-6)
        XCTAssertEqual(late.cost, 170, accuracy: 0.005)
        XCTAssertEqual(late.months.map(\.month), [YearMonth(2027, 3)])
        XCTAssertEqual(late.months.first?.cost ?? 0, 170, accuracy: 0.005)
        XCTAssertEqual(rates(late), ["2027-03-15...2027-03-31 @ 5.0"])
    }

    // MARK: - The plan's budget

    func testTheBudgetTotalsByPayerAndByMonth() {
        let content = services(
            // $5: clamped to the plan, January 1 – February 28 at 1 a day: Jan 31 units $155, Feb 28 units $140; $295, no payer.
            service("Evening support", units: 1, per: "day", from: "2026-12-01", to: "2027-02-28"),
            // $3, self-directed: January 15–31 is 17 units, $51; February 1–14 is 14 units, $42; $93 from state funds.
            service("Respite", code: "S5150", units: 7, per: "week", from: "2027-01-15", to: "2027-02-14", payer: "state_funds", selfDirected: true),
            // $5: January, 31 × 2 = 62 units, $310 from the waiver.
            service("Day program", units: 14, per: "week", from: "2027-01-01", to: "2027-01-31", payer: "medicaid_waiver"),
            service("Dad drives to work", paid: false, code: nil, by: "Dad"),
            service("Speech therapy", units: 7, per: "week", payer: "medicaid_waiver", waiting: true))
        let budget = PlanBudget.compute(services: PlannedService.all(in: content), catalogue: catalogue, plan: year2027, individualBudget: 5000)
        XCTAssertEqual(budget.lines.map(\.service.name), ["Evening support", "Respite", "Day program"], "waiting and unpaid services are not costed")
        XCTAssertEqual(budget.unpaid.map(\.name), ["Dad drives to work"])
        XCTAssertEqual(budget.lines.first?.period, d("2027-01-01")...d("2027-02-28"), "kept inside the plan")
        // 295 + 93 + 310 = $698.
        XCTAssertEqual(budget.total, 698, accuracy: 0.005)
        // In the order of FundingSource.allCases, no payer last, whatever the order of the services.
        XCTAssertEqual(budget.byFunding.map { $0.source }, [.medicaidWaiver, .stateFunds, nil])
        XCTAssertEqual(budget.byFunding.map { ($0.cost * 100).rounded() }, [31_000, 9_300, 29_500], "in cents")
        // January: 155 + 51 + 310 = $516 for 31 + 17 + 62 = 110 units. February: 140 + 42 = $182 for 28 + 14 = 42 units.
        guard budget.byMonth.map(\.month) == [YearMonth(2027, 1), YearMonth(2027, 2)] else { return XCTFail("months: \(budget.byMonth)") }
        XCTAssertEqual(budget.byMonth[0].cost, 516, accuracy: 0.005)
        XCTAssertEqual(budget.byMonth[0].units, 110, accuracy: 1e-6)
        XCTAssertEqual(budget.byMonth[1].cost, 182, accuracy: 0.005)
        XCTAssertEqual(budget.byMonth[1].units, 42, accuracy: 1e-6)
        XCTAssertEqual(budget.selfDirectedCost, 93, accuracy: 0.005)
        XCTAssertEqual(budget.individualBudget, 5000)
    }

    // MARK: - Duplicates

    func testOneSharedDayOfTheSameServiceFromTwoProvidersIsADuplicate() {
        let first = service("Day program", from: "2027-01-01", to: "2027-06-30", provider: "p1")
        // The second starts on the day the first ends: 30 June is shared.
        let found = issues(.duplicate, first, service("Day program, second site", from: "2027-06-30", to: "2027-12-31", provider: "p2"))
        XCTAssertEqual(found.map(\.field), ["services.1.serviceCode"])
        XCTAssertEqual(found.first?.section, "services")
        XCTAssertEqual(found.first?.values["service"], "“Day program, second site”")
        XCTAssertEqual(found.first?.values["other"], "“Day program”")
        XCTAssertEqual(found.first?.values["how"], "the same service (T2015)")
        XCTAssertEqual(found.first?.values["difference"], "two providers (Acme Supports and Bright Days)")
        XCTAssertEqual(found.first?.values["from"], "2027-06-30")
        XCTAssertEqual(found.first?.values["to"], "2027-06-30")
        // Starting the next day, 1 July, no day is shared.
        XCTAssertEqual(issues(.duplicate, first, service("Day program, second site", from: "2027-07-01", provider: "p2")), [])
    }

    func testTwoPayersOrEquivalentServicesAreDuplicatesButOtherServicesAreNot() {
        let waiver = service("Day program", provider: "p1", payer: "medicaid_waiver")
        XCTAssertEqual(issues(.duplicate, waiver, service("More day program", provider: "p1", payer: "medicaid_waiver")), [], "same provider, same payer")
        let payers = issues(.duplicate, waiver, service("More day program", provider: "p1", payer: "state_funds"))
        XCTAssertEqual(payers.map(\.field), ["services.1.serviceCode"])
        XCTAssertEqual(payers.first?.values["difference"], "two payers (Medicaid waiver and State funds)")
        // No dates of their own: both run the whole plan, 2027-01-01 to 2027-12-31.
        let equivalent = issues(.duplicate, waiver, service("Adult day", code: "S5100", provider: "p2", payer: "medicaid_waiver"))
        XCTAssertEqual(equivalent.map(\.field), ["services.1.serviceCode"])
        XCTAssertEqual(equivalent.first?.values["how"], "equivalent services (T2015 and S5100)")
        XCTAssertEqual(equivalent.first?.values["from"], "2027-01-01")
        XCTAssertEqual(equivalent.first?.values["to"], "2027-12-31")
        XCTAssertEqual(issues(.duplicate, waiver, service("Respite", code: "S5150", provider: "p2")), [], "another equivalence group")
        XCTAssertEqual(issues(.duplicate, waiver, service("Day program", provider: "p2", waiting: true)), [], "waiting")
        XCTAssertEqual(issues(.duplicate, service("Day program", provider: "p2", waiting: true), waiver), [], "waiting, written first")
        XCTAssertEqual(issues(.duplicate, waiver, service("Day program", paid: false, provider: "p2")), [], "unpaid")
    }

    // MARK: - Natural supports

    func testAPaidServiceAtTheTimeOfANaturalSupport() {
        let paid = service("Day program", days: "mon", time: ("09:00", "12:00"), provider: "p1")
        // An unpaid entry of the services section, Monday 11:00 to 13:00: an hour shared.
        let mom = issues(.naturalSupport, paid, service("Mom's help", paid: false, code: nil, days: "mon", time: ("11:00", "13:00"), by: "Mom"))
        XCTAssertEqual(mom.map(\.field), ["services.0.days"])
        XCTAssertEqual(mom.first?.values["support"], "“Mom's help”")
        XCTAssertEqual(mom.first?.values["givenBy"], " (given by Mom)")
        XCTAssertEqual(mom.first?.values["when"], "Monday, 09:00 to 12:00")
        XCTAssertEqual(mom.first?.values["theirs"], "Monday, 11:00 to 13:00")
        // An entry of the natural and community supports section.
        func against(_ support: SectionContent) -> [ServiceIssue] {
            issues(.naturalSupport, ["services": services(paid), "non-division-supports": support])
        }
        let church = against(community("Church group", by: "St Mark's", days: "mon", time: ("11:00", "13:00")))
        XCTAssertEqual(church.map(\.field), ["services.0.days"])
        XCTAssertEqual(church.first?.values["support"], "“Church group”")
        XCTAssertEqual(church.first?.values["givenBy"], " (given by St Mark's)")
        XCTAssertEqual(against(community("Church group", by: "St Mark's", days: "mon", time: ("12:00", "14:00"))), [], "touching at 12:00 is not overlapping")
        XCTAssertEqual(against(community("Church group", by: "St Mark's", days: "tue", time: ("11:00", "13:00"))), [], "another day")
        XCTAssertEqual(against(community("Church group", by: "St Mark's", days: "mon")).map(\.field), ["services.0.days"], "no times: the whole day")
    }

    func testDaysWithoutTimesAndSupportsThatHaveEnded() {
        let both = issues(.naturalSupport, ["services": services(service("Day program", days: "mon,wed")),
                                            "non-division-supports": community("Grandma visits", by: "Grandma", days: "wed")])
        XCTAssertEqual(both.map(\.field), ["services.0.days"])
        XCTAssertEqual(both.first?.values["when"], "Monday and Wednesday")
        XCTAssertEqual(both.first?.values["theirs"], "Wednesday")
        // The unpaid support ran January to March; the paid service starts in April.
        XCTAssertEqual(issues(.naturalSupport, service("Day program", from: "2027-04-01", days: "mon", time: ("09:00", "12:00")),
                              service("Mom's help", paid: false, code: nil, from: "2027-01-01", to: "2027-03-31", days: "mon", time: ("11:00", "13:00"))), [])
        // A paid service with no days, or one still waiting for a provider, takes no one's time.
        XCTAssertEqual(issues(.naturalSupport, service("Day program"), service("Mom's help", paid: false, code: nil, days: "mon")), [])
        XCTAssertEqual(issues(.naturalSupport, service("Day program", days: "mon", waiting: true), service("Mom's help", paid: false, code: nil, days: "mon")), [])
    }

    // MARK: - Limits

    func testDailyLimits() {
        // T2015 allows 24 units a day.
        XCTAssertEqual(issues(.limits, service("Day program", units: 24, per: "day")), [])
        let over = issues(.limits, service("Day program", units: 25, per: "day"))
        XCTAssertEqual(over.map(\.field), ["services.0.units"])
        XCTAssertEqual(over.first?.values["limit"], "24 units of 15 minutes a day")
        XCTAssertEqual(over.first?.values["planned"], "25 units of 15 minutes a day")
        XCTAssertEqual(over.first?.values["code"], "T2015")
        // A weekly amount on named days is shared among them: 72 over 3 days is 24 a day; 75 is 25.
        XCTAssertEqual(issues(.limits, service("Day program", units: 72, per: "week", days: "mon,wed,fri")), [])
        XCTAssertEqual(issues(.limits, service("Day program", units: 75, per: "week", days: "mon,wed,fri")).first?.values["planned"], "25 units of 15 minutes a day")
    }

    func testWeeklyLimitsAddUpTheServicesOfOneCode() {
        // S5150 allows 40 units a week.
        XCTAssertEqual(issues(.limits, service("Respite", code: "S5150", units: 40, per: "week")), [])
        // 20 + 21 = 41 a week, reported on the last of them.
        let two = issues(.limits, service("Respite", code: "S5150", units: 20, per: "week", provider: "p1"),
                         service("More respite", code: "S5150", units: 21, per: "week", provider: "p2"))
        XCTAssertEqual(two.map(\.field), ["services.1.units"])
        XCTAssertEqual(two.first?.values["planned"], "41 units of 15 minutes a week")
        XCTAssertEqual(two.first?.values["limit"], "40 units of 15 minutes a week")
    }

    func testYearlyLimitsCountWhatThePlanGives() {
        // H2023 allows 520 hours a year. 10 a week over the 365 days of 2027: 10/7 × 365 = 521.43 hours.
        let over = issues(.limits, service("Job coach", code: "H2023", units: 10, per: "week"))
        XCTAssertEqual(over.map(\.field), ["services.0.units"])
        XCTAssertEqual(over.first?.values["planned"], "521.43 hours a year")
        XCTAssertEqual(over.first?.values["limit"], "520 hours a year")
        // 9 a week all year: 9/7 × 365 = 469.29. 10 a week January to June (181 days): 10/7 × 181 = 258.57.
        XCTAssertEqual(issues(.limits, service("Job coach", code: "H2023", units: 9, per: "week")), [])
        XCTAssertEqual(issues(.limits, service("Job coach", code: "H2023", units: 10, per: "week", from: "2027-01-01", to: "2027-06-30")), [])
    }

    // MARK: - Purpose, payer and catalogue

    func testEveryPaidServiceSaysWhatItIsFor() {
        XCTAssertEqual(issues(.purpose, service("Day program"), service("Respite", code: "S5150", outcome: nil)).map(\.field), ["services.1.outcomeId"])
        XCTAssertEqual(issues(.purpose, service("Respite", code: "S5150", outcome: nil, need: "n1")), [])
        XCTAssertEqual(issues(.purpose, service("Mom's help", paid: false, code: nil, outcome: nil)), [])
    }

    func testThePayerMustBeOneTheCatalogueLists() {
        let wrong = issues(.funding, service("Day program", payer: "private_insurance"))
        XCTAssertEqual(wrong.map(\.field), ["services.0.fundingSource"])
        XCTAssertEqual(wrong.first?.values["source"], "Private insurance")
        XCTAssertEqual(wrong.first?.values["allowed"], "Medicaid waiver")
        XCTAssertEqual(issues(.funding, service("Adult day", code: "S5100", payer: "school_district")).first?.values["allowed"], "Medicaid waiver, State funds")
        XCTAssertEqual(issues(.funding, service("Day program", payer: "medicaid_waiver")), [])
        XCTAssertEqual(issues(.funding, service("Day program")), [], "no payer yet is not a wrong payer")
    }

    func testTheProviderChosenMustBeApprovedForTheService() {
        var approved = catalogue
        approved.services["T2015"]?.approvedProviders = ["p1"]
        func check(_ entry: JSONValue) -> [ServiceIssue] {
            ServiceChecks(sections: ["services": services(entry)], catalogue: approved, plan: year2027, names: names).issues(.approval)
        }
        let wrong = check(service("Day program", provider: "p2"))
        XCTAssertEqual(wrong.map(\.field), ["services.0.providerId"])
        XCTAssertEqual(wrong.first?.values["provider"], "Bright Days")
        XCTAssertEqual(check(service("Day program", provider: "p1")), [])
        XCTAssertEqual(check(service("Day program", by: "A clinic outside Lantern")), [], "a provider outside Lantern is not checked")
        XCTAssertEqual(issues(.approval, service("Day program", provider: "p2")), [], "approvals not loaded: not checked")
        XCTAssertEqual(check(service("Day program", provider: "p2", waiting: true)), [])
    }

    func testAPaidPublicServiceIsChosenFromTheCatalogue() {
        XCTAssertEqual(issues(.catalogue, service("Day program", code: nil, payer: "medicaid_waiver")).map(\.field), ["services.0.serviceCode"])
        XCTAssertEqual(issues(.catalogue, service("Therapy", code: nil, payer: "private_insurance")), [])
        XCTAssertEqual(issues(.catalogue, service("Day program", code: nil)), [], "only once a public payer is named: the payer check asks for one first")
        XCTAssertEqual(issues(.catalogue, service("Day program", code: "ZZZ", payer: "state_funds")).first?.values["code"], "ZZZ")
        XCTAssertEqual(issues(.catalogue, service("Day program", payer: "medicaid_waiver")), [])
        XCTAssertEqual(issues(.catalogue, service("Mom's help", paid: false, code: nil)), [])
    }

    // MARK: - Findings from the rule packs

    func facts(_ type: PlanType) -> PlanFacts {
        PlanFacts(planType: type, planKind: .initial, effectiveStart: d("2027-01-01"), effectiveEnd: d("2027-12-31"), birthDate: d("1990-05-01"),
                  residenceType: "family_home", hasLegalRepresentative: false, sections: [
                      "services": services(
                          // Mondays 09:00 to 12:00, when the church group is there from 11:00.
                          service("Day program", units: 20, per: "day", from: "2027-01-01", to: "2027-06-30", days: "mon", time: ("09:00", "12:00"),
                                  provider: "p1", payer: "medicaid_waiver"),
                          // Another provider from 30 June: one shared day, and 20 + 8 = 28 units a day of T2015 against 24.
                          service("Day program, second site", units: 8, per: "day", from: "2027-06-30", to: "2027-12-31", provider: "p2",
                                  payer: "medicaid_waiver", outcome: nil, need: "n1"),
                          // For no outcome and no need.
                          service("Respite", code: "S5150", units: 16, per: "week", provider: "p2", payer: "state_funds", outcome: nil)),
                      "non-division-supports": community("Church group", by: "St Mark's", days: "mon", time: ("11:00", "13:00")),
                  ], catalogue: catalogue, names: names)
    }

    func serviceFindings(_ type: PlanType) throws -> [Finding] {
        let engine = RuleEngine(library: try RulePackLibrary.shared.get())
        return engine.findings(for: facts(type)).filter { $0.ruleID.hasPrefix("hcbs.service-") || $0.ruleID.hasPrefix("mo.natural") }
    }

    func testAMissouriISPHasAFindingForEachServiceProblem() throws {
        let findings = try serviceFindings(.missouriISP)
        // The federal natural-support rule is excluded: Missouri's own, required, takes its place.
        XCTAssertEqual(findings.map(\.ruleID), ["hcbs.service-duplicate", "hcbs.service-limit", "hcbs.service-purpose", "mo.natural-support-duplicate"])
        XCTAssertEqual(findings.map(\.field), ["services.1.serviceCode", "services.1.units", "services.2.outcomeId", "services.0.days"])
        guard findings.count == 4 else { return }
        for finding in findings {
            XCTAssertEqual(finding.section, "services")
            XCTAssertFalse(finding.citation.isEmpty)
            XCTAssertFalse(finding.message.contains("{"), finding.message)
        }
        XCTAssertEqual(findings[0].message, "“Day program, second site” duplicates “Day program”: the same service (T2015) from two providers (Acme Supports and Bright Days), "
            + "both from 2027-06-30 to 2027-06-30. Supports must not be duplicated: end one, change its dates, or take it out.")
        XCTAssertEqual(findings[0].citation, "42 CFR 441.301(c)(2)(xii)")
        XCTAssertTrue(findings[1].message.hasPrefix("“Day program, second site” plans 28 units of 15 minutes a day of T2015, and the catalogue allows at most 24 units of 15 minutes a day."), findings[1].message)
        XCTAssertTrue(findings[2].message.hasPrefix("“Respite” is paid but names no outcome or need"), findings[2].message)
        let natural = findings[3]
        XCTAssertEqual(natural.pack, "missouri-isp")
        XCTAssertEqual(natural.severity, .required)
        XCTAssertEqual(natural.message, "“Day program” is planned for Monday, 09:00 to 12:00, when “Church group” (given by St Mark's) already supports the person "
            + "(Monday, 11:00 to 13:00). In Missouri supports must not be duplicated: change the times of the paid service.")
        XCTAssertEqual(natural.citation, "Missouri ISP Guidelines, non-division supports: supports must not be duplicative")
    }

    func testAFederalPlanRecommendsMovingAPaidServiceOffANaturalSupport() throws {
        let findings = try serviceFindings(.federalHCBS)
        XCTAssertEqual(findings.map(\.ruleID), ["hcbs.service-duplicate", "hcbs.service-natural-support", "hcbs.service-limit", "hcbs.service-purpose"])
        let natural = try XCTUnwrap(findings.first { $0.ruleID == "hcbs.service-natural-support" })
        XCTAssertEqual(natural.severity, .recommended)
        XCTAssertEqual(natural.field, "services.0.days")
        XCTAssertEqual(natural.citation, "42 CFR 441.301(c)(2)(v) and (xii)")
        XCTAssertTrue(natural.message.hasPrefix("“Day program” is planned for Monday, 09:00 to 12:00, when “Church group” (given by St Mark's) already supports the person (Monday, 11:00 to 13:00)."), natural.message)
    }

    // MARK: - Saving the services section

    func save(_ fields: SectionContent) -> (SectionContent, [FieldError]) {
        var entry: SectionContent = ["service": .string("Day program"), "funding": .string("paid")]
        entry.merge(fields) { _, new in new }
        return PlanSections.spec("services")!.normalize(["services": .array([.object(entry)])], context: SectionContext(catalogue: ["T2015"]))
    }

    func errors(_ fields: SectionContent) -> [String] { save(fields).1.map(\.field) }

    func testCodesDaysAndTimesAreCheckedAndTidied() {
        XCTAssertEqual(errors([:]), [])
        XCTAssertEqual(errors(["serviceCode": .string("X999")]), ["services.0.serviceCode"])
        let (coded, noErrors) = save(["serviceCode": .string("t2015")])
        XCTAssertEqual(noErrors, [])
        XCTAssertEqual(coded.entries("services").first?.text("serviceCode"), "T2015")
        let (days, fine) = save(["days": .array([.string("wed"), .string("mon")])])
        XCTAssertEqual(fine, [])
        XCTAssertEqual(days.entries("services").first?.text("days"), "mon,wed", "stored in week order")
        XCTAssertEqual(errors(["days": .string("funday")]), ["services.0.days"])
        XCTAssertEqual(errors(["days": .string("mon"), "fromTime": .string("9:00"), "untilTime": .string("12:00")]), ["services.0.fromTime"])
        XCTAssertEqual(errors(["days": .string("mon"), "fromTime": .string("09:00"), "untilTime": .string("12:00")]), [])
    }

    func testTheFieldsOfAServiceAgreeWithEachOther() {
        XCTAssertEqual(errors(["days": .string("mon"), "fromTime": .string("12:00"), "untilTime": .string("09:00")]), ["services.0.untilTime"])
        XCTAssertEqual(errors(["days": .string("mon"), "fromTime": .string("12:00"), "untilTime": .string("12:00")]), ["services.0.untilTime"])
        XCTAssertEqual(errors(["fromTime": .string("09:00"), "untilTime": .string("12:00")]), ["services.0.days"], "times need days")
        XCTAssertEqual(errors(["units": .number(10)]), ["services.0.interval"])
        XCTAssertEqual(errors(["interval": .string("week")]), ["services.0.units"])
        XCTAssertEqual(errors(["units": .number(10), "interval": .string("week")]), [])
        XCTAssertEqual(errors(["startDate": .string("2027-03-01"), "endDate": .string("2027-02-28")]), ["services.0.endDate"])
        XCTAssertEqual(errors(["startDate": .string("2027-03-01"), "endDate": .string("2027-03-01")]), [], "one day is a period")
        XCTAssertEqual(errors(["waiting": .bool(true)]), ["services.0.waitingSince"])
        XCTAssertEqual(errors(["waiting": .bool(true), "waitingSince": .string("2026-11-01")]), [])
    }

    func testEmployeesAndABudgetNeedTheirAuthority() {
        let spec = PlanSections.spec("self-direction")!
        let employees: SectionContent = ["selfDirects": .bool(true), "employees": .array([.object(["name": .string("Sam"), "role": .string("Direct support")])])]
        XCTAssertEqual(spec.normalize(employees, context: SectionContext()).1.map(\.field), ["employees"])
        var authority = employees; authority["employerAuthority"] = .bool(true)
        XCTAssertEqual(spec.normalize(authority, context: SectionContext()).1, [])
        let budget: SectionContent = ["selfDirects": .bool(true), "individualBudget": .number(12000)]
        XCTAssertEqual(spec.normalize(budget, context: SectionContext()).1.map(\.field), ["individualBudget"])
        var withBudget = budget; withBudget["budgetAuthority"] = .bool(true)
        XCTAssertEqual(spec.normalize(withBudget, context: SectionContext()).1, [])
    }

    // MARK: - Utilisation alerts

    func testUtilisationAlertsAtNinetyPercentAndPastTheWhole() {
        // 105 units: 90% is 94.5.
        XCTAssertNil(UtilisationAlert.of(delivered: 94.25, authorized: 105))
        XCTAssertEqual(UtilisationAlert.of(delivered: 94.5, authorized: 105), .nearlyUsed)
        XCTAssertEqual(UtilisationAlert.of(delivered: 105, authorized: 105), .nearlyUsed, "all of it is not over")
        XCTAssertEqual(UtilisationAlert.of(delivered: 105.25, authorized: 105), .overAuthorized)
        // Sums of quarters and tenths are compared in hundredths: 0.1 + 0.2 is 0.3, not 0.30000000000000004.
        XCTAssertEqual(UtilisationAlert.of(delivered: 0.1 + 0.2 + 2.7, authorized: 3), .nearlyUsed)
        XCTAssertNil(UtilisationAlert.of(delivered: 0, authorized: 10))
        XCTAssertEqual(UtilisationAlert.of(delivered: 1, authorized: 0), .overAuthorized)
    }
}

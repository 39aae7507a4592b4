import Fluent
import Foundation
import LanternDomain

/// The demo's service catalogue, the services in its plans (with drafts built to show each duplicate
/// finding), and units delivered against the authorizations of plans in effect. Codes are real
/// HCPCS codes; names, rates and limits are made up.
extension DemoData {
    struct DemoCatalogue {
        let maple: Organization
        let bright: Organization
    }

    static func buildCatalogue(maple: Organization, bright: Organization, today: CalendarDate, on db: any Database,
                               newID: () -> UUID = { UUID() }) async throws {
        let thisYear = CalendarDate(String(format: "%04d-01-01", today.year))!
        let twoYearsAgo = thisYear.adding(months: -24)
        let nextYear = thisYear.adding(months: 12)
        let services: [(String, String, ServiceUnit, [FundingSource], ServiceLimits, String?, [(CalendarDate, Double)])] = [
            ("T2015", "Community integration", .fifteenMinutes, [.medicaidWaiver, .stateFunds], ServiceLimits(perDay: 32), "day-and-community", [(twoYearsAgo, 6.84)]),
            ("T2021", "Day habilitation", .fifteenMinutes, [.medicaidWaiver], ServiceLimits(perDay: 32), "day-and-community", [(twoYearsAgo, 4.12)]),
            ("H2023", "Supported employment", .fifteenMinutes, [.medicaidWaiver, .stateFunds], ServiceLimits(perWeek: 160), nil, [(twoYearsAgo, 12.80)]),
            ("S5125", "Personal assistant", .fifteenMinutes, [.medicaidWaiver, .medicaidStatePlan], ServiceLimits(perDay: 48), nil,
             [(twoYearsAgo, 5.91), (nextYear, 6.15)]),
            ("T1005", "Respite", .fifteenMinutes, [.medicaidWaiver, .stateFunds], ServiceLimits(perYear: 2880), nil, [(twoYearsAgo, 4.50)]),
            ("T2016", "Individualized supported living", .day, [.medicaidWaiver], ServiceLimits(perDay: 1), nil, [(twoYearsAgo, 285.00)]),
            ("A0120", "Transportation (one trip)", .item, [.medicaidWaiver, .stateFunds], ServiceLimits(perDay: 4), nil, [(twoYearsAgo, 18.00)]),
            ("G0151", "Physical therapy", .fifteenMinutes, [.earlyStart, .privateInsurance, .medicaidStatePlan], ServiceLimits(perWeek: 8), nil, [(twoYearsAgo, 28.50)]),
            ("T1027", "Infant development and family training", .fifteenMinutes, [.earlyStart], ServiceLimits(perWeek: 16), nil, [(twoYearsAgo, 14.20)]),
        ]
        var ids: [String: UUID] = [:]
        for (code, name, unit, sources, limits, group, rates) in services {
            let e = CatalogueEntry()
            e.id = newID(); e.code = code; e.name = name; e.unit = unit.rawValue
            e.fundingSources = FundingSource.allCases.filter(sources.contains).map(\.rawValue).joined(separator: ",")
            e.maxPerDay = limits.perDay; e.maxPerWeek = limits.perWeek; e.maxPerYear = limits.perYear; e.equivalenceGroup = group; e.version = 1
            try await e.create(on: db)
            ids[code] = e.id
            for (index, (from, perUnit)) in rates.enumerated() {
                let r = CatalogueRate()
                r.id = newID(); r.$service.id = e.id!; r.effectiveFrom = from.description; r.perUnit = perUnit
                if index + 1 < rates.count { r.effectiveTo = rates[index + 1].0.adding(days: -1).description }
                try await r.create(on: db)
            }
        }
        for (org, codes) in [(maple, ["T2015", "S5125", "T1005", "A0120", "T2016"]), (bright, ["T2015", "T2021", "H2023", "S5125", "G0151", "T1027"])] {
            for code in codes {
                let a = ProviderApproval()
                a.id = newID(); a.$organization.id = org.id!; a.$service.id = ids[code]!; a.approvedOn = twoYearsAgo.description
                try await a.create(on: db)
            }
        }
    }

    /// The services section of a demo plan. Drafts numbered 4 to 7 in each run of 8 are built to be
    /// caught: an equivalent service from a second provider, a paid service at the time the sister
    /// already helps, a daily amount over the limit, a paid service with no purpose.
    static func demoServices(_ type: PlanType, number: Int, start: CalendarDate, maple: Organization, bright: Organization,
                             newID: () -> UUID = { UUID() }) -> SectionContent {
        func s(_ v: String) -> JSONValue { .string(v) }
        func entry(_ fields: [String: JSONValue]) -> JSONValue { .object(fields) }
        let chosen = number % 2 == 0 ? bright : maple, other = chosen === bright ? maple : bright
        let begin = s(start.description)
        if type == .californiaIFSP {
            return ["services": .array([
                entry(["id": s(newID().uuidString.lowercased()), "service": s("Physical therapy at home"), "funding": s("paid"), "serviceCode": s("G0151"),
                       "providerId": s(bright.id!.text), "optionsOffered": s("Bright Path Community Services; a private clinic 40 minutes away"),
                       "outcomeId": s(ExamplePlan.IDs.firstOutcome), "units": .number(4), "interval": s("week"), "frequency": s("One hour a week"),
                       "days": s("tue"), "fromTime": s("09:00"), "untilTime": s("10:00"), "startDate": begin, "location": s("Home"),
                       "fundingSource": s("early_start"), "program": s("Early Start")]),
                entry(["id": s(newID().uuidString.lowercased()), "service": s("Infant development and family training"), "funding": s("paid"), "serviceCode": s("T1027"),
                       "providerId": s(bright.id!.text), "outcomeId": s(ExamplePlan.IDs.firstOutcome), "units": .number(8), "interval": s("week"),
                       "frequency": s("Two hours a week"), "days": s("thu"), "fromTime": s("10:00"), "untilTime": s("12:00"), "startDate": begin,
                       "location": s("Grandmother's house"), "fundingSource": s("early_start"), "program": s("Early Start")]),
            ])]
        }
        let program = type == .californiaIPP ? "HCBS-DD Waiver" : type == .missouriISP ? "Comprehensive Waiver" : "1915(c) waiver"
        let selfDirected = number % 8 == 1
        var services: [JSONValue] = [
            entry(["id": s(newID().uuidString.lowercased()), "service": s("Job coaching at the animal shelter"), "funding": s("paid"), "serviceCode": s("H2023"),
                   "providerId": s(bright.id!.text), "optionsOffered": s("Bright Path Community Services; Maple Street Supports (no job coach until spring)"),
                   "outcomeId": s(ExamplePlan.IDs.firstOutcome), "units": .number(24), "interval": s("week"), "frequency": s("6 hours a week, in 3 visits"),
                   "days": s("mon,wed,fri"), "fromTime": s("09:00"), "untilTime": s("11:00"), "startDate": begin, "location": s("Riverbend animal shelter"),
                   "fundingSource": s("medicaid_waiver"), "program": s(program)]),
            entry(["id": s(newID().uuidString.lowercased()), "service": s("Help at home in the evenings"), "funding": s("paid"), "serviceCode": s("S5125"),
                   "providerId": s(chosen.id!.text), "optionsOffered": s("Maple Street Supports; Bright Path Community Services"),
                   "outcomeId": s(ExamplePlan.IDs.secondOutcome), "units": .number(40), "interval": s("week"), "frequency": s("10 hours a week"),
                   "days": s("tue,thu"), "fromTime": s("14:00"), "untilTime": s("19:00"), "startDate": begin, "location": s("Home"),
                   "fundingSource": s("medicaid_waiver"), "program": s(program), "selfDirected": .bool(selfDirected)]),
            entry(["id": s(newID().uuidString.lowercased()), "service": s("Community outings"), "funding": s("paid"), "serviceCode": s("T2015"),
                   "providerId": s(chosen.id!.text), "outcomeId": s(ExamplePlan.IDs.secondOutcome), "units": .number(number % 8 == 6 ? 40 : 16), "interval": s("week"),
                   "frequency": s("4 hours on Saturdays"), "days": s("sat"), "fromTime": s("10:00"), "untilTime": s("14:00"), "startDate": begin,
                   "location": s("Around town"), "fundingSource": s("medicaid_waiver"), "program": s(program)]),
            entry(["id": s(newID().uuidString.lowercased()), "service": s("Rides to church"), "funding": s("unpaid"), "provider": s("Sister"),
                   "frequency": s("Sundays"), "days": s("sun"), "fromTime": s("09:00"), "untilTime": s("12:00"), "startDate": begin]),
        ]
        if number % 6 == 5 {
            services.append(entry(["id": s(newID().uuidString.lowercased()), "service": s("Respite for the family"), "funding": s("paid"), "serviceCode": s("T1005"),
                                   "needId": s(ExamplePlan.IDs.firstNeed), "units": .number(32), "interval": s("month"), "fundingSource": s("state_funds"),
                                   "waiting": .bool(true), "waitingSince": s(start.adding(days: -120).description)]))
        }
        switch number % 8 {
        case 4:
            services.append(entry(["id": s(newID().uuidString.lowercased()), "service": s("Day program"), "funding": s("paid"), "serviceCode": s("T2021"),
                                   "providerId": s(other.id!.text), "outcomeId": s(ExamplePlan.IDs.secondOutcome), "units": .number(20), "interval": s("week"),
                                   "days": s("sat"), "startDate": begin, "fundingSource": s("medicaid_waiver"), "program": s(program)]))
        case 5:
            services.append(entry(["id": s(newID().uuidString.lowercased()), "service": s("Sunday personal assistant"), "funding": s("paid"), "serviceCode": s("S5125"),
                                   "providerId": s(chosen.id!.text), "needId": s(ExamplePlan.IDs.secondNeed), "units": .number(12), "interval": s("week"),
                                   "days": s("sun"), "fromTime": s("10:00"), "untilTime": s("13:00"), "startDate": begin, "fundingSource": s("medicaid_waiver"),
                                   "program": s(program)]))
        case 6:
            // Community outings above: 40 units on a Saturday, over the limit of 32 a day.
            break
        case 7:
            services.append(entry(["id": s(newID().uuidString.lowercased()), "service": s("Extra transportation"), "funding": s("paid"), "serviceCode": s("A0120"),
                                   "providerId": s(maple.id!.text), "units": .number(8), "interval": s("month"), "startDate": begin,
                                   "fundingSource": s("medicaid_waiver"), "program": s(program)]))
        default: break
        }
        return ["services": .array(services)]
    }

    /// Self-direction with employer and budget authority, an individual budget and two employees.
    static func demoSelfDirection(start: CalendarDate) -> SectionContent {
        ["selfDirects": .bool(true), "employerAuthority": .bool(true), "budgetAuthority": .bool(true),
         "representative": .string("Sister, as representative"), "servicesSelfDirected": .string("Help at home in the evenings."),
         "individualBudget": .number(14_000),
         "employees": .array([
            .object(["name": .string("Jun Park"), "role": .string("Personal assistant"), "hireDate": .string(start.adding(months: -14).description),
                     "trainedOn": .string(start.adding(days: 3).description)]),
            .object(["name": .string("Ola Brandt"), "role": .string("Personal assistant, weekends"), "hireDate": .string(start.adding(days: -20).description),
                     "trainedOn": .string(start.adding(days: -10).description)]),
         ])]
    }

    /// Units delivered under the authorizations of a plan in effect, week by week from its start to
    /// today: most on pace, a few nearly used up (90% or more) and a few over.
    static func demoDeliveries(_ plan: Plan, number: Int, staff: [User], today: CalendarDate, on db: any Database) async throws {
        let authorizations = try await Authorization.query(on: db).filter(\.$plan.$id == plan.requireID()).all()
        for (index, a) in authorizations.enumerated() {
            guard let start = CalendarDate(a.startsOn), let end = CalendarDate(a.endsOn), start < today,
                  let recorder = staff.first(where: { $0.$organization.id == a.$organization.id }) else { continue }
            let last = min(today.adding(days: -1), end)
            let elapsed = Double(start.days(until: last) + 1) / Double(start.days(until: end) + 1)
            let share: Double = index == 0 && number % 10 == 2 ? 0.93 : index == 0 && number % 10 == 3 ? 1.04 : elapsed * 0.9
            let weeks = max(1, (start.days(until: last) + 1) / 7)
            let each = (Double(a.units) * share / Double(weeks) * 4).rounded() / 4
            guard each > 0 else { continue }
            for week in 0..<weeks {
                let d = ServiceDelivery()
                d.id = UUID(); d.$authorization.id = a.id!; d.$person.id = a.$person.id; d.$organization.id = a.$organization.id
                d.deliveredOn = start.adding(days: week * 7).description; d.units = each; d.recordedByID = recorder.id!
                try await d.create(on: db)
            }
        }
    }
}

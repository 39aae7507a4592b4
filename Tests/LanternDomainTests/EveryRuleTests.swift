@testable import LanternDomain
import XCTest

/// Every rule in every pack, for every plan type that uses it: silent on a complete plan, fires when
/// the one thing it checks is taken away, and silent again when its condition does not hold, tested at
/// the edges of its ages. New rules are covered the day they are added to a pack.
final class EveryRuleTests: XCTestCase {
    func testEveryRuleFiresOnlyWhenItsRequirementIsMissingAndItsConditionHolds() throws {
        var checked = 0
        for pack in Fixtures.library.packs.values.sorted(by: { $0.id < $1.id }) {
            for rule in pack.rules {
                let types = Fixtures.types(using: rule.id).filter { rule.planTypes?.contains($0) ?? true }
                XCTAssertFalse(types.isEmpty, "\(rule.id) is used by no plan type")
                for type in types {
                    for var facts in satisfying(rule.when, Fixtures.complete(type)) {
                        let label = "\(rule.id) on \(type.rawValue), age \(facts.ageInYears ?? -1)"
                        XCTAssertFalse(Fixtures.ids(Fixtures.engine.findings(for: facts)).contains(rule.id), "\(label): fires on a complete plan")
                        try breakRequirement(rule.check, &facts)
                        let fired = Fixtures.engine.findings(for: facts).filter { $0.ruleID == rule.id }
                        XCTAssertFalse(fired.isEmpty, "\(label): does not fire when its requirement is missing")
                        for finding in fired {
                            XCTAssertFalse(finding.message.contains("{"), "\(label): message left a placeholder: \(finding.message)")
                            XCTAssertEqual(finding.citation, rule.citation)
                        }
                        for var outside in violating(rule.when, facts) {
                            XCTAssertFalse(Fixtures.ids(Fixtures.engine.findings(for: outside)).contains(rule.id),
                                           "\(label): fires when its condition does not hold (age \(outside.ageInYears ?? -1), months \(outside.ageInMonths ?? -1), \(outside.planKind.rawValue), \(outside.residenceType))")
                            outside.sections = [:]
                        }
                        checked += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 60)
    }

    /// Plans on which the condition holds, one at each edge of each age range.
    func satisfying(_ condition: Condition?, _ base: PlanFacts) -> [PlanFacts] {
        guard let c = condition else { return [base] }
        var facts = base
        apply(c, &facts)
        var result = [facts]
        if let from = c.ageFrom, let to = c.ageTo, from != to { var other = facts; other.setAge(years: to); result.append(other) }
        if let from = c.ageMonthsFrom, let to = c.ageMonthsTo, from != to { var other = facts; other.setAge(months: to); result.append(other) }
        return result
    }

    /// Makes every part of the condition hold, ages at their lower edge.
    func apply(_ c: Condition, _ facts: inout PlanFacts) {
        if let from = c.ageFrom { facts.setAge(years: from) } else if let to = c.ageTo { facts.setAge(years: to) }
        if let from = c.ageMonthsFrom { facts.setAge(months: from) } else if let to = c.ageMonthsTo { facts.setAge(months: to) }
        if let kinds = c.planKinds { facts.planKind = kinds[0] }
        if let types = c.residenceTypes { facts.residenceType = types[0] }
        if let rep = c.hasLegalRepresentative { facts.hasLegalRepresentative = rep }
        if let path = c.yes { facts.set(path, .bool(true)) }
        if let any = c.anyOf?.first { apply(any, &facts) }
    }

    /// Plans that differ from `facts` in one way that makes the condition fail: just past each age edge,
    /// another plan kind, another home, the other answer.
    func violating(_ condition: Condition?, _ facts: PlanFacts) -> [PlanFacts] {
        guard let c = condition else { return [] }
        var result: [PlanFacts] = []
        func variant(_ change: (inout PlanFacts) -> Void) { var f = facts; change(&f); result.append(f) }
        if let from = c.ageFrom { variant { $0.setAge(years: from); $0.birthDate = $0.birthDate!.adding(days: 1) } }
        if let to = c.ageTo { variant { $0.setAge(years: to + 1) } }
        if let from = c.ageMonthsFrom { variant { $0.setAge(months: from); $0.birthDate = $0.birthDate!.adding(days: 1) } }
        if let to = c.ageMonthsTo { variant { $0.setAge(months: to + 1) } }
        if let kinds = c.planKinds, let other = PlanKind.allCases.first(where: { !kinds.contains($0) }) { variant { $0.planKind = other } }
        if let types = c.residenceTypes, let other = ["family_home", "own_home", "other"].first(where: { !types.contains($0) }) { variant { $0.residenceType = other } }
        if let rep = c.hasLegalRepresentative { variant { $0.hasLegalRepresentative = !rep } }
        if let path = c.yes { variant { $0.set(path, .bool(false)) } }
        if let any = c.anyOf {
            variant { f in for inner in any { if let path = inner.yes { f.set(path, .bool(false)) } } }
        }
        return result
    }

    /// Takes away exactly what the check looks for.
    func breakRequirement(_ check: Check, _ facts: inout PlanFacts) throws {
        if let key = check.complete { facts.sections[key] = nil }
        else if let path = check.filled { facts.set(path, nil) }
        else if let path = check.isYes { facts.set(path, .bool(false)) }
        else if let match = check.someEntry {
            let (section, list) = RuleEngine.split(match.list)
            let kept = facts.sections[section, default: [:]].entries(list).filter { entry in !match.where.allSatisfy { entry[$0.key] == $0.value } }
            facts.set(match.list, .array(kept.map(JSONValue.object)))
        } else if let each = check.eachEntryHas {
            let (section, list) = RuleEngine.split(each.list)
            var entries = facts.sections[section, default: [:]].entries(list)
            if entries.isEmpty { return XCTFail("\(each.list) has no entries in the example plan") }
            for key in each.fields[0].split(separator: "|") { entries[0][String(key)] = nil }
            facts.set(each.list, .array(entries.map(JSONValue.object)))
        } else if let fields = check.planFields {
            switch fields[0] {
            case "meetingDate": facts.meetingDate = nil
            case "effectiveStart": facts.effectiveStart = nil
            case "effectiveEnd": facts.effectiveEnd = nil
            case "implementationDate": facts.implementationDate = nil
            case "nextReviewDate": facts.nextReviewDate = nil
            default: facts.planningLanguage = nil
            }
        } else if let months = check.periodAtMostMonths {
            facts.effectiveEnd = facts.effectiveStart!.adding(months: months)
        } else if let months = check.reviewWithinMonths {
            facts.nextReviewDate = facts.meetingDate!.adding(months: months).adding(days: 1)
        } else if check.conflictOfInterest == true {
            // The coordinator works for a provider linked to the person, with no exception documented.
            facts.coordinatorOrganization = "0c7e0a11-0000-4000-8000-00000000e009"
            facts.linkedProviders = ["0c7e0a11-0000-4000-8000-00000000e009"]
        } else if let kind = check.services {
            // One paid service that meets every service rule, then the one change that breaks `kind`.
            let start = facts.effectiveStart!
            facts.catalogue = ServiceCatalogue([CatalogueService(code: "T2015", name: "Community integration", unit: .fifteenMinutes,
                                                                 rates: [ServiceRate(from: start, perUnit: 5)], fundingSources: [.medicaidWaiver],
                                                                 limits: ServiceLimits(perDay: 8), equivalenceGroup: "day")])
            let paid: SectionContent = ["id": .string("0c7e0a11-0000-4000-8000-00000000d001"), "service": .string("Community integration"),
                                        "funding": .string("paid"), "serviceCode": .string("T2015"), "providerId": .string("0c7e0a11-0000-4000-8000-00000000e001"),
                                        "units": .number(4), "interval": .string("day"), "days": .string("sat"), "fromTime": .string("10:00"),
                                        "untilTime": .string("12:00"), "startDate": .string(start.description), "fundingSource": .string("medicaid_waiver"),
                                        "outcomeId": .string(ExamplePlan.IDs.firstOutcome)]
            var list = [paid]
            switch kind {
            case .duplicate:
                var second = paid
                second["id"] = .string("0c7e0a11-0000-4000-8000-00000000d002"); second["providerId"] = .string("0c7e0a11-0000-4000-8000-00000000e002")
                list.append(second)
            case .naturalSupport:
                list.append(["service": .string("Outing with a friend"), "funding": .string("unpaid"), "provider": .string("Friend"),
                             "days": .string("sat"), "fromTime": .string("11:00"), "untilTime": .string("13:00")])
            case .limits: list[0]["units"] = .number(9)
            case .purpose: list[0]["outcomeId"] = nil
            case .funding: list[0]["fundingSource"] = .string("private_insurance")
            case .catalogue: list[0]["serviceCode"] = nil
            case .approval: facts.catalogue.services["T2015"]?.approvedProviders = ["0c7e0a11-0000-4000-8000-00000000e002"]
            }
            facts.sections["services"] = ["services": .array(list.map(JSONValue.object))]
        } else {
            XCTFail("a check kind this test does not know how to break")
        }
    }
}

@testable import LanternDomain
import XCTest

final class PlanRuleTests: XCTestCase {
    let engine = Fixtures.engine

    func testTheShippedPacksLoadAndCoverEveryPlanType() throws {
        let library = try RulePackLibrary.bundled()
        XCTAssertEqual(Set(library.packs.keys), ["federal-hcbs", "missouri-isp", "california-ipp", "california-ifsp"])
        let missouri = library.rules(for: .missouriISP).map(\.1.id)
        XCTAssertTrue(missouri.contains("hcbs.risk-mitigation"), "Missouri includes the federal baseline")
        XCTAssertFalse(missouri.contains("hcbs.contributors"), "Missouri replaces the federal contributors rule with its own")
        XCTAssertTrue(missouri.contains("mo.contributors"))
        let ipp = library.rules(for: .californiaIPP).map(\.1.id)
        XCTAssertFalse(ipp.contains("hcbs.plan-period"))
        XCTAssertTrue(ipp.contains("ipp.plan-period"))
        XCTAssertFalse(library.rules(for: .californiaIFSP).contains { $0.0 == "federal-hcbs" })
    }

    func testAPackThatNamesWhatDoesNotExistIsRefusedWithEveryProblem() {
        let broken = RulePack(id: "federal-hcbs", title: "t", source: "s", includes: ["nowhere"], excludes: ["no-such-rule"], rules: [
            Rule(id: "a", severity: .required, planTypes: nil, when: Condition(yes: "risks.nothing"), check: Check(complete: "no-section"), message: "m", citation: "c"),
            Rule(id: "a", severity: .required, planTypes: nil, when: nil, check: Check(complete: "risks", filled: "risks.backupPlan"), message: "m", citation: "c"),
            Rule(id: "b", severity: .required, planTypes: [.californiaIFSP], when: nil, check: Check(eachEntryHas: .init(list: "rights.modifications", fields: ["zzz"])), message: "", citation: "c"),
        ])
        XCTAssertThrowsError(try RulePackLibrary(packs: [broken])) { error in
            let problems = (error as? RulePackLibrary.LoadError)?.problems.joined(separator: "\n") ?? ""
            for expected in ["includes nowhere", "excludes no-such-rule", "no section no-section", "has no field nothing", "id also used",
                             "exactly one kind", "have no field zzz", "needs a message", "has no section rights", "no pack missouri-isp"] {
                XCTAssertTrue(problems.contains(expected), "missing problem \(expected) in:\n\(problems)")
            }
        }
    }

    func testACompletePlanOfEachTypeHasNoFindingsWhateverTheConditions() {
        for type in PlanType.allCases {
            var facts = Fixtures.complete(type)
            XCTAssertEqual(engine.findings(for: facts), [], "\(type)")
            // The conditions that bring extra rules in: a minor with a guardian in residential care who lives alone and self-directs.
            if type != .californiaIFSP { facts.setAge(years: 17) } else { facts.setAge(months: 30) }
            facts.hasLegalRepresentative = true
            facts.residenceType = "group_home"
            facts.set("setting.livesAlone", .bool(true))
            XCTAssertEqual(engine.findings(for: facts), [], "\(type) with every condition")
        }
    }

    func testAnIncompleteMissouriISPSaysExactlyWhatIsMissing() {
        var facts = Fixtures.complete(.missouriISP)
        facts.setAge(years: 17)
        facts.residenceType = "supported_living"
        facts.implementationDate = nil
        facts.effectiveEnd = facts.effectiveStart!.adding(months: 13)
        for key in ["funds", "guardian-input", "outcomes", "contributors", "prior-year"] { facts.sections[key] = nil }
        facts.set("risks.risks", .array([.object(["risk": .string("Wandering at night"), "kind": .string("safety")])]))
        facts.set("risks.backupPlan", nil)
        facts.set("rights.modifications", .array([.object(["right": .string("visitors"), "assessedNeed": .string("A need")])]))
        let findings = engine.findings(for: facts)
        XCTAssertEqual(findings.map(\.ruleID), [
            "hcbs.plan-period", "mo.implementation-date", "mo.prior-year", "hcbs.risk-mitigation", "hcbs.backup-plan",
            "hcbs.rights-modification-elements", "hcbs.rights-modification-review-date", "mo.rights-committee",
            "mo.parent-of-minor", "mo.funds-residential", "hcbs.outcomes", "mo.contributors",
        ])
        let risk = findings.first { $0.ruleID == "hcbs.risk-mitigation" }!
        XCTAssertEqual(risk.message, "The risk “Wandering at night” needs how it is reduced and who is responsible.")
        XCTAssertEqual(risk.section, "risks")
        XCTAssertEqual(risk.field, "risks.0.mitigation")
        XCTAssertEqual(risk.citation, "42 CFR 441.301(c)(2)(vi)")
        let elements = findings.first { $0.ruleID == "hcbs.rights-modification-elements" }!
        XCTAssertTrue(elements.message.hasPrefix("The limit on the right “Visitors of their choosing at any time” is missing (B) Positive supports used first, (C) Less intrusive"), elements.message)
        XCTAssertEqual(findings.first { $0.ruleID == "mo.implementation-date" }?.message, "The ISP header needs date of implementation.")
        XCTAssertEqual(findings.first { $0.ruleID == "hcbs.plan-period" }?.field, "effectiveEnd")
    }

    func testAnIncompleteFederalPlanSaysExactlyWhatIsMissing() {
        var facts = Fixtures.complete(.federalHCBS)
        facts.meetingDate = nil
        facts.planningLanguage = nil
        facts.sections["important-to"] = ["statements": .array([.object(["statement": .string("Music"), "whose": .string("guardian")])])]
        facts.set("setting.optionsConsidered", .array([.object(["option": .string("Group home"), "nonDisabilitySpecific": .bool(false)])]))
        facts.set("self-direction.servicesSelfDirected", nil)
        facts.sections["employment"] = nil // age unknown without a meeting date, so the working-age rule cannot apply
        XCTAssertEqual(engine.findings(for: facts).map(\.ruleID), [
            "hcbs.plan-dates", "hcbs.planning-language", "hcbs.persons-own-view", "hcbs.self-directed-services", "hcbs.setting-non-disability-option",
        ])
    }

    func testAnIncompleteIPPSaysExactlyWhatIsMissing() {
        var facts = Fixtures.complete(.californiaIPP)
        facts.effectiveEnd = facts.effectiveStart!.adding(months: 30)   // fine for an IPP: up to three years
        facts.sections["life-goals"] = ["lifeGoals": .string("A home of my own")]
        facts.set("outcomes.outcomes", .array([.object(["outcome": .string("Learn to cook")])]))
        facts.set("services.services", .array([.object(["service": .string("Respite"), "provider": .string("Example Respite")])]))
        facts.sections["employment"] = nil
        let findings = engine.findings(for: facts)
        XCTAssertEqual(findings.map(\.ruleID), ["ipp.life-goals", "hcbs.employment", "ipp.measurable-objectives", "ipp.service-schedule"])
        XCTAssertEqual(findings[0].field, "barriers")
        XCTAssertEqual(findings[2].message, "The outcome “Learn to cook” must be time-limited and measurable: add how we will know and target date.")
        XCTAssertEqual(findings[3].field, "services.0.frequency")
    }

    func testAnIncompleteIFSPSaysExactlyWhatIsMissing() {
        var facts = Fixtures.complete(.californiaIFSP)
        facts.setAge(months: 28)
        facts.nextReviewDate = facts.meetingDate!.adding(months: 7)
        facts.sections["present-levels"]?["adaptive"] = nil
        facts.sections["natural-environment"] = nil
        facts.sections["transition"] = ["situation": .string("early_start_exit")]
        facts.sections["contributors"] = nil
        XCTAssertEqual(engine.findings(for: facts).map(\.ruleID), [
            "ifsp.six-month-review", "ifsp.present-levels", "ifsp.transition-steps", "ifsp.natural-environment", "ifsp.contributors",
        ])
    }

    func testPlanPeriodBoundaries() {
        var facts = Fixtures.complete(.federalHCBS)
        let start = facts.effectiveStart!
        facts.effectiveEnd = start.adding(months: 12).adding(days: -1)
        XCTAssertFalse(Fixtures.ids(engine.findings(for: facts)).contains("hcbs.plan-period"), "exactly twelve months")
        facts.effectiveEnd = start.adding(months: 12)
        XCTAssertTrue(Fixtures.ids(engine.findings(for: facts)).contains("hcbs.plan-period"), "twelve months and a day")
        facts.effectiveEnd = start.adding(days: -1)
        XCTAssertTrue(Fixtures.ids(engine.findings(for: facts)).contains("hcbs.plan-period"), "ends before it starts")

        var ipp = Fixtures.complete(.californiaIPP)
        ipp.effectiveEnd = ipp.effectiveStart!.adding(months: 36).adding(days: -1)
        XCTAssertEqual(engine.findings(for: ipp), [])
        ipp.effectiveEnd = ipp.effectiveStart!.adding(months: 36)
        XCTAssertEqual(Fixtures.ids(engine.findings(for: ipp)), ["ipp.plan-period"])
    }

    func testIFSPReviewBoundaries() {
        var facts = Fixtures.complete(.californiaIFSP)
        facts.nextReviewDate = facts.meetingDate!.adding(months: 6)
        XCTAssertEqual(engine.findings(for: facts), [])
        facts.nextReviewDate = facts.meetingDate!.adding(months: 6).adding(days: 1)
        XCTAssertEqual(Fixtures.ids(engine.findings(for: facts)), ["ifsp.six-month-review"])
        facts.nextReviewDate = facts.meetingDate
        XCTAssertEqual(Fixtures.ids(engine.findings(for: facts)), ["ifsp.six-month-review"], "a review on the day of the meeting is not a review")
    }

    func testWorkingAgeBoundaries() {
        var facts = Fixtures.complete(.federalHCBS)
        facts.sections["employment"] = nil
        for (age, fires) in [(15, false), (16, true), (64, true), (65, false)] {
            facts.setAge(years: age)
            XCTAssertEqual(Fixtures.ids(engine.findings(for: facts)).contains("hcbs.employment"), fires, "age \(age)")
        }
        // The day before the sixteenth birthday is still 15.
        facts.setAge(years: 16)
        facts.birthDate = facts.birthDate!.adding(days: 1)
        XCTAssertFalse(Fixtures.ids(engine.findings(for: facts)).contains("hcbs.employment"))
    }

    func testFindingsFollowTheOrderOfTheSections() {
        var facts = Fixtures.complete(.missouriISP)
        facts.sections = [:]
        let order = PlanSections.sections(for: .missouriISP).map(\.key)
        let ranks = engine.findings(for: facts).map { f in f.section.flatMap { order.firstIndex(of: $0) } ?? -1 }
        XCTAssertEqual(ranks, ranks.sorted())
    }
}

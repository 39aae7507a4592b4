@testable import LanternDomain
import XCTest

/// Plans to check rules against: the complete example plan for a made-up person, whose age, home and
/// plan kind each test sets as it needs.
enum Fixtures {
    static let meeting = CalendarDate("2026-03-02")!
    static let circle = ["7d1c7f0e-0000-4000-8000-000000000001", "7d1c7f0e-0000-4000-8000-000000000002"]
    static let library: RulePackLibrary = try! RulePackLibrary.bundled()
    static let engine = RuleEngine(library: library)

    /// A complete plan of `type` for someone aged 30 (an infant of 20 months for an IFSP) living in
    /// their own home, with no guardian.
    static func complete(_ type: PlanType) -> PlanFacts {
        let birth = type == .californiaIFSP ? meeting.adding(months: -20) : meeting.adding(months: -30 * 12)
        return PlanFacts(planType: type, planKind: type == .californiaIFSP ? .initial : .annual, meetingDate: meeting,
                         effectiveStart: meeting.adding(days: 14), effectiveEnd: meeting.adding(days: 14).adding(months: 12).adding(days: -1),
                         implementationDate: meeting.adding(days: 14), nextReviewDate: meeting.adding(months: 6), planningLanguage: "English",
                         birthDate: birth, residenceType: "own_home", hasLegalRepresentative: false,
                         sections: ExamplePlan.sections(for: type, name: "Avery", circle: circle, guardian: circle[1], meetingDate: meeting))
    }

    /// The plan types whose pack (directly or by inclusion) has the rule.
    static func types(using ruleID: String) -> [PlanType] {
        PlanType.allCases.filter { type in library.rules(for: type).contains { $0.1.id == ruleID } }
    }

    static func ids(_ findings: [Finding]) -> [String] { findings.map(\.ruleID) }
}

extension PlanFacts {
    mutating func setAge(years: Int) { birthDate = meetingDate!.adding(months: -12 * years) }
    mutating func setAge(months: Int) { birthDate = meetingDate!.adding(months: -months) }

    mutating func set(_ path: String, _ value: JSONValue?) {
        let (section, field) = RuleEngine.split(path)
        var content = sections[section] ?? [:]
        content[field] = value
        sections[section] = content
    }
}

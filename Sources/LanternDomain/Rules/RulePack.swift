import Foundation

/// A rule pack as written in its file (`Resources/RulePacks/<id>.json`): the requirements of one plan
/// type, each with the words a person reads and the citation behind it. A pack may include another
/// (Missouri includes the federal baseline) and leave out included rules that its own law replaces.
public struct RulePack: Codable, Sendable {
    public var id: String
    public var title: String
    public var source: String
    public var includes: [String]?
    /// Ids of included rules that this pack replaces with its own.
    public var excludes: [String]?
    public var rules: [Rule]
    /// Who must sign a version before it takes effect. An including pack's list replaces the included one.
    public var signers: [SignerRule]?
    /// How soon a review the person or their representative asks for must happen. An including pack's
    /// value replaces the included one.
    public var reviewOnRequest: ReviewOnRequest?
    /// How soon the plan is reviewed after a significant change in the person's life. Inherited like
    /// `reviewOnRequest`.
    public var reviewOnChange: ReviewOnRequest?
    /// The time limits of intake: deciding eligibility and holding the first planning meeting. An
    /// including pack's list replaces the included one; none means the pack sets none.
    public var intake: [IntakeDeadline]?
    /// When set, a copy for the person or their representative includes the budget; the citation says why.
    public var budgetWithCopy: String?
}

/// The time limit for a review the person or their representative asked for, with its source.
public struct ReviewOnRequest: Codable, Sendable, Equatable {
    public var withinDays: Int
    public var citation: String
    public init(withinDays: Int, citation: String) { self.withinDays = withinDays; self.citation = citation }
}

/// One kind of signer a plan needs, when the condition holds.
public struct SignerRule: Codable, Sendable {
    public var role: SignerRole
    public var when: Condition?
    /// Why this signature is needed, in plain words, with its source.
    public var reason: String
    public var citation: String
}

public struct Rule: Codable, Sendable {
    public enum Severity: String, Codable, Sendable { case required, recommended }

    public var id: String
    public var severity: Severity
    /// The plan types the rule applies to; absent means every type that uses the pack.
    public var planTypes: [PlanType]?
    public var when: Condition?
    public var check: Check
    /// Plain words. In an `eachEntryHas` rule, `{entry}` names the entry and `{missing}` lists what it lacks.
    public var message: String
    public var citation: String
    /// The section the finding sends the team to, when the check does not name one.
    public var section: String?
}

/// When a rule applies. Every condition given must hold; `anyOf` holds when one of its conditions does.
public struct Condition: Codable, Sendable {
    /// Age in whole years on the date of the planning meeting, both ends included.
    public var ageFrom: Int?
    public var ageTo: Int?
    /// Age in whole months on the date of the planning meeting (infants), both ends included.
    public var ageMonthsFrom: Int?
    public var ageMonthsTo: Int?
    public var planKinds: [PlanKind]?
    /// The person's residence type (from their record), for example `group_home`.
    public var residenceTypes: [String]?
    /// A guardian, conservator or parent of a minor holds legal authority.
    public var hasLegalRepresentative: Bool?
    /// A yes-or-no field of the plan (`section.field`) is yes.
    public var yes: String?
    public var anyOf: [Condition]?
}

/// What a rule checks. Exactly one is set.
public struct Check: Codable, Sendable {
    /// The section is written: every field it marks as needed is filled.
    public var complete: String?
    /// A field (`section.field`) holds something; a list has at least one entry.
    public var filled: String?
    /// A yes-or-no field (`section.field`) is yes.
    public var isYes: String?
    /// At least one entry of a list matches.
    public var someEntry: EntryMatch?
    /// Every entry of a list has these fields filled (`a|b`: either); one finding per entry that lacks any.
    public var eachEntryHas: EntryFields?
    /// Fields of the plan itself: meetingDate, effectiveStart, effectiveEnd, implementationDate, nextReviewDate, planningLanguage.
    public var planFields: [String]?
    /// The effective period is at most this many months.
    public var periodAtMostMonths: Int?
    /// The next review is set no later than this many months after the planning meeting.
    public var reviewWithinMonths: Int?
    /// A check of the plan's services against the catalogue; the message may use the words
    /// (`{service}`, `{other}`, `{from}`, `{to}`, `{difference}`, `{support}`, `{limit}` ...).
    public var services: ServiceCheck?
    /// The person's coordinator works for a provider that serves them (in the plan or linked), with no
    /// documented exception. The message may use `{provider}`.
    public var conflictOfInterest: Bool?

    public struct EntryMatch: Codable, Sendable {
        public var list: String
        public var `where`: [String: JSONValue]
    }
    public struct EntryFields: Codable, Sendable {
        public var list: String
        public var fields: [String]
        /// A yes-or-no field of the entry that, when yes, excuses it (a service still on the waiting list has no provider yet).
        public var unless: String?
    }
}

/// Something missing or wrong in a plan, with the rule behind it and where to fix it.
public struct Finding: Sendable, Equatable {
    public var ruleID: String
    public var pack: String
    public var severity: Rule.Severity
    /// The plan section to open, or nil for the plan's own details (dates, type).
    public var section: String?
    /// The field within the section (or plan) to fix: `risks.2.mitigation`, `effectiveEnd`.
    public var field: String?
    public var message: String
    public var citation: String
}

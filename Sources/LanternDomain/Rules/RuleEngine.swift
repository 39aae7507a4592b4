import Foundation

/// Everything the rules may look at: the plan's own fields, the person's record as it bears on the
/// plan, and the content of each section written so far.
public struct PlanFacts: Sendable {
    public var planType: PlanType
    public var planKind: PlanKind
    public var meetingDate: CalendarDate?
    public var effectiveStart: CalendarDate?
    public var effectiveEnd: CalendarDate?
    public var implementationDate: CalendarDate?
    public var nextReviewDate: CalendarDate?
    public var planningLanguage: String?
    public var birthDate: CalendarDate?
    public var residenceType: String
    public var hasLegalRepresentative: Bool
    public var sections: [String: SectionContent]
    /// The services the plan may draw on (rates, limits, equivalents), for the service checks.
    public var catalogue: ServiceCatalogue
    /// Names for the ids in the plan (providers), for the words of a finding.
    public var names: [String: String]
    /// The organisation the person's coordinator works for, the providers linked to the person, and
    /// the providers for which a conflict-of-interest exception is documented for that coordinator.
    public var coordinatorOrganization: String?
    public var linkedProviders: Set<String> = []
    public var conflictExceptions: Set<String> = []

    public init(planType: PlanType, planKind: PlanKind, meetingDate: CalendarDate? = nil, effectiveStart: CalendarDate? = nil,
                effectiveEnd: CalendarDate? = nil, implementationDate: CalendarDate? = nil, nextReviewDate: CalendarDate? = nil,
                planningLanguage: String? = nil, birthDate: CalendarDate?, residenceType: String, hasLegalRepresentative: Bool,
                sections: [String: SectionContent] = [:], catalogue: ServiceCatalogue = ServiceCatalogue(), names: [String: String] = [:]) {
        self.catalogue = catalogue; self.names = names
        self.planType = planType; self.planKind = planKind; self.meetingDate = meetingDate; self.effectiveStart = effectiveStart
        self.effectiveEnd = effectiveEnd; self.implementationDate = implementationDate; self.nextReviewDate = nextReviewDate
        self.planningLanguage = planningLanguage; self.birthDate = birthDate; self.residenceType = residenceType
        self.hasLegalRepresentative = hasLegalRepresentative; self.sections = sections
    }

    /// Ages are taken on the day of the planning meeting: the day the team decides what the plan needs.
    public var ageInYears: Int? {
        guard let birthDate, let meetingDate else { return nil }
        return birthDate.years(until: meetingDate)
    }
    public var ageInMonths: Int? {
        guard let birthDate, let meetingDate else { return nil }
        return birthDate.months(until: meetingDate)
    }

    public static let planFieldLabels: [String: String] = [
        "meetingDate": "Date of the planning meeting", "effectiveStart": "Plan starts", "effectiveEnd": "Plan ends",
        "implementationDate": "Date of implementation", "nextReviewDate": "Next review", "planningLanguage": "Language the plan was written in",
    ]

    func planFieldIsSet(_ name: String) -> Bool {
        switch name {
        case "meetingDate": meetingDate != nil
        case "effectiveStart": effectiveStart != nil
        case "effectiveEnd": effectiveEnd != nil
        case "implementationDate": implementationDate != nil
        case "nextReviewDate": nextReviewDate != nil
        case "planningLanguage": !(planningLanguage ?? "").isEmpty
        default: false
        }
    }

    func content(_ section: String) -> SectionContent { sections[section] ?? [:] }
}

/// Applies a plan type's rules to a plan and says what is missing. Pure: the same facts always give
/// the same findings, in the order of the plan's sections.
public struct RuleEngine: Sendable {
    public let library: RulePackLibrary

    public init(library: RulePackLibrary) { self.library = library }

    public func findings(for facts: PlanFacts) -> [Finding] {
        let sectionOrder = PlanSections.sections(for: facts.planType).map(\.key)
        var findings: [Finding] = []
        for (pack, rule) in library.rules(for: facts.planType) {
            if let types = rule.planTypes, !types.contains(facts.planType) { continue }
            if let condition = rule.when, !holds(condition, facts) { continue }
            findings += evaluate(rule, pack: pack, facts)
        }
        // Plan details first, then each section in editor order; rules keep their file order within.
        func rank(_ f: Finding) -> Int { f.section.flatMap { sectionOrder.firstIndex(of: $0) }.map { $0 + 1 } ?? 0 }
        return findings.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    /// The signatures a plan needs: the pack's list (or the nearest included pack's), where its condition holds.
    public func signers(for facts: PlanFacts) -> [SignerRule] {
        var id: String? = facts.planType.rulePack, depth = 0
        // Includes are at most a few deep; the bound stops a cycle written by mistake.
        while let current = id, let pack = library.packs[current], depth < 5 {
            if let signers = pack.signers { return signers.filter { $0.when.map { holds($0, facts) } ?? true } }
            id = pack.includes?.first; depth += 1
        }
        return []
    }

    /// The time limit for a requested review: the pack's own, or the nearest included pack's.
    public func reviewOnRequest(for type: PlanType) -> ReviewOnRequest? {
        inherited(type) { $0.reviewOnRequest }
    }

    /// The time limit for a review after a significant change.
    public func reviewOnChange(for type: PlanType) -> ReviewOnRequest? {
        inherited(type) { $0.reviewOnChange }
    }

    /// The intake deadlines of the plan type (none when its packs set none).
    public func intakeDeadlines(for type: PlanType) -> [IntakeDeadline] {
        inherited(type) { $0.intake } ?? []
    }

    /// Whether a copy for the person and their representative must include the budget, and why.
    public func budgetWithCopy(for type: PlanType) -> String? {
        inherited(type) { $0.budgetWithCopy }
    }

    /// A setting of the plan type's pack, or of the nearest pack it includes that has it.
    func inherited<T>(_ type: PlanType, _ value: (RulePack) -> T?) -> T? {
        var id: String? = type.rulePack, depth = 0
        while let current = id, let pack = library.packs[current], depth < 5 {
            if let found = value(pack) { return found }
            id = pack.includes?.first; depth += 1
        }
        return nil
    }

    func holds(_ c: Condition, _ facts: PlanFacts) -> Bool {
        if c.ageFrom != nil || c.ageTo != nil {
            guard let age = facts.ageInYears else { return false }
            if let from = c.ageFrom, age < from { return false }
            if let to = c.ageTo, age > to { return false }
        }
        if c.ageMonthsFrom != nil || c.ageMonthsTo != nil {
            guard let months = facts.ageInMonths else { return false }
            if let from = c.ageMonthsFrom, months < from { return false }
            if let to = c.ageMonthsTo, months > to { return false }
        }
        if let kinds = c.planKinds, !kinds.contains(facts.planKind) { return false }
        if let types = c.residenceTypes, !types.contains(facts.residenceType) { return false }
        if let wanted = c.hasLegalRepresentative, wanted != facts.hasLegalRepresentative { return false }
        if let path = c.yes {
            let (section, field) = Self.split(path)
            if facts.content(section).bool(field) != true { return false }
        }
        if let any = c.anyOf, !any.contains(where: { holds($0, facts) }) { return false }
        return true
    }

    func evaluate(_ rule: Rule, pack: String, _ facts: PlanFacts) -> [Finding] {
        func finding(section: String?, field: String?, message: String? = nil) -> Finding {
            Finding(ruleID: rule.id, pack: pack, severity: rule.severity, section: section ?? rule.section, field: field,
                    message: message ?? rule.message, citation: rule.citation)
        }
        let check = rule.check
        if let key = check.complete {
            guard let spec = PlanSections.spec(key) else { return [] }
            let content = facts.content(key)
            return spec.isComplete(content) ? [] : [finding(section: key, field: spec.missing(in: content).first?.key)]
        }
        if let path = check.filled {
            let (section, field) = Self.split(path)
            return facts.content(section).hasValue(field) ? [] : [finding(section: section, field: field)]
        }
        if let path = check.isYes {
            let (section, field) = Self.split(path)
            return facts.content(section).bool(field) == true ? [] : [finding(section: section, field: field)]
        }
        if let match = check.someEntry {
            let (section, list) = Self.split(match.list)
            let found = facts.content(section).entries(list).contains { entry in
                match.where.allSatisfy { key, value in entry[key] == value }
            }
            return found ? [] : [finding(section: section, field: list)]
        }
        if let each = check.eachEntryHas {
            let (section, list) = Self.split(each.list)
            let spec = PlanSections.spec(section)
            let entryFields = spec?.field(list)?.entryFields ?? []
            // "providerId|provider": either field will do.
            func label(_ key: String) -> String { entryFields.first { $0.key == key }?.label ?? key }
            return facts.content(section).entries(list).enumerated().compactMap { index, entry in
                if let excuse = each.unless, entry.bool(excuse) == true { return nil }
                let missing = each.fields.filter { field in !field.split(separator: "|").contains { entry.hasValue(String($0)) } }
                guard let first = missing.first?.split(separator: "|").first.map(String.init) else { return nil }
                let labels = missing.map { $0.split(separator: "|").map { label(String($0)) }.joined(separator: " or ") }
                let message = rule.message
                    .replacingOccurrences(of: "{entry}", with: Self.name(of: entry, fields: entryFields, position: index + 1))
                    .replacingOccurrences(of: "{missing}", with: Self.list(labels))
                return finding(section: section, field: "\(list).\(index).\(first)", message: message)
            }
        }
        if check.conflictOfInterest == true {
            guard let organization = facts.coordinatorOrganization, !facts.conflictExceptions.contains(organization) else { return [] }
            let named = Set(PlannedService.all(in: facts.content("services")).compactMap(\.providerID))
                .union(facts.content("outcomes").entries("steps").compactMap { $0.text("organizationId") }).union(facts.linkedProviders)
            guard named.contains(organization) else { return [] }
            return [finding(section: "services", field: nil, message: rule.message.replacingOccurrences(of: "{provider}", with: facts.names[organization] ?? "the provider"))]
        }
        if let kind = check.services {
            let checks = ServiceChecks(sections: facts.sections, catalogue: facts.catalogue, plan: (facts.effectiveStart, facts.effectiveEnd), names: facts.names)
            return checks.issues(kind).map { issue in
                let message = issue.values.reduce(rule.message) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
                return finding(section: issue.section, field: issue.field, message: message)
            }
        }
        if let fields = check.planFields {
            let missing = fields.filter { !facts.planFieldIsSet($0) }
            guard let first = missing.first else { return [] }
            let labels = missing.map { PlanFacts.planFieldLabels[$0] ?? $0 }
            return [finding(section: nil, field: first, message: rule.message.replacingOccurrences(of: "{missing}", with: Self.list(labels)))]
        }
        if let months = check.periodAtMostMonths {
            guard let start = facts.effectiveStart, let end = facts.effectiveEnd else { return [] }
            // A period of 12 months runs from the start up to the day before the same date a year on.
            return end < start.adding(months: months) && end >= start ? [] : [finding(section: nil, field: "effectiveEnd")]
        }
        if let months = check.reviewWithinMonths {
            guard let meeting = facts.meetingDate else { return [] }
            guard let review = facts.nextReviewDate, review <= meeting.adding(months: months), review > meeting else {
                return [finding(section: nil, field: "nextReviewDate")]
            }
            return []
        }
        return []
    }

    public static func split(_ path: String) -> (String, String) {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : "")
    }

    /// How a finding names an entry: its first required text, shortened, or its position.
    static func name(of entry: SectionContent, fields: [FieldSpec], position: Int) -> String {
        for field in fields where field.required {
            if var text = entry.text(field.key) {
                if case let .choice(choices) = field.kind, let choice = choices.first(where: { $0.value == text }) { text = choice.label }
                let line = text.split(separator: "\n").first.map(String.init) ?? text
                return "“" + (line.count > 60 ? String(line.prefix(57)) + "…" : line) + "”"
            }
        }
        return "number \(position)"
    }

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0].lowercasedFirst
        default: return items.dropLast().map(\.lowercasedFirst).joined(separator: ", ") + " and " + items.last!.lowercasedFirst
        }
    }
}

extension String {
    /// "How it is reduced" reads better mid-sentence as "how it is reduced"; labels starting with a
    /// letter in brackets or a capitalised name ("(A) The…") are kept.
    var lowercasedFirst: String {
        guard let first, first.isUppercase, dropFirst().first?.isLowercase == true else { return self }
        return first.lowercased() + dropFirst()
    }
}

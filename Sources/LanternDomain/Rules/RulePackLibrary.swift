import Foundation

/// The rule packs shipped with Lantern, read once from the package's resources and checked: every
/// section and field they name exists, every id is unique, every check sets exactly one kind.
public struct RulePackLibrary: Sendable {
    public let packs: [String: RulePack]

    public struct LoadError: Error, CustomStringConvertible {
        public let problems: [String]
        public var description: String { "Rule packs are not valid:\n- " + problems.joined(separator: "\n- ") }
    }

    public init(packs: [RulePack]) throws {
        self.packs = Dictionary(packs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let problems = Self.validate(packs)
        if !problems.isEmpty { throw LoadError(problems: problems) }
    }

    /// The packs in `Resources/RulePacks`.
    public static func bundled() throws -> RulePackLibrary {
        guard let folder = Bundle.module.url(forResource: "RulePacks", withExtension: nil, subdirectory: "Resources") else {
            throw LoadError(problems: ["the RulePacks folder is not installed with this build"])
        }
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        var packs: [RulePack] = []
        var problems: [String] = []
        for file in files {
            do { packs.append(try JSONDecoder().decode(RulePack.self, from: Data(contentsOf: file))) }
            catch { problems.append("\(file.lastPathComponent) cannot be read: \(error)") }
        }
        if !problems.isEmpty { throw LoadError(problems: problems) }
        return try RulePackLibrary(packs: packs)
    }

    /// Loaded once per process; the files are part of the build, so a failure is a packaging fault.
    public static let shared: Result<RulePackLibrary, any Error> = Result { try bundled() }

    /// The rules that check a plan type, the pack's own after those it includes, each with its pack id.
    public func rules(for type: PlanType) -> [(String, Rule)] {
        rules(ofPack: type.rulePack, excluding: [])
    }

    func rules(ofPack id: String, excluding: Set<String>, depth: Int = 0) -> [(String, Rule)] {
        guard let pack = packs[id], depth < 5 else { return [] }
        let excluded = excluding.union(pack.excludes ?? [])
        var result: [(String, Rule)] = []
        for included in pack.includes ?? [] {
            result += rules(ofPack: included, excluding: excluded, depth: depth + 1)
        }
        result += pack.rules.filter { !excluded.contains($0.id) }.map { (pack.id, $0) }
        return result
    }

    static func validate(_ packs: [RulePack]) -> [String] {
        var problems: [String] = []
        let ids = Set(packs.map(\.id))
        var ruleIDs: [String: String] = [:]
        for type in PlanType.allCases where !ids.contains(type.rulePack) {
            problems.append("no pack \(type.rulePack) for plan type \(type.rawValue)")
        }
        for pack in packs {
            for included in pack.includes ?? [] where !ids.contains(included) {
                problems.append("\(pack.id) includes \(included), which does not exist")
            }
            for rule in pack.rules {
                let at = "\(pack.id) rule \(rule.id)"
                if let other = ruleIDs[rule.id] { problems.append("\(at): id also used in \(other)") }
                ruleIDs[rule.id] = pack.id
                if rule.message.isEmpty || rule.citation.isEmpty { problems.append("\(at): needs a message and a citation") }
                problems += checkProblems(rule, at: at)
                if let when = rule.when { problems += conditionProblems(when, at: at) }
                if let section = rule.section, PlanSections.spec(section) == nil { problems.append("\(at): no section \(section)") }
            }
        }
        for pack in packs {
            for signer in pack.signers ?? [] {
                if signer.reason.isEmpty || signer.citation.isEmpty { problems.append("\(pack.id) signer \(signer.role.rawValue): needs a reason and a citation") }
                if let when = signer.when { problems += conditionProblems(when, at: "\(pack.id) signer \(signer.role.rawValue)") }
            }
            if let limit = pack.reviewOnRequest, limit.withinDays < 1 || limit.withinDays > 365 || limit.citation.isEmpty {
                problems.append("\(pack.id) reviewOnRequest: needs 1 to 365 days and a citation")
            }
            if let limit = pack.reviewOnChange, limit.withinDays < 1 || limit.withinDays > 365 || limit.citation.isEmpty {
                problems.append("\(pack.id) reviewOnChange: needs 1 to 365 days and a citation")
            }
            for deadline in pack.intake ?? [] where deadline.withinDays < 1 || deadline.withinDays > 365 || deadline.citation.isEmpty {
                problems.append("\(pack.id) intake \(deadline.step.rawValue): needs 1 to 365 days and a citation")
            }
            for excluded in pack.excludes ?? [] where ruleIDs[excluded] == nil {
                problems.append("\(pack.id) excludes \(excluded), which no pack defines")
            }
        }
        return problems
    }

    static func checkProblems(_ rule: Rule, at: String) -> [String] {
        let c = rule.check
        let set: [Any?] = [c.complete, c.filled, c.isYes, c.someEntry, c.eachEntryHas, c.planFields, c.periodAtMostMonths, c.reviewWithinMonths, c.services, c.conflictOfInterest]
        var problems: [String] = []
        if set.compactMap({ $0 }).count != 1 { problems.append("\(at): check must set exactly one kind") }
        if let key = c.complete, PlanSections.spec(key) == nil { problems.append("\(at): no section \(key)") }
        for path in [c.filled, c.isYes].compactMap({ $0 }) { problems += pathProblems(path, at: at, list: nil) }
        if let m = c.someEntry {
            problems += pathProblems(m.list, at: at, list: true)
            problems += entryFieldProblems(m.list, Array(m.where.keys), at: at)
        }
        if let e = c.eachEntryHas {
            problems += pathProblems(e.list, at: at, list: true)
            problems += entryFieldProblems(e.list, e.fields + (e.unless.map { [$0] } ?? []), at: at)
        }
        for field in c.planFields ?? [] where PlanFacts.planFieldLabels[field] == nil { problems.append("\(at): no plan field \(field)") }
        for type in rule.planTypes ?? [] {
            let sections = Set(PlanSections.sections(for: type).map(\.key))
            for key in [c.complete, c.filled, c.isYes, c.someEntry?.list, c.eachEntryHas?.list].compactMap({ $0 }) {
                let section = RuleEngine.split(key).0
                if !sections.contains(section) { problems.append("\(at): plan type \(type.rawValue) has no section \(section)") }
            }
        }
        return problems
    }

    static func conditionProblems(_ c: Condition, at: String) -> [String] {
        var problems: [String] = []
        if let path = c.yes { problems += pathProblems(path, at: at, list: false) }
        for type in c.residenceTypes ?? [] where !["family_home", "own_home", "supported_living", "group_home", "other"].contains(type) {
            problems.append("\(at): unknown residence type \(type)")
        }
        for inner in c.anyOf ?? [] { problems += conditionProblems(inner, at: at) }
        return problems
    }

    static func pathProblems(_ path: String, at: String, list: Bool?) -> [String] {
        let (section, field) = RuleEngine.split(path)
        guard let spec = PlanSections.spec(section) else { return ["\(at): no section \(section)"] }
        guard let f = spec.field(field) else { return ["\(at): section \(section) has no field \(field)"] }
        if let list, list != f.isList { return ["\(at): \(path) \(list ? "is not" : "is") a list"] }
        return []
    }

    static func entryFieldProblems(_ path: String, _ fields: [String], at: String) -> [String] {
        let (section, list) = RuleEngine.split(path)
        let known = Set(PlanSections.spec(section)?.field(list)?.entryFields.map(\.key) ?? [])
        return fields.flatMap { $0.split(separator: "|").map(String.init) }.filter { !known.contains($0) }.map { "\(at): entries of \(path) have no field \($0)" }
    }
}

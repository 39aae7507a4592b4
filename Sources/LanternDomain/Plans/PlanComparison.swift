import Foundation

/// What changed between two versions of a plan, section by section, in words a team can read:
/// sections added, removed or changed; within a section each field and list entry that changed, with
/// the changed words marked.
public enum PlanComparison {
    public enum Change: String, Sendable, Codable { case added, removed, changed }

    /// A run of words that both versions share, or that only one has.
    public struct WordRun: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable { case same, added, removed }
        public var kind: Kind
        public var text: String
    }

    public struct FieldChange: Sendable, Equatable, Codable {
        /// Where: "Risks › entry 2 › How it is reduced", or a field label.
        public var label: String
        public var change: Change
        public var before: String?
        public var after: String?
        public var words: [WordRun]
    }

    public struct SectionChange: Sendable, Equatable, Codable {
        public var key: String
        public var title: String
        public var change: Change
        public var fields: [FieldChange]
    }

    /// Sections in editor order; only those that differ. `names` turns ids into what a person reads
    /// (circle members, organisations); outcomes referred to by id are named from the plans themselves.
    public static func compare(_ type: PlanType, old: [String: SectionContent], new: [String: SectionContent],
                               names: [String: String] = [:]) -> [SectionChange] {
        var names = names
        for sections in [old, new] {
            for outcome in sections["outcomes"]?.entries("outcomes") ?? [] {
                if let id = outcome.text("id"), let text = outcome.text("outcome") { names[id] = text }
            }
        }
        let display = Display(names: names)
        return PlanSections.sections(for: type).compactMap { spec in
            let before = old[spec.key] ?? [:], after = new[spec.key] ?? [:]
            guard before != after else { return nil }
            let change: Change = before.isEmpty ? .added : after.isEmpty ? .removed : .changed
            return SectionChange(key: spec.key, title: spec.title, change: change, fields: display.fieldChanges(spec, before, after))
        }
    }

    /// A value as a person reads it: yes or no, a choice's label, a name for an id, text as written.
    /// An entry's own id is not shown.
    public struct Display: Sendable {
        public var names: [String: String]
        public init(names: [String: String]) { self.names = names }

        public func callAsFunction(_ field: FieldSpec, _ value: JSONValue?) -> String? {
            switch (field.kind, value) {
            case (.entryID, _): return nil
            case let (.choice(choices), .string(s)?) where !s.isEmpty: return choices.first { $0.value == s }?.label ?? s
            case let (.circleMember, .string(s)?) where !s.isEmpty: return names[s] ?? "someone no longer in the circle"
            case let (.organization, .string(s)?) where !s.isEmpty: return names[s] ?? "a provider no longer linked"
            case let (.reference, .string(s)?) where !s.isEmpty: return names[s] ?? "an entry no longer in the plan"
            case let (.weekdays, .string(s)?) where !s.isEmpty: return Weekday.parse(s).map(Weekday.words) ?? s
            case let (.catalogued, .string(s)?) where !s.isEmpty: return names[s].map { "\($0) (\(s))" } ?? s
            case let (_, .string(s)?): return s.isEmpty ? nil : s
            case let (_, .bool(b)?): return b ? "Yes" : "No"
            case let (_, .number(n)?): return SectionSpec.plain(n)
            default: return nil
            }
        }
    }
}

extension PlanComparison.Display {
    typealias FieldChange = PlanComparison.FieldChange
    typealias WordRun = PlanComparison.WordRun

    func fieldChanges(_ spec: SectionSpec, _ before: SectionContent, _ after: SectionContent) -> [FieldChange] {
        var result: [FieldChange] = []
        for field in spec.fields {
            if field.isList {
                result += listChanges(field, before.entries(field.key), after.entries(field.key))
            } else if let change = valueChange(field.label, field, before[field.key], after[field.key]) {
                result.append(change)
            }
        }
        return result
    }

    /// Entries that stayed the same are matched first (longest common subsequence); what is left is
    /// paired in order as changed entries, and the rest are added or removed.
    func listChanges(_ field: FieldSpec, _ before: [SectionContent], _ after: [SectionContent]) -> [FieldChange] {
        let common = PlanComparison.lcsPairs(before, after)
        let keptBefore = Set(common.map(\.0)), keptAfter = Set(common.map(\.1))
        let removed = before.indices.filter { !keptBefore.contains($0) }
        let added = after.indices.filter { !keptAfter.contains($0) }
        var result: [FieldChange] = []
        for (i, j) in zip(removed, added) {
            for entryField in field.entryFields {
                if let change = valueChange("\(field.label) › entry \(j + 1) › \(entryField.label)", entryField, before[i][entryField.key], after[j][entryField.key]) {
                    result.append(change)
                }
            }
        }
        for i in removed.dropFirst(added.count) {
            result.append(FieldChange(label: "\(field.label) › entry \(i + 1)", change: .removed, before: summary(field, before[i]), after: nil,
                                      words: [WordRun(kind: .removed, text: summary(field, before[i]))]))
        }
        for j in added.dropFirst(removed.count) {
            result.append(FieldChange(label: "\(field.label) › entry \(j + 1)", change: .added, before: nil, after: summary(field, after[j]),
                                      words: [WordRun(kind: .added, text: summary(field, after[j]))]))
        }
        return result
    }

    func summary(_ field: FieldSpec, _ entry: SectionContent) -> String {
        field.entryFields.compactMap { f in self(f, entry[f.key]).map { "\(f.label): \($0)" } }.joined(separator: "; ")
    }

    func valueChange(_ label: String, _ field: FieldSpec, _ before: JSONValue?, _ after: JSONValue?) -> FieldChange? {
        let a = self(field, before), b = self(field, after)
        guard a != b else { return nil }
        switch (a, b) {
        case let (nil, new?): return FieldChange(label: label, change: .added, before: nil, after: new, words: [WordRun(kind: .added, text: new)])
        case let (old?, nil): return FieldChange(label: label, change: .removed, before: old, after: nil, words: [WordRun(kind: .removed, text: old)])
        case let (old?, new?): return FieldChange(label: label, change: .changed, before: old, after: new, words: PlanComparison.words(old, new))
        default: return nil
        }
    }
}

extension PlanComparison {
    /// The words of two texts, marked same, removed or added (longest common subsequence of words).
    public static func words(_ old: String, _ new: String) -> [WordRun] {
        let a = old.split(whereSeparator: \.isWhitespace).map(String.init)
        let b = new.split(whereSeparator: \.isWhitespace).map(String.init)
        let pairs = lcsPairs(a, b)
        var runs: [WordRun] = []
        func push(_ kind: WordRun.Kind, _ word: String) {
            if let last = runs.last, last.kind == kind { runs[runs.count - 1].text += " " + word } else { runs.append(WordRun(kind: kind, text: word)) }
        }
        var i = 0, j = 0
        for (pi, pj) in pairs + [(a.count, b.count)] {
            while i < pi { push(.removed, a[i]); i += 1 }
            while j < pj { push(.added, b[j]); j += 1 }
            if pi < a.count { push(.same, a[pi]); i += 1; j += 1 }
        }
        return runs
    }

    /// Index pairs of a longest common subsequence. Texts are at most a few thousand words, so the
    /// quadratic table is small.
    static func lcsPairs<T: Equatable>(_ a: [T], _ b: [T]) -> [(Int, Int)] {
        if a.isEmpty || b.isEmpty { return [] }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var pairs: [(Int, Int)] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { pairs.append((i, j)); i += 1; j += 1 }
            else if table[i + 1][j] >= table[i][j + 1] { i += 1 } else { j += 1 }
        }
        return pairs
    }
}

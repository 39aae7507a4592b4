import Foundation

/// One choice in a closed list inside a plan section (whose view a statement is, a risk's level).
public struct Choice: Sendable, Hashable {
    public let value: String
    public let label: String
    public init(_ value: String, _ label: String) { self.value = value; self.label = label }
}

/// What a field of a plan section holds. Lists hold entries, each with its own fields; lists only
/// appear at the top of a section, so every entry field is a plain value.
public indirect enum FieldKind: Sendable {
    case line(max: Int)
    case paragraph(max: Int)
    case date
    case yesNo
    case choice([Choice])
    /// The id of someone in the person's circle of support.
    case circleMember
    /// The id of a provider organisation.
    case organization
    /// A list entry's own id: given by Lantern when the entry is first saved and kept in every later
    /// version, so that what is recorded against the entry (progress on an outcome) follows it.
    case entryID
    /// The id of an entry of the named list in the same plan (an action step's outcome).
    case reference(String)
    case number(ClosedRange<Double>)
    /// Days of the week, stored in week order as "mon,wed,fri".
    case weekdays
    /// A time of day, "HH:MM" on the 24-hour clock.
    case time
    /// A service code from the service catalogue ("T2015").
    case catalogued
    case list(entries: [FieldSpec], max: Int)
}

public struct FieldSpec: Sendable {
    public let key: String
    public let label: String
    public let hint: String?
    public let kind: FieldKind
    /// Inside a list entry: an entry cannot be saved without it. At the top of a section: the section
    /// does not count as written until it is filled (a draft may still be saved without it).
    public let required: Bool

    public init(_ key: String, _ label: String, _ kind: FieldKind, required: Bool = false, hint: String? = nil) {
        self.key = key; self.label = label; self.kind = kind; self.required = required; self.hint = hint
    }

    public var entryFields: [FieldSpec] {
        if case let .list(entries, _) = kind { return entries }
        return []
    }
    public var isList: Bool { if case .list = kind { return true } else { return false } }
}

/// One component of a plan: its key (used in URLs, the API and rule packs), its title, a sentence in
/// plain words about what belongs in it, its fields, and the plan types that have it.
public struct SectionSpec: Sendable {
    public let key: String
    public let title: String
    public let purpose: String
    public let fields: [FieldSpec]
    public let planTypes: Set<PlanType>
    /// Rules that look at more than one field of an entry (a discontinued outcome says why).
    public let checks: (@Sendable (SectionContent) -> [FieldError])?

    public init(_ key: String, _ title: String, purpose: String, planTypes: Set<PlanType>, fields: [FieldSpec],
                checks: (@Sendable (SectionContent) -> [FieldError])? = nil) {
        self.key = key; self.title = title; self.purpose = purpose; self.fields = fields; self.planTypes = planTypes
        self.checks = checks
    }

    public func field(_ key: String) -> FieldSpec? { fields.first { $0.key == key } }

    /// The label of a field given as `field` or `list.entryField`.
    public func label(ofPath path: String) -> String? {
        let parts = path.split(separator: ".").map(String.init)
        guard let top = field(parts[0]) else { return nil }
        if parts.count == 1 { return top.label }
        return top.entryFields.first { $0.key == parts[1] }?.label
    }
}

/// The content of one section: the values of its fields, lists as arrays of entry objects. Stored as
/// JSON and exchanged as JSON, but always shaped by its `SectionSpec`.
public typealias SectionContent = [String: JSONValue]

/// What a section's references may point at: the person's circle and provider organisations today,
/// and the ids of entries of other sections of the same plan (`references["outcomes"]`).
public struct SectionContext: Sendable {
    public var circleMembers: Set<String>
    public var organizations: Set<String>
    public var references: [String: Set<String>]
    /// The codes of the service catalogue, upper case.
    public var catalogue: Set<String>
    public init(circleMembers: Set<String> = [], organizations: Set<String> = [], references: [String: Set<String>] = [:], catalogue: Set<String> = []) {
        self.circleMembers = circleMembers; self.organizations = organizations; self.references = references; self.catalogue = catalogue
    }
}

extension SectionSpec {
    /// Checks and tidies what a client sent for this section. Text is trimmed; blank values and
    /// entries with nothing in them are dropped (a form always sends a blank row); every problem is
    /// reported with the path of its field (`risks.2.mitigation`). `circleMembers` are the ids the
    /// person's circle has today.
    public func normalize(_ input: SectionContent, circleMembers: Set<String>) -> (SectionContent, [FieldError]) {
        normalize(input, context: SectionContext(circleMembers: circleMembers))
    }

    /// As above, with everything references may point at. Entry ids missing from the input are given
    /// here; references to entries of this section may point at entries saved in the same request.
    public func normalize(_ input: SectionContent, context: SectionContext) -> (SectionContent, [FieldError]) {
        var errors: [FieldError] = []
        var output: SectionContent = [:]
        let known = Set(fields.map(\.key))
        for key in input.keys.sorted() where !known.contains(key) {
            errors.append(FieldError(key, "\(key) is not a field of \(title). Fields here: \(fields.map(\.key).joined(separator: ", "))."))
        }
        for spec in fields {
            guard let raw = input[spec.key], raw != .null else { continue }
            if case let .list(entryFields, max) = spec.kind {
                guard case let .array(items) = raw else {
                    errors.append(FieldError(spec.key, "\(spec.label) must be a list of entries."))
                    continue
                }
                var entries: [JSONValue] = []
                // Paths use the position the client sent, so a form can put each message beside its row.
                for (index, item) in items.enumerated() {
                    guard case let .object(object) = item else {
                        errors.append(FieldError("\(spec.key).\(index)", "Each entry of \(spec.label) must be an object with its fields."))
                        continue
                    }
                    let path = "\(spec.key).\(index)"
                    let entryKnown = Set(entryFields.map(\.key))
                    for key in object.keys.sorted() where !entryKnown.contains(key) {
                        errors.append(FieldError("\(path).\(key)", "\(key) is not a field of an entry in \(spec.label). Fields here: \(entryFields.map(\.key).joined(separator: ", "))."))
                    }
                    var entry: SectionContent = [:]
                    for field in entryFields {
                        if let value = Self.check(field, object[field.key], path: "\(path).\(field.key)", context: context, errors: &errors) {
                            entry[field.key] = value
                        }
                    }
                    // A row left blank is not an entry (an id alone, kept by a form, does not make one).
                    let idKeys = Set(entryFields.filter { if case .entryID = $0.kind { true } else { false } }.map(\.key))
                    if entry.keys.allSatisfy(idKeys.contains) && object.keys.allSatisfy(entryKnown.contains) { continue }
                    for key in idKeys where entry[key] == nil { entry[key] = .string(UUID().uuidString.lowercased()) }
                    for field in entryFields where field.required && entry[field.key] == nil
                        && !errors.contains(where: { $0.field == "\(path).\(field.key)" }) {
                        errors.append(FieldError("\(path).\(field.key)", "\(field.label) is needed for each entry in \(spec.label)."))
                    }
                    entries.append(.object(entry))
                }
                if entries.count > max {
                    errors.append(FieldError(spec.key, "\(spec.label) can have at most \(max) entries."))
                }
                for field in entryFields {
                    guard case .entryID = field.kind else { continue }
                    var seen = Set<String>()
                    for (index, entry) in entries.enumerated() {
                        if case let .object(o) = entry, let id = o.text(field.key), !seen.insert(id).inserted {
                            errors.append(FieldError("\(spec.key).\(index).\(field.key)", "Two entries of \(spec.label) have the same id. Each entry keeps its own id; leave it out for a new entry."))
                        }
                    }
                }
                if !entries.isEmpty { output[spec.key] = .array(entries) }
            } else if let value = Self.check(spec, raw, path: spec.key, context: context, errors: &errors) {
                output[spec.key] = value
            }
        }
        errors += checkReferences(output, context: context)
        if errors.isEmpty, let checks { errors += checks(output) }
        return (output, errors)
    }

    /// Each reference must name an entry that exists: in this section's own list of that name (as just
    /// saved), or in the plan's other sections.
    func checkReferences(_ content: SectionContent, context: SectionContext) -> [FieldError] {
        var errors: [FieldError] = []
        for list in fields where list.isList {
            for (index, entry) in content.entries(list.key).enumerated() {
                for field in list.entryFields {
                    guard case let .reference(target) = field.kind, let value = entry.text(field.key) else { continue }
                    let own = Set(content.entries(target).compactMap { $0.text("id") })
                    if !own.contains(value) && !(context.references[target] ?? []).contains(value) {
                        let what = target == "needs" ? "needs (in what is important for the person)" : target
                        errors.append(FieldError("\(list.key).\(index).\(field.key)", "\(field.label) must be one of the plan's \(what). Save a new one first, then choose it here."))
                    }
                }
            }
        }
        return errors
    }

    /// One plain value, checked against its kind. Nil when blank or wrong (wrong adds an error).
    static func check(_ field: FieldSpec, _ raw: JSONValue?, path: String, context: SectionContext, errors: inout [FieldError]) -> JSONValue? {
        guard let raw, raw != .null else { return nil }
        func text(max: Int) -> String? {
            guard case let .string(s) = raw else {
                errors.append(FieldError(path, "\(field.label) must be text.")); return nil
            }
            let value = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty { return nil }
            if value.count > max {
                errors.append(FieldError(path, "\(field.label) is too long: use at most \(max) characters (it has \(value.count)).")); return nil
            }
            if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
                errors.append(FieldError(path, "\(field.label) contains control characters. Remove them.")); return nil
            }
            return value
        }
        /// An id that must be one of `ids` (someone in the circle, a provider that serves the person).
        func one(of ids: Set<String>, _ refusal: String) -> JSONValue? {
            guard let value = text(max: 64)?.lowercased() else { return nil }
            guard ids.contains(value) else { errors.append(FieldError(path, refusal)); return nil }
            return .string(value)
        }
        switch field.kind {
        case let .line(max), let .paragraph(max):
            return text(max: max).map(JSONValue.string)
        case .date:
            guard let value = text(max: 10) else { return nil }
            guard CalendarDate(value) != nil else {
                errors.append(FieldError(path, "\(field.label) must be a real date written as YYYY-MM-DD, for example 2026-03-14.")); return nil
            }
            return .string(value)
        case .yesNo:
            switch raw {
            case let .bool(b): return .bool(b)
            case .string("true"), .string("yes"): return .bool(true)
            case .string("false"), .string("no"): return .bool(false)
            case .string(""): return nil
            default:
                errors.append(FieldError(path, "\(field.label) must be true or false.")); return nil
            }
        case let .choice(choices):
            guard let value = text(max: 64) else { return nil }
            guard choices.contains(where: { $0.value == value }) else {
                errors.append(FieldError(path, "\(field.label) must be one of: \(choices.map(\.value).joined(separator: ", "))."))
                return nil
            }
            return .string(value)
        case .circleMember:
            return one(of: context.circleMembers, "\(field.label) must be someone in the person's circle of support. Add them to the circle first.")
        case .organization:
            return one(of: context.organizations, "\(field.label) must be a provider organisation known to Lantern. An administrator adds provider organisations.")
        case .entryID, .reference:
            guard let value = text(max: 64)?.lowercased() else { return nil }
            guard UUID(uuidString: value) != nil else {
                errors.append(FieldError(path, "\(field.label) must be an id that Lantern gave, such as 3f2b8c1e-5d4a-4e2b-9c1d-0a1b2c3d4e5f."))
                return nil
            }
            return .string(value)
        case let .number(range):
            let number: Double?
            switch raw {
            case let .number(n): number = n
            case let .string(s):
                let t = s.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { return nil }
                number = Double(t)
            default: number = nil
            }
            guard let number, number.isFinite else {
                errors.append(FieldError(path, "\(field.label) must be a number, for example 10.")); return nil
            }
            guard range.contains(number) else {
                errors.append(FieldError(path, "\(field.label) must be between \(Self.plain(range.lowerBound)) and \(Self.plain(range.upperBound)).")); return nil
            }
            return .number(number)
        case .weekdays:
            let given: String?
            switch raw {
            case let .array(items): given = items.compactMap { if case let .string(s) = $0 { s } else { nil } }.joined(separator: ",")
            case let .string(s): given = s
            default: given = nil
            }
            guard let given, let days = Weekday.parse(given) else {
                errors.append(FieldError(path, "\(field.label) must be days of the week: mon, tue, wed, thu, fri, sat, sun.")); return nil
            }
            return days.isEmpty ? nil : .string(Weekday.text(days))
        case .time:
            guard let value = text(max: 5) else { return nil }
            guard TimeOfDay.minutes(value) != nil else {
                errors.append(FieldError(path, "\(field.label) must be a time of day written as HH:MM on the 24-hour clock, for example 09:30 or 14:00.")); return nil
            }
            return .string(value)
        case .catalogued:
            guard let value = text(max: 20)?.uppercased() else { return nil }
            guard context.catalogue.contains(value) else {
                errors.append(FieldError(path, "\(field.label) must be a code from the service catalogue; \(value) is not in it. An administrator adds services to the catalogue."))
                return nil
            }
            return .string(value)
        case .list:
            errors.append(FieldError(path, "\(field.label) cannot be nested here."))
            return nil
        }
    }

    public static func plain(_ n: Double) -> String { n.rounded() == n && abs(n) < 1e15 ? String(Int(n)) : String(n) }

    /// The top-level fields still to write before the section counts as written.
    public func missing(in content: SectionContent) -> [FieldSpec] {
        fields.filter { $0.required && !content.hasValue($0.key) }
    }

    public func isComplete(_ content: SectionContent?) -> Bool {
        guard let content, !content.isEmpty else { return false }
        return missing(in: content).isEmpty
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// Whether a field holds something: text that is not blank, a yes or no, a non-empty list.
    public func hasValue(_ key: String) -> Bool {
        switch self[key] {
        case nil, .null?: return false
        case let .string(s)?: return !s.isEmpty
        case let .array(a)?: return !a.isEmpty
        default: return true
        }
    }

    public func text(_ key: String) -> String? {
        if case let .string(s)? = self[key], !s.isEmpty { return s }
        return nil
    }

    public func bool(_ key: String) -> Bool? {
        if case let .bool(b)? = self[key] { return b }
        return nil
    }

    public func entries(_ key: String) -> [SectionContent] {
        guard case let .array(items)? = self[key] else { return [] }
        return items.compactMap { if case let .object(o) = $0 { return o } else { return nil } }
    }
}

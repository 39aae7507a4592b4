import Foundation
import LanternDomain

/// Reads fields out of a body one by one, collecting a message for every field that is wrong.
/// Each reader returns nil when the field is absent, `.some(nil)` when it is cleared, or the value.
struct FieldReader {
    let input: [String: JSONValue]
    let creating: Bool
    private(set) var errors: [FieldError] = []

    init(_ input: [String: JSONValue], creating: Bool) { self.input = input; self.creating = creating }

    mutating func fail(_ field: String, _ message: String) { errors.append(FieldError(field, message)) }

    /// Fails on fields this body does not know, which catches typing mistakes in API calls.
    mutating func rejectUnknown(allowed: Set<String>) {
        for key in input.keys.sorted() where !allowed.contains(key) {
            fail(key, "\(key) is not a field here. Allowed fields: \(allowed.sorted().joined(separator: ", ")).")
        }
    }

    mutating func text(_ key: String, label: String, required: Bool = false, max: Int = 200) -> String?? {
        switch input[key] {
        case nil:
            if creating && required { fail(key, "\(label) is required.") }
            return nil
        case .null?:
            if required { fail(key, "\(label) is required."); return nil }
            return .some(nil)
        case let .string(raw)?:
            let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty {
                if required { fail(key, "\(label) is required."); return nil }
                return .some(nil)
            }
            if value.count > max { fail(key, "\(label) is too long: use at most \(max) characters."); return nil }
            if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
                fail(key, "\(label) contains control characters. Remove them."); return nil
            }
            return .some(value)
        default:
            fail(key, "\(label) must be text."); return nil
        }
    }

    mutating func bool(_ key: String, label: String) -> Bool? {
        switch input[key] {
        case nil: return nil
        case let .bool(b)?: return b
        default: fail(key, "\(label) must be true or false."); return nil
        }
    }

    mutating func date(_ key: String, label: String, required: Bool = false) -> CalendarDate?? {
        guard let text = text(key, label: label, required: required, max: 10) else { return nil }
        guard let text else { return .some(nil) }
        guard let date = CalendarDate(text) else {
            fail(key, "\(label) must be a real date written as YYYY-MM-DD, for example 2001-04-27."); return nil
        }
        return .some(date)
    }

    mutating func choice<V: Vocabulary>(_ key: String, label: String, _ type: V.Type, required: Bool = false) -> V?? {
        guard let text = text(key, label: label, required: required, max: 64) else { return nil }
        guard let text else { return .some(nil) }
        guard let value = V(rawValue: text) else {
            fail(key, "\(label) must be one of: \(V.allowedList)."); return nil
        }
        return .some(value)
    }

    mutating func choices<V: Vocabulary>(_ key: String, label: String, _ type: V.Type) -> [V]? {
        switch input[key] {
        case nil: return nil
        case .null?: return []
        case let .array(items)?:
            var values: [V] = []
            for item in items {
                guard case let .string(s) = item, let v = V(rawValue: s) else {
                    fail(key, "\(label) must be a list of: \(V.allowedList)."); return nil
                }
                if !values.contains(v) { values.append(v) }
            }
            return values
        default:
            fail(key, "\(label) must be a list of: \(V.allowedList)."); return nil
        }
    }

    /// A list of ids, each once; nil when absent, empty when cleared.
    mutating func uuids(_ key: String, label: String) -> [UUID]? {
        switch input[key] {
        case nil: return nil
        case .null?: return []
        case let .array(items)?:
            var ids: [UUID] = []
            for item in items {
                guard case let .string(s) = item, let id = UUID(uuidString: s) else {
                    fail(key, "\(label) must be a list of ids like 3f2b5c1e-8a4d-4b7e-9c3a-1d2e3f4a5b6c."); return nil
                }
                if !ids.contains(id) { ids.append(id) }
            }
            return ids
        default:
            fail(key, "\(label) must be a list of ids."); return nil
        }
    }

    /// A time of day written as HH:MM on the 24-hour clock.
    mutating func time(_ key: String, label: String, required: Bool = false) -> String?? {
        guard let text = text(key, label: label, required: required, max: 5) else { return nil }
        guard let text else { return .some(nil) }
        guard let minutes = TimeOfDay.minutes(text) else { fail(key, "\(label) must be a time written as HH:MM, for example 14:30."); return nil }
        return .some(String(format: "%02d:%02d", minutes / 60, minutes % 60))
    }

    mutating func uuid(_ key: String, label: String, required: Bool = false) -> UUID?? {
        guard let text = text(key, label: label, required: required, max: 64) else { return nil }
        guard let text else { return .some(nil) }
        guard let id = UUID(uuidString: text) else { fail(key, "\(label) must be an id like 3f2b5c1e-8a4d-4b7e-9c3a-1d2e3f4a5b6c."); return nil }
        return .some(id)
    }
}

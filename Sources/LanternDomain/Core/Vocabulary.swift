import Foundation

/// Closed lists of values, stored as their raw strings (Fluent on SQLite cannot alter enum types),
/// each with the plain words a person sees.
public protocol Vocabulary: RawRepresentable, CaseIterable, Codable, Sendable, Hashable where RawValue == String {
    var label: String { get }
}

extension Vocabulary {
    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// One thing wrong with one field of a request, named so that a form can show it beside the field.
public struct FieldError: Codable, Sendable, Equatable {
    public var field: String
    public var message: String
    public init(_ field: String, _ message: String) { self.field = field; self.message = message }
}

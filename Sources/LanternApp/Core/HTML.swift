import Vapor

/// A fragment of HTML that is already safe to send. The only way to put user text into it is
/// through interpolation, which escapes, so a name like `<script>` is always shown as text.
public struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var raw: String

    public init(stringLiteral value: String) { raw = value }
    public init(unsafeRaw: String) { raw = unsafeRaw }
    public init(stringInterpolation: Interpolation) { raw = stringInterpolation.output }
    public var description: String { raw }

    public static let empty = HTML(unsafeRaw: "")

    public struct Interpolation: StringInterpolationProtocol {
        var output = ""
        public init(literalCapacity: Int, interpolationCount: Int) { output.reserveCapacity(literalCapacity * 2) }
        public mutating func appendLiteral(_ literal: String) { output += literal }
        public mutating func appendInterpolation(_ html: HTML) { output += html.raw }
        public mutating func appendInterpolation(_ html: [HTML]) { for part in html { output += part.raw } }
        public mutating func appendInterpolation(_ text: String) { output += HTML.escape(text) }
        public mutating func appendInterpolation(_ text: String?) { output += HTML.escape(text ?? "") }
        public mutating func appendInterpolation<T: BinaryInteger>(_ number: T) { output += String(number) }
        public mutating func appendInterpolation(_ id: UUID?) { output += id?.uuidString.lowercased() ?? "" }
    }

    /// Escapes for both text and quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    public static func join(_ parts: [HTML], separator: HTML = .empty) -> HTML {
        HTML(unsafeRaw: parts.map(\.raw).joined(separator: separator.raw))
    }
}

extension HTML: AsyncResponseEncodable {
    public func encodeResponse(for request: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(string: raw))
    }
}

extension Array where Element == HTML {
    var joined: HTML { HTML.join(self) }
}

extension UUID {
    /// The form used in URLs and JSON: lower case.
    var text: String { uuidString.lowercased() }
}

extension String {
    /// Nil for text that is empty once trimmed: a form's blank field is "not given".
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

import Vapor

/// One field that was refused, and a sentence that tells the person what to do.

/// An error a person can act on. Rendered as `application/problem+json` (RFC 9457) for the API
/// and as an error page or a message beside the field for the web pages.
public struct Problem: Error, Sendable {
    public var status: HTTPResponseStatus
    public var title: String
    public var detail: String
    public var errors: [FieldError]
    public var headers: HTTPHeaders

    public init(_ status: HTTPResponseStatus, _ title: String, detail: String, errors: [FieldError] = [], headers: HTTPHeaders = [:]) {
        self.status = status; self.title = title; self.detail = detail; self.errors = errors; self.headers = headers
    }

    /// What we answer for a record that does not exist or that the user may not know exists.
    public static func notFound(_ what: String = "record") -> Problem {
        Problem(.notFound, "Not found", detail: "There is no \(what) here, or you do not have access to it. Check the address, or ask your administrator for access.")
    }

    public static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, "Not allowed", detail: detail)
    }

    public static func invalid(_ errors: [FieldError]) -> Problem {
        let fields = errors.map(\.field).joined(separator: ", ")
        let detail = errors.count == 1 ? errors[0].message : "Some fields need a change: \(fields). Each field's message says what to do."
        return Problem(.unprocessableEntity, "Check the fields", detail: detail, errors: errors)
    }

    public static let signInRequired = Problem(.unauthorized, "Sign in needed",
        detail: "Send a personal access token in the Authorization header as 'Bearer <token>'. You can make one on the Tokens page.",
        headers: ["WWW-Authenticate": "Bearer realm=\"lantern\""])
}

struct ProblemBody: Content {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var instance: String?
    var errors: [FieldError]?
}

extension Problem {
    func response(for req: Request) -> Response {
        let body = ProblemBody(type: "about:blank", title: title, status: Int(status.code), detail: detail,
                               instance: req.url.path, errors: errors.isEmpty ? nil : errors)
        var headers = self.headers
        headers.contentType = HTTPMediaType(type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(body)) ?? Data()
        return Response(status: status, headers: headers, body: .init(data: data))
    }

    /// Turns any error into a Problem, so no error reaches a user as a bare 500 with a stack trace.
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let decoding as DecodingError:
            return fromDecoding(decoding)
        case let abort as any AbortError:
            switch abort.status {
            case .notFound: return .notFound("page")
            case .methodNotAllowed: return Problem(.methodNotAllowed, "Method not allowed", detail: "This address does not accept that kind of request.")
            case .payloadTooLarge: return Problem(.payloadTooLarge, "Too large", detail: "The request body is too large. Send less at once.")
            case .unsupportedMediaType: return Problem(.unsupportedMediaType, "Unsupported content type", detail: "Send the body as application/json.")
            default:
                return Problem(abort.status, abort.status.reasonPhrase, detail: abort.reason, headers: abort.headers)
            }
        default:
            return Problem(.internalServerError, "Something went wrong",
                           detail: "Lantern could not finish this request and nothing was saved. Try again; if it keeps happening, tell your administrator.")
        }
    }

    static func fromDecoding(_ error: DecodingError) -> Problem {
        func path(_ context: DecodingError.Context, extra: CodingKey? = nil) -> String {
            let keys = context.codingPath + (extra.map { [$0] } ?? [])
            let name = keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return name.isEmpty ? "body" : name
        }
        switch error {
        case let .keyNotFound(key, context):
            let field = path(context, extra: key)
            return .invalid([FieldError(field, "\(field) is required.")])
        case let .typeMismatch(type, context):
            let field = path(context)
            return .invalid([FieldError(field, "\(field) must be \(describe(type)).")])
        case let .valueNotFound(type, context):
            let field = path(context)
            return .invalid([FieldError(field, "\(field) must be \(describe(type)), not null.")])
        case let .dataCorrupted(context):
            let field = path(context)
            if field == "body" {
                return Problem(.badRequest, "Unreadable body", detail: "The request body is not valid JSON. Check its syntax.")
            }
            return .invalid([FieldError(field, "\(field) has a value that cannot be read. \(context.debugDescription)")])
        @unknown default:
            return Problem(.badRequest, "Unreadable body", detail: "The request body could not be read.")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Int64.Type: return "a whole number"
        case is Double.Type: return "a number"
        default: return "a value of the right kind (\(type))"
        }
    }
}

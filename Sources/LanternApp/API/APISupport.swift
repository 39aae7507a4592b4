import Fluent
import Vapor

extension Request {
    /// The body as a JSON object, with a clear refusal when it is anything else.
    func jsonObject() throws -> [String: JSONValue] {
        guard let buffer = body.data, buffer.readableBytes > 0 else {
            throw Problem(.badRequest, "Body missing", detail: "Send the fields as a JSON object in the request body.")
        }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)) else {
            throw Problem(.badRequest, "Unreadable body", detail: "The request body is not valid JSON. Check its syntax.")
        }
        guard case let .object(object) = value else {
            throw Problem(.badRequest, "Body is not an object", detail: "Send the fields as a JSON object, like {\"name\": \"...\"}.")
        }
        return object
    }

    func uuidParameter(_ name: String, what: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else { throw Problem.notFound(what) }
        return id
    }

    /// The version the client last saw, from `If-Match`. 428 when missing.
    func requiredIfMatch() throws -> String {
        guard let value = headers.first(name: .ifMatch)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            throw Problem(.preconditionRequired, "If-Match needed",
                          detail: "Send the ETag you read in an If-Match header, so that you do not overwrite someone else's change. Read the record first to get it.")
        }
        return value
    }
}

enum ETag {
    static func of(version: Int) -> String { "\"\(version)\"" }

    /// 412 when the record changed since the client read it.
    static func check(_ ifMatch: String, version: Int) throws {
        if ifMatch == "*" { return }
        let tags = ifMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "") }
        guard tags.contains(of(version: version)) else {
            throw Problem(.preconditionFailed, "Changed by someone else",
                          detail: "This record changed since you read it (it is now version \(version)). Read it again, apply your change to the new version, and send it with the new ETag.")
        }
    }
}

/// A JSON answer with extra headers (ETag, Location) and a status.
struct JSONReply<T: Content>: AsyncResponseEncodable {
    var value: T
    var status: HTTPResponseStatus = .ok
    var headers: HTTPHeaders = [:]

    func encodeResponse(for request: Request) async throws -> Response {
        let response = Response(status: status, headers: headers)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        try response.content.encode(value, using: encoder)
        return response
    }
}

extension JSONReply {
    static func versioned(_ value: T, version: Int, status: HTTPResponseStatus = .ok, location: String? = nil) -> JSONReply {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: ETag.of(version: version))
        if let location { headers.replaceOrAdd(name: .location, value: location) }
        return JSONReply(value: value, status: status, headers: headers)
    }
}

/// The `cursor` query parameter of a list, or nil for the first page; one Lantern did not give out is refused.
func listCursor(_ req: Request) throws -> PeopleQuery.Cursor? {
    guard let text = req.query[String.self, at: "cursor"], !text.isEmpty else { return nil }
    guard let cursor = PeopleQuery.Cursor(encoded: text) else {
        throw Problem(.badRequest, "Check the cursor", detail: "cursor is not one Lantern gave out. Start again from the first page.",
                      errors: [FieldError("cursor", "cursor is not one Lantern gave out.")])
    }
    return cursor
}

struct ListReply<T: Content>: Content {
    var items: [T]
    var nextCursor: String?
}

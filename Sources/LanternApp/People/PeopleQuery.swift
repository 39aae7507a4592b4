import Fluent
import Foundation
import Vapor

/// Filters and a cursor for lists of people (the caseload page and `GET /api/v1/people`).
struct PeopleQuery: Sendable {
    var search: String?
    var status: PersonStatus?
    var ageGroup: AgeGroup?
    var coordinatorID: UUID?
    var cursor: Cursor?
    var limit: Int = 25

    /// The position after the last row of the previous page: its sort name and id.
    struct Cursor: Codable, Sendable {
        var s: String
        var i: UUID
        var encoded: String {
            let data = (try? JSONEncoder().encode(self)) ?? Data()
            return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        init(s: String, i: UUID) { self.s = s; self.i = i }
        init?(encoded: String) {
            var text = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while text.count % 4 != 0 { text += "=" }
            guard let data = Data(base64Encoded: text), let value = try? JSONDecoder().decode(Cursor.self, from: data) else { return nil }
            self = value
        }
    }

    /// Reads the query string; bad values are refused with the parameter named.
    static func from(_ req: Request) throws -> PeopleQuery {
        var q = PeopleQuery()
        var errors: [FieldError] = []
        if let text = req.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if text.count > 100 { errors.append(FieldError("q", "Search with at most 100 characters.")) } else { q.search = text }
        }
        if let text = req.query[String.self, at: "status"], !text.isEmpty {
            if let s = PersonStatus(rawValue: text) { q.status = s } else { errors.append(FieldError("status", "status must be one of: \(PersonStatus.allowedList).")) }
        }
        if let text = req.query[String.self, at: "ageGroup"], !text.isEmpty {
            if let g = AgeGroup(rawValue: text) { q.ageGroup = g } else { errors.append(FieldError("ageGroup", "ageGroup must be one of: \(AgeGroup.allowedList).")) }
        }
        if let text = req.query[String.self, at: "coordinator"], !text.isEmpty {
            if let id = UUID(uuidString: text) { q.coordinatorID = id } else { errors.append(FieldError("coordinator", "coordinator must be a user id.")) }
        }
        if let text = req.query[String.self, at: "cursor"], !text.isEmpty {
            if let c = Cursor(encoded: text) { q.cursor = c } else { errors.append(FieldError("cursor", "cursor is not one Lantern gave out. Start again from the first page.")) }
        }
        if let text = req.query[String.self, at: "limit"], !text.isEmpty {
            if let n = Int(text), (1...200).contains(n) { q.limit = n } else { errors.append(FieldError("limit", "limit must be a whole number from 1 to 200.")) }
        }
        if !errors.isEmpty { throw Problem(.badRequest, "Check the search", detail: errors.map(\.message).joined(separator: " "), errors: errors) }
        return q
    }

    struct Page: Sendable {
        var people: [Person]
        var nextCursor: String?
    }

    /// One query for the page (plus one row to know whether there is a next page).
    func run(_ policy: AccessPolicy, on db: any Database, today: CalendarDate) async throws -> Page {
        var query = policy.scope(Person.query(on: db))
        if let search {
            let needle = search.lowercased()
            query = query.filter(\.$searchText ~~ Self.escapeLike(needle))
        }
        if let status { query = query.filter(\.$status == status.rawValue) }
        if let coordinatorID { query = query.filter(\.$currentCoordinatorID == coordinatorID) }
        if let ageGroup {
            let range = ageGroup.birthDateRange(on: today)
            if let after = range.after { query = query.filter(\.$birthDate > after) }
            if let notAfter = range.notAfter { query = query.filter(\.$birthDate <= notAfter) }
        }
        if let cursor {
            query = query.group(.or) { or in
                or.filter(\.$sortName > cursor.s)
                or.group(.and) { and in
                    and.filter(\.$sortName == cursor.s)
                    and.filter(\.$id > cursor.i)
                }
            }
        }
        let rows = try await query.sort(\.$sortName).sort(\.$id).limit(limit + 1).all()
        let people = Array(rows.prefix(limit))
        let next = rows.count > limit ? people.last.map { Cursor(s: $0.sortName, i: $0.id!).encoded } : nil
        return Page(people: people, nextCursor: next)
    }

    /// LIKE wildcards typed by a user are dropped, so "%" cannot match everything.
    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
    }
}

import Fluent
import Vapor

/// Filters, sorting and pages for reading the audit trail (the page, the CSV export and the API).
struct AuditQuery: Sendable {
    enum Column: String, CaseIterable, Sendable {
        case seq, at, user, person, action, category, source, outcome
        var key: FieldKey {
            switch self {
            case .seq: "seq"
            case .at: "at_ms"
            case .user: "user_label"
            case .person: "person_id"
            case .action: "action"
            case .category: "category"
            case .source: "source_address"
            case .outcome: "outcome"
            }
        }
        var title: String {
            switch self {
            case .seq: "Row"
            case .at: "Time (UTC)"
            case .user: "User"
            case .person: "Person"
            case .action: "Action"
            case .category: "Data"
            case .source: "From address"
            case .outcome: "Outcome"
            }
        }
    }

    var personID: UUID?
    var user: String?
    var action: AuditAction?
    var from: CalendarDate?
    var to: CalendarDate?
    var sort: Column = .seq
    var descending = true
    var offset = 0
    var limit = 50

    static func from(_ req: Request) throws -> AuditQuery {
        var q = AuditQuery()
        var errors: [FieldError] = []
        func text(_ name: String) -> String? {
            guard let v = req.query[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        if let v = text("person") { if let id = UUID(uuidString: v) { q.personID = id } else { errors.append(FieldError("person", "Person must be a person's id.")) } }
        if let v = text("user") { q.user = v.lowercased() }
        if let v = text("action") { if let a = AuditAction(rawValue: v) { q.action = a } else { errors.append(FieldError("action", "Action must be one of: \(AuditAction.allCases.map(\.rawValue).joined(separator: ", ")).")) } }
        if let v = text("from") { if let d = CalendarDate(v) { q.from = d } else { errors.append(FieldError("from", "From must be a date written as YYYY-MM-DD.")) } }
        if let v = text("to") { if let d = CalendarDate(v) { q.to = d } else { errors.append(FieldError("to", "To must be a date written as YYYY-MM-DD.")) } }
        if let from = q.from, let to = q.to, to < from { errors.append(FieldError("to", "To must be on or after From.")) }
        if let v = text("sort") { if let c = Column(rawValue: v) { q.sort = c } else { errors.append(FieldError("sort", "Sort must be one of: \(Column.allCases.map(\.rawValue).joined(separator: ", ")).")) } }
        if let v = text("direction") {
            if v == "asc" || v == "desc" { q.descending = v == "desc" } else { errors.append(FieldError("direction", "direction must be asc or desc.")) }
        }
        if let v = text("cursor") { if let n = Int(v), n >= 0 { q.offset = n } else { errors.append(FieldError("cursor", "cursor is not one Lantern gave out.")) } }
        if let v = text("limit") { if let n = Int(v), (1...500).contains(n) { q.limit = n } else { errors.append(FieldError("limit", "limit must be from 1 to 500.")) } }
        if !errors.isEmpty { throw Problem(.badRequest, "Check the filters", detail: errors.map(\.message).joined(separator: " "), errors: errors) }
        return q
    }

    func filtered(on db: any Database) -> QueryBuilder<AuditEntry> {
        var query = AuditEntry.query(on: db)
        if let personID { query = query.filter(\.$personID == personID.text) }
        if let user { query = query.group(.or) { $0.filter(\.$userLabel == user).filter(\.$userID == user) } }
        if let action { query = query.filter(\.$action == action.rawValue) }
        if let from { query = query.filter(\.$atMillis >= Self.millis(from)) }
        if let to { query = query.filter(\.$atMillis < Self.millis(to) + 86_400_000) }
        return query
    }

    func page(on db: any Database) async throws -> (rows: [AuditEntry], next: Int?) {
        var query = filtered(on: db).sort(sort.key, descending ? .descending : .ascending)
        if sort != .seq { query = query.sort("seq", .descending) }
        let rows = try await query.range(offset..<(offset + limit + 1)).all()
        return (Array(rows.prefix(limit)), rows.count > limit ? offset + limit : nil)
    }

    static func millis(_ date: CalendarDate) -> Int64 {
        var parts = DateComponents(); parts.year = date.year; parts.month = date.month; parts.day = date.day
        return AuditChain.millis(CalendarDate.utc.date(from: parts)!)
    }

    /// The query string for these filters, with a different sort or page.
    func link(sort: Column? = nil, descending: Bool? = nil, offset: Int? = nil) -> String {
        var items: [String] = []
        func add(_ k: String, _ v: String?) { if let v { items.append(k + "=" + (v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) } }
        add("person", personID?.text); add("user", user); add("action", action?.rawValue)
        add("from", from?.description); add("to", to?.description)
        add("sort", (sort ?? self.sort).rawValue); add("direction", (descending ?? self.descending) ? "desc" : "asc")
        if let offset, offset > 0 { add("cursor", String(offset)) }
        return "?" + items.joined(separator: "&")
    }
}

struct AuditEntryDTO: Content {
    var seq: Int
    var at: Date
    var atMs: Int64
    var userId: String?
    var user: String?
    var personId: String?
    var action: String
    var category: String
    var sourceAddress: String?
    var outcome: String
    var detail: String
    var prevHash: String
    var hash: String
    init(_ e: AuditEntry) {
        seq = e.id!; at = e.at; atMs = e.atMillis; prevHash = e.prevHash; userId = e.userID; user = e.userLabel; personId = e.personID; action = e.action
        category = e.category; sourceAddress = e.sourceAddress; outcome = e.outcome; detail = e.detail; hash = e.hash
    }
}

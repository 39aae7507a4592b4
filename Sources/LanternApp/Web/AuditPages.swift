import Fluent
import Vapor

/// The audit trail for administrators: filter by person, user, action and period, sort by any
/// column, and export as CSV. Reading the trail is itself audited.
enum AuditPages {
    static func register(_ web: any RoutesBuilder) {
        web.get("audit", use: page)
        web.get("audit.csv", use: csv)
    }

    static func requireAuditor(_ req: Request) throws -> Actor {
        let actor = try req.requireActor()
        guard AccessPolicy(actor: actor).mayReadAudit else { throw Problem.notFound("page") }
        return actor
    }

    /// Reads rows of the trail (one page, or all for an export) and audits that they were read.
    static func readAudited(_ req: Request, actor: Actor, action: AuditAction, query: AuditQuery, all: Bool) async throws -> (rows: [AuditEntry], next: Int?) {
        let source = req.sourceAddress
        return try await req.auditedTransaction { db, log in
            let page: (rows: [AuditEntry], next: Int?)
            if all {
                page = (try await query.filtered(on: db).sort(query.sort.key, query.descending ? .descending : .ascending).sort("seq", .descending).all(), nil)
            } else {
                page = try await query.page(on: db)
            }
            log.add(AuditEvent(userID: actor.userID.text, userLabel: actor.email, personID: query.personID?.text, action: action, category: .audit,
                               sourceAddress: source, detail: "\(page.rows.count) audit rows"))
            return page
        }
    }

    static func page(req: Request) async throws -> HTML {
        let actor = try requireAuditor(req)
        var errors: [FieldError] = []
        var query = AuditQuery()
        do { query = try AuditQuery.from(req) } catch let p as Problem { errors = p.errors }
        let (rows, next) = try await readAudited(req, actor: actor, action: .view, query: query, all: false)
        let headers = AuditQuery.Column.allCases.map { column -> HTML in
            let active = column == query.sort
            let nextDescending = active ? !query.descending : true
            let sortState: HTML = active ? " aria-sort=\"\(query.descending ? "descending" : "ascending")\"" : .empty
            return "<th scope=\"col\"\(sortState)><a href=\"/audit\(query.link(sort: column, descending: nextDescending))\">\(column.title)<span class=\"visually-hidden\">, sort \(nextDescending ? "newest or largest first" : "oldest or smallest first")</span></a></th>"
        }
        let body = rows.map { e -> HTML in
            """
            <tr><td>\(e.id ?? 0)</td><td>\(Views.dateText(e.at))</td><td>\(e.userLabel ?? "")</td>
            <td>\(e.personID.map { HTML("<a href=\"/people/\($0)\"><span class=\"visually-hidden\">Person record </span>\(String($0.prefix(8)))…</a>") } ?? .empty)</td>
            <td>\(e.action)</td><td>\(e.category)</td><td>\(e.sourceAddress ?? "")</td><td>\(e.outcome)</td><td>\(e.detail)</td></tr>
            """
        }
        let actionOptions = [HTML("<option value=\"\">Any</option>")] + AuditAction.allCases.map { a -> HTML in
            "<option value=\"\(a.rawValue)\"\(a == query.action ? HTML(unsafeRaw: " selected") : .empty)>\(a.rawValue)</option>"
        }
        let main: HTML = """
        <h1>Audit trail</h1>
        <p>Every look at and change to a person's record, every sign-in and every change of access. Rows cannot be changed; <code>lantern audit verify</code> checks that none was.</p>
        \(Form.errorSummary(errors, linkable: ["person", "user", "action", "from", "to"]))
        <form method="get" action="/audit" class="filters" aria-label="Filter the audit trail">
        \(Form.text("person", "Person id", value: query.personID?.text, errors: errors))
        \(Form.text("user", "User email or id", value: query.user, errors: errors))
        <div class="field"><label for="field-action">Action</label><select id="field-action" name="action">\(actionOptions)</select></div>
        \(Form.text("from", "From", value: query.from?.description, errors: errors, type: "date"))
        \(Form.text("to", "To", value: query.to?.description, errors: errors, type: "date"))
        <button type="submit">Filter</button>
        <a class="button secondary" href="/audit.csv\(query.link())">Export as CSV</a>
        </form>
        <div class="table-wrap"><table>
        <caption>Audit rows, sorted by \(query.sort.title), \(query.descending ? "descending" : "ascending")</caption>
        <thead><tr>\(headers)<th scope="col">Detail</th></tr></thead>
        <tbody>\(body)</tbody>
        </table></div>
        <nav class="pagination" aria-label="Pages">
        \(query.offset > 0 ? HTML("<a href=\"/audit\(query.link(offset: max(0, query.offset - query.limit)))\">Previous page</a>") : .empty)
        \(next.map { HTML("<a href=\"/audit\(query.link(offset: $0))\">Next page</a>") } ?? .empty)
        </nav>
        """
        return Layout.page(req, title: "Audit trail", main: main)
    }

    static func csv(req: Request) async throws -> Response {
        let actor = try requireAuditor(req)
        let query = try AuditQuery.from(req)
        let rows = try await readAudited(req, actor: actor, action: .export, query: query, all: true).rows
        var text = "seq,time_utc,user_id,user,person_id,action,category,source_address,outcome,detail,prev_hash,hash\r\n"
        for e in rows {
            let fields = [String(e.id ?? 0), e.at.formatted(.iso8601), e.userID ?? "", e.userLabel ?? "", e.personID ?? "",
                          e.action, e.category, e.sourceAddress ?? "", e.outcome, e.detail, e.prevHash, e.hash]
            text += fields.map(csvField).joined(separator: ",") + "\r\n"
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"lantern-audit.csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    /// Quotes a CSV field, and defuses values a spreadsheet would run as a formula.
    static func csvField(_ value: String) -> String {
        var v = value
        if let first = v.first, "=+-@\t\r".contains(first) { v = "'" + v }
        if v.contains(where: { ",\"\r\n".contains($0) }) { return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return v
    }
}

import Fluent
import Vapor

/// `/api/v1/audit`: the trail for administrators, and a check of the whole chain.
enum AuditAPI {
    static func register(_ api: any RoutesBuilder) {
        api.get("audit", use: list)
        api.get("audit", "verify", use: verify)
    }

    static func list(req: Request) async throws -> JSONReply<ListReply<AuditEntryDTO>> {
        let actor = try AuditPages.requireAuditor(req)
        let query = try AuditQuery.from(req)
        let page = try await AuditPages.readAudited(req, actor: actor, action: .view, query: query, all: false)
        return JSONReply(value: ListReply(items: page.rows.map(AuditEntryDTO.init), nextCursor: page.next.map(String.init)))
    }

    struct VerifyDTO: Content {
        var intact: Bool
        var rowsChecked: Int
        var findings: [String]
    }

    static func verify(req: Request) async throws -> JSONReply<VerifyDTO> {
        _ = try AuditPages.requireAuditor(req)
        let result = try await AuditChain.verify(on: req.db)
        return JSONReply(value: VerifyDTO(intact: result.isIntact, rowsChecked: result.rowsChecked, findings: result.findings.map(\.description)))
    }
}

import Fluent
import Foundation
import SQLKit

/// Writes many rows of one model with multi-row INSERT statements through SQLKit, for the statewide
/// generator. The columns and values come from the model itself (Fluent's own `input(to:)`, the same
/// path its `create` takes), so no column list is written twice; but no model middleware runs and no
/// timestamp is touched: the caller sets `created_at` itself, so the same seed gives the same rows.
enum BulkInsert {
    /// Stays under both engines' limit on bound values in one statement (SQLite 32,766, PostgreSQL 65,535).
    static let maxBindsPerStatement = 30_000

    /// Collects a model's fields in the order it declares them, every field (set or not).
    private final class Row: DatabaseInput {
        var keys: [String] = []
        var values: [any SQLExpression] = []
        var wantsUnmodifiedKeys: Bool { true }
        func set(_ value: DatabaseQuery.Value, at key: FieldKey) {
            keys.append(key.description)
            values.append(BulkInsert.expression(value))
        }
    }

    static func expression(_ value: DatabaseQuery.Value) -> any SQLExpression {
        switch value {
        case .bind(let encodable):
            if let optional = encodable as? any AnyOptionalType, optional.wrappedValue == nil { return SQLLiteral.null }
            return SQLBind(encodable)
        case .enumCase(let string): return SQLLiteral.string(string)
        // An unset field (and `DEFAULT`, which SQLite does not take in a multi-row VALUES list) is NULL.
        case .null, .default, .array, .dictionary, .custom: return SQLLiteral.null
        }
    }

    /// Inserts `models` (all of one type), as many rows to a statement as the bound values allow.
    static func insert<M: Model>(_ models: [M], on db: any Database) async throws {
        guard !models.isEmpty else { return }
        var rows: [[any SQLExpression]] = []
        rows.reserveCapacity(models.count)
        var columns: [String] = []
        for model in models {
            let row = Row()
            model.input(to: row)
            if columns.isEmpty { columns = row.keys }
            rows.append(row.values)
        }
        let perStatement = max(1, maxBindsPerStatement / max(1, columns.count))
        let sql = db as! any SQLDatabase
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            var insert = sql.insert(into: M.schema).columns(columns)
            for row in rows[start..<min(rows.count, start + perStatement)] { insert = insert.values(row) }
            try await insert.run()
        }
    }
}

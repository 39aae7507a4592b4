import Fluent
import Foundation

/// Keyset paging, the one way Lantern's long lists go a page at a time: rows in the order of a text
/// column and then their id, and a cursor naming the last row of the page before (`PeopleQuery.Cursor`).
/// Each page is one query whatever the list's length, and a row added meanwhile is neither shown twice nor skipped.
extension QueryBuilder where Model.IDValue == UUID {
    /// The rows after `cursor` in the order of `key`, then id.
    func after(_ cursor: PeopleQuery.Cursor?, by key: KeyPath<Model, FieldProperty<Model, String>>) -> QueryBuilder<Model> {
        guard let cursor else { return self }
        return group(.or) { or in
            or.filter(key > cursor.s)
            or.group(.and) { and in and.filter(key == cursor.s); and.filter(\Model._$id > cursor.i) }
        }
    }

    /// One page of `limit` rows in the order of `key`, then id, and the cursor of the next page when there is one.
    func page(by key: KeyPath<Model, FieldProperty<Model, String>>, limit: Int) async throws -> (rows: [Model], next: String?) {
        let rows = try await sort(key).sort(\Model._$id).limit(limit + 1).all()
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.flatMap { row in row.id.map { PeopleQuery.Cursor(s: row[keyPath: key].wrappedValue, i: $0).encoded } } : nil
        return (page, next)
    }
}

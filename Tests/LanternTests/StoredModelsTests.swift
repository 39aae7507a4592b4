import Fluent
import SQLKit
import XCTest
@testable import LanternApp

/// The models list their own properties for speed (see `StoredModels`); these checks keep the lists true.
final class StoredModelsTests: XCTestCase {
    /// Each model's written-out list is what Fluent's reflection would find: the same wrappers, in order.
    func testEachModelListsEveryPropertyInOrder() {
        for type in StoredModels.all {
            let model = type.init()
            let reflected = Mirror(reflecting: model).children.compactMap { child -> (String, ObjectIdentifier)? in
                guard let property = child.value as? any AnyProperty else { return nil }
                return (child.label ?? "?", ObjectIdentifier(property))
            }
            let names = Dictionary(uniqueKeysWithValues: reflected.map { ($0.1, $0.0) })
            let listed = model.properties.map { names[ObjectIdentifier($0)] ?? "(not a property of this object)" }
            let missing = reflected.map(\.0).filter { !listed.contains($0) }
            XCTAssertEqual(missing, [], "\(type).properties leaves out \(missing.joined(separator: ", ")); add them to its list")
            XCTAssertEqual(listed, reflected.map(\.0), "\(type).properties must name every property wrapper once, in declaration order")
        }
    }

    /// Every table the migrations make has its model in the catalogue, so none is left to reflection unchecked.
    func testEveryTableHasItsModelInTheCatalogue() async throws {
        try await onEveryEngine { w in
            let sql = w.app.db as! any SQLDatabase
            let query: SQLQueryString = sql.dialect.name == "sqlite"
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
            let tables = Set(try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
            let modelled = Set(StoredModels.all.map { $0.schema })
            XCTAssertEqual(tables.subtracting(modelled).subtracting(["_fluent_migrations"]).sorted(), [], "tables without a model in StoredModels.all")
            XCTAssertEqual(modelled.subtracting(tables).sorted(), [], "models in StoredModels.all without a table")
        }
    }
}

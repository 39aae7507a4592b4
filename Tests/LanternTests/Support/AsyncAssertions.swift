import XCTest

// XCTest's assertions cannot await inside their arguments; these can.

func expectEqual<T: Equatable>(_ a: @autoclosure () async throws -> T, _ b: @autoclosure () async throws -> T, _ message: @autoclosure () -> String = "",
                               file: StaticString = #filePath, line: UInt = #line) async throws {
    let x = try await a(), y = try await b()
    XCTAssertEqual(x, y, message(), file: file, line: line)
}

func expectTrue(_ a: @autoclosure () async throws -> Bool, _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) async throws {
    let x = try await a()
    XCTAssertTrue(x, message(), file: file, line: line)
}

func expectFalse(_ a: @autoclosure () async throws -> Bool, _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) async throws {
    let x = try await a()
    XCTAssertFalse(x, message(), file: file, line: line)
}

func expectNotNil<T>(_ a: @autoclosure () async throws -> T?, _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) async throws {
    let x = try await a()
    XCTAssertNotNil(x, message(), file: file, line: line)
}

func expectGreaterThan<T: Comparable>(_ a: @autoclosure () async throws -> T, _ b: T, _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) async throws {
    let x = try await a()
    XCTAssertGreaterThan(x, b, message(), file: file, line: line)
}

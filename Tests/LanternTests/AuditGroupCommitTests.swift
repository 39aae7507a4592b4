import Fluent
import SQLKit
import Vapor
import XCTest
import XCTVapor
@testable import LanternApp

/// Reads are loaded side by side and their audit events appended together (group commit); every
/// answered read still has its row, in one unbroken chain, however many requests and instances.
final class AuditGroupCommitTests: XCTestCase {
    /// Many concurrent reads: each answered one has its own audit row, the chain verifies, and the rows
    /// went in fewer transactions than there were reads.
    func testConcurrentReadsAreEachAuditedInOneChain() async throws {
        try await onEveryEngine { w in
            let before = try await w.auditCount()
            let (batchesBefore, _) = await w.app.lantern.auditWriter.counts()
            let reads = 120
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for i in 0..<reads {
                    group.addTask {
                        let path = i % 3 == 0 ? "/api/v1/people/\(w.own.text)/circle" : "/api/v1/people/\(w.own.text)"
                        return try await w.api(.GET, path, as: "coordinator").status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            XCTAssertEqual(statuses.filter { $0 == .ok }.count, reads, "[\(w.engine)] every read is answered")
            try await expectEqual(try await w.auditCount(), before + reads, "one audit row for each answered read")
            let rows = try await AuditEntry.query(on: w.app.db).filter(\.$id > before).filter(\.$personID == w.own.text).count()
            XCTAssertEqual(rows, reads)
            let (batchesAfter, _) = await w.app.lantern.auditWriter.counts()
            XCTAssertLessThan(batchesAfter - batchesBefore, reads, "[\(w.engine)] reads waiting together share a commit")
            let check = try await AuditChain.verify(on: w.app.db)
            XCTAssertTrue(check.isIntact, "\(check.findings)")
        }
    }

    /// Two instances on one PostgreSQL (two processes behind a load balancer), reading and writing at
    /// the same time: one chain, no gap, no fork, one row for every answered request. (SQLite is the
    /// store of one instance; two applications in one test process would share one thread pool.)
    func testTwoInstancesExtendOneChain() async throws {
        guard TestEngine.enabled.contains(.postgres) else { throw XCTSkip("needs LANTERN_TEST_POSTGRES_URL") }
        try await onEveryEngine { w in
            guard w.engine == .postgres else { return }
            let second = try await Application.make(.testing)
            let store: LanternSettings.Store
            switch w.app.lantern.settings.store {
            case let .sqlite(path): store = .sqlite(path: path)
            case let .postgres(url): store = .postgres(url: url)
            }
            try await configure(second, settings: LanternSettings(store: store), clock: w.clock)
            do {
                let before = try await w.auditCount()
                let token = w["coordinator"].token
                let rounds = 40
                let answered = try await withThrowingTaskGroup(of: Int.self) { group in
                    for i in 0..<rounds {
                        for app in [w.app, second] {
                            group.addTask {
                                var headers = HTTPHeaders()
                                headers.bearerAuthorization = BearerAuthorization(token: token)
                                let read = try await app.testable().sendRequest(.GET, "/api/v1/people/\(w.own.text)", headers: headers)
                                var write = headers
                                write.contentType = .json
                                write.replaceOrAdd(name: "If-Match", value: "*")
                                let changed = try await app.testable().sendRequest(.PATCH, "/api/v1/people/\(w.own.text)", headers: write,
                                                                                   body: ByteBuffer(string: #"{"county": "County \#(i)"}"#))
                                return (read.status == .ok ? 1 : 0) + (changed.status == .ok ? 1 : 0)
                            }
                        }
                    }
                    return try await group.reduce(0, +)
                }
                XCTAssertEqual(answered, rounds * 4, "[\(w.engine)] every request is answered")
                try await expectEqual(try await w.auditCount(), before + rounds * 4)
                let check = try await AuditChain.verify(on: w.app.db)
                XCTAssertTrue(check.isIntact, "[\(w.engine)] \(check.findings)")
                let seqs = try await AuditEntry.query(on: w.app.db).sort(\.$id).all().compactMap(\.id)
                XCTAssertEqual(seqs, Array(1...seqs.count), "no gap in the sequence")
            } catch {
                XCTFail("[\(w.engine)] \(error)")
            }
            try await second.asyncShutdown()
        }
    }

    /// A read that PostgreSQL would refuse to write in, or a refusal, is still audited: a person the
    /// coordinator may not see answers 404 and leaves a denied row.
    func testRefusedReadIsAudited() async throws {
        try await onEveryEngine { w in
            let reply = try await w.api(.GET, "/api/v1/people/\(w.other.text)", as: "coordinator")
            XCTAssertEqual(reply.status, .notFound)
            let row = try await w.lastAudit()
            XCTAssertEqual(row?.outcome, AuditOutcome.denied.rawValue)
            XCTAssertEqual(row?.personID, w.other.text)
        }
    }
}

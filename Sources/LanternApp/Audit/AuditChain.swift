import Crypto
import Fluent
import Foundation
import SQLKit

/// Appends to and checks the hash-chained audit trail.
///
/// Every audited transaction starts with `lock(_:)`, an UPDATE of the single head row. That first write
/// takes SQLite's write lock at once (so the transaction never has to upgrade a read lock and fail), and
/// on PostgreSQL it takes the row lock, so instances behind a load balancer extend one chain in turn.
public enum AuditChain {
    public static let genesisHash = String(repeating: "0", count: 64)

    public struct Head: Sendable {
        var lastSeq: Int
        var lastHash: String
    }

    /// Locks the head of the chain for the rest of the transaction and returns it, in one statement.
    /// The chain's statements are written as SQL because every audited request runs them.
    static func lock(_ db: any Database, at now: Date) async throws -> Head {
        let row = try await db.sql.raw("""
            UPDATE audit_chain_head SET touched_at = \(bind: millis(now)) WHERE id = 1 RETURNING last_seq, last_hash
            """).first()
        guard let row else {
            throw Problem(.serviceUnavailable, "Audit trail missing", detail: "The audit trail is not set up. Run 'lantern migrate'.")
        }
        return Head(lastSeq: try row.decode(column: "last_seq", as: Int.self), lastHash: try row.decode(column: "last_hash", as: String.self))
    }

    /// Writes the events after `head` and moves the head. Call inside the transaction that `lock` began.
    static func append(_ events: [AuditEvent], after head: Head, at now: Date, on db: any Database) async throws {
        try await append(events.map { ($0, now) }, after: head, on: db)
    }

    /// Writes events that each keep their own time (a group commit gathers the reads of many requests).
    static func append(_ events: [(AuditEvent, Date)], after head: Head, on db: any Database) async throws {
        guard !events.isEmpty else { return }
        var seq = head.lastSeq
        var prev = head.lastHash
        var rows: [SQLQueryString] = []
        for (event, time) in events {
            let at = millis(time)
            seq += 1
            let entry = AuditEntry()
            entry.id = seq
            entry.atMillis = at
            entry.userID = event.userID
            entry.userLabel = event.userLabel
            entry.personID = event.personID
            entry.action = event.action.rawValue
            entry.category = event.category.rawValue
            entry.sourceAddress = event.sourceAddress
            entry.outcome = event.outcome.rawValue
            entry.detail = event.detail
            entry.prevHash = prev
            entry.hash = hash(of: entry)
            rows.append("""
                (\(bind: seq), \(bind: at), \(bind: entry.userID), \(bind: entry.userLabel), \(bind: entry.personID), \(bind: entry.action), \
                \(bind: entry.category), \(bind: entry.sourceAddress), \(bind: entry.outcome), \(bind: entry.detail), \(bind: entry.prevHash), \(bind: entry.hash))
                """)
            prev = entry.hash
        }
        // 500 rows of 12 values a statement stays far below both engines' limit on bound values.
        for start in stride(from: 0, to: rows.count, by: 500) {
            try await db.sql.raw("""
                INSERT INTO audit_entries (seq, at_ms, user_id, user_label, person_id, action, category, source_address, outcome, detail, prev_hash, hash) \
                VALUES \(rows[start..<min(rows.count, start + 500)].joined(separator: ", "))
                """).run()
        }
        try await db.sql.raw("UPDATE audit_chain_head SET last_seq = \(bind: seq), last_hash = \(bind: prev) WHERE id = 1").run()
    }

    /// Runs `body` in one transaction and appends the events it returns in that same transaction, so
    /// a change and its audit rows commit together or not at all.
    ///
    /// SQLite has one writer at a time: the head is taken first, which takes the write lock at once
    /// (a transaction that read first could not upgrade if another wrote meanwhile). PostgreSQL locks
    /// rows: the head is taken last, so changes to different people run side by side and hold the
    /// chain only while they append. Work that must run one at a time across instances names a `turn`
    /// (a PostgreSQL advisory lock for the transaction), not the chain head, so it cannot deadlock
    /// with a change that holds its rows and waits for the head.
    static func transaction<T: Sendable>(on db: any Database, at now: Date, turn: String? = nil,
                                         _ body: @escaping @Sendable (any Database) async throws -> (T, [AuditEvent])) async throws -> T {
        try await SQLiteWriteGate.write(on: db) { try await db.transaction { tx in
            let early = tx.isSQLite ? try await lock(tx, at: now) : nil
            if let turn, !tx.isSQLite {
                try await tx.sql.raw("SELECT pg_advisory_xact_lock(\(bind: Int64(truncatingIfNeeded: turn.utf8.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 })))").run()
            }
            // The body runs in the driver's task: say again that the gate is held, for any write nested in it.
            let (result, events) = try await SQLiteWriteGate.$held.withValue(true) { try await body(tx) }
            if let early {
                try await append(events, after: early, at: now, on: tx)
            } else if !events.isEmpty {
                try await append(events, after: try await lock(tx, at: now), at: now, on: tx)
            }
            return result
        } }
    }

    /// Writes events in a transaction of their own (sign-in, sign-out, refused access).
    static func record(_ events: [AuditEvent], on db: any Database, at now: Date) async throws {
        try await SQLiteWriteGate.write(on: db) {
            try await db.transaction { tx in
                let head = try await lock(tx, at: now)
                try await append(events, after: head, at: now, on: tx)
            }
        }
    }

    /// The hash of a row: SHA-256 over its fields, each prefixed with its length so no two rows
    /// can be made to read alike, chained to the previous row's hash.
    public static func hash(of e: AuditEntry) -> String {
        let fields: [String] = [
            e.prevHash, String(e.id ?? 0), String(e.atMillis), e.userID ?? "", e.userLabel ?? "", e.personID ?? "",
            e.action, e.category, e.sourceAddress ?? "", e.outcome, e.detail,
        ]
        var text = ""
        for field in fields { text += "\(field.utf8.count):\(field);" }
        return SHA256.hash(data: Data(text.utf8)).hex
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    public struct Finding: Sendable, CustomStringConvertible {
        public var seq: Int
        public var problem: String
        public var description: String { "row \(seq): \(problem)" }
    }

    public struct Verification: Sendable {
        public var rowsChecked: Int
        public var findings: [Finding]
        public var isIntact: Bool { findings.isEmpty }
    }

    /// Walks the whole chain in pages and reports every row that was changed, removed or inserted.
    public static func verify(on db: any Database, pageSize: Int = 1000) async throws -> Verification {
        // Read the head first: rows written while we check belong to a later check.
        guard let head = try await AuditChainHead.find(1, on: db) else {
            return Verification(rowsChecked: 0, findings: [Finding(seq: 0, problem: "the chain head is missing")])
        }
        var findings: [Finding] = []
        var expectedSeq = 1
        var prevHash = genesisHash
        var checked = 0
        var after = 0
        while true {
            let page = try await AuditEntry.query(on: db)
                .filter(\.$id > after)
                .filter(\.$id <= head.lastSeq)
                .sort(\.$id)
                .limit(pageSize)
                .all()
            if page.isEmpty { break }
            for entry in page {
                let seq = entry.id ?? 0
                checked += 1
                if seq != expectedSeq {
                    if seq > expectedSeq {
                        findings.append(Finding(seq: expectedSeq, problem: seq - expectedSeq == 1
                            ? "missing: the row was removed"
                            : "missing: rows \(expectedSeq) to \(seq - 1) were removed"))
                    } else {
                        findings.append(Finding(seq: seq, problem: "out of order"))
                    }
                }
                if entry.prevHash != prevHash {
                    findings.append(Finding(seq: seq, problem: "does not follow the row before it (a row was inserted or removed here)"))
                }
                if hash(of: entry) != entry.hash {
                    findings.append(Finding(seq: seq, problem: "changed after it was written (its hash does not match its content)"))
                }
                prevHash = entry.hash
                expectedSeq = seq + 1
                after = seq
            }
        }
        if head.lastSeq != expectedSeq - 1 {
            findings.append(Finding(seq: head.lastSeq, problem: "the chain should end at row \(head.lastSeq) but ends at row \(expectedSeq - 1) (rows at the end were removed)"))
        } else if head.lastHash != prevHash {
            findings.append(Finding(seq: head.lastSeq, problem: "the last row is not the one the chain recorded"))
        }
        // Rows past the head were added behind the application's back (it moves the head with every row).
        let beyond = try await AuditEntry.query(on: db).filter(\.$id > head.lastSeq).count()
        if beyond > 0 {
            let stamp = try await AuditChainHead.find(1, on: db)
            if stamp?.lastSeq == head.lastSeq {
                findings.append(Finding(seq: head.lastSeq + 1, problem: "\(beyond) row(s) after the end of the chain were inserted"))
            }
        }
        return Verification(rowsChecked: checked, findings: findings)
    }
}

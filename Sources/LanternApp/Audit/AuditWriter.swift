import Fluent
import Foundation

/// Appends the audit events of reads to the chain, many requests at a time (group commit).
///
/// A read is checked and loaded without touching the chain; its events then wait here. While one
/// batch is being written, the events of every request that arrives join the next batch, which is
/// written in one transaction (one lock of the chain head, one multi-row insert, one fsync). Each
/// request is answered only after the transaction holding its events has committed, so no answered
/// read is missing from the trail, and the chain head is held only for the append itself.
///
/// This is a queue in one process, not shared state: the chain and its head live in the database,
/// and instances behind a load balancer take the head row in turn, as every write does.
actor AuditWriter {
    private struct Waiting {
        let events: [AuditEvent]
        let at: Date
        let done: CheckedContinuation<Void, any Error>
    }

    private var waiting: [Waiting] = []
    private var writing = false
    /// How many batches and events were written: the group-commit ratio, for the metrics and the bench.
    private(set) var batches = 0
    private(set) var eventsWritten = 0

    /// Appends `events` (stamped `at`) and returns once they are durable; throws when the batch
    /// holding them could not be written (the caller must then not answer with the data).
    func append(_ events: [AuditEvent], at: Date, on db: any Database) async throws {
        guard !events.isEmpty else { return }
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            waiting.append(Waiting(events: events, at: at, done: done))
            if !writing {
                writing = true
                Task { await self.drain(on: db) }
            }
        }
    }

    private func drain(on db: any Database) async {
        while !waiting.isEmpty {
            let batch = waiting
            waiting = []
            do {
                try await SQLiteWriteGate.write(on: db) {
                    try await db.transaction { tx in
                        let head = try await AuditChain.lock(tx, at: batch[0].at)
                        try await AuditChain.append(batch.flatMap { item in item.events.map { ($0, item.at) } }, after: head, on: tx)
                    }
                }
                batches += 1
                eventsWritten += batch.reduce(0) { $0 + $1.events.count }
                for item in batch { item.done.resume() }
            } catch {
                for item in batch { item.done.resume(throwing: error) }
            }
        }
        writing = false
    }

    func counts() -> (batches: Int, events: Int) { (batches, eventsWritten) }
}

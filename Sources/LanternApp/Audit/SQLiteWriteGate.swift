import Fluent
import Foundation

/// SQLite has one writer at a time. Its driver's busy handler retries at once, on a thread of the
/// pool that runs every query, so two write transactions of one process that meet would spin a core
/// while the first one finishes. Write transactions on SQLite therefore queue here first, in order,
/// and meet SQLite's lock only when another process holds it. (PostgreSQL locks rows: no gate.)
actor SQLiteWriteGate {
    static let shared = SQLiteWriteGate()

    /// Set while a task holds the gate, so a write transaction inside another passes straight through.
    @TaskLocal static var held = false

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    private func enter() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }

    /// Runs `work` holding the gate when `db` is SQLite; otherwise runs it as it is.
    static func write<T: Sendable>(on db: any Database, _ work: @Sendable () async throws -> T) async throws -> T {
        guard db.isSQLite, !held else { return try await work() }
        await shared.enter()
        do {
            let result = try await $held.withValue(true) { try await work() }
            await shared.leave()
            return result
        } catch {
            await shared.leave()
            throw error
        }
    }
}

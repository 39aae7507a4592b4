import Fluent
import Foundation
import LanternDomain
import SQLKit
import Vapor

/// A synthetic statewide organisation, for tests that compare organisation-wide figures with direct
/// counts and for benchmarks: regions with their coordination agency, supervisors, coordinators at
/// caseloads of about 25 (some over their limit, a few employed by a provider), provider agencies
/// with staff and approvals, the catalogue, and for every person what the demo has.
///
/// Everything is made up and follows from the seed and `today`. Rows are built in memory a batch of
/// people at a time through the same domain code the rest of Lantern uses (the example plan content,
/// the demo's services, the rule engine's signers, the plan digest, the authorizations a plan's
/// services become, the waiting list, the deadlines) and written with multi-row INSERTs, one
/// transaction per batch. The coordinators' tasks are then made by the task scheduler itself.
public enum StatewideGenerator {
    public struct Report: Sendable {
        public var people: Int
        public var seed: UInt64
        public var today: CalendarDate
        public var seconds: Double
        public var rows: [Row]
        public var accounts: [Account]
        public var tasks: String
        public struct Row: Sendable { public var table: String; public var count: Int }
        public struct Account: Sendable { public var email: String; public var role: Role; public var note: String }
    }

    public struct Progress: Sendable {
        public var done: Int
        public var total: Int
        public var seconds: Double
    }

    public struct StoreNotEmpty: Error, CustomStringConvertible {
        public var description: String {
            "The store already has accounts. `lantern generate` writes only into an empty store: point DATABASE_URL or LANTERN_SQLITE_PATH at a new one."
        }
    }

    public static let domain = "state.example"

    /// Makes the organisation in `app`'s store, which must have no accounts. Migrates first.
    public static func generate(people total: Int, seed: UInt64, today: CalendarDate, on app: Application, batchSize: Int = 500,
                                progress: @Sendable (Progress) -> Void = { _ in }) async throws -> Report {
        let started = Date()
        try await app.autoMigrate()
        if try await User.query(on: app.db).count() > 0 { throw StoreNotEmpty() }
        let hash = try await app.threadPool.runIfActive { try PasswordPolicy.hash(DemoData.password) }
        let state = try await Organisation.make(people: total, seed: seed, today: today, passwordHash: hash, on: app.db)

        if StoreSettings.isSQLite(app) {
            // A page cache large enough for a batch's index pages, so a transaction does not spill to the log half-way.
            for loop in app.eventLoopGroup.makeIterator() {
                try await (app.databases.database(logger: app.logger, on: loop) as! any SQLDatabase).raw("PRAGMA cache_size=-262144").run()
            }
        }
        // One batch is built while the one before it is written: the building is this task's CPU, the
        // writing the database's thread.
        var done = 0
        var writing: Task<Void, any Error>?
        while done < total {
            let end = min(total, done + max(1, batchSize))
            let batch = try Batch(state: state)
            for index in done..<end { try batch.person(index) }
            try await writing?.value
            if done > 0 { progress(Progress(done: done, total: total, seconds: Date().timeIntervalSince(started))) }
            writing = Task { try await app.db.transaction { tx in try await batch.write(on: tx) } }
            done = end
        }
        try await writing?.value
        progress(Progress(done: done, total: total, seconds: Date().timeIntervalSince(started)))

        // Statistics for the planner, now that the tables are full.
        try await StoreSettings.analyze(app)

        // Tasks as the scheduler makes them (with their reminders), then some done by their coordinator,
        // and one audit event for the whole: all in one audited transaction.
        let now = app.clock.now()
        let tasks = try await app.db.transaction { tx -> String in
            let head = try await AuditChain.lock(tx, at: now)
            let run = try await TaskScheduler.run(on: tx, today: today, now: now)
            let closed = try await completeSomeTasks(today: today, on: tx)
            let event = AuditEvent(userID: nil, userLabel: "lantern generate", personID: nil, action: .create, category: .account, sourceAddress: nil,
                                   detail: "synthetic statewide organisation generated: \(total) people, seed \(seed), today \(today)")
            try await AuditChain.append(run.events + [event], after: head, at: now, on: tx)
            return "\(run.created) tasks made, \(closed) of them marked done"
        }

        var rows: [Report.Row] = []
        for model in StoredModels.all {
            let count = try await (app.db as! any SQLDatabase).select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(model.schema).first()?.decode(column: "n", as: Int.self) ?? 0
            rows.append(Report.Row(table: model.schema, count: count))
        }
        return Report(people: total, seed: seed, today: today, seconds: Date().timeIntervalSince(started), rows: rows.sorted { $0.table < $1.table },
                      accounts: state.accounts, tasks: tasks)
    }

    /// A coordinator marks a third of the tasks already past their due date as done (on the day they
    /// were due), as `completeTask` does: in order of their key, so the same seed closes the same ones.
    static func completeSomeTasks(today: CalendarDate, on db: any Database) async throws -> Int {
        let sql = db as! any SQLDatabase
        let open = try await sql.select().column("id").column("source_key").from(CoordinationTask.schema)
            .where("status", .equal, TaskStatus.open.rawValue).where("due_on", .lessThan, today.description)
            .orderBy("source_key").all()
        let ids = try open.enumerated().filter { $0.offset % 3 == 0 }.map { try $0.element.decode(column: "id", as: UUID.self) }
        for start in stride(from: 0, to: ids.count, by: 5_000) {
            try await sql.update(CoordinationTask.schema)
                .set("status", to: TaskStatus.done.rawValue).set(SQLColumn("closed_on"), to: SQLColumn("due_on"))
                .set(SQLColumn("closed_by_id"), to: SQLColumn("assignee_id")).set("note", to: "Done.")
                .where("id", .in, SQLBind.group(Array(ids[start..<min(ids.count, start + 5_000)])))
                .run()
        }
        return ids.count
    }
}

/// A seeded random source (SplitMix64): one stream for the organisation and one per person, so a
/// person's rows do not depend on the batch size.
struct GeneratorRandom {
    var state: UInt64
    init(seed: UInt64, stream: UInt64) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 ^ (stream &+ 1) &* 0xBF58_476D_1CE4_E5B9
        _ = next()
    }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
    /// A version 4 UUID made of the stream's bytes.
    mutating func uuid() -> UUID {
        let a = next(), b = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 { bytes[i] = UInt8((a >> (8 * UInt64(i))) & 0xFF); bytes[8 + i] = UInt8((b >> (8 * UInt64(i))) & 0xFF) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

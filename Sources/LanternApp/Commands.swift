import Fluent
import Logging
import Vapor

/// What the `lantern` commands do, kept in the library so tests can call them too.
public enum LanternCommands {
    /// Makes an application on the configured store, runs `body`, and shuts it down.
    public static func withApplication<T>(_ settings: LanternSettings = .fromEnvironment(), environment: Environment = .production,
                                          _ body: (Application) async throws -> T) async throws -> T {
        var env = environment
        env.arguments = ["lantern"]
        let app = try await Application.make(env)
        do {
            try await configure(app, settings: settings)
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// For benchmarks: an application on a fresh store, migrated, logging only errors, so that figures
    /// do not depend on other data. SQLite in a temporary folder (removed after), or, with `postgres`,
    /// a PostgreSQL database that must have no tables (so a benchmark never touches real data) and
    /// has none again after.
    public static func withScratchStore<T>(postgres: String? = nil, _ body: (Application, URL) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lantern-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let settings = LanternSettings(store: postgres.map { .postgres(url: $0) } ?? .sqlite(path: folder.appendingPathComponent("bench.sqlite").path))
        return try await withApplication(settings, environment: .production) { app in
            app.logger.logLevel = .error
            guard postgres != nil else {
                try await app.autoMigrate()
                return try await body(app, folder)
            }
            guard try await scratchTables(app).isEmpty else {
                throw Problem(.conflict, "Database not empty", detail: "The benchmark needs an empty PostgreSQL database: it makes its own tables and drops them after. Create one (createdb lantern_bench) and give its URL.")
            }
            do {
                try await app.autoMigrate()
                let result = try await body(app, folder)
                try await dropScratchTables(app)
                return result
            } catch {
                try? await dropScratchTables(app)
                throw error
            }
        }
    }

    private static func scratchTables(_ app: Application) async throws -> [String] {
        try await app.db.sql.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()").all()
            .map { try $0.decode(column: "name", as: String.self) }
    }

    /// Only called on a database that had no tables before: every table in it is the benchmark's.
    private static func dropScratchTables(_ app: Application) async throws {
        for table in try await scratchTables(app) { try await app.db.sql.raw("DROP TABLE IF EXISTS \(ident: table) CASCADE").run() }
    }

    public static func migrate(_ app: Application) async throws {
        try await app.autoMigrate()
        try await StoreSettings.analyze(app)
    }

    /// Serves until the process is stopped. The task scheduler runs soon after start and then every
    /// hour; with several instances each runs it, and the unique task keys keep every task single.
    public static func serve(_ app: Application, host: String, port: Int) async throws {
        try await app.autoMigrate()
        try await StoreSettings.analyze(app)
        app.http.server.configuration.hostname = host
        app.http.server.configuration.port = port
        let scheduler = app.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .seconds(5), delay: .hours(1)) { _ in
            app.eventLoopGroup.next().makeFutureWithTask {
                do {
                    let run = try await runTasks(app)
                    app.logger.info("task scheduler: \(run)")
                } catch {
                    app.logger.error("task scheduler failed: \(String(reflecting: error))")
                }
            }
        }
        // The outbox goes out every minute when SMTP is configured.
        let sender = app.lantern.settings.smtp.map { smtp in
            app.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .seconds(10), delay: .minutes(1)) { _ in
                app.eventLoopGroup.next().makeFutureWithTask {
                    do {
                        let result = try await OutboxSender.deliver(app, settings: smtp)
                        if result.sent + result.failed + result.gaveUp > 0 { app.logger.info("outbox: \(result)") }
                    } catch {
                        app.logger.error("outbox failed: \(String(reflecting: error))")
                    }
                }
            }
        }
        defer { scheduler.cancel(); sender?.cancel() }
        try await app.execute()
    }

    /// Sends what waits in the outbox now, when SMTP is configured.
    public static func sendOutbox(_ app: Application) async throws -> String {
        try await app.autoMigrate()
        guard let smtp = app.lantern.settings.smtp else {
            let waiting = try await OutboxEmail.query(on: app.db).filter(\.$sentAt == nil).count()
            return "SMTP is not configured (set LANTERN_SMTP_HOST and LANTERN_SMTP_FROM); \(waiting) waiting in the outbox"
        }
        return try await OutboxSender.deliver(app, settings: smtp).description
    }

    /// Makes the tasks that are due today and closes those no longer needed, in one audited transaction.
    public static func runTasks(_ app: Application) async throws -> String {
        let now = app.clock.now()
        try await app.autoMigrate()
        return try await TaskScheduler.runAudited(on: app.db, today: CalendarDate(now), now: now).description
    }

    /// Adds an account; the password is checked by the same rules as everywhere else.
    public static func addUser(_ app: Application, email: String, name: String, role: Role, password: String,
                               organization: UUID?, supervisor: UUID?, person: UUID?) async throws -> UUID {
        try await app.autoMigrate()
        var input: [String: JSONValue] = ["email": .string(email), "displayName": .string(name), "role": .string(role.rawValue), "password": .string(password)]
        if let organization { input["organizationId"] = .string(organization.text) }
        if let supervisor { input["supervisorId"] = .string(supervisor.text) }
        if let person { input["personId"] = .string(person.text) }
        let draft = try await Accounts.validate(input, on: app.db)
        let hash = try await app.threadPool.runIfActive { try PasswordPolicy.hash(draft.password) }
        let user = Accounts.make(draft, passwordHash: hash)
        let now = app.clock.now()
        try await app.db.transaction { db in
            let head = try await AuditChain.lock(db, at: now)
            try await Accounts.insert(user, on: db)
            try await AuditChain.append([AuditEvent(userID: nil, userLabel: "lantern user add", personID: person?.text, action: .create, category: .account,
                                                    sourceAddress: "command line", detail: "account \(user.id!.text) created with role \(role.rawValue)")],
                                        after: head, at: now, on: db)
        }
        return user.id!
    }

    public static func verifyAudit(_ app: Application) async throws -> AuditChain.Verification {
        try await AuditChain.verify(on: app.db)
    }

    /// Checks every plan version sent for signatures against its digest and every signature's.
    /// Returns the number of versions checked and each problem found.
    public static func verifyPlans(_ app: Application) async throws -> (checked: Int, signatures: Int, problems: [String]) {
        var checked = 0, signatures = 0
        var problems: [String] = []
        var lastID: UUID?
        // In pages of 200, so a large organisation is never read into memory at once.
        while true {
            var query = Plan.query(on: app.db).filter(\.$contentDigest != nil).sort(\.$id).limit(200)
            if let lastID { query = query.filter(\.$id > lastID) }
            let page = try await query.all()
            for plan in page {
                let check = try await PlanDigest.check(plan, on: app.db)
                checked += 1; signatures += check.signaturesChecked
                problems += check.problems
            }
            guard page.count == 200, let last = page.last?.id else { break }
            lastID = last
        }
        return (checked, signatures, problems)
    }
}

extension Problem: CustomStringConvertible {
    public var description: String {
        ([detail] + errors.map { "  \($0.field): \($0.message)" }).joined(separator: "\n")
    }
}

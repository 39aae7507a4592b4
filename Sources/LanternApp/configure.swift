import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Vapor

/// Sets up the database, middleware and routes. The same function serves `lantern serve`, the demo
/// and the tests, so that what is tested is what runs.
public func configure(_ app: Application, settings: LanternSettings, clock: any LanternClock = SystemClock()) async throws {
    app.lantern = LanternState(settings: settings)
    app.clock = clock
    app.routes.defaultMaxBodySize = "1mb"

    switch settings.store {
    case let .sqlite(path):
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // SQL is logged only at trace level: its bound values hold personal data.
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
    case let .postgres(url):
        app.databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
    }
    try await StoreSettings.apply(app)

    for migration in LanternMigrations.all { app.migrations.add(migration) }

    // Order matters: errors are caught outermost so every failure gets a readable answer with the
    // security headers; metrics and the request log see the final status.
    app.middleware = Middlewares()
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ProblemMiddleware())

    try routes(app)
}

/// SQLite: the write-ahead log, full sync on commit, and foreign keys on (the driver turns those on
/// for every connection it opens). PostgreSQL commits synchronously by default; we check it is so.
enum StoreSettings {
    static func apply(_ app: Application) async throws {
        let db = app.db.sql
        if isSQLite(app) {
            try await db.raw("PRAGMA journal_mode=WAL").run()
            // synchronous is per connection: set it on every event loop's connection.
            for loop in app.eventLoopGroup.makeIterator() {
                let conn = app.databases.database(logger: app.logger, on: loop)!
                try await (conn as! any SQLDatabase).raw("PRAGMA synchronous=FULL").run()
                // After a checkpoint empties the write-ahead log, cut the file back to 64 MB at most.
                try await (conn as! any SQLDatabase).raw("PRAGMA journal_size_limit=67108864").run()
                // 32 MiB of page cache a connection (SQLite's default is 2 MiB): a state's indexes stay
                // in memory instead of being read from the file again for every query.
                try await (conn as! any SQLDatabase).raw("PRAGMA cache_size=-32768").run()
            }
        }
    }

    /// SQLite's planner chooses indexes by the statistics ANALYZE keeps; without them it may count a
    /// coordinator's plans by reading every plan in effect. A sampled ANALYZE (a thousand rows an
    /// index) takes milliseconds even on a state's store; PostgreSQL's autovacuum keeps its own.
    static func analyze(_ app: Application) async throws {
        guard isSQLite(app) else { return }
        try await app.db.sql.raw("PRAGMA analysis_limit=1000").run()
        try await app.db.sql.raw("ANALYZE").run()
    }

    static func isSQLite(_ app: Application) -> Bool {
        if case .sqlite = app.lantern.settings.store { return true }
        return false
    }
}

import ArgumentParser
import Foundation
import LanternApp
import Logging

@main
struct Lantern: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Person-centered support planning and service coordination.",
        discussion: "Uses ./data/lantern.sqlite unless DATABASE_URL names a PostgreSQL database.",
        subcommands: [Serve.self, Demo.self, Migrate.self, UserCommand.self, AuditCommand.self, PlanCommand.self, TasksCommand.self, OutboxCommand.self, ExportCommand.self, BenchCommand.self, GenerateCommand.self],
        defaultSubcommand: Serve.self
    )

    static func bootstrapLogging() {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Writes a line to standard output at once (print buffers when output goes to a file).
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

struct ServerOptions: ParsableArguments {
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Migrate the database, then serve.")
    @OptionGroup var server: ServerOptions

    func run() async throws {
        Lantern.bootstrapLogging()
        try await LanternCommands.withApplication { app in
            try await LanternCommands.serve(app, host: server.host, port: server.port)
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Migrate, load the synthetic demo organisation if the store is empty, and serve.")
    @OptionGroup var server: ServerOptions

    func run() async throws {
        Lantern.bootstrapLogging()
        try await LanternCommands.withApplication { app in
            try await LanternCommands.migrate(app)
            let loaded = try await DemoData.loadIfEmpty(app)
            say(loaded ? "Loaded the demo organisation (60 synthetic people)." : "The store already has accounts; the demo was not loaded again.")
            say("""

            Lantern is at http://\(server.host):\(server.port)/
            Sign in with any of these accounts; the password for each is: \(DemoData.password)
            """)
            for account in DemoData.accounts {
                say("  \(account.email.padding(toLength: 34, withPad: " ", startingAt: 0)) \(account.role.label): \(account.note)")
            }
            say("")
            try await LanternCommands.serve(app, host: server.host, port: server.port)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the database tables.")
    func run() async throws {
        Lantern.bootstrapLogging()
        try await LanternCommands.withApplication { app in
            try await LanternCommands.migrate(app)
            print("The database is up to date.")
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage accounts.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account with a role.")
        @Option(help: "Email used to sign in.") var email: String
        @Option(help: "The name shown in Lantern.") var name: String
        @Option(help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "Organisation id (required for provider staff).") var organization: String?
        @Option(help: "Supervisor's account id (for coordinators).") var supervisor: String?
        @Option(help: "The person's record id (for the role 'person').") var person: String?
        @Flag(help: "Read the password from standard input instead of asking.") var passwordStdin = false

        func run() async throws {
            Lantern.bootstrapLogging()
            guard let role = Role(rawValue: role) else {
                throw ValidationError("role must be one of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            func uuid(_ text: String?, _ name: String) throws -> UUID? {
                guard let text else { return nil }
                guard let id = UUID(uuidString: text) else { throw ValidationError("--\(name) must be an id.") }
                return id
            }
            let password: String
            if passwordStdin || isatty(0) == 0 {
                password = readLine(strippingNewline: true) ?? ""
            } else {
                guard let typed = getpass("Password (8 to 128 characters): ") else { throw ValidationError("No password given.") }
                password = String(cString: typed)
            }
            do {
                let id = try await LanternCommands.withApplication { app in
                    try await LanternCommands.addUser(app, email: email, name: name, role: role, password: password,
                                                      organization: try uuid(organization, "organization"), supervisor: try uuid(supervisor, "supervisor"),
                                                      person: try uuid(person, "person"))
                }
                print("Added \(email) as \(role.label) (id \(id.uuidString.lowercased())).")
            } catch let problem as Problem {
                FileHandle.standardError.write(Data("The account was not added.\n\(problem.description)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Check the audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every row of the audit trail against its hash chain.")
        func run() async throws {
            Lantern.bootstrapLogging()
            let result = try await LanternCommands.withApplication { app in try await LanternCommands.verifyAudit(app) }
            if result.isIntact {
                print("The audit trail is intact: \(result.rowsChecked) rows checked.")
            } else {
                print("The audit trail has been tampered with: \(result.findings.count) problem(s) in \(result.rowsChecked) rows.")
                for finding in result.findings { print("  \(finding)") }
                throw ExitCode(2)
            }
        }
    }
}

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Send the reminders waiting in the outbox by SMTP (LANTERN_SMTP_HOST, _PORT, _SECURITY, _FROM, _USERNAME, _PASSWORD).")

    func run() async throws {
        let result = try await LanternCommands.withApplication { app in try await LanternCommands.sendOutbox(app) }
        say("Outbox: \(result).")
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export every plan as HL7 FHIR R4 (eLTSS) in the Bulk Data format: one NDJSON file per resource type.")
    @Option(name: .customLong("fhir"), help: "The folder to write the NDJSON files to.") var directory: String

    func run() async throws {
        let url = URL(fileURLWithPath: directory)
        let result = try await LanternCommands.withApplication { app in
            try await app.autoMigrate()
            return try await FHIRBulkExport.run(app, to: url) { done, total in
                let width = 30, filled = total == 0 ? width : done * width / total
                FileHandle.standardError.write(Data("\r[\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] \(done)/\(total) plans".utf8))
            }
        }
        FileHandle.standardError.write(Data("\n".utf8))
        for (type, count) in result.resources.sorted(by: { $0.key < $1.key }) { say("\(type).ndjson: \(count)") }
        say(String(format: "Exported %d plans in %.2f s: %.0f plans per second.", result.plans, result.seconds, result.seconds > 0 ? Double(result.plans) / result.seconds : 0))
    }
}

struct TasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks", abstract: "Make the coordinators' tasks that are due and close those no longer needed.",
        discussion: "The server does this every hour; run it from cron for a store no server is running on. Safe to run while servers run: each task is made once.")
    func run() async throws {
        Lantern.bootstrapLogging()
        let result = try await LanternCommands.withApplication { app in try await LanternCommands.runTasks(app) }
        say("Tasks: \(result).")
    }
}

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Check support plans.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every plan version sent for signatures against the SHA-256 digest it was signed with.")
        func run() async throws {
            Lantern.bootstrapLogging()
            let result = try await LanternCommands.withApplication { app in try await LanternCommands.verifyPlans(app) }
            if result.problems.isEmpty {
                say("Every signed plan is intact: \(result.checked) versions and \(result.signatures) signatures checked.")
            } else {
                say("\(result.problems.count) problem(s) in \(result.checked) plan versions:")
                for problem in result.problems { say("  \(problem)") }
                throw ExitCode(2)
            }
        }
    }
}

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Make a synthetic statewide organisation in an empty store (for tests and benchmarks).",
        discussion: "Regions, supervisors, coordinators at caseloads of about 25, provider agencies, the catalogue, and for each person a circle, plans with earlier versions, outcomes with progress, services, authorizations and deliveries, tasks, meetings, contacts, referrals and surveys. Everyone is made up. The same seed and --today give the same data.")
    @Option(help: "How many people.") var people: Int
    @Option(help: "The random seed.") var seed: UInt64 = 1
    @Option(help: "The day the data is made relative to (YYYY-MM-DD); today by default.") var today: String?
    @Option(help: "People written to the store in one transaction.") var batch = 500

    func validate() throws {
        guard people > 0 else { throw ValidationError("--people must be at least 1.") }
        if let today, CalendarDate(today) == nil { throw ValidationError("--today must be a date, YYYY-MM-DD.") }
    }

    func run() async throws {
        Lantern.bootstrapLogging()
        let seed = self.seed, people = self.people, batch = self.batch, todayText = self.today
        do {
            let report = try await LanternCommands.withApplication { app in
                let day = todayText.flatMap(CalendarDate.init) ?? CalendarDate(app.clock.now())
                return try await StatewideGenerator.generate(people: people, seed: seed, today: day, on: app, batchSize: batch) { p in
                    let width = 30, filled = width * p.done / max(1, p.total)
                    let rate = Double(p.done) / max(0.001, p.seconds)
                    let eta = rate > 0 ? Double(p.total - p.done) / rate : 0
                    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                    FileHandle.standardError.write(Data(String(format: "\r[%@] %d/%d people, %.0f people/s, %.0f s left  ", bar, p.done, p.total, rate, eta).utf8))
                    if p.done == p.total { FileHandle.standardError.write(Data("\nMaking the tasks...\n".utf8)) }
                }
            }
            say(String(format: "Generated %d synthetic people (seed %llu, today %@) in %.1f s: %.0f people/s. %@.", report.people, report.seed,
                       report.today.description, report.seconds, Double(report.people) / max(0.001, report.seconds), report.tasks))
            say("Rows per table:")
            for row in report.rows where row.count > 0 { say("  \(row.table.padding(toLength: 26, withPad: " ", startingAt: 0)) \(row.count)") }
            say("Sign in with any of these accounts; the password for each is: \(DemoData.password)")
            for account in report.accounts {
                say("  \(account.email.padding(toLength: 34, withPad: " ", startingAt: 0)) \(account.role.label): \(account.note)")
            }
        } catch let error as StatewideGenerator.StoreNotEmpty {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// Measurements of speed, never assertions: run them on the machine that matters and compare.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure how fast Lantern does its heavier work.",
                                                    subcommands: [Chart.self, Progress.self, Export.self, Rules.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export the demo organisation, its plans copied to scale it up, as FHIR NDJSON; report plans per second.")
        @Option(help: "How many times as many plans as the demo has.") var copies = 20

        func run() async throws {
            let r = try await FHIRExportBenchmark.run(copies: copies)
            say(String(format: "FHIR bulk export: %d plans, %d resources in %.2f s: %.0f plans per second.", r.plans, r.resources, r.seconds, Double(r.plans) / max(r.seconds, 0.001)))
        }
    }

    struct Rules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check plans in effect from the configured store (a generated state; the demo when it is empty): time reading each plan with what its rules need, and the rules alone.")
        @Option(help: "How many plans in effect, spread over the store.") var plans = 500
        @Option(help: "How many times to apply the rules to each plan.") var repeats = 20

        func run() async throws {
            Lantern.bootstrapLogging()
            let (plans, repeats) = (self.plans, self.repeats)
            let r = try await LanternCommands.withApplication { app in try await RulesBenchmark.run(app: app, plans: plans, repeats: repeats) }
            func line(_ what: String, _ times: [Double]) -> String {
                let t = times.sorted()
                guard !t.isEmpty else { return "\(what): no plan in effect" }
                return String(format: "%@: median %.3f ms, 95th percentile %.3f ms, largest %.3f ms", what, t[t.count / 2], t[min(t.count - 1, t.count * 95 / 100)], t[t.count - 1])
            }
            say("\(r.plans) plans in effect, \(r.findings) findings in all.")
            say(line("Reading a plan with what its rules need (PersonRecords.load)", r.load))
            say(line("The rules alone (RuleEngine.findings, the domain)", r.rules))
        }
    }

    struct Chart: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draw a progress chart of three years of daily entries, many times; report the median and the 95th percentile.")
        @Option(help: "How many times to draw it.") var runs = 200

        func run() async throws {
            let start = CalendarDate("2024-01-01")!
            // A count that climbs with a weekly rhythm, like a real step recorded every day.
            let entries = (0..<1096).map { ProgressPoint(start.adding(days: $0), Double($0 / 60 + ($0 % 7 == 6 ? 0 : 2))) }
            var times: [Double] = []
            var size = 0
            let clock = ContinuousClock()
            for _ in 0..<max(1, runs) {
                let elapsed = clock.measure {
                    size = ProgressChart.make(title: "Trips on my own", measure: .count, entries: entries, target: 25, targetDate: CalendarDate("2027-06-30")).svg.utf8.count
                }
                times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            }
            times.sort()
            func ms(_ v: Double) -> String { String(format: "%.2f ms", v) }
            say("Progress chart, \(entries.count) daily entries, \(times.count) runs: median \(ms(times[times.count / 2])), 95th percentile \(ms(times[min(times.count - 1, times.count * 95 / 100)])), SVG \(size) bytes.")
        }
    }

    struct Progress: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record progress entries through the API and draw an outcome page with three years of daily entries, through the whole server on a fresh SQLite database (or an empty PostgreSQL one); report the median and the 95th percentile.")
        @Option(help: "How many times to do each.") var runs = 100
        @Option(help: "Only one kind of request (record, page, floor or api), for a profiler.") var only: String?
        @Option(help: "Run on this PostgreSQL database (a URL) instead of SQLite; it must have no tables, and has none after.") var postgres: String?

        func run() async throws {
            guard only == nil || only.flatMap(ProgressBenchmark.Kind.init(rawValue:)) != nil else {
                throw ValidationError("--only is one of: \(ProgressBenchmark.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let f = try await ProgressBenchmark.run(runs: runs, only: only.flatMap(ProgressBenchmark.Kind.init(rawValue:)), postgres: postgres)
            func line(_ what: String, _ times: [Double]) -> String {
                let t = times.sorted()
                guard !t.isEmpty else { return "\(what): not measured" }
                return String(format: "%@: median %.2f ms, 95th percentile %.2f ms", what, t[t.count / 2], t[min(t.count - 1, t.count * 95 / 100)])
            }
            say("\(runs) runs on \(postgres == nil ? "SQLite" : "PostgreSQL"); the outcome's step has \(f.entries) daily entries (three years).")
            say(line("Record one entry (POST /api/v1/people/{id}/steps/{step}/entries)", f.record))
            say(line("Outcome page with its chart and tables (GET /people/{id}/outcomes/{outcome})", f.page))
            say(line("Outcome through the API (GET /api/v1/people/{id}/outcomes/{outcome})", f.api))
            say(line("For comparison, the person's record (GET /api/v1/people/{id})", f.floor))
        }
    }
}

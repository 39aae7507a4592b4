import Fluent
import Foundation
import Vapor

/// `lantern bench progress`: recording one progress entry through the API, and drawing the page of an
/// outcome whose step has three years of daily entries, each through the whole server (middleware,
/// access policy, audit chain, database) but without a network in between. A fresh SQLite database
/// in a temporary folder, so the figures do not depend on other data.
public enum ProgressBenchmark {
    public struct Figures: Sendable {
        public var record: [Double]
        public var page: [Double]
        public var api: [Double]
        /// Reading the person's own record: the least an audited request costs, for comparison.
        public var floor: [Double]
        public var entries: Int
    }

    /// The requests measured; `only` narrows them to one, for a profiler.
    public enum Kind: String, CaseIterable, Sendable { case record, page, floor, api }

    public static func run(runs: Int, only: Kind? = nil, postgres: String? = nil) async throws -> Figures {
        try await LanternCommands.withScratchStore(postgres: postgres) { app, _ in
            let fixture = try await Fixture.make(on: app.db, now: Date())
            let clock = ContinuousClock()
            // Built once, as the HTTP server does when it starts; `app.responder` would build the router anew each call.
            let responder = app.responder.current
            func time(_ request: () async throws -> Response, expect: HTTPStatus) async throws -> Double {
                var response: Response?
                let elapsed = try await clock.measure { response = try await request() }
                guard response?.status == expect else {
                    throw Abort(.internalServerError, reason: "benchmark request answered \(response?.status.code ?? 0), not \(expect.code)")
                }
                return Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            }
            var figures = Figures(record: [], page: [], api: [], floor: [], entries: fixture.entries)
            let body = #"{"date": "\#(CalendarDate(Date()).description)", "value": 55, "note": "Bench entry"}"#
            func wanted(_ kind: Kind) -> Bool { only == nil || only == kind }
            for _ in 0..<max(1, runs) {
                if wanted(.record) { figures.record.append(try await time({
                    try await send(app, responder, .POST, "/api/v1/people/\(fixture.person)/steps/\(ExamplePlan.IDs.providerStep)/entries",
                                   headers: ["Authorization": "Bearer \(fixture.token)", "Content-Type": "application/json"], body: body)
                }, expect: .created)) }
                if wanted(.page) { figures.page.append(try await time({
                    try await send(app, responder, .GET, "/people/\(fixture.person)/outcomes/\(ExamplePlan.IDs.firstOutcome)", headers: ["Cookie": "\(Sessions.cookieName)=\(fixture.cookie)"])
                }, expect: .ok)) }
                if wanted(.floor) { figures.floor.append(try await time({
                    try await send(app, responder, .GET, "/api/v1/people/\(fixture.person)", headers: ["Authorization": "Bearer \(fixture.token)"])
                }, expect: .ok)) }
                if wanted(.api) { figures.api.append(try await time({
                    try await send(app, responder, .GET, "/api/v1/people/\(fixture.person)/outcomes/\(ExamplePlan.IDs.firstOutcome)", headers: ["Authorization": "Bearer \(fixture.token)"])
                }, expect: .ok)) }
            }
            return figures
        }
    }

    static func send(_ app: Application, _ responder: any Responder, _ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: String? = nil) async throws -> Response {
        let request = Request(application: app, method: method, url: URI(path: path), headers: headers,
                              collectedBody: body.map { ByteBuffer(string: $0) }, remoteAddress: nil, logger: app.logger, on: app.eventLoopGroup.next())
        return try await responder.respond(to: request).get()
    }

    /// A coordinator's person with a plan in effect for three years and a provider step recorded every day.
    struct Fixture {
        var person: String
        var token: String
        var cookie: String
        var entries: Int

        static func make(on db: any Database, now: Date) async throws -> Fixture {
            let today = CalendarDate(now)
            let provider = Organization(id: UUID(), name: "Bench Supports", kind: .provider)
            try await provider.create(on: db)
            let coordinator = User(email: "bench-coordinator@bench.example", displayName: "Bench Coordinator", role: .supportCoordinator,
                                   organizationID: nil, supervisorID: nil, passwordHash: "x")
            coordinator.id = UUID()
            let staff = User(email: "bench-staff@bench.example", displayName: "Bench Staff", role: .providerStaff,
                             organizationID: provider.id, supervisorID: nil, passwordHash: "x")
            staff.id = UUID()
            try await coordinator.create(on: db); try await staff.create(on: db)
            let person = Person()
            person.id = UUID(); person.legalGivenName = "Bench"; person.legalFamilyName = "Example"; person.birthDate = "1990-01-01"
            person.primaryLanguage = "English"; person.interpreterNeeded = false; person.communicationMethods = ["speech"]; person.residenceType = ResidenceType.ownHome.rawValue; person.legalStatus = LegalStatus.selfDetermining.rawValue
            person.status = PersonStatus.active.rawValue; person.currentCoordinatorID = coordinator.id; person.version = 1
            person.refreshSearchColumns()
            try await person.create(on: db)
            let link = ProviderLink()
            link.id = UUID(); link.$person.id = person.id!; link.$organization.id = provider.id!; link.since = "2020-01-01"
            try await link.create(on: db)
            let meeting = today.adding(days: -1110)
            let plan = Plan()
            plan.id = UUID(); plan.$person.id = person.id!; plan.planType = PlanType.federalHCBS.rawValue; plan.planKind = PlanKind.annual.rawValue
            plan.status = PlanStatus.active.rawValue; plan.meetingDate = meeting.description; plan.effectiveStart = meeting.adding(days: 14).description
            plan.effectiveEnd = today.adding(months: 6).description; plan.seriesID = plan.id!; plan.versionNumber = 1
            plan.createdByID = coordinator.id!; plan.version = 1; plan.frozenAt = now
            try await plan.create(on: db)
            let sections = ExamplePlan.sections(for: .federalHCBS, name: "Bench", circle: [], guardian: nil, meetingDate: meeting, provider: provider.id!.text)
            let row = PlanSection()
            row.id = UUID(); row.$plan.id = plan.id!; row.sectionKey = "outcomes"; row.content = sections["outcomes"] ?? [:]; row.version = 1
            try await row.create(on: db)
            var entries: [ProgressEntry] = []
            var day = meeting.adding(days: 14)
            while day < today {
                let e = ProgressEntry()
                e.id = UUID(); e.$person.id = person.id!; e.outcomeID = ExamplePlan.IDs.firstOutcome; e.stepID = ExamplePlan.IDs.providerStep
                e.planID = plan.id!; e.entryDate = day.description; e.value = Double(30 + (day.dayNumber % 50)); e.recordedByID = staff.id!
                e.organizationID = provider.id; e.source = "bulk"
                entries.append(e)
                day = day.adding(days: 1)
            }
            for chunk in stride(from: 0, to: entries.count, by: 500) { try await Array(entries[chunk..<min(entries.count, chunk + 500)]).create(on: db) }
            let secret = Tokens.prefix + Secrets.random()
            let token = AccessToken()
            token.id = UUID(); token.$user.id = staff.id!; token.name = "bench"; token.tokenHash = Secrets.sha256(secret)
            token.prefix = String(secret.prefix(10)); token.createdAt = now
            try await token.create(on: db)
            let cookie = Secrets.random()
            let session = UserSession()
            session.id = UUID(); session.tokenHash = Secrets.sha256(cookie); session.$user.id = coordinator.id!
            session.csrfToken = Secrets.random(); session.createdAt = now; session.lastSeenAt = now
            try await session.create(on: db)
            return Fixture(person: person.id!.text, token: secret, cookie: cookie, entries: entries.count)
        }
    }
}

import Fluent
import LanternDomain
import Foundation
import Vapor

/// A synthetic organisation for exploring Lantern: every name, number and address is made up.
/// Built from a fixed seed, so every demo has the same people; birth dates are set relative to
/// today so that each age group always has people in it.
public enum DemoData {
    public static let password = "lantern demo 2026"

    public struct Account: Sendable { public let email: String; public let role: Role; public let note: String }

    public static let accounts: [Account] = [
        Account(email: "admin@riverbend.example", role: .administrator, note: "sees everyone and the audit trail"),
        Account(email: "supervisor@riverbend.example", role: .supervisor, note: "sees the people of the three coordinators"),
        Account(email: "coordinator1@riverbend.example", role: .supportCoordinator, note: "a caseload of about 20"),
        Account(email: "coordinator2@riverbend.example", role: .supportCoordinator, note: "a caseload of about 20"),
        Account(email: "coordinator3@riverbend.example", role: .supportCoordinator, note: "a caseload of about 20, over a limit of 20 once weighted"),
        Account(email: "coordinator4@maplestreet.example", role: .supportCoordinator, note: "works for a provider: two conflict-of-interest cases"),
        Account(email: "staff1@maplestreet.example", role: .providerStaff, note: "provider staff: people Maple Street serves"),
        Account(email: "staff1@brightpath.example", role: .providerStaff, note: "provider staff: people Bright Path serves"),
        Account(email: "guardian1@family.example", role: .guardianFamily, note: "a guardian of two people, each with a plan to sign"),
        Account(email: "person1@family.example", role: .person, note: "a person who sees only their own record, with a plan to sign"),
        Account(email: "family1@family.example", role: .guardianFamily, note: "family of person1, in Spanish, sees only the plan and goals person1 shared"),
    ]

    /// Loads the organisation when the store has no accounts yet. Returns whether it loaded.
    @discardableResult
    public static func loadIfEmpty(_ app: Application) async throws -> Bool {
        if try await User.query(on: app.db).count() > 0 { return false }
        let hash = try await app.threadPool.runIfActive { try PasswordPolicy.hash(password) }
        let today = CalendarDate(app.clock.now())
        let now = app.clock.now()
        try await app.db.transaction { db in
            let head = try await AuditChain.lock(db, at: now)
            try await build(on: db, passwordHash: hash, today: today, now: now)
            let tasks = try await TaskScheduler.run(on: db, today: today, now: now)
            try await AuditChain.append(tasks.events + [AuditEvent(userID: nil, userLabel: "lantern demo", personID: nil, action: .create, category: .account,
                                                    sourceAddress: nil, detail: "synthetic demo organisation loaded")], after: head, at: now, on: db)
        }
        return true
    }

    /// A small deterministic random source (a 64-bit LCG), so the demo is the same every time.
    struct Seeded {
        var state: UInt64
        mutating func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
        mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
    }

    static let givenNames = ["Avery", "Jordan", "Marisol", "Tomas", "Keiko", "Dmitri", "Amara", "Luis", "Priya", "Owen", "Rosa", "Malik",
                             "Hana", "Elias", "Noor", "Camila", "Theo", "Imani", "Mateo", "Lena", "Quinn", "Yusuf", "Ines", "Bao",
                             "Sofia", "Ezra", "Talia", "Wren", "Jalen", "Mina", "Rafael", "Ada", "Kofi", "Lucia", "Nils", "Zara"]
    static let familyNames = ["Alder", "Brookfield", "Castellano", "Delacroix", "Everly", "Fairbanks", "Galloway", "Hollis", "Ibarra",
                              "Jansen", "Kowalczyk", "Lindqvist", "Moreno-Vance", "Nakamura", "Okafor", "Pemberton", "Quintero",
                              "Rasmussen", "Sorensen", "Thibodeaux", "Underhill", "Valdivia", "Whitcombe", "Xiong", "Yarborough", "Zelinski"]
    static let nicknames = ["Sunny", "Jojo", "Bee", "Mo", "Lulu", "Kit", "Dee", "Ace", "Birdie", "Tee"]
    static let counties = ["Boone", "Cole", "Greene", "Jackson", "Marion", "Howard"]
    static let languages: [(String, Bool)] = [("English", false), ("English", false), ("English", false), ("English", false), ("Spanish", true),
                                             ("Spanish", false), ("Vietnamese", true), ("American Sign Language", true), ("Tagalog", false), ("Korean", true)]

    static func build(on db: any Database, passwordHash: String, today: CalendarDate, now: Date) async throws {
        var rng = Seeded(state: 20_261_123)
        let agency = Organization(id: UUID(), name: "Riverbend Coordination Services", kind: .coordinatingAgency)
        let maple = Organization(id: UUID(), name: "Maple Street Supports", kind: .provider)
        let bright = Organization(id: UUID(), name: "Bright Path Community Services", kind: .provider)
        for org in [agency, maple, bright] { try await org.create(on: db) }
        try await buildCatalogue(maple: maple, bright: bright, today: today, on: db)

        func user(_ email: String, _ name: String, _ role: Role, org: Organization?, supervisor: User? = nil) -> User {
            let u = User(email: email, displayName: name, role: role, organizationID: org?.id, supervisorID: supervisor?.id, passwordHash: passwordHash)
            u.id = UUID()
            return u
        }
        let admin = user("admin@riverbend.example", "Morgan Admin", .administrator, org: agency)
        let supervisor = user("supervisor@riverbend.example", "Sam Supervisor", .supervisor, org: agency)
        let coordinators = [
            user("coordinator1@riverbend.example", "Casey Coordinator", .supportCoordinator, org: agency, supervisor: supervisor),
            user("coordinator2@riverbend.example", "Devon Coordinator", .supportCoordinator, org: agency, supervisor: supervisor),
            user("coordinator3@riverbend.example", "Riley Coordinator", .supportCoordinator, org: agency, supervisor: supervisor),
        ]
        let staff = [
            user("staff1@maplestreet.example", "Pat Maple", .providerStaff, org: maple),
            user("staff2@maplestreet.example", "Lee Maple", .providerStaff, org: maple),
            user("staff1@brightpath.example", "Kim Bright", .providerStaff, org: bright),
        ]
        let guardian = user("guardian1@family.example", "Gale Guardian", .guardianFamily, org: nil)
        let otherGuardians = (2...5).map { user("guardian\($0)@family.example", "Family Member \($0)", .guardianFamily, org: nil) }
        // Riley's limit is lower (a rural caseload with long travel), so the weighted caseload goes over it.
        coordinators[2].caseloadLimit = 20
        // A coordinator employed by a provider, as in an area with no independent agency: conflicts of interest.
        let providerCoordinator = user("coordinator4@maplestreet.example", "Jamie Coordinator", .supportCoordinator, org: maple, supervisor: supervisor)
        for u in [admin, supervisor] + coordinators + [providerCoordinator] + staff + [guardian] + otherGuardians { try await u.create(on: db) }

        // Age groups: 6 infants, 12 school age, 12 transition-age youth, 22 adults, 8 older adults.
        let plan: [(Int, ClosedRange<Int>)] = [(6, 0...2), (12, 3...13), (12, 14...21), (22, 22...64), (8, 65...84)]
        var index = 0
        var personAccountLinked = false
        var guardianWards = 0
        var plansMade = 0
        for (count, ages) in plan {
            for _ in 0..<count {
                index += 1
                let age = rng.int(ages)
                let p = Person()
                p.id = UUID()
                p.legalGivenName = rng.pick(givenNames)
                p.legalFamilyName = rng.pick(familyNames)
                p.preferredName = rng.chance(25) ? rng.pick(nicknames) : nil
                let birthYear = today.year - age - (rng.chance(50) ? 1 : 0)
                let birth = CalendarDate(String(format: "%04d-%02d-%02d", birthYear, rng.int(1...12), rng.int(1...28)))!
                p.birthDate = (birth > today ? CalendarDate(String(format: "%04d-%02d-%02d", birthYear - 1, birth.month, birth.day))! : birth).description
                let realAge = CalendarDate(p.birthDate)!.years(until: today)
                p.pronouns = rng.pick(["she/her", "he/him", "they/them", "she/her", "he/him"])
                let (language, interpreter) = rng.pick(languages)
                p.primaryLanguage = language
                p.interpreterNeeded = interpreter
                var methods: [CommunicationMethod] = realAge < 2 ? [.bodyLanguage, .gestures] : [rng.pick([.speech, .speech, .speech, .pictures, .augmentativeDevice, .gestures])]
                if language == "American Sign Language" { methods = [.signLanguage, .interpreter] }
                if rng.chance(30) { methods.append(rng.pick([.pictures, .bodyLanguage, .gestures])) }
                p.communicationMethods = Array(Set(methods.map(\.rawValue))).sorted()
                p.communicationProfile = rng.pick([
                    "Speak slowly and give me time to answer.", "I point to pictures on my board to choose.",
                    "I use my tablet to talk. Wait for me to finish typing.", "When I rock, I need a quiet break.",
                    "Show me, then tell me. Short sentences help.", "I like to hear what will happen next before it happens.",
                ])
                p.residenceType = (realAge < 18 ? ResidenceType.familyHome : rng.pick(ResidenceType.allCases)).rawValue
                let legal: LegalStatus = realAge < 18 ? .minorWithParent
                    : rng.pick([.selfDetermining, .selfDetermining, .supportedDecisionMaking, .limitedGuardianship, .fullGuardianship, .conservatorship])
                p.legalStatus = legal.rawValue
                p.courtRestrictions = legal == .fullGuardianship && rng.chance(30) ? "Guardian decides on medical treatment and where the person lives." : nil
                p.stateID = String(format: "MO-%07d", 1_000_000 + index * 7919 % 9_000_000)
                p.medicaidID = rng.chance(85) ? String(format: "DCN%08d", 10_000_000 + index * 104_729 % 89_000_000) : nil
                p.medicareID = realAge >= 65 || (realAge > 22 && rng.chance(20)) ? String(format: "%dEG%dTE%dMK%d", rng.int(1...9), rng.int(1...9), rng.int(10...99), rng.int(10...99)) : nil
                p.insurance = rng.chance(20) ? "Synthetic Health Plan, member " + String(rng.int(100_000...999_999)) : nil
                p.addressLine = "\(rng.int(100...9999)) \(rng.pick(["Elm", "Cedar", "River", "Hill", "Orchard", "Prairie"])) \(rng.pick(["Street", "Avenue", "Lane", "Road"]))"
                p.city = rng.pick(["Riverbend", "Columbia", "Jefferson City", "Springfield"])
                p.region = "MO"
                p.postalCode = String(65_000 + rng.int(0...999))
                p.county = rng.pick(counties)
                let statusRoll = rng.int(1...100)
                let status: PersonStatus = statusRoll <= 8 ? .referred : statusRoll <= 16 ? .waiting : statusRoll <= 94 ? .active : .exited
                p.status = status.rawValue
                if status == .exited {
                    p.exitDate = CalendarDate(now.addingTimeInterval(-Double(rng.int(20...300)) * 86_400)).description
                    p.exitReason = rng.pick(["Moved out of state", "Chose to stop services", "Now gets supports through another program"])
                }
                let coordinator = coordinators[index % 3]
                p.currentCoordinatorID = coordinator.id
                // About one in five needs high-intensity coordination (its own random numbers, so the rest stays as it was).
                var intensityRoll = Seeded(state: 5_000 + UInt64(index))
                p.intensity = (intensityRoll.chance(20) ? Intensity.high : .standard).rawValue
                p.contactFrequency = status == .active ? (p.intensity == Intensity.high.rawValue ? ContactFrequency.monthly : .quarterly).rawValue : nil
                p.version = 1
                p.refreshSearchColumns()
                try await p.create(on: db)

                // Assignment history: some people changed coordinator once.
                let startedYearsAgo = min(max(realAge, 1), rng.int(1...6))
                let firstStart = CalendarDate(String(format: "%04d-%02d-01", today.year - startedYearsAgo, rng.int(1...12)))!
                if rng.chance(30) && startedYearsAgo > 1 {
                    let previous = coordinators[(index + 1) % 3]
                    let handover = CalendarDate(String(format: "%04d-%02d-01", today.year - 1, rng.int(1...12)))!
                    try await assignment(p, previous, from: firstStart, to: handover, reason: "First assignment", by: supervisor, on: db)
                    try await assignment(p, coordinator, from: handover, to: nil, reason: rng.pick(["Previous coordinator's caseload rebalanced", "The person asked for a different coordinator", "Moved to another county"]), by: supervisor, on: db)
                } else {
                    try await assignment(p, coordinator, from: firstStart, to: nil, reason: "First assignment", by: supervisor, on: db)
                }

                // Monitoring contacts: most on time, some overdue (a monthly contact last made weeks ago).
                if status == .active {
                    for daysAgo in [intensityRoll.int(20...75), intensityRoll.int(100...160)] {
                        let contact = MonitoringContact()
                        contact.id = UUID(); contact.$person.id = p.id!; contact.contactOn = today.adding(days: -daysAgo).description
                        contact.kind = intensityRoll.pick(ContactKind.allCases).rawValue
                        contact.findings = intensityRoll.pick(["Services given as planned; the person says things are going well.",
                                                               "Staff changes at the day program; the person misses their old job coach.",
                                                               "New medicine started; the family asked for help with appointments."])
                        contact.followUp = intensityRoll.chance(50) ? "Call the provider about the schedule." : nil
                        contact.recordedByID = coordinator.id!
                        try await contact.create(on: db)
                    }
                }

                // Provider links for most people getting services.
                var linked: [Organization] = []
                if status == .active {
                    for org in [maple, bright] where rng.chance(45) {
                        linked.append(org)
                        let link = ProviderLink()
                        link.id = UUID(); link.$person.id = p.id!; link.$organization.id = org.id!; link.since = firstStart.description
                        try await link.create(on: db)
                    }
                }

                // The circle of support.
                var members: [CircleMember] = []
                func member(_ name: String, _ rel: Relationship, paid: Bool = false, authority: String? = nil, copy: Bool = false, account: User? = nil) {
                    let m = CircleMember()
                    m.id = UUID(); m.$person.id = p.id!; m.name = name; m.relationship = rel.rawValue; m.isPaid = paid
                    m.chosenByPerson = !paid || rng.chance(70); m.hasLegalAuthority = authority != nil; m.authorityScope = authority
                    m.phone = String(format: "(573) 555-%04d", rng.int(100...199)); m.email = paid ? nil : "\(name.lowercased().replacingOccurrences(of: " ", with: "."))@family.example"
                    m.receivesPlanCopy = copy || authority != nil; m.userID = account?.id; m.version = 1
                    members.append(m)
                }
                let family = p.legalFamilyName
                if legal.hasRepresentative {
                    var account: User? = nil
                    if guardianWards < 2 && legal != .minorWithParent && status == .active { account = guardian; guardianWards += 1 }
                    else if legal == .minorWithParent && rng.chance(25) { account = rng.pick(otherGuardians) }
                    let name = account === guardian ? "Gale Guardian" : "\(rng.pick(givenNames)) \(family)"
                    member(name, legal == .minorWithParent ? .parent : .guardian,
                           authority: legal == .minorWithParent ? "Parent of a minor: all decisions" : legal == .limitedGuardianship ? "Medical and financial decisions" : "All decisions named in the court order",
                           copy: true, account: account)
                }
                member("\(rng.pick(givenNames)) \(family)", .family, copy: rng.chance(50))
                if rng.chance(60) { member("\(rng.pick(givenNames)) \(rng.pick(familyNames))", .friend) }
                if status == .active { member("\(rng.pick(givenNames)) \(rng.pick(familyNames))", .directSupportProfessional, paid: true) }
                if (3...21).contains(realAge) { member("\(rng.pick(givenNames)) \(rng.pick(familyNames))", .teacher, paid: true) }
                if (18...64).contains(realAge) && rng.chance(40) { member("\(rng.pick(givenNames)) \(rng.pick(familyNames))", .jobCoach, paid: true) }
                if rng.chance(25) { member("\(rng.pick(givenNames)) \(rng.pick(familyNames))", .advocate) }
                member(coordinator.displayName, .supportCoordinator, paid: true)
                for m in members { try await m.create(on: db) }

                // A plan for everyone getting services: each type, some complete and some still being written.
                if status == .active {
                    let guardianMember = members.first { $0.hasLegalAuthority } ?? members.first { $0.relationship == Relationship.family.rawValue }
                    let provider = linked.first.flatMap { org in staff.first { $0.$organization.id == org.id }.map { (org, $0) } }
                    try await demoPlan(for: p, number: plansMade, realAge: realAge, circle: members.compactMap { $0.id?.text },
                                       guardian: guardianMember?.id?.text, author: coordinator, provider: provider, providers: (maple, bright), staff: staff,
                                       today: today, rng: &rng, on: db)
                    plansMade += 1
                }

                if !personAccountLinked && legal == .selfDetermining && status == .active {
                    let own = user("person1@family.example", p.displayName, .person, org: nil)
                    own.personID = p.id
                    try await own.create(on: db)
                    personAccountLinked = true
                }
            }
        }
        try await demoConflicts(maple: maple, jamie: providerCoordinator, supervisor: supervisor, today: today, on: db)
        try await demoCoordination(coordinators: coordinators, supervisor: supervisor, today: today, on: db)
        try await demoPortal(today: today, on: db)
    }

    /// Two people served by Maple Street move to Jamie, who works for Maple Street: one with a plan in
    /// effect, where Maple Street is the only qualified provider nearby and the exception is documented;
    /// one still being planned, where nothing is documented yet.
    static func demoConflicts(maple: Organization, jamie: User, supervisor: User, today: CalendarDate, on db: any Database) async throws {
        let served = try await Person.query(on: db).join(ProviderLink.self, on: \Person.$id == \ProviderLink.$person.$id)
            .filter(ProviderLink.self, \.$organization.$id == maple.id!).filter(\.$status == PersonStatus.active.rawValue).sort(\.$sortName).all()
        let active = Set(try await Plan.query(on: db).filter(\.$status == PlanStatus.active.rawValue).all().map { $0.$person.id })
        let withPlan = served.first { active.contains($0.id!) }, planning = served.first { !active.contains($0.id!) }
        for (person, documented) in [(withPlan, true), (planning, false)] {
            guard let person else { continue }
            let start = today.adding(days: -40)
            if let open = try await CoordinatorAssignment.query(on: db).filter(\.$person.$id == person.id!).filter(\.$endsOn == nil).first() {
                open.endsOn = start.description
                try await open.save(on: db)
            }
            try await assignment(person, jamie, from: start, to: nil, reason: "Moved to a rural county with no independent coordination agency", by: supervisor, on: db)
            person.currentCoordinatorID = jamie.id
            try await person.save(on: db)
            if documented {
                try await Caseloads.recordException(person: person.id!, organization: maple.id!, coordinator: jamie.id!,
                                                    firewall: "Jamie reports to the coordination supervisor, not to Maple Street's service managers; Maple Street's staff do not see coordination notes; the person was offered two providers 60 miles away and chose Maple Street.",
                                                    by: supervisor.id!, on: start, db: db)
            }
        }
    }

    /// Plan types cycle ISP, ISP, HCBS, IPP (infants get an IFSP); four complete, then four still being
    /// written with sections missing, so the findings have something to say.
    /// `provider` is an organisation that serves the person and one of its staff: it gets the paid steps.
    static func demoPlan(for p: Person, number: Int, realAge: Int, circle: [String], guardian: String?, author: User,
                         provider: (Organization, User)?, providers: (Organization, Organization), staff: [User],
                         today: CalendarDate, rng: inout Seeded, on db: any Database) async throws {
        let birth = CalendarDate(p.birthDate)!
        let type: PlanType = realAge < 3 ? .californiaIFSP : [.missouriISP, .missouriISP, .federalHCBS, .californiaIPP][number % 4]
        let complete = (number / 4) % 2 == 0
        let daysBack = min(rng.int(10...360), max(0, birth.months(until: today) * 30 / 2))
        let meeting = today.adding(days: -daysBack)
        let start = meeting.adding(days: 14)
        let plan = Plan()
        plan.id = UUID(); plan.$person.id = p.id!; plan.planType = type.rawValue
        plan.planKind = (type == .californiaIFSP ? PlanKind.initial : .annual).rawValue
        plan.status = PlanStatus.draft.rawValue
        plan.meetingDate = meeting.description; plan.effectiveStart = start.description
        plan.effectiveEnd = start.adding(months: type == .californiaIPP ? 36 : 12).adding(days: -1).description
        plan.implementationDate = complete ? start.description : nil
        plan.nextReviewDate = meeting.adding(months: 6).description
        plan.planningLanguage = p.primaryLanguage
        plan.seriesID = plan.id!; plan.versionNumber = 1; plan.createdByID = author.id!; plan.version = 1
        try await plan.create(on: db)
        var sections = ExamplePlan.sections(for: type, name: p.preferredName ?? p.legalGivenName, circle: circle, guardian: guardian, meetingDate: meeting,
                                            provider: provider?.0.id?.text)
        if !complete {
            for (index, key) in PlanSections.sections(for: type).map(\.key).enumerated() where (index + number) % 4 == 0 { sections[key] = nil }
            if var risks = sections["risks"]?.entries("risks"), !risks.isEmpty {
                risks[0]["mitigation"] = nil
                sections["risks"]?["risks"] = .array(risks.map(JSONValue.object))
            }
        }
        // Every plan lists its services, so the budget and the duplicate findings have something to show.
        sections["services"] = demoServices(type, number: number, start: start, maple: providers.0, bright: providers.1)
        if number % 8 == 1, sections["self-direction"] != nil { sections["self-direction"] = demoSelfDirection(start: start) }
        var rows: [String: PlanSection] = [:]
        for (key, content) in sections.sorted(by: { $0.key < $1.key }) {
            let row = PlanSection()
            row.id = UUID(); row.$plan.id = plan.id!; row.sectionKey = key; row.content = content; row.version = 1; row.updatedByID = author.id
            try await row.create(on: db)
            rows[key] = row
        }
        // A complete plan went through signing like any other: frozen with its digest, then signed by
        // everyone its rule pack names (the person and guardian in person at the meeting).
        if complete {
            let circle = try await CircleMember.query(on: db).filter(\.$person.$id == p.id!).all()
            let record = PlanRecord(plan: plan, person: p, sections: rows, circle: circle, organizations: [providers.0, providers.1])
            let signedAt = meeting.adding(days: 7).date
            for request in try await PlanLifecycle.freeze(record, at: signedAt, on: db) {
                request.status = SignatureStatus.signed.rawValue
                request.method = (request.userID == author.id ? SignatureMethod.ownAccount : request.signerRole == .provider ? .paperScanned : .inPerson).rawValue
                request.signedAt = signedAt; request.digest = plan.contentDigest; request.recordedByID = author.id
                request.hadSupport = request.signerRole == .person && rng.chance(40)
                request.supportBy = request.hadSupport == true ? "Sister, reading the plan aloud" : nil
                try await request.save(on: db)
            }
            _ = try await PlanLifecycle.activateIfSigned(plan, on: meeting.adding(days: 7), db: db)
            try await demoDeliveries(plan, number: number, staff: staff, today: today, on: db)
            // Copies given at the meeting: the person's always, with the budget; every other plan
            // still owes the representative's, so the overview has something to remind about.
            let signers = try await PlanSignature.query(on: db).filter(\.$plan.$id == plan.id!).all()
            for s in signers where [.person, .guardian, .parent].contains(s.signerRole) && (s.signerRole == .person || number % 2 == 0) {
                let copy = PlanDistribution()
                copy.id = UUID(); copy.$plan.id = plan.id!; copy.recipientName = s.signerName
                copy.recipientRole = (s.signerRole == .person ? RecipientRole.person : s.signerRole == .parent ? .parent : .guardian).rawValue
                copy.method = (s.signerRole == .person ? DistributionMethod.print : .mail).rawValue
                copy.sentOn = meeting.adding(days: 7).description; copy.includesBudget = true; copy.recordedByID = author.id!
                try await copy.create(on: db)
            }
            if p.primaryLanguage == "Spanish" { try await spanishProfileWords(for: p, by: author, on: db) }
            try await demoProgress(plan, p, content: sections["outcomes"] ?? [:], number: number, coordinator: author, providerStaff: provider?.1, today: today, on: db)
        }
    }

    /// Progress on a plan in effect, from its start to today: improving on the whole, with some plans
    /// built to be flagged (a provider that stopped recording, a step sliding away from its target).
    /// Its own random numbers, so the rest of the demo stays as it was.
    static func demoProgress(_ plan: Plan, _ p: Person, content: SectionContent, number: Int, coordinator: User, providerStaff: User?,
                             today: CalendarDate, on db: any Database) async throws {
        var rng = Seeded(state: UInt64(9_000 + number))
        let stopsEarly = number % 3 == 1, slides = number % 4 == 2
        var entries: [ProgressEntry] = []
        for outcome in PlannedOutcome.all(in: content) {
            guard let start = outcome.startDate, start < today else { continue }
            let span = Double(max(1, start.days(until: today)))
            for step in outcome.steps {
                let recorder: User? = step.responsible == .provider ? providerStaff : coordinator
                guard let recorder else { continue }
                // How often: a provider's sessions on Monday, Wednesday and Friday; others twice a week or weekly.
                let weekdays: Set<Int> = step.measure == .yesNo ? [0, 1, 2, 3, 4, 5, 6] : step.measure == .count ? [4] : step.responsible == .provider ? [0, 2, 4] : [1, 3]
                var day = start
                while day <= today {
                    defer { day = day.adding(days: 1) }
                    guard weekdays.contains(((day.dayNumber + 3) % 7 + 7) % 7) else { continue }
                    let left = day.days(until: today)
                    if step.responsible == .provider && stopsEarly && left < 30 { continue }
                    var progress = Double(start.days(until: day)) / span
                    if step.responsible == .provider && slides && left < 21 { progress = max(0, progress - Double(21 - left) / 15) }
                    let value: Double
                    switch step.measure {
                    case .percentage: value = min(100, max(0, (30 + 50 * progress + Double(rng.int(-8...8))).rounded()))
                    case .count: value = step.target.map { rng.chance(85 + Int(10 * progress)) ? $0 : max(0, $0 - 1 - Double(rng.int(0...Int(max(0, $0 - 1))))) } ?? 1
                    case .yesNo: value = rng.chance(30 + Int(55 * progress)) ? 1 : 0
                    case .rating: value = min(5, max(1, (2 + 2.2 * progress + Double(rng.int(-1...1)) * 0.6).rounded()))
                    case .duration: value = (20 + 30 * progress).rounded()
                    case .narrative: value = 0
                    }
                    let e = ProgressEntry()
                    e.id = UUID(); e.$person.id = p.id!; e.outcomeID = outcome.id; e.stepID = step.id; e.planID = plan.id!
                    e.entryDate = day.description; e.value = step.measure == .narrative ? nil : value
                    e.note = rng.chance(15) ? rng.pick(["Good focus today.", "Tired after a long week.", "Asked to try it without help.", "Needed one reminder."]) : nil
                    e.recordedByID = recorder.id!; e.organizationID = recorder.$organization.id; e.source = ProgressSource.form.rawValue
                    entries.append(e)
                }
            }
            let reviewDay = start.adding(days: 60)
            if reviewDay <= today {
                let review = OutcomeReview()
                review.id = UUID(); review.$person.id = p.id!; review.outcomeID = outcome.id; review.planID = plan.id!
                review.reviewedOn = reviewDay.description
                review.working = "Practice at the same time each week; the person chooses the order of tasks."
                review.notWorking = "Sessions were missed when transport fell through."
                review.nextSteps = "Ask the provider for a backup driver; look again at the target in three months."
                review.recordedByID = coordinator.id!
                try await review.create(on: db)
            }
            let view = OutcomeSelfView()
            view.id = UUID(); view.$person.id = p.id!; view.outcomeID = outcome.id
            view.saidOn = max(start, today.adding(days: -rng.int(3...40))).description
            view.feeling = [SelfRating.goingWell, .goingWell, .okay, .notGoingWell][rng.int(0...3)].rawValue
            view.comment = rng.pick(["I like it.", "It is hard some days.", "I want to do more.", nil])
            view.helpedBy = rng.chance(50) ? "My sister" : nil
            view.recordedByID = coordinator.id!
            try await view.create(on: db)
        }
        // One insert per 500 rows rather than one per entry.
        for chunk in stride(from: 0, to: entries.count, by: 500) {
            try await Array(entries[chunk..<min(entries.count, chunk + 500)]).create(on: db)
        }
    }

    /// The profile's own words in Spanish, so the profile of a Spanish speaker can be read in Spanish.
    static func spanishProfileWords(for p: Person, by author: User, on db: any Database) async throws {
        let words = [
            "About me": "Sobre mí", "New": "Nuevo",
            "What people like and admire about me": "Lo que a la gente le gusta y admira de mí",
            "What is important to me": "Lo que es importante para mí", "How to support me best": "Cómo apoyarme mejor",
            "What does not work for me": "Lo que no me funciona", "People who are important to me": "Las personas importantes para mí",
            "What I want to achieve": "Lo que quiero lograr",
        ]
        for (source, text) in words {
            let t = ProfileTranslation()
            t.id = UUID(); t.personID = p.id!; t.language = "es"; t.sourceDigest = PersonRecords.sourceDigest(source)
            t.translatedText = text; t.translatedBy = "Demo interpreter"; t.recordedByID = author.id!
            try await t.create(on: db)
        }
    }

    static func assignment(_ p: Person, _ c: User, from: CalendarDate, to: CalendarDate?, reason: String, by: User, on db: any Database) async throws {
        let a = CoordinatorAssignment()
        a.id = UUID(); a.$person.id = p.id!; a.$coordinator.id = c.id!; a.startsOn = from.description; a.endsOn = to?.description
        a.reason = reason; a.assignedByID = by.id
        try await a.create(on: db)
    }
}

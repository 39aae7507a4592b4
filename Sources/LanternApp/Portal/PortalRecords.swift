import Fluent
import LanternDomain
import SQLKit
import Vapor

/// Who is reading the portal for a person, and what they may see of them.
struct PortalReader: Sendable {
    let person: Person
    /// The parts of the record this reader sees (all of them for the person and a guardian).
    let shared: Set<SharedArea>
    /// The reader is the person themself.
    let isSelf: Bool
    /// The reader has legal authority: a guardian, or a parent of a minor.
    let isGuardian: Bool
    /// The reader's place in the circle, for a family member.
    let member: CircleMember?

    /// The person and a guardian choose what the rest of the family sees.
    var mayChooseSharing: Bool { isSelf || isGuardian }
    func sees(_ area: SharedArea) -> Bool { shared.contains(area) }

    /// How the reader is recorded when they ask for a change.
    var role: RecipientRole {
        if isSelf { return .person }
        switch member.map(\.relationship).flatMap(Relationship.init) {
        case .guardian?: return .guardian
        case .parent?: return .parent
        default: return isGuardian ? .guardian : .family
        }
    }
}

/// The portal's home: the plan in plain words, outcomes and how they are going, the next meeting, the
/// coordinator, and what waits for the reader.
struct PortalHome: Sendable {
    let reader: PortalReader
    let coordinator: User?
    let coordinatorPhone: String?
    /// The plan in effect, or the version waiting for signatures when none is in effect yet.
    let plan: Plan?
    let profile: PlanProfile?
    /// Source text → translation in the reader's language, where the team recorded one.
    let translations: [String: String]
    let board: OutcomeBoard?
    let nextMeeting: PlanningMeeting?
    /// Signature requests the reader can answer now.
    let toSign: Int
    let openRequests: Int
}

/// A version waiting for signatures, with what changed since the last signed version and the
/// requests the reader can answer.
struct PortalSigning: Sendable {
    let reader: PortalReader
    let plan: Plan?
    let base: Plan?
    let changes: [PlanComparison.SectionChange]
    let signatures: [PlanSignature]
    /// The requests the reader answers with their own account.
    let mine: [PlanSignature]
    /// Whether the person may add their own agreement (they have no request of their own open).
    let mayAddAgreement: Bool
}

/// A request for a change and where it stands.
struct PortalRequests: Sendable {
    let reader: PortalReader
    let plan: Plan?
    /// The services of the plan in effect, by id and name, to ask about one.
    let services: [(id: String, name: String)]
    let requests: [ReviewRequest]
}

/// The person's whole record, for the printable page and the JSON download.
struct PortalRecord: Sendable {
    let reader: PortalReader
    let circle: [CircleMember]
    let plans: [(plan: Plan, sections: [PlanSection], signatures: [PlanSignature])]
    let requests: [ReviewRequest]
    let authorizations: [Authorization]
    let deliveries: [ServiceDelivery]
    let progress: [ProgressEntry]
    let views: [OutcomeSelfView]
    let meetings: [PlanningMeeting]
    let surveys: [SatisfactionSurvey]
    let organizations: [UUID: String]
}

/// One line of who looked at or changed the record.
struct AccessLogLine: Sendable {
    let entry: AuditEntry
    let who: String
    let role: Role?
}

extension PersonRecords {
    /// The people this account opens the portal for, by name.
    func portalPeople() async throws -> [Person] {
        try await policy.scope(Person.query(on: req.db)).sort(\.$sortName).sort(\.$id).all()
    }

    /// Authorizes the reader for `action` on `category` and says what they see.
    func portalReader(_ personID: UUID, _ action: AccessPolicy.PersonAction, _ category: AuditCategory, auditAction: AuditAction,
                      on db: any Database) async throws -> PortalReader {
        let person = try await authorize(personID, action, category: category, auditAction: auditAction, on: db)
        let links = actor.role == .guardianFamily ? try await familyLinks(personID, on: db) : []
        return PortalReader(person: person, shared: policy.sharedAreas(links: links), isSelf: actor.role == .person && actor.personID == personID,
                            isGuardian: links.contains(where: \.hasLegalAuthority), member: links.first)
    }

    func portalHome(_ personID: UUID, language: PortalLanguage) async throws -> PortalHome {
        let (today, policy) = (self.today, self.policy)
        return try await unitOfWork(.read) { db, log in
            let reader = try await portalReader(personID, .view, .demographics, auditAction: .view, on: db)
            var parts = ["portal home"]
            let person = reader.person
            let coordinator = try await person.currentCoordinatorID.asyncMap { try await User.find($0, on: db) } ?? nil
            let circle = try await CircleMember.query(on: db).filter(\.$person.$id == personID).all()
            let phone = circle.first { $0.userID == coordinator?.id && $0.phone != nil }?.phone
                ?? circle.first { $0.relationship == Relationship.supportCoordinator.rawValue && $0.name == coordinator?.displayName }?.phone
            var plan: Plan?, profile: PlanProfile?, translations: [String: String] = [:], board: OutcomeBoard?
            var meeting: PlanningMeeting?, toSign = 0, open = 0
            if reader.sees(.plan) {
                plan = try await Self.planInEffect(for: personID, on: db)
                if plan == nil {
                    plan = try await Plan.query(on: db).filter(\.$person.$id == personID).filter(\.$status == PlanStatus.awaitingSignatures.rawValue)
                        .sort(\.$createdAt, .descending).first()
                }
                if let plan {
                    let rows = try await PlanSection.query(on: db).filter(\.$plan.$id == plan.requireID()).all()
                    let names = Dictionary(circle.compactMap { m in m.id.map { ($0.text, m.name) } }, uniquingKeysWith: { a, _ in a })
                    let built = PlanProfile.build(plan.type, sections: Dictionary(rows.map { ($0.sectionKey, $0.content) }, uniquingKeysWith: { a, _ in a }),
                                                  names: names, previous: nil)
                    profile = built
                    if language != .en {
                        let wanted = Dictionary(built.translatableTexts.map { (Self.sourceDigest($0), $0) }, uniquingKeysWith: { a, _ in a })
                        for t in try await ProfileTranslation.query(on: db).filter(\.$personID == personID).filter(\.$language == language.rawValue).all() {
                            if let source = wanted[t.sourceDigest] { translations[source] = t.translatedText }
                        }
                    }
                    parts.append("one-page profile of plan \(plan.id!.text)")
                }
                let pending = try await PlanSignature.query(on: db).join(Plan.self, on: \PlanSignature.$plan.$id == \Plan.$id)
                    .filter(Plan.self, \.$person.$id == personID).filter(Plan.self, \.$status == PlanStatus.awaitingSignatures.rawValue)
                    .filter(\.$status ~~ [SignatureStatus.requested.rawValue, SignatureStatus.viewed.rawValue]).all()
                toSign = pending.filter(maySignOwn).count
                open = try await ReviewRequest.query(on: db).filter(\.$personID == personID).filter(\.$status == ReviewRequestStatus.open.rawValue).count()
            }
            if reader.sees(.outcomes) {
                board = try await Self.board(person, policy: policy, today: today, quietDays: quietDays, on: db)
                parts.append("outcomes")
            }
            if reader.sees(.meetings) {
                meeting = try await PlanningMeeting.query(on: db).filter(\.$person.$id == personID).filter(\.$status == MeetingStatus.planned.rawValue)
                    .filter(\.$meetsOn >= today.description).sort(\.$meetsOn).sort(\.$startsAt).first()
                parts.append("next meeting")
            }
            log.add(event(.view, .demographics, person: personID, detail: parts.joined(separator: ", ")))
            return PortalHome(reader: reader, coordinator: coordinator, coordinatorPhone: phone, plan: plan, profile: profile, translations: translations,
                              board: board, nextMeeting: meeting, toSign: toSign, openRequests: open)
        }
    }

    // MARK: Signing

    /// The latest version waiting for signatures, what changed since the last signed version, and the
    /// reader's requests (marked as seen, as opening any version to sign does).
    func portalSigning(_ personID: UUID) async throws -> PortalSigning {
        let now = req.now
        return try await unitOfWork { db, log in
            let reader = try await portalReader(personID, .view, .plan, auditAction: .view, on: db)
            var found = try await Plan.query(on: db).filter(\.$person.$id == personID).filter(\.$status == PlanStatus.awaitingSignatures.rawValue)
                .sort(\.$createdAt, .descending).first()
            if found == nil { found = try await Self.planInEffect(for: personID, on: db) }
            guard let plan = found else {
                log.add(event(.view, .plan, person: personID, detail: "portal: nothing to sign"))
                return PortalSigning(reader: reader, plan: nil, base: nil, changes: [], signatures: [], mine: [], mayAddAgreement: false)
            }
            let series = try await Plan.query(on: db).filter(\.$seriesID == plan.seriesID).all()
            let base = Self.lastSigned(before: plan, in: series)
            let changes = try await base.asyncMap { try await Self.changes(from: $0, to: plan, on: db) } ?? []
            let signatures = try await PlanSignature.query(on: db).filter(\.$plan.$id == plan.requireID()).sort(\.$createdAt).sort(\.$id).all()
            let seen = try await markViewed(signatures, of: plan, at: now, on: db)
            let mine = signatures.filter { maySignOwn($0) }
            let ownOpen = mine.contains { [.requested, .viewed].contains($0.signatureStatus) }
            let agreed = signatures.contains { $0.signerRole == .person && $0.userID == actor.userID && $0.signatureStatus == .signed }
            let mayAdd = reader.isSelf && !ownOpen && !agreed && [.awaitingSignatures, .active].contains(plan.planStatus)
            log.add(event(.view, .plan, person: personID, detail: "plan \(plan.id!.text): portal signing page" + seen))
            return PortalSigning(reader: reader, plan: plan, base: base, changes: changes, signatures: signatures, mine: mine, mayAddAgreement: mayAdd)
        }
    }

    /// The person adds their own agreement to a version their guardian signs for them: a signature
    /// that is not required, so it never holds the plan back.
    func addOwnAgreement(_ planID: UUID) async throws -> PlanSignature {
        let (actor, now) = (self.actor, req.now)
        return try await withPlan(planID, .view, action: .update) { plan, person, db in
            guard actor.role == .person, actor.personID == person.id else {
                throw Problem.forbidden("Only \(person.displayName) adds their own agreement, with their own account.")
            }
            guard [.awaitingSignatures, .active].contains(plan.planStatus) else {
                throw Problem(.conflict, "Not open for agreement", detail: "This version is \(plan.planStatus.label.lowercased()).")
            }
            let existing = try await PlanSignature.query(on: db).filter(\.$plan.$id == planID).filter(\.$userID == actor.userID).all()
            if existing.contains(where: { [.requested, .viewed].contains($0.signatureStatus) }) {
                throw Problem(.conflict, "Your signature is asked for", detail: "Sign the plan itself: your signature is one of those it needs.")
            }
            if existing.contains(where: { $0.signatureStatus == .signed }) {
                throw Problem(.conflict, "Already agreed", detail: "You have already signed or agreed to this version.")
            }
            let check = try await PlanDigest.check(plan, on: db)
            let s = PlanSignature()
            s.id = UUID(); s.$plan.id = planID; s.role = SignerRole.person.rawValue; s.signerName = person.displayName
            s.userID = actor.userID; s.required = false
            s.reason = "The person's own agreement, beside the signature their representative gives for them."
            s.citation = "42 CFR 441.301(c)(2)(ix)"
            s.status = SignatureStatus.signed.rawValue; s.method = SignatureMethod.ownAccount.rawValue
            s.signedAt = now; s.digest = check.digest; s.recordedByID = actor.userID; s.hadSupport = false; s.version = 1
            try await s.create(on: db)
            return (s, "\(person.displayName) added their own agreement")
        }
    }

    // MARK: Asking for a change

    func portalRequests(_ personID: UUID) async throws -> PortalRequests {
        try await unitOfWork(.read) { db, log in
            let reader = try await portalReader(personID, .askForChange, .plan, auditAction: .view, on: db)
            let plan = try await Self.planInEffect(for: personID, on: db)
            var services: [(id: String, name: String)] = []
            if let plan, let section = try await PlanSection.query(on: db).filter(\.$plan.$id == plan.requireID()).filter(\.$sectionKey == "services").first() {
                services = PlannedService.all(in: section.content).compactMap { s in s.id.map { ($0, s.name) } }
            }
            let requests = try await ReviewRequest.query(on: db).filter(\.$personID == personID).sort(\.$requestedOn, .descending).sort(\.$createdAt, .descending)
                .limit(50).all()
            log.add(event(.view, .plan, person: personID, detail: "portal: requests for a change"))
            return PortalRequests(reader: reader, plan: plan, services: services, requests: requests)
        }
    }

    static let changeRequestFields: Set<String> = ["about", "serviceId", "words"]

    /// The person or their family asks, in their own words, for a review of the plan in effect or a
    /// change to one of its services. The coordinator gets a task, due within the plan type's rule,
    /// at once.
    func askForChange(_ personID: UUID, _ input: [String: JSONValue]) async throws -> ReviewRequest {
        let (actor, today, now) = (self.actor, self.today, req.now)
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: Self.changeRequestFields)
        let about = r.choice("about", label: "What to change", ChangeRequestKind.self, required: true)
        let serviceID = r.text("serviceId", label: "Which service", max: 100)
        let words = r.text("words", label: "What you want", required: true, max: 2000)
        if case .service?? = about, (serviceID ?? nil) == nil { r.fail("serviceId", "Choose the service you want to change.") }
        guard r.errors.isEmpty, let kind = about ?? nil, let said = words ?? nil else { throw Problem.invalid(r.errors) }
        return try await unitOfWork { db, log in
            let reader = try await portalReader(personID, .askForChange, .plan, auditAction: .create, on: db)
            guard let plan = try await Self.planInEffect(for: personID, on: db) else {
                throw Problem(.conflict, "No plan in effect", detail: "There is no plan in effect to change yet. Talk to your coordinator.")
            }
            var service: String?
            if kind == .service {
                let section = try await PlanSection.query(on: db).filter(\.$plan.$id == plan.requireID()).filter(\.$sectionKey == "services").first()
                guard let found = PlannedService.all(in: section?.content ?? [:]).first(where: { $0.id == serviceID ?? nil }) else {
                    throw Problem.invalid([FieldError("serviceId", "That service is not in the plan in effect. Choose one from the list.")])
                }
                service = found.name
            }
            let who = reader.isSelf ? reader.person.displayName : (reader.member?.name ?? actor.displayName)
            let request = try await Self.recordReviewRequest(on: plan, by: who, role: reader.role, on: today, reason: said, trigger: .request,
                                                              aboutService: service, recordedBy: actor.userID, db: db)
            log.add(event(.create, .plan, person: personID, detail: "plan \(plan.id!.text): " + Self.auditNote(request)))
            if request.requestStatus == .open, let item = TaskScheduler.item(for: request, person: reader.person) {
                let coordinator = try await reader.person.currentCoordinatorID.asyncMap { try await User.find($0, on: db) } ?? nil
                if try await TaskScheduler.make(item, for: personID, coordinator: coordinator, now: now, on: db) {
                    log.add(event(.create, .tasks, person: personID, detail: "task made: \(item.title), due \(item.due)"))
                }
            }
            return request
        }
    }

    // MARK: Telling how it is going, and the budget

    /// The reader, with the outcomes to say how they are going (when the reader sees them).
    func portalTell(_ personID: UUID) async throws -> (PortalReader, OutcomeBoard?) {
        let (today, policy, quiet) = (self.today, self.policy, quietDays)
        return try await unitOfWork(.read) { db, log in
            let reader = try await portalReader(personID, .giveOwnView, .satisfaction, auditAction: .view, on: db)
            var board: OutcomeBoard?
            if reader.sees(.outcomes) {
                board = try await Self.board(reader.person, policy: policy, today: today, quietDays: quiet, on: db)
                log.add(event(.view, .progress, person: personID, detail: "portal: outcomes to say how they are going"))
            }
            return (reader, board)
        }
    }

    /// The services and budget of the plan in effect, with what was used so far.
    func portalBudget(_ personID: UUID) async throws -> (PortalReader, PlanRecord?, Spending?) {
        try await unitOfWork(.read) { db, log in
            let reader = try await portalReader(personID, .view, .services, auditAction: .view, on: db)
            guard let plan = try await Self.planInEffect(for: personID, on: db) else { return (reader, nil, nil) }
            let record = try await Self.load(plan, reader.person, on: db)
            let spending = try await Self.spending(of: plan.requireID(), catalogue: record.catalogue, on: db)
            log.add(event(.view, .services, person: personID, detail: "portal: budget of plan \(plan.id!.text)"))
            return (reader, record, spending)
        }
    }

    // MARK: Sharing with the family

    /// The family members with their own account who do not have legal authority: the ones the
    /// person chooses what to share with.
    func familySharing(_ personID: UUID) async throws -> (PortalReader, [CircleMember]) {
        try await unitOfWork(.read) { db, log in
            let reader = try await portalReader(personID, .chooseSharing, .circle, auditAction: .view, on: db)
            let members = try await CircleMember.query(on: db).filter(\.$person.$id == personID).filter(\.$userID != nil)
                .filter(\.$hasLegalAuthority == false).sort(\.$name).all()
            log.add(event(.view, .circle, person: personID, detail: "portal: what the family sees"))
            return (reader, members)
        }
    }

    func share(_ personID: UUID, member memberID: UUID, areas: Set<SharedArea>) async throws -> CircleMember {
        try await change(personID, .chooseSharing, .circle, action: .update) { _, db in
            guard let member = try await CircleMember.query(on: db).filter(\.$id == memberID).filter(\.$person.$id == personID).first(),
                  member.userID != nil, !member.hasLegalAuthority else { throw Problem.notFound("family member") }
            member.sharedAreas = areas
            member.version += 1
            try await member.save(on: db)
            let list = SharedArea.allCases.filter(areas.contains).map(\.rawValue).joined(separator: ", ")
            return (member, "shares with \(member.name): \(list.isEmpty ? "nothing" : list)")
        }
    }

    // MARK: The whole record and who looked

    /// Everything Lantern holds about the person, for their right of access. Audited as an export.
    func wholeRecord(_ personID: UUID) async throws -> PortalRecord {
        try await unitOfWork(.read) { db, log in
            let reader = try await portalReader(personID, .downloadRecord, .plan, auditAction: .export, on: db)
            let circle = try await CircleMember.query(on: db).filter(\.$person.$id == personID).sort(\.$name).all()
            let plans = try await Plan.query(on: db).filter(\.$person.$id == personID).sort(\.$createdAt).sort(\.$versionNumber).all()
            let ids = plans.compactMap(\.id)
            let sections = try await PlanSection.query(on: db).filter(\.$plan.$id ~~ ids).sort(\.$sectionKey).all()
            let signatures = try await PlanSignature.query(on: db).filter(\.$plan.$id ~~ ids).sort(\.$createdAt).sort(\.$id).all()
            let authorizations = try await Authorization.query(on: db).filter(\.$person.$id == personID).sort(\.$startsOn).all()
            let deliveries = try await ServiceDelivery.query(on: db).filter(\.$authorization.$id ~~ authorizations.compactMap(\.id))
                .sort(\.$deliveredOn).sort(\.$createdAt).all()
            let organizations = try await Organization.query(on: db).all()
            log.add(event(.export, .plan, person: personID, detail: "portal: whole record, \(plans.count) plan versions"))
            return PortalRecord(
                reader: reader, circle: circle,
                plans: plans.map { plan in (plan, sections.filter { $0.$plan.id == plan.id }, signatures.filter { $0.$plan.id == plan.id }) },
                requests: try await ReviewRequest.query(on: db).filter(\.$personID == personID).sort(\.$requestedOn).all(),
                authorizations: authorizations, deliveries: deliveries,
                progress: try await ProgressEntry.query(on: db).filter(\.$person.$id == personID).sort(\.$entryDate).sort(\.$createdAt).all(),
                views: try await OutcomeSelfView.query(on: db).filter(\.$person.$id == personID).sort(\.$saidOn).all(),
                meetings: try await PlanningMeeting.query(on: db).filter(\.$person.$id == personID).sort(\.$meetsOn).all(),
                surveys: try await SatisfactionSurvey.query(on: db).filter(\.$person.$id == personID).sort(\.$answeredOn).all(),
                organizations: Dictionary(organizations.compactMap { o in o.id.map { ($0, o.name) } }, uniquingKeysWith: { a, _ in a }))
        }
    }

    /// Who looked at or changed the person's record, newest first, a page at a time. Reading it is
    /// itself written to the trail.
    func accessLog(_ personID: UUID, offset: Int, limit: Int) async throws -> (PortalReader, [AccessLogLine], next: Int?) {
        try await unitOfWork(.read) { db, log in
            let reader = try await portalReader(personID, .seeWhoLooked, .audit, auditAction: .view, on: db)
            let rows = try await AuditEntry.query(on: db).filter(\.$personID == personID.text).sort(\.$id, .descending)
                .range(offset..<(offset + limit + 1)).all()
            let userIDs = Set(rows.prefix(limit).compactMap { $0.userID.flatMap(UUID.init(uuidString:)) })
            let users = Dictionary(try await User.query(on: db).filter(\.$id ~~ Array(userIDs)).all().compactMap { u in u.id.map { ($0.text, u) } },
                                   uniquingKeysWith: { a, _ in a })
            let lines = rows.prefix(limit).map { entry in
                let user = entry.userID.flatMap { users[$0] }
                return AccessLogLine(entry: entry, who: user?.displayName ?? entry.userLabel ?? "Lantern", role: user?.userRole)
            }
            log.add(event(.view, .audit, person: personID, detail: "portal: who looked, from \(offset)"))
            return (reader, Array(lines), rows.count > limit ? offset + limit : nil)
        }
    }

    // MARK: Language

    func chooseLanguage(_ language: PortalLanguage) async throws {
        let actorID = actor.userID
        try await unitOfWork { db, log in
            guard let user = try await User.find(actorID, on: db) else { throw Problem.notFound("account") }
            user.language = language.rawValue
            user.version += 1
            try await user.save(on: db)
            log.add(event(.update, .account, person: nil, detail: "language: \(language.rawValue)"))
        }
    }
}

/// What a request for a change is about.
enum ChangeRequestKind: String, Vocabulary {
    /// Look at the whole plan again.
    case plan
    /// Change one service.
    case service
    var label: String { self == .plan ? "The whole plan" : "One service" }
}

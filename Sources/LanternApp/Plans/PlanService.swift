import Fluent
import Vapor

/// A plan with everything its pages and the rules need, read in one unit of work: the person, every
/// written section, and the circle (names for "who is important").
struct PlanRecord: Sendable {
    let plan: Plan
    let person: Person
    let sections: [String: PlanSection]
    let circle: [CircleMember]
    /// The provider organisations the plan names and those linked to the person; with `choices`
    /// (the section editor), every provider a step or a service may be given to.
    var organizations: [Organization] = []
    /// The catalogue entries of the plan's services (rates, limits, equivalents).
    var catalogue = ServiceCatalogue()
    /// The services of the catalogue the plan names, by code and name; with `choices`, every service,
    /// for choosing one.
    var catalogueNames: [(code: String, name: String)] = []
    /// For the conflict-of-interest rule: the coordinator's organisation, the linked providers, and the
    /// providers with a documented exception for that coordinator.
    var coordinatorOrganization: UUID?
    var linkedProviders: Set<UUID> = []
    var conflictExceptions: Set<UUID> = []

    var specs: [SectionSpec] { PlanSections.sections(for: plan.type) }
    /// What the ids in the plan stand for: circle members, provider organisations and the plan's outcomes.
    var names: [String: String] {
        var names: [String: String] = [:]
        for member in circle { if let id = member.id?.text { names[id] = member.name } }
        for organization in organizations { if let id = organization.id?.text { names[id] = organization.name } }
        for outcome in content("outcomes").entries("outcomes") {
            if let id = outcome.text("id"), let text = outcome.text("outcome") { names[id] = text }
        }
        for need in content("important-for").entries("needs") {
            if let id = need.text("id"), let text = need.text("need") { names[id] = text }
        }
        for (code, name) in catalogueNames { names[code] = name }
        return names
    }
    func content(_ key: String) -> SectionContent { sections[key]?.content ?? [:] }
    /// A section is complete when every field it needs is written and no required rule points at it.
    func completeSections(_ findings: [Finding]) -> Set<String> {
        let flagged = Set(findings.filter { $0.severity == .required }.compactMap(\.section))
        return Set(specs.filter { $0.isComplete(sections[$0.key]?.content) && !flagged.contains($0.key) }.map(\.key))
    }

    var facts: PlanFacts {
        var facts = PlanFacts(planType: plan.type, planKind: plan.kind, meetingDate: plan.meetingDate.flatMap(CalendarDate.init),
                  effectiveStart: plan.effectiveStart.flatMap(CalendarDate.init), effectiveEnd: plan.effectiveEnd.flatMap(CalendarDate.init),
                  implementationDate: plan.implementationDate.flatMap(CalendarDate.init), nextReviewDate: plan.nextReviewDate.flatMap(CalendarDate.init),
                  planningLanguage: plan.planningLanguage, birthDate: CalendarDate(person.birthDate), residenceType: person.residenceType,
                  hasLegalRepresentative: LegalStatus(rawValue: person.legalStatus)?.hasRepresentative ?? false,
                  sections: sections.mapValues(\.content), catalogue: catalogue, names: names)
        facts.coordinatorOrganization = coordinatorOrganization?.text
        facts.linkedProviders = Set(linkedProviders.map(\.text)); facts.conflictExceptions = Set(conflictExceptions.map(\.text))
        return facts
    }

    /// The plan's budget: each paid service's cost from the catalogue's rates, with its totals.
    var budget: PlanBudget {
        PlanBudget.compute(services: PlannedService.all(in: content("services")), catalogue: catalogue,
                           plan: (plan.effectiveStart.flatMap(CalendarDate.init), plan.effectiveEnd.flatMap(CalendarDate.init)),
                           individualBudget: content("self-direction").number("individualBudget"))
    }

    /// The findings of the plan type's rule pack. The packs are part of the build; if they cannot be
    /// read, the answer says so instead of pretending the plan is complete.
    func findings() throws -> [Finding] {
        switch RulePackLibrary.shared {
        case let .success(library): return RuleEngine(library: library).findings(for: facts)
        case let .failure(error):
            throw Problem(.internalServerError, "Rule packs missing", detail: "The plan rules could not be read, so the plan cannot be checked: \(error)")
        }
    }
}

/// Plans and their sections, shared by the JSON API and the pages. Every operation goes through
/// `PersonRecords`: the plan's person decides who may read or write it, and every read and write is audited.
extension PersonRecords {
    /// Runs `body` on a plan after checking access to its person. A plan the actor may not see is
    /// "not found", the same as one that does not exist.
    func withPlan<T: Sendable>(_ planID: UUID, _ permission: AccessPolicy.PersonAction, action: AuditAction,
                               _ body: @escaping @Sendable (Plan, Person, any Database) async throws -> (T, String)) async throws -> T {
        try await unitOfWork(permission == .view && action.onlyReads ? .read : .change) { db, log in
            guard let plan = try await Plan.find(planID, on: db) else { throw Problem.notFound("plan") }
            let person: Person
            do {
                person = try await authorize(plan.$person.id, permission, category: .plan, auditAction: action, on: db)
            } catch var denial as AccessDenial where denial.problem.status == .notFound {
                denial.problem = .notFound("plan")
                throw denial
            }
            let (result, note) = try await body(plan, person, db)
            log.add(event(action, .plan, person: plan.$person.id, detail: "plan \(planID.text): \(note)"))
            return result
        }
    }

    static func load(_ plan: Plan, _ person: Person, choices: Bool = false, on db: any Database) async throws -> PlanRecord {
        try await load([(plan, person)], choices: choices, on: db)[0]
    }

    /// The records of many plans, in their order, with the same queries as one plan's: each kind of
    /// row is read for all of them at once (the bulk export reads plans by the hundred). Only the
    /// providers and services the plans name are read, unless `choices` asks for every one (an editor
    /// offers them all; a state has thousands of providers, and a plan's words need a few).
    static func load(_ plans: [(Plan, Person)], choices: Bool = false, on db: any Database) async throws -> [PlanRecord] {
        guard !plans.isEmpty else { return [] }
        let planIDs = try plans.map { try $0.0.requireID() }
        let personIDs = Array(Set(try plans.map { try $0.1.requireID() }))
        let sections = Dictionary(grouping: try await PlanSection.query(on: db).filter(\.$plan.$id ~~ planIDs).all(), by: { $0.$plan.id })
            .mapValues { rows in Dictionary(rows.map { ($0.sectionKey, $0) }, uniquingKeysWith: { a, _ in a }) }
        let circles = Dictionary(grouping: try await CircleMember.query(on: db).filter(\.$person.$id ~~ personIDs).sort(\.$name).sort(\.$id).all(), by: { $0.$person.id })
        let coordinatorIDs = Array(Set(plans.compactMap { $0.1.currentCoordinatorID }))
        let coordinators = coordinatorIDs.isEmpty ? [:]
            : Dictionary(try await User.query(on: db).filter(\.$id ~~ coordinatorIDs).all().map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        let exceptions = Dictionary(grouping: try await Caseloads.exceptions(of: personIDs, on: db), by: { $0.$person.id })
        let links = Dictionary(grouping: try await ProviderLink.query(on: db).filter(\.$person.$id ~~ personIDs).all(), by: { $0.$person.id })
        let named = sections.values.reduce(into: Set(links.values.joined().map { $0.$organization.id })) {
            $0.formUnion(ServiceAuthorizations.providersNamed(services: $1["services"]?.content ?? [:], steps: ($1["outcomes"]?.content ?? [:]).entries("steps")))
        }
        let organizations = try await choices ? providerOrganizations(on: db) : providerOrganizations(named, on: db)
        let codes = sections.values.reduce(into: Set<String>()) { codes, plan in
            codes.formUnion(PlannedService.all(in: plan["services"]?.content ?? [:]).compactMap(\.code))
        }
        let catalogueNames = try await Catalogue.names(codes: choices ? nil : codes, on: db)
        let catalogues = try await Catalogue.forPlans(planIDs.map { sections[$0]?["services"]?.content }, on: db)
        return zip(plans, catalogues).map { pair, catalogue in
            let (plan, person) = pair
            let coordinator = person.currentCoordinatorID.flatMap { coordinators[$0] }
            return PlanRecord(plan: plan, person: person, sections: sections[plan.id!] ?? [:], circle: circles[person.id!] ?? [],
                              organizations: organizations, catalogue: catalogue, catalogueNames: catalogueNames,
                              coordinatorOrganization: coordinator?.$organization.id,
                              linkedProviders: Set((links[person.id!] ?? []).map { $0.$organization.id }),
                              conflictExceptions: Set((exceptions[person.id!] ?? []).filter { $0.$coordinator.id == coordinator?.id }.map { $0.$organization.id }))
        }
    }

    func plans(of personID: UUID) async throws -> (Person, [Plan]) {
        try await read(personID, .plan, action: .list, detail: "listed plans") { person, db in
            let plans = try await Plan.query(on: db).filter(\.$person.$id == personID)
                .sort(\.$createdAt, .descending).sort(\.$id).limit(200).all()
            return (person, plans)
        }
    }

    /// The whole plan. A signer reading the version they were asked to sign (`marksSeen`) shows as having seen it.
    func planRecord(_ planID: UUID, note: String = "read whole plan", permission: AccessPolicy.PersonAction = .view, marksSeen: Bool = false) async throws -> PlanRecord {
        let now = req.now
        return try await withPlan(planID, permission, action: .view) { plan, person, db in
            var seen = ""
            if marksSeen, plan.planStatus == .awaitingSignatures {
                seen = try await markViewed(try await PlanSignature.query(on: db).filter(\.$plan.$id == planID).all(), of: plan, at: now, on: db)
            }
            return (try await Self.load(plan, person, on: db), note + seen)
        }
    }

    func createPlan(for personID: UUID, _ input: [String: JSONValue]) async throws -> Plan {
        let actor = self.actor, today = self.today
        return try await change(personID, .writePlan, .plan, action: .create) { person, db in
            let plan = Plan()
            plan.id = UUID()
            plan.$person.id = personID
            plan.status = PlanStatus.draft.rawValue
            plan.seriesID = plan.id!
            plan.versionNumber = 1
            plan.createdByID = actor.userID
            plan.version = 1
            let errors = PlanFields.apply(input, to: plan, creating: true, person: person, today: today)
            if !errors.isEmpty { throw Problem.invalid(errors) }
            try await plan.create(on: db)
            return (plan, "created \(plan.planType) plan \(plan.id!.text)")
        }
    }

    func updatePlan(_ planID: UUID, _ input: [String: JSONValue], ifMatch: String) async throws -> Plan {
        let today = self.today
        return try await withPlan(planID, .writePlan, action: .update) { plan, person, db in
            try Self.requireUnfrozen(plan)
            try ETag.check(ifMatch, version: plan.version)
            let errors = PlanFields.apply(input, to: plan, creating: false, person: person, today: today)
            if !errors.isEmpty { throw Problem.invalid(errors) }
            let changed = plan.changedFieldNames
            plan.version += 1
            try await plan.save(on: db)
            return (plan, changed.isEmpty ? "no change" : "fields written: " + changed.joined(separator: ", "))
        }
    }

    /// One section and the plan it belongs to. An unwritten section comes back as nil (version 0).
    func section(_ key: String, of planID: UUID, choices: Bool = false) async throws -> (PlanRecord, SectionSpec) {
        try await withPlan(planID, .view, action: .view) { plan, person, db in
            let spec = try Self.spec(key, for: plan)
            return ((try await Self.load(plan, person, choices: choices, on: db), spec), "read section \(key)")
        }
    }

    /// Replaces one section's content. `ifMatch` is the section's ETag ("0" for a section never written).
    func saveSection(_ key: String, of planID: UUID, _ input: SectionContent, ifMatch: String) async throws -> (PlanSection, PlanType) {
        let actor = self.actor
        return try await withPlan(planID, .writePlan, action: .update) { plan, person, db in
            try Self.requireUnfrozen(plan)
            let spec = try Self.spec(key, for: plan)
            let existing = try await PlanSection.query(on: db).filter(\.$plan.$id == planID).filter(\.$sectionKey == key).first()
            try ETag.check(ifMatch, version: existing?.version ?? 0)
            let circle = try await CircleMember.query(on: db).filter(\.$person.$id == person.requireID()).all()
            let organizations = try await Self.providerOrganizations(on: db)
            // Other sections may point at the plan's outcomes and needs (a service supports one).
            var references: [String: Set<String>] = [:]
            for (section, list) in [("outcomes", "outcomes"), ("important-for", "needs")] where key != section {
                if let row = try await PlanSection.query(on: db).filter(\.$plan.$id == planID).filter(\.$sectionKey == section).first() {
                    references[list] = Set(row.content.entries(list).compactMap { $0.text("id") })
                }
            }
            let codes = key == "services" ? Set(try await Catalogue.names(on: db).map(\.code)) : []
            let context = SectionContext(circleMembers: Set(circle.compactMap { $0.id?.text }), organizations: Set(organizations.compactMap { $0.id?.text }),
                                         references: references, catalogue: codes)
            let (content, errors) = spec.normalize(input, context: context)
            if !errors.isEmpty { throw Problem.invalid(errors) }
            let row = existing ?? PlanSection()
            if existing == nil {
                row.id = UUID(); row.$plan.id = planID; row.sectionKey = key; row.version = 0
            }
            row.content = content
            row.version += 1
            row.updatedByID = actor.userID
            try await row.save(on: db)
            return ((row, plan.type), "wrote section \(key) (version \(row.version))")
        }
    }

    /// Every provider organisation, by name: the ones a step or a service may be given to. Those a
    /// plan in effect names are linked to the person when it takes effect.
    static func providerOrganizations(on db: any Database) async throws -> [Organization] {
        try await Organization.query(on: db).filter(\.$kind == OrganizationKind.provider.rawValue).sort(\.$name).all()
    }

    /// The provider organisations among `ids`, by name.
    static func providerOrganizations(_ ids: Set<UUID>, on db: any Database) async throws -> [Organization] {
        guard !ids.isEmpty else { return [] }
        return try await Organization.query(on: db).filter(\.$id ~~ Array(ids)).filter(\.$kind == OrganizationKind.provider.rawValue).sort(\.$name).all()
    }

    /// The provider organisations linked to the person, by name.
    static func providers(of personID: UUID, on db: any Database) async throws -> [Organization] {
        try await Organization.query(on: db)
            .join(ProviderLink.self, on: \Organization.$id == \ProviderLink.$organization.$id)
            .filter(ProviderLink.self, \.$person.$id == personID)
            .sort(\.$name).all()
    }

    static func spec(_ key: String, for plan: Plan) throws -> SectionSpec {
        guard let spec = PlanSections.spec(key), spec.planTypes.contains(plan.type) else {
            throw Problem(.notFound, "No such section",
                          detail: "A \(plan.type.shortLabel) has no section \"\(key)\". Its sections are: \(PlanSections.sections(for: plan.type).map(\.key).joined(separator: ", ")).")
        }
        return spec
    }

    /// Only a draft changes. A version sent for signatures, signed or replaced keeps what was agreed.
    static func requireUnfrozen(_ plan: Plan) throws {
        if plan.frozenAt != nil || plan.planStatus != .draft {
            throw Problem(.conflict, "Plan version is frozen",
                          detail: "Only a draft can be edited, and this version is \(plan.planStatus.label.lowercased()). "
                              + (plan.planStatus == .awaitingSignatures ? "Take it back to draft to change it (the signature requests are withdrawn)." : "Start a new version to change it."))
        }
    }

}

/// Reads the plan's own fields from a request body (API JSON or a form turned into JSON).
enum PlanFields {
    static let allowed: Set<String> = ["planType", "planKind", "status", "meetingDate", "effectiveStart", "effectiveEnd",
                                       "implementationDate", "nextReviewDate", "planningLanguage"]

    static func apply(_ input: [String: JSONValue], to plan: Plan, creating: Bool, person: Person, today: CalendarDate) -> [FieldError] {
        var r = FieldReader(input, creating: creating)
        r.rejectUnknown(allowed: allowed)
        if creating {
            if case let type?? = r.choice("planType", label: "Plan type", PlanType.self, required: true) { plan.planType = type.rawValue }
        } else if input["planType"] != nil {
            r.fail("planType", "The plan type cannot change. Start a new plan of the other type instead.")
        }
        if case let kind?? = r.choice("planKind", label: "Kind of plan", PlanKind.self, required: true) { plan.planKind = kind.rawValue }
        if input["status"] != nil {
            r.fail("status", creating ? "A new plan starts as a draft. Send it for signatures once it is written; it takes effect when everyone has signed."
                                      : "The status changes through the plan's steps: send for signatures, sign, start a new version, end.")
        }
        if let v = r.date("meetingDate", label: "Date of the planning meeting") { plan.meetingDate = v?.description }
        if let v = r.date("effectiveStart", label: "Plan starts") { plan.effectiveStart = v?.description }
        if let v = r.date("effectiveEnd", label: "Plan ends") { plan.effectiveEnd = v?.description }
        if let v = r.date("implementationDate", label: "Date of implementation") { plan.implementationDate = v?.description }
        if let v = r.date("nextReviewDate", label: "Next review") { plan.nextReviewDate = v?.description }
        if let v = r.text("planningLanguage", label: "Language of the plan", max: 80) { plan.planningLanguage = v }
        guard r.errors.isEmpty, plan.$planType.value != nil, plan.$planKind.value != nil else { return r.errors }

        if let start = plan.effectiveStart.flatMap(CalendarDate.init), let end = plan.effectiveEnd.flatMap(CalendarDate.init), end < start {
            r.fail("effectiveEnd", "The plan must end on or after the day it starts (\(start)).")
        }
        if plan.kind == .sixMonthReview && plan.type != .californiaIFSP {
            r.fail("planKind", "A six-month review is only for an IFSP. Choose initial, annual or update.")
        }
        // Early Start ends at the third birthday: an IFSP is for a child under 3 on the day of the meeting.
        if plan.type == .californiaIFSP, let birth = CalendarDate(person.birthDate) {
            let on = plan.meetingDate.flatMap(CalendarDate.init) ?? today
            if birth.years(until: on) >= 3 {
                r.fail(plan.meetingDate == nil ? "planType" : "meetingDate",
                       "An IFSP is for a child under 3, and \(person.displayName) is 3 or older on \(on). Choose an IPP or another plan type.")
            }
        }
        return r.errors
    }
}

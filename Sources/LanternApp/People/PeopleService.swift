import Fluent
import Vapor

/// What can be done to people's records, shared by the JSON API and the web pages. Each operation is
/// one audited unit of work through `PersonRecords`.
extension PersonRecords {
    var today: CalendarDate { CalendarDate(req.now) }
    /// The actor, the day and the settings, for the rules (`RuleContext`).
    var ruleContext: RuleContext {
        RuleContext(actorID: actor.userID, actorRole: actor.role, today: today, caseloadRules: req.application.lantern.settings.caseloadRules)
    }

    func listPeople(_ query: PeopleQuery) async throws -> PeopleQuery.Page {
        let policy = self.policy, today = self.today
        return try await unitOfWork(.read) { db, log in
            let page = try await query.run(policy, on: db, today: today)
            var filters: [String] = []
            if query.search != nil { filters.append("name search") }
            if let s = query.status { filters.append("status=\(s.rawValue)") }
            if let g = query.ageGroup { filters.append("ageGroup=\(g.rawValue)") }
            log.add(event(.list, .caseload, person: nil, detail: "listed \(page.people.count) people" + (filters.isEmpty ? "" : " (\(filters.joined(separator: ", ")))")))
            return page
        }
    }

    func createPerson(_ input: [String: JSONValue]) async throws -> Person {
        guard policy.mayCreatePeople else {
            throw Problem.forbidden("Your role (\(actor.role.label)) cannot add people. Ask a support coordinator.")
        }
        var fields = input
        let coordinatorValue = fields.removeValue(forKey: "coordinatorId")
        // The reasons the assignment rule may ask for, as on an assignment.
        var reasons = FieldReader(["overLimitReason": fields.removeValue(forKey: "overLimitReason") ?? .null,
                                   "conflictFirewall": fields.removeValue(forKey: "conflictFirewall") ?? .null], creating: true)
        let overLimitReason = reasons.text("overLimitReason", label: "Why the coordinator takes this person on over their limit", max: 1000) ?? nil
        let conflictFirewall = Caseloads.firewall([:], reader: &reasons) ?? nil
        let person = Person()
        var errors = PersonFields.apply(fields, to: person, creating: true, today: today) + reasons.errors
        var coordinatorID: UUID? = actor.role == .supportCoordinator ? actor.userID : nil
        if let coordinatorValue {
            if case let .string(text) = coordinatorValue, let id = UUID(uuidString: text) { coordinatorID = id }
            else if coordinatorValue != .null { errors.append(FieldError("coordinatorId", "coordinatorId must be the id of a support coordinator.")) }
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        // A coordinator adds people to their own caseload; a supervisor to one of their coordinators'.
        if let coordinatorID, actor.role == .supportCoordinator, coordinatorID != actor.userID {
            throw Problem.invalid([FieldError("coordinatorId", "A support coordinator adds people to their own caseload. Leave coordinatorId out, or ask a supervisor to assign someone else.")])
        }
        if coordinatorID == nil, actor.role == .supervisor {
            throw Problem.invalid([FieldError("coordinatorId", "Choose which of your coordinators will support this person.")])
        }
        let context = ruleContext, assignedCoordinator = coordinatorID
        return try await unitOfWork { db, log in
            person.id = UUID()
            try await person.create(on: db)
            log.add(event(.create, .demographics, person: person.id))
            if let coordinatorID = assignedCoordinator {
                // The same rule as any later assignment: the caseload limit and conflicts of interest.
                let request = CoordinatorAssignmentRule.Request(coordinatorID: coordinatorID, startsOn: context.today, reason: "First assignment",
                                                                overLimitReason: overLimitReason, conflictFirewall: conflictFirewall, first: true)
                let (_, notes) = try await CoordinatorAssignmentRule.assign(request, to: person, context: context, on: db)
                log.add(event(.create, .coordinatorAssignment, person: person.id, detail: (["coordinator set to \(coordinatorID.text)"] + notes).joined(separator: "; ")))
            }
            return person
        }
    }

    func updatePerson(_ id: UUID, _ input: [String: JSONValue], ifMatch: String) async throws -> Person {
        let today = self.today
        return try await change(id, .update, .demographics, action: .update) { person, db in
            try ETag.check(ifMatch, version: person.version)
            let errors = PersonFields.apply(input, to: person, creating: false, today: today)
            if !errors.isEmpty { throw Problem.invalid(errors) }
            let changed = person.changedFieldNames
            person.version += 1
            try await person.save(on: db)
            return (person, changed.isEmpty ? "no change" : "fields written: " + changed.joined(separator: ", "))
        }
    }

    func circle(of personID: UUID) async throws -> (Person, [CircleMember]) {
        try await read(personID, .circle) { person, db in
            let members = try await CircleMember.query(on: db).filter(\.$person.$id == personID).sort(\.$name).all()
            return (person, members)
        }
    }

    func circleMember(_ memberID: UUID, of personID: UUID) async throws -> CircleMember {
        try await read(personID, .circle) { _, db in
            try await Self.member(memberID, of: personID, on: db)
        }
    }

    func addCircleMember(to personID: UUID, _ input: [String: JSONValue]) async throws -> CircleMember {
        try await change(personID, .manageCircle, .circle, action: .create) { person, db in
            // Checked after access, so someone without access learns nothing from the answer.
            let member = CircleMember()
            let errors = CircleFields.apply(input, to: member, creating: true)
            if !errors.isEmpty { throw Problem.invalid(errors) }
            member.id = UUID()
            member.$person.id = try person.requireID()
            if let userID = member.userID { try await Self.requireLinkableAccount(userID, on: db) }
            try await member.create(on: db)
            return (member, "added circle member \(member.id!.text)" + (member.userID != nil ? "; linked account \(member.userID!.text) may now see this record" : ""))
        }
    }

    func updateCircleMember(_ memberID: UUID, of personID: UUID, _ input: [String: JSONValue], ifMatch: String) async throws -> CircleMember {
        try await change(personID, .manageCircle, .circle, action: .update) { _, db in
            let member = try await Self.member(memberID, of: personID, on: db)
            try ETag.check(ifMatch, version: member.version)
            let linkedBefore = member.userID
            let errors = CircleFields.apply(input, to: member, creating: false)
            if !errors.isEmpty { throw Problem.invalid(errors) }
            if let userID = member.userID, userID != linkedBefore { try await Self.requireLinkableAccount(userID, on: db) }
            let changed = member.changedFieldNames
            member.version += 1
            try await member.save(on: db)
            var note = "updated circle member \(memberID.text): " + changed.joined(separator: ", ")
            if linkedBefore != member.userID { note += "; account link changed (access change)" }
            return (member, note)
        }
    }

    func removeCircleMember(_ memberID: UUID, of personID: UUID, ifMatch: String?) async throws {
        try await change(personID, .manageCircle, .circle, action: .delete) { _, db in
            let member = try await Self.member(memberID, of: personID, on: db)
            if let ifMatch { try ETag.check(ifMatch, version: member.version) }
            try await member.delete(on: db)
            return ((), "removed circle member \(memberID.text)" + (member.userID != nil ? "; linked account lost access" : ""))
        }
    }

    func assignments(of personID: UUID) async throws -> [CoordinatorAssignment] {
        try await read(personID, .coordinatorAssignment) { _, db in
            try await CoordinatorAssignment.query(on: db).filter(\.$person.$id == personID)
                .with(\.$coordinator).sort(\.$startsOn, .descending).sort(\.$createdAt, .descending).all()
        }
    }

    /// Assigns a coordinator from a day, through the one assignment rule (caseload limit and conflict
    /// of interest: `CoordinatorAssignmentRule`).
    func assignCoordinator(_ coordinatorID: UUID, to personID: UUID, startsOn: CalendarDate?, reason: String,
                           overLimitReason: String? = nil, conflictFirewall: String? = nil,
                           offered: [UUID] = [], chosenBy: CoordinatorChooser? = nil) async throws -> CoordinatorAssignment {
        let request = CoordinatorAssignmentRule.Request(coordinatorID: coordinatorID, startsOn: startsOn, reason: reason, overLimitReason: overLimitReason,
                                                        conflictFirewall: conflictFirewall, offered: offered, chosenBy: chosenBy)
        try CoordinatorAssignmentRule.checkChoice(request)
        let context = ruleContext
        return try await change(personID, .assignCoordinator, .coordinatorAssignment, action: .update) { person, db in
            let (assignment, notes) = try await CoordinatorAssignmentRule.assign(request, to: person, context: context, on: db)
            return (assignment, "coordinator set to \(coordinatorID.text) from \(assignment.startsOn)" + notes.map { "; " + $0 }.joined())
        }
    }

    /// Records a documented exception to the conflict-of-interest rule for the person's coordinator
    /// and one of their providers: the provider is the only willing and qualified one in the area.
    func documentConflictException(_ personID: UUID, organizationID: UUID, firewall: String) async throws -> ConflictException {
        let (actorID, today) = (actor.userID, self.today)
        return try await change(personID, .assignCoordinator, .coordinatorAssignment, action: .create) { person, db in
            guard let coordinatorID = person.currentCoordinatorID, let coordinator = try await User.find(coordinatorID, on: db),
                  coordinator.$organization.id == organizationID, try await Caseloads.providers(of: personID, on: db).contains(organizationID) else {
                throw Problem.invalid([FieldError("organizationId", "There is no conflict to document: the person's coordinator does not work for this provider, or it does not serve the person.")])
            }
            if try await Caseloads.exceptions(of: personID, on: db).contains(where: { $0.$organization.id == organizationID && $0.$coordinator.id == coordinatorID }) {
                throw Problem.invalid([FieldError("organizationId", "An exception is already documented for this coordinator and provider.")])
            }
            try await Caseloads.recordException(person: personID, organization: organizationID, coordinator: coordinatorID, firewall: firewall, by: actorID, on: today, db: db)
            let exception = try await Caseloads.exceptions(of: personID, on: db).first { $0.$organization.id == organizationID }!
            return (exception, "conflict-of-interest exception documented for provider \(organizationID.text)")
        }
    }

    func providerLinks(of personID: UUID) async throws -> [ProviderLink] {
        try await read(personID, .providerLink) { _, db in
            try await ProviderLink.query(on: db).filter(\.$person.$id == personID).with(\.$organization).all()
        }
    }

    /// Links a provider. When the person's coordinator works for it, the link needs a documented exception.
    func linkProvider(_ organizationID: UUID, to personID: UUID, since: CalendarDate?, conflictFirewall: String? = nil) async throws -> ProviderLink {
        let start = since ?? today
        let (actorID, today) = (actor.userID, self.today)
        return try await change(personID, .linkProvider, .providerLink, action: .create) { person, db in
            guard let organization = try await Organization.find(organizationID, on: db), organization.organizationKind == .provider else {
                throw Problem.invalid([FieldError("organizationId", "organizationId must be the id of a provider agency.")])
            }
            if try await ProviderLink.query(on: db).filter(\.$person.$id == personID).filter(\.$organization.$id == organizationID).count() > 0 {
                throw Problem.invalid([FieldError("organizationId", "This provider is already linked to this person.")])
            }
            if let coordinatorID = person.currentCoordinatorID, let coordinator = try await User.find(coordinatorID, on: db),
               coordinator.$organization.id == organizationID,
               !(try await Caseloads.exceptions(of: personID, on: db).contains { $0.$organization.id == organizationID && $0.$coordinator.id == coordinatorID }) {
                guard let firewall = conflictFirewall else { throw Caseloads.refusal(organization, coordinator: coordinator, person: person) }
                try await Caseloads.recordException(person: personID, organization: organizationID, coordinator: coordinatorID, firewall: firewall, by: actorID, on: today, db: db)
            }
            let link = ProviderLink()
            link.id = UUID(); link.$person.id = personID; link.$organization.id = organizationID; link.since = start.description
            try await link.create(on: db)
            link.$organization.value = organization
            return (link, "provider \(organizationID.text) linked; its staff may now see this record")
        }
    }

    func unlinkProvider(_ organizationID: UUID, from personID: UUID) async throws {
        try await change(personID, .linkProvider, .providerLink, action: .delete) { _, db in
            guard let link = try await ProviderLink.query(on: db).filter(\.$person.$id == personID).filter(\.$organization.$id == organizationID).first() else {
                throw Problem.notFound("provider link")
            }
            try await link.delete(on: db)
            return ((), "provider \(organizationID.text) unlinked; its staff lost access")
        }
    }

    /// The coordinators this actor may give a person to: all for administrators, their own for supervisors.
    func coordinatorChoices(on db: any Database) async throws -> [User] {
        guard [.administrator, .supervisor].contains(actor.role) else { return [] }
        var query = User.query(on: db).filter(\.$role == Role.supportCoordinator.rawValue).filter(\.$isActive == true)
        if actor.role == .supervisor { query = query.filter(\.$supervisorID == actor.userID) }
        return try await query.sort(\.$displayName).all()
    }

    static func member(_ memberID: UUID, of personID: UUID, on db: any Database) async throws -> CircleMember {
        guard let member = try await CircleMember.query(on: db).filter(\.$id == memberID).filter(\.$person.$id == personID).first() else {
            throw Problem.notFound("circle member")
        }
        return member
    }

    @discardableResult
    static func requireCoordinator(_ id: UUID, field: String, on db: any Database) async throws -> User {
        guard let user = try await User.find(id, on: db), user.userRole == .supportCoordinator, user.isActive else {
            throw Problem.invalid([FieldError(field, "\(field) must be the id of an active support coordinator.")])
        }
        return user
    }

    static func requireLinkableAccount(_ id: UUID, on db: any Database) async throws {
        guard let user = try await User.find(id, on: db), user.userRole == .guardianFamily else {
            throw Problem.invalid([FieldError("userId", "userId must be the id of a guardian or family account.")])
        }
    }
}

/// Collects the database keys a save would write.
private final class WrittenKeys: DatabaseInput {
    var keys: [String] = []
    func set(_ value: DatabaseQuery.Value, at key: FieldKey) { keys.append(key.description) }
}

extension Fields {
    /// The names of the fields a save would write, for the audit note (names only, never values).
    var changedFieldNames: [String] {
        let collector = WrittenKeys()
        input(to: collector)
        return collector.keys.filter { !["version", "sort_name", "search_text", "updated_at", "created_at"].contains($0) }
    }
}

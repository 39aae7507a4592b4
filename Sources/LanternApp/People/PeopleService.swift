import Fluent
import Vapor

/// What can be done to people's records, shared by the JSON API and the web pages. Each operation is
/// one audited unit of work through `PersonRecords`.
extension PersonRecords {
    var today: CalendarDate { CalendarDate(req.now) }

    func listPeople(_ query: PeopleQuery) async throws -> PeopleQuery.Page {
        let policy = self.policy, today = self.today
        return try await unitOfWork { db, log in
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
        let person = Person()
        var errors = PersonFields.apply(fields, to: person, creating: true, today: today)
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
        let actor = self.actor, today = self.today, assignedCoordinator = coordinatorID
        return try await unitOfWork { db, log in
            person.id = UUID()
            if let coordinatorID = assignedCoordinator {
                try await Self.requireCoordinator(coordinatorID, field: "coordinatorId", on: db)
                if actor.role == .supervisor, try await User.find(coordinatorID, on: db)?.supervisorID != actor.userID {
                    throw Problem.invalid([FieldError("coordinatorId", "Choose one of the coordinators you supervise.")])
                }
                person.currentCoordinatorID = coordinatorID
            }
            try await person.create(on: db)
            log.add(event(.create, .demographics, person: person.id))
            if let coordinatorID = assignedCoordinator {
                let assignment = CoordinatorAssignment()
                assignment.$person.id = person.id!; assignment.$coordinator.id = coordinatorID
                assignment.startsOn = today.description; assignment.reason = "First assignment"; assignment.assignedByID = actor.userID
                try await assignment.create(on: db)
                log.add(event(.create, .coordinatorAssignment, person: person.id))
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

    /// Assigns a coordinator from a day. Going over the coordinator's weighted caseload limit needs a
    /// reason; a coordinator who works for one of the person's providers needs a documented exception
    /// (the firewall), as the conflict-of-interest rule allows only then.
    func assignCoordinator(_ coordinatorID: UUID, to personID: UUID, startsOn: CalendarDate?, reason: String,
                           overLimitReason: String? = nil, conflictFirewall: String? = nil,
                           offered: [UUID] = [], chosenBy: CoordinatorChooser? = nil) async throws -> CoordinatorAssignment {
        // The person chooses among the coordinators offered: the choice needs at least two options,
        // one of them the coordinator chosen.
        if let chosenBy, chosenBy != .assigned {
            if offered.count < 2 {
                throw Problem.invalid([FieldError("optionsOffered", "\(chosenBy.label) among the coordinators offered: list at least two coordinators offered, or say the coordinator was assigned without a choice.")])
            }
            if !offered.contains(coordinatorID) {
                throw Problem.invalid([FieldError("optionsOffered", "The coordinator chosen must be one of the coordinators offered.")])
            }
        } else if !offered.isEmpty && chosenBy == nil {
            throw Problem.invalid([FieldError("chosenBy", "Say who chose among the coordinators offered.")])
        }
        let today = self.today, actorID = actor.userID, actorRole = actor.role
        let rules = req.application.lantern.settings.caseloadRules
        let start = startsOn ?? today
        return try await change(personID, .assignCoordinator, .coordinatorAssignment, action: .update) { person, db in
            let coordinator = try await Self.requireCoordinator(coordinatorID, field: "coordinatorId", on: db)
            if actorRole == .supervisor, coordinator.supervisorID != actorID {
                throw Problem.invalid([FieldError("coordinatorId", "Choose one of the coordinators you supervise. An administrator can move a person to another team.")])
            }
            if person.currentCoordinatorID == coordinatorID {
                throw Problem.invalid([FieldError("coordinatorId", "This coordinator is already assigned to this person.")])
            }
            var notes: [String] = []
            let caseload = try await Caseloads.of([coordinator], rules: rules, on: db)[coordinatorID]!
            if person.status != PersonStatus.exited.rawValue, caseload.wouldExceed(adding: person.coordinationIntensity) {
                guard let overLimitReason else {
                    let after = caseload.weighted + rules.weight(person.coordinationIntensity)
                    throw Problem.invalid([FieldError("overLimitReason",
                        "\(coordinator.displayName)'s caseload would be \(SectionSpec.plain(after)) of a limit of \(SectionSpec.plain(caseload.limit)) (weighted by intensity). Choose another coordinator, or say why \(coordinator.displayName) takes \(person.displayName) on anyway.")])
                }
                notes.append("over the caseload limit: \(overLimitReason)")
            }
            let providers = try await Caseloads.providers(of: personID, on: db)
            if let organizationID = Caseloads.conflict(coordinator: coordinator, providers: providers) {
                let excepted = try await Caseloads.exceptions(of: personID, on: db).contains { $0.$organization.id == organizationID && $0.$coordinator.id == coordinatorID }
                if !excepted {
                    guard let firewall = conflictFirewall, let organization = try await Organization.find(organizationID, on: db) else {
                        throw Caseloads.refusal(try await Organization.find(organizationID, on: db) ?? Organization(name: "a provider", kind: .provider), coordinator: coordinator, person: person)
                    }
                    try await Caseloads.recordException(person: personID, organization: organizationID, coordinator: coordinatorID, firewall: firewall, by: actorID, on: today, db: db)
                    notes.append("conflict-of-interest exception recorded for \(organization.name)")
                }
            }
            if let open = try await CoordinatorAssignment.query(on: db).filter(\.$person.$id == personID).filter(\.$endsOn == nil).all().first {
                if start.description < open.startsOn {
                    throw Problem.invalid([FieldError("startsOn", "The new assignment cannot start before the current one began (\(open.startsOn)).")])
                }
                open.endsOn = start.description
                try await open.save(on: db)
            }
            let assignment = CoordinatorAssignment()
            assignment.id = UUID()
            assignment.$person.id = personID; assignment.$coordinator.id = coordinatorID
            assignment.startsOn = start.description; assignment.reason = reason; assignment.assignedByID = actorID
            assignment.overLimitReason = overLimitReason
            assignment.optionsOffered = offered.isEmpty ? nil : offered.map(\.text)
            assignment.chosenBy = chosenBy?.rawValue
            for option in offered where option != coordinatorID { _ = try await Self.requireCoordinator(option, field: "optionsOffered", on: db) }
            try await assignment.create(on: db)
            if person.selfCoordinatedSince != nil { notes.append("no longer self-directed"); person.selfCoordinatedSince = nil }
            person.currentCoordinatorID = coordinatorID
            person.version += 1
            try await person.save(on: db)
            try await Caseloads.endStaleExceptions(of: personID, coordinator: coordinatorID, providers: providers, on: today, db: db)
            try await assignment.$coordinator.load(on: db)
            if let chosenBy { notes.append("\(chosenBy.rawValue) chose among \(max(offered.count, 1)) offered") }
            return (assignment, "coordinator set to \(coordinatorID.text) from \(start)" + notes.map { "; " + $0 }.joined())
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

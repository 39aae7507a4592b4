import Fluent
import Foundation
import LanternDomain

/// What every rule is given, whoever calls it: who acts, the day, and the organisation's settings. A
/// request, a command, the statewide generator, the demo loader and a test each make one, so a rule
/// has one way in and runs the same from every door.
struct RuleContext: Sendable {
    var actorID: UUID?
    var actorRole: Role?
    var today: CalendarDate
    var caseloadRules: CaseloadRules
}

/// Assigning a support coordinator to a person: the one place the caseload limit and the
/// conflict-of-interest rule (42 CFR 441.301(c)(1)(vi)) are applied, for a new person and for a change
/// of coordinator alike.
enum CoordinatorAssignmentRule {
    struct Request: Sendable {
        var coordinatorID: UUID
        var startsOn: CalendarDate?
        var reason: String
        var overLimitReason: String?
        var conflictFirewall: String?
        var offered: [UUID] = []
        var chosenBy: CoordinatorChooser?
        /// The first coordinator of a person being created: the person's version stays 1.
        var first = false
    }

    /// Checks what can be checked before any record is read (the choice among coordinators offered).
    static func checkChoice(_ request: Request) throws {
        if let chosenBy = request.chosenBy, chosenBy != .assigned {
            if request.offered.count < 2 {
                throw Problem.invalid([FieldError("optionsOffered", "\(chosenBy.label) among the coordinators offered: list at least two coordinators offered, or say the coordinator was assigned without a choice.")])
            }
            if !request.offered.contains(request.coordinatorID) {
                throw Problem.invalid([FieldError("optionsOffered", "The coordinator chosen must be one of the coordinators offered.")])
            }
        } else if !request.offered.isEmpty && request.chosenBy == nil {
            throw Problem.invalid([FieldError("chosenBy", "Say who chose among the coordinators offered.")])
        }
    }

    /// Assigns the coordinator from the start day, inside the caller's transaction, and saves the
    /// person. Returns the assignment and notes for the audit row. Going over the coordinator's
    /// weighted caseload limit needs a reason; a coordinator who works for one of the person's
    /// providers needs a documented exception (the firewall).
    static func assign(_ request: Request, to person: Person, context: RuleContext, on db: any Database) async throws -> (CoordinatorAssignment, [String]) {
        try checkChoice(request)
        let personID = try person.requireID()
        let coordinatorID = request.coordinatorID
        let coordinator = try await PersonRecords.requireCoordinator(coordinatorID, field: "coordinatorId", on: db)
        if context.actorRole == .supervisor, coordinator.supervisorID != context.actorID {
            throw Problem.invalid([FieldError("coordinatorId", "Choose one of the coordinators you supervise. An administrator can move a person to another team.")])
        }
        if person.currentCoordinatorID == coordinatorID {
            throw Problem.invalid([FieldError("coordinatorId", "This coordinator is already assigned to this person.")])
        }
        var notes: [String] = []
        let rules = context.caseloadRules
        let caseload = try await Caseloads.of([coordinator], rules: rules, on: db)[coordinatorID]!
        if person.status != PersonStatus.exited.rawValue, caseload.wouldExceed(adding: person.coordinationIntensity) {
            guard let overLimitReason = request.overLimitReason else {
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
                guard let firewall = request.conflictFirewall, let organization = try await Organization.find(organizationID, on: db) else {
                    throw Caseloads.refusal(try await Organization.find(organizationID, on: db) ?? Organization(name: "a provider", kind: .provider), coordinator: coordinator, person: person)
                }
                guard let actorID = context.actorID else {
                    throw Problem.invalid([FieldError("conflictFirewall", "A conflict-of-interest exception is recorded by a person, not by a command.")])
                }
                try await Caseloads.recordException(person: personID, organization: organizationID, coordinator: coordinatorID, firewall: firewall,
                                                    by: actorID, on: context.today, db: db)
                notes.append("conflict-of-interest exception recorded for \(organization.name)")
            }
        }
        let start = request.startsOn ?? context.today
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
        assignment.startsOn = start.description; assignment.reason = request.reason; assignment.assignedByID = context.actorID
        assignment.overLimitReason = request.overLimitReason
        assignment.optionsOffered = request.offered.isEmpty ? nil : request.offered.map(\.text)
        assignment.chosenBy = request.chosenBy?.rawValue
        for option in request.offered where option != coordinatorID { _ = try await PersonRecords.requireCoordinator(option, field: "optionsOffered", on: db) }
        try await assignment.create(on: db)
        if person.selfCoordinatedSince != nil { notes.append("no longer self-directed"); person.selfCoordinatedSince = nil }
        person.currentCoordinatorID = coordinatorID
        if !request.first { person.version += 1 }
        try await person.save(on: db)
        try await Caseloads.endStaleExceptions(of: personID, coordinator: coordinatorID, providers: providers, on: context.today, db: db)
        try await assignment.$coordinator.load(on: db)
        if let chosenBy = request.chosenBy { notes.append("\(chosenBy.rawValue) chose among \(max(request.offered.count, 1)) offered") }
        return (assignment, notes)
    }
}

import Fluent
import Foundation

/// The one place that decides who may see or change which person's record. Every route, HTML and
/// JSON, asks it through `PersonRecords`; lists use the same scope as single records, so a list can
/// never show someone a single read would refuse.
///
/// - administrators: everyone
/// - supervisors: the people whose current coordinator they supervise
/// - support coordinators: their caseload
/// - provider staff: the people their organisation serves
/// - guardians and family: the people whose circle links to their account
/// - a person: only themself
public struct AccessPolicy: Sendable {
    public let actor: Actor

    public enum PersonAction: String, Sendable {
        case view
        case update
        case manageCircle = "manage the circle of support of"
        case assignCoordinator = "assign a coordinator to"
        case linkProvider = "link a provider to"
        case writePlan = "write the support plan of"
        case choosePhoto = "choose the profile photo of"
        case recordProgress = "record progress for"
        case reviewProgress = "review the progress of"
        case giveOwnView = "say how it is going for"
        case recordDelivery = "record services delivered to"
    }

    /// Narrows a query of people to those the actor may see.
    public func scope(_ query: QueryBuilder<Person>) -> QueryBuilder<Person> {
        switch actor.role {
        case .administrator:
            return query
        case .supervisor:
            return query
                .join(User.self, on: \Person.$currentCoordinatorID == \User.$id)
                .filter(User.self, \.$supervisorID == actor.userID)
        case .supportCoordinator:
            return query.filter(\.$currentCoordinatorID == actor.userID)
        case .providerStaff:
            guard let organizationID = actor.organizationID else { return query.filter(\.$id == UUID(uuid: UUID_NULL)) }
            return query
                .join(ProviderLink.self, on: \Person.$id == \ProviderLink.$person.$id)
                .filter(ProviderLink.self, \.$organization.$id == organizationID)
        case .guardianFamily:
            return query
                .join(CircleMember.self, on: \Person.$id == \CircleMember.$person.$id)
                .filter(CircleMember.self, \.$userID == actor.userID)
                .fields(for: Person.self)
                .unique()
        case .person:
            return query.filter(\.$id == (actor.personID ?? UUID(uuid: UUID_NULL)))
        }
    }

    /// Whether the actor's role may do `action` to a record it can see. Seeing is decided by `scope`.
    public func roleAllows(_ action: PersonAction) -> Bool {
        switch action {
        case .view:
            return true
        case .update, .manageCircle, .writePlan:
            return [.administrator, .supervisor, .supportCoordinator].contains(actor.role)
        case .assignCoordinator, .linkProvider:
            return [.administrator, .supervisor].contains(actor.role)
        case .choosePhoto:
            // The photo on the person's own profile is theirs to choose, with their family or staff.
            return actor.role != .providerStaff
        case .recordProgress:
            // Which steps: see `mayRecord(on:)`.
            return [.administrator, .supervisor, .supportCoordinator, .providerStaff, .person].contains(actor.role)
        case .reviewProgress:
            return [.administrator, .supervisor, .supportCoordinator].contains(actor.role)
        case .recordDelivery:
            // Which authorizations: see `mayRecordDelivery(for:)`.
            return [.administrator, .supervisor, .supportCoordinator, .providerStaff].contains(actor.role)
        case .giveOwnView:
            // The person's view, said by them, with their family, or told to their coordinator.
            return [.administrator, .supervisor, .supportCoordinator, .person, .guardianFamily].contains(actor.role)
        }
    }

    // MARK: Outcomes and progress

    /// Provider staff see only the action steps given to their organisation (and the outcomes those
    /// steps work toward); everyone else who may see the person sees every step.
    public func sees(_ step: ActionStep) -> Bool {
        actor.role != .providerStaff || (actor.organizationID.map { $0.text == step.organizationID } ?? false)
    }

    /// Whether the actor records progress on this step: provider staff on their organisation's steps,
    /// the person on their own steps, coordinators and their supervisors on any.
    public func mayRecord(on step: ActionStep) -> Bool {
        guard roleAllows(.recordProgress) else { return false }
        switch actor.role {
        case .providerStaff: return sees(step)
        case .person: return step.responsible == .person
        default: return true
        }
    }

    /// Whether the actor may withdraw a wrong entry: whoever recorded it, staff of the organisation it
    /// came from, and the person's coordinator, supervisor or an administrator.
    public func mayWithdraw(recordedBy: UUID, organization: UUID?) -> Bool {
        switch actor.role {
        case .administrator, .supervisor, .supportCoordinator: return true
        case .providerStaff: return organization != nil && organization == actor.organizationID
        case .person, .guardianFamily: return recordedBy == actor.userID
        }
    }

    /// Reviews by the coordinator and the person's own view are for the person's team, not for the
    /// staff of a provider who deliver one step.
    public var seesWholeOutcomes: Bool { actor.role != .providerStaff }

    /// The outcomes as this actor may see them: steps they may not see removed, and for provider staff
    /// only the outcomes that have one of their steps.
    public func visible(_ outcomes: [PlannedOutcome]) -> [PlannedOutcome] {
        outcomes.compactMap { outcome in
            var shown = outcome
            shown.steps = outcome.steps.filter(sees)
            return seesWholeOutcomes || !shown.steps.isEmpty ? shown : nil
        }
    }

    public var mayCreatePeople: Bool { [.administrator, .supervisor, .supportCoordinator].contains(actor.role) }
    public var mayReadAudit: Bool { actor.role == .administrator }
    public var mayManageAccounts: Bool { actor.role == .administrator }
    public var mayManageCatalogue: Bool { actor.role == .administrator }

    // MARK: Services and authorizations

    /// Provider staff see only their own organisation's authorizations; everyone else who may see the
    /// person sees all of them.
    public func sees(authorizationOf organization: UUID) -> Bool {
        actor.role != .providerStaff || actor.organizationID == organization
    }

    /// Delivered units are recorded by the provider's staff, or by the person's coordinator or
    /// supervisor (or an administrator) from the provider's paper records.
    public func mayRecordDelivery(for organization: UUID) -> Bool {
        switch actor.role {
        case .providerStaff: return actor.organizationID == organization
        case .administrator, .supervisor, .supportCoordinator: return true
        case .person, .guardianFamily: return false
        }
    }
    public var mayListStaff: Bool { [.administrator, .supervisor].contains(actor.role) }

    /// Loads the person if the actor may see them. Nil means "answer 404": the actor may not know they exist.
    func visiblePerson(_ id: UUID, on db: any Database) async throws -> Person? {
        try await scope(Person.query(on: db)).filter(\.$id == id).first()
    }
}

private let UUID_NULL: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

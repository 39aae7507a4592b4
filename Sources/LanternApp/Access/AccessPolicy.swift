import Fluent
import Foundation
import SQLKit

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
///
/// A family member with an account but no legal authority sees, of a person they can see, only what
/// the person shared with them (`SharedArea`); a guardian sees everything.
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
        case askForChange = "ask for a change to the plan of"
        case chooseSharing = "choose what the family sees of"
        case downloadRecord = "download the whole record of"
        case seeWhoLooked = "see who looked at the record of"
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

    /// The same scope as `scope`, as SQL over a column holding a person's id, for the organisation-wide
    /// figures that the database counts without loading anyone (`people.id`, `plans.person_id`, ...).
    /// A test keeps the two in step for every role.
    func scopeSQL(_ personColumn: String) -> SQLQueryString {
        let column = SQLQueryString(personColumn)
        let nobody: SQLQueryString = "1 = 0"
        switch actor.role {
        case .administrator:
            return "1 = 1"
        case .supervisor:
            return "\(column) IN (SELECT sp.id FROM people sp JOIN users su ON su.id = sp.current_coordinator_id WHERE su.supervisor_id = \(bind: actor.userID))"
        case .supportCoordinator:
            return "\(column) IN (SELECT sp.id FROM people sp WHERE sp.current_coordinator_id = \(bind: actor.userID))"
        case .providerStaff:
            guard let organizationID = actor.organizationID else { return nobody }
            return "\(column) IN (SELECT sl.person_id FROM provider_links sl WHERE sl.organization_id = \(bind: organizationID))"
        case .guardianFamily:
            return "\(column) IN (SELECT sc.person_id FROM circle_members sc WHERE sc.user_id = \(bind: actor.userID))"
        case .person:
            guard let personID = actor.personID else { return nobody }
            return "\(column) = \(bind: personID)"
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
        case .giveOwnView, .askForChange, .chooseSharing:
            // The person's view, said by them, with their family, or told to their coordinator.
            return [.administrator, .supervisor, .supportCoordinator, .person, .guardianFamily].contains(actor.role)
        case .downloadRecord, .seeWhoLooked:
            // The person's right of access, used by them or their family, or by staff for them.
            return [.administrator, .supervisor, .supportCoordinator, .person, .guardianFamily].contains(actor.role)
        }
    }

    // MARK: What the person shares with their family

    /// What a family member without legal authority needs before they may do `action` to a part of
    /// the record (`category`): nothing more, a part the person shared, or legal authority.
    public enum FamilyAccess: Equatable, Sendable { case always, shared(SharedArea), legalAuthority }

    public static func familyAccess(_ action: PersonAction, _ category: AuditCategory) -> FamilyAccess {
        switch action {
        case .chooseSharing: return .legalAuthority
        case .downloadRecord, .seeWhoLooked: return .shared(.record)
        case .askForChange: return .shared(.plan)
        case .giveOwnView where category == .satisfaction: return .always
        default: break
        }
        switch category {
        case .demographics, .satisfaction: return .always
        case .plan, .circle: return .shared(.plan)
        case .progress: return .shared(.outcomes)
        case .meetings: return .shared(.meetings)
        case .services: return .shared(.budget)
        case .audit: return .shared(.record)
        default: return .legalAuthority
        }
    }

    /// Whether a family account, linked to the person's circle as `links`, may do `action` to
    /// `category`. Other roles are not limited by sharing.
    public func familyMay(_ action: PersonAction, _ category: AuditCategory, links: [CircleMember]) -> Bool {
        guard actor.role == .guardianFamily else { return true }
        if links.contains(where: \.hasLegalAuthority) { return true }
        switch Self.familyAccess(action, category) {
        case .always: return true
        case .legalAuthority: return false
        case .shared(let area): return links.contains { $0.sharedAreas.contains(area) }
        }
    }

    /// The parts shared with this actor (all of them for everyone but a family member without authority).
    public func sharedAreas(links: [CircleMember]) -> Set<SharedArea> {
        guard actor.role == .guardianFamily, !links.contains(where: \.hasLegalAuthority) else { return Set(SharedArea.allCases) }
        return links.reduce(into: Set<SharedArea>()) { $0.formUnion($1.sharedAreas) }
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

/// The parts of their record a person may share with a family member who has an account.
public enum SharedArea: String, CaseIterable, Sendable, Codable {
    /// The plan: the one-page profile, the whole plan, signing and asking for a change.
    case plan
    /// Outcomes and how they are going.
    case outcomes
    /// Planning meetings.
    case meetings
    /// Services and the budget.
    case budget
    /// The whole record to download, and who looked at it.
    case record
}

private let UUID_NULL: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

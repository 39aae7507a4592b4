import Fluent
import SQLKit

/// Every migration, in order. Migrations only add: a new column or table, never a change to an old one,
/// because Fluent on SQLite can only add columns.
public enum LanternMigrations {
    public static let all: [any Migration] = [
        CreateOrganizationsAndUsers(),
        CreatePeople(),
        CreateCircleMembers(),
        CreateCoordinatorAssignmentsAndProviderLinks(),
        CreateSessionsTokensAndSignInFailures(),
        CreateAuditTrail(),
        CreatePlans(),
        CreatePlanSignatures(),
        CreatePlanDistributionAndRequests(),
        CreateProgress(),
        CreateServices(),
        CreateCaseloadsAndConflicts(),
        CreateTasksAndOutbox(),
        CreateMonitoringContacts(),
        CreateIntakeMeetingsAndSatisfaction(),
        AddOutboxDelivery(),
        CreateInvitations(),
        AddFamilySharingAndServiceChanges(),
        AddSatisfactionSums(),
        AddIndexesForOrganisationFigures(),
    ]
}

extension Database {
    var sql: any SQLDatabase { self as! any SQLDatabase }

    func createIndex(_ name: String, on table: String, _ columns: String..., unique: Bool = false) async throws {
        var builder = sql.create(index: name).on(table)
        if unique { builder = builder.unique() }
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }
}

import Fluent
import SQLKit

/// Indexes that hold every column the organisation-wide figures read (`OrganisationFigures`), so the
/// database counts a state's rows from the indexes alone instead of reading each row of a table
/// whose rows are large (a person, a plan).
struct AddIndexesForOrganisationFigures: AsyncMigration {
    var name: String { "020 indexes for the organisation-wide figures" }

    func prepare(on db: any Database) async throws {
        try await db.createIndex("people_figures", on: Person.schema, "id", "status", "current_coordinator_id")
        try await db.createIndex("plans_figures", on: Plan.schema, "status", "person_id", "effective_start", "effective_end", "plan_type")
        try await db.createIndex("tasks_figures", on: CoordinationTask.schema, "status", "show_from", "due_on", "kind", "person_id")
        // The lists' orders: the plans due soonest, open tasks by due date, authorizations by end date.
        try await db.createIndex("plans_by_start", on: Plan.schema, "status", "effective_start", "person_id")
        try await db.createIndex("plans_by_end", on: Plan.schema, "status", "effective_end", "person_id")
        try await db.createIndex("tasks_by_due", on: CoordinationTask.schema, "status", "due_on", "show_from", "person_id")
        try await db.createIndex("authorizations_by_end", on: Authorization.schema, "status", "ends_on", "person_id")
        try await db.createIndex("meetings_figures", on: PlanningMeeting.schema, "status", "meets_on", "person_id")
        try await db.createIndex("satisfaction_figures", on: SatisfactionSurvey.schema, "answered_on", "person_id", "answer_count", "rating_sum", "happy_count")
        try await db.createIndex("satisfaction_coordinator_figures", on: SatisfactionSurvey.schema, "answered_on", "coordinator_id", "person_id", "mean")
    }

    func revert(on db: any Database) async throws {
        for name in ["authorizations_by_end", "tasks_by_due", "plans_by_end", "plans_by_start", "satisfaction_coordinator_figures", "satisfaction_figures", "meetings_figures", "tasks_figures", "plans_figures", "people_figures"] {
            try await (db as! any SQLDatabase).drop(index: name).run()
        }
    }
}

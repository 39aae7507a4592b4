import Fluent
import SQLKit

/// Intake (referrals and eligibility), the choice of coordinator, planning meetings, satisfaction
/// surveys, and the person's decisions: reviews after a significant change, refused services.
struct CreateIntakeMeetingsAndSatisfaction: AsyncMigration {
    var name: String { "015 intake, coordinator choice, meetings, satisfaction and refusals" }

    func prepare(on db: any Database) async throws {
        try await db.schema(Referral.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("plan_type", .string, .required)
            .field("referred_on", .string, .required)
            .field("source", .string, .required)
            .field("referrer_name", .string, .required)
            .field("referrer_contact", .string)
            .field("reason", .string, .required)
            .field("assessed_on", .string)
            .field("decision", .string)
            .field("decided_on", .string)
            .field("decision_basis", .string)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .create()
        try await db.createIndex("referrals_person", on: Referral.schema, "person_id", "referred_on")
        try await db.createIndex("referrals_decision", on: Referral.schema, "decision")

        // How the coordinator came to be: the options the person was offered and who chose.
        try await db.schema(CoordinatorAssignment.schema).field("options_offered", .array(of: .string)).update()
        try await db.schema(CoordinatorAssignment.schema).field("chosen_by", .string).update()
        // A person who directs their own coordination, from a day.
        try await db.schema(Person.schema).field("self_coordinated_since", .string).update()

        try await db.schema(PlanningMeeting.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("plan_id", .uuid, .references(Plan.schema, .id))
            .field("meets_on", .string, .required)
            .field("starts_at", .string, .required)
            .field("place", .string, .required)
            .field("chosen_by_person", .bool, .required)
            .field("facilitator", .string, .required)
            .field("invitee_ids", .array(of: .string), .required)
            .field("other_invitees", .string)
            .field("accommodations", .array(of: .string), .required)
            .field("accommodation_notes", .string)
            .field("advocate", .string)
            .field("status", .string, .required)
            .field("attended_ids", .array(of: .string), .required)
            .field("attended_others", .string)
            .field("notes", .string)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await db.createIndex("planning_meetings_person", on: PlanningMeeting.schema, "person_id", "meets_on")
        try await db.createIndex("planning_meetings_day", on: PlanningMeeting.schema, "meets_on", "status")

        try await db.schema(SatisfactionSurvey.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("respondent", .string, .required)
            .field("answered_on", .string, .required)
            .field("meeting_id", .uuid, .references(PlanningMeeting.schema, .id))
            .field("coordinator_id", .uuid, .references(User.schema, .id))
            .field("answers", .string, .required)
            .field("mean", .double, .required)
            .field("comment", .string)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .create()
        try await db.createIndex("satisfaction_person", on: SatisfactionSurvey.schema, "person_id", "answered_on")
        try await db.createIndex("satisfaction_coordinator", on: SatisfactionSurvey.schema, "coordinator_id", "answered_on")

        try await db.schema(ServiceRefusal.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id))
            .field("service_entry_id", .string, .required)
            .field("service_name", .string, .required)
            .field("refused_on", .string, .required)
            .field("reason", .string)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .create()
        try await db.createIndex("service_refusals_person", on: ServiceRefusal.schema, "person_id")

        // Why a review is due: the person asked, their life changed, or they refused a service.
        try await db.schema(ReviewRequest.schema).field("trigger", .string, .required, .sql(.default(ReviewTrigger.request.rawValue))).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(ReviewRequest.schema).deleteField("trigger").update()
        try await db.schema(ServiceRefusal.schema).delete()
        try await db.schema(SatisfactionSurvey.schema).delete()
        try await db.schema(PlanningMeeting.schema).delete()
        try await db.schema(Person.schema).deleteField("self_coordinated_since").update()
        try await db.schema(CoordinatorAssignment.schema).deleteField("chosen_by").update()
        try await db.schema(CoordinatorAssignment.schema).deleteField("options_offered").update()
        try await db.schema(Referral.schema).delete()
    }
}

import Fluent

/// Every model Lantern stores.
///
/// Each model writes out its own `properties` instead of leaving Fluent to find them by reflection.
/// Fluent's default walks the object with the runtime's mirror, which demangles every field's type,
/// and does so several times for each row read or written: a third of the CPU time of recording one
/// progress entry went there (`lantern bench progress`). The list must name every property wrapper of
/// the class in declaration order; `StoredModelsTests` compares it with what reflection finds, and
/// checks that every table has its model here.
enum StoredModels {
    static let all: [any Model.Type] = [
        AccessToken.self, AuditChainHead.self, AuditEntry.self, Authorization.self, CatalogueEntry.self, CatalogueRate.self,
        CircleMember.self, ConflictException.self, CoordinationTask.self, CoordinatorAssignment.self, Invitation.self,
        MonitoringContact.self, Organization.self, OutboxEmail.self, OutcomeReview.self, OutcomeSelfView.self, Person.self,
        Plan.self, PlanDistribution.self, PlanSection.self, PlanSignature.self, PlanningMeeting.self, ProfilePhoto.self,
        ProfileTranslation.self, ProgressEntry.self, ProviderApproval.self, ProviderLink.self, Referral.self, ReviewRequest.self,
        SatisfactionSurvey.self, ServiceDelivery.self, ServiceRefusal.self, SignInFailure.self, User.self, UserSession.self,
        WaitingListEntry.self,
    ]
}

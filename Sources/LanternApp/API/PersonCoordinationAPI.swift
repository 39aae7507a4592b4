import LanternDomain
import Vapor

/// Intake, the person's choices about coordination, planning meetings, satisfaction surveys, refused
/// services and leaving services.
enum PersonCoordinationAPI {
    static func register(_ api: any RoutesBuilder) {
        let person = api.grouped("people", ":personID")
        person.get("referrals", use: referrals)
        person.post("referrals", use: recordReferral)
        person.post("referrals", ":referralID", "eligibility", use: decideEligibility)
        person.post("self-coordination", use: directOwnCoordination)
        person.post("leave", use: leave)
        person.get("meetings", use: meetings)
        person.post("meetings", use: scheduleMeeting)
        person.get("meetings", ":meetingID", use: meeting)
        person.post("meetings", ":meetingID", "outcome", use: recordMeetingOutcome)
        person.get("satisfaction", use: surveys)
        person.post("satisfaction", use: recordSurvey)
        person.get("refusals", use: refusals)
        person.get("invitations", use: invitations)
        person.post("invitations", use: invite)
        api.post("plans", ":planID", "refusals", use: refuseService)
        api.get("dashboard", use: dashboard)
    }

    // MARK: Dashboard

    struct DashboardDTO: Content {
        struct Counts: Content { var overdue: Int; var dueToday: Int; var dueThisWeek: Int; var overdueContacts: Int; var meetingsNext14Days: Int; var plansInEffect: Int; var plansDueWithin60Days: Int; var referralsWaiting: Int }
        struct Meeting: Content { var personId: String; var meetingId: String; var meetsOn: String; var startsAt: String; var place: String }
        struct Expiring: Content { var personId: String; var planId: String; var dueOn: String }
        struct Referral: Content { var personId: String; var referralId: String; var referredOn: String; var planType: String }
        struct Waiting: Content { var service: String; var people: Int; var longestSince: String; var longestDays: Int }
        struct ByCoordinator: Content { var coordinatorId: String; var coordinator: String; var surveys: Int; var mean: Double }
        var counts: Counts
        var tasks: [CoordinationAPI.TaskDTO]
        var meetings: [Meeting]
        var expiring: [Expiring]
        var referrals: [Referral]
        var satisfaction: [QuarterDTO]
        var satisfactionByCoordinator: [ByCoordinator]
        var waiting: [Waiting]
        /// How many coordinators have survey answers in the last 12 months; `satisfactionByCoordinator`
        /// lists the lowest means first, at most 100.
        var satisfactionCoordinators: Int
        /// For supervisors and administrators: the coordinators overseen, those over their limit first
        /// (the furthest over first), then by name, at most 100; every one is on `/api/v1/caseloads`.
        var caseloads: [CoordinationAPI.CaseloadDTO]?
        var coordinators: Int?
        var coordinatorsOverLimit: Int?
        var conflictsWithoutException: Int?
        var reviewedWithin12Months: CoordinationAPI.ReviewShareDTO?
    }

    static func dashboard(req: Request) async throws -> JSONReply<DashboardDTO> {
        let d = try await req.records().dashboard()
        let today = CalendarDate(req.now)
        let f = d.figures
        return JSONReply(value: DashboardDTO(
            counts: .init(overdue: f.tasksOverdue, dueToday: f.tasksDueToday, dueThisWeek: f.tasksDueThisWeek,
                          overdueContacts: f.contactsOverdue, meetingsNext14Days: f.meetingsNext14Days,
                          plansInEffect: f.plansInEffect, plansDueWithin60Days: f.plansDueWithin60Days, referralsWaiting: f.referralsWaiting),
            tasks: d.tasks.map { CoordinationAPI.TaskDTO($0, today: today) },
            meetings: d.meetings.map { .init(personId: $0.person.id!.text, meetingId: $0.meeting.id!.text, meetsOn: $0.meeting.meetsOn, startsAt: $0.meeting.startsAt, place: $0.meeting.place) },
            expiring: d.expiring.map { .init(personId: $0.person.id!.text, planId: $0.plan.id!.text, dueOn: $0.due.description) },
            referrals: d.referrals.map { .init(personId: $0.person.id!.text, referralId: $0.referral.id!.text, referredOn: $0.referral.referredOn, planType: $0.referral.planType) },
            satisfaction: quarters(d.satisfaction),
            satisfactionByCoordinator: d.satisfactionByCoordinator.map { .init(coordinatorId: $0.coordinator.id!.text, coordinator: $0.coordinator.displayName, surveys: $0.surveys, mean: ($0.mean * 100).rounded() / 100) },
            waiting: d.waiting.map { .init(service: $0.service, people: $0.people, longestSince: $0.longestSince.description, longestDays: $0.longestSince.days(until: today)) },
            satisfactionCoordinators: d.satisfactionCoordinators,
            caseloads: d.caseloads?.map(CoordinationAPI.CaseloadDTO.init),
            coordinators: d.caseloads == nil ? nil : d.caseloadCount, coordinatorsOverLimit: d.caseloads == nil ? nil : d.overLimitCount,
            conflictsWithoutException: d.caseloads == nil ? nil : f.conflictsWithoutException,
            reviewedWithin12Months: d.reviewed.map { r in
                CoordinationAPI.ReviewShareDTO(reviewed: r.reviewed, people: r.people, share: r.share.map { ($0 * 1000).rounded() / 1000 }, target: ReviewShare.federalTarget, meetsTarget: r.meetsTarget)
            }))
    }

    static func personID(_ req: Request) throws -> UUID { try req.uuidParameter("personID", what: "person") }

    // MARK: Intake

    struct ReferralDTO: Content {
        var id: String
        var personId: String
        var planType: String
        var referredOn: String
        var source: String
        var referrerName: String
        var referrerContact: String?
        var reason: String
        var assessedOn: String?
        var decision: String?
        var decidedOn: String?
        var decisionBasis: String?
        var deadlines: [DeadlineDTO]
    }
    struct DeadlineDTO: Content { var step: String; var from: String; var withinDays: Int; var dueOn: String?; var citation: String }

    static func referralDTO(_ r: Referral) -> ReferralDTO {
        let rules = (try? RuleEngine(library: RulePackLibrary.shared.get()))?.intakeDeadlines(for: r.type) ?? []
        return ReferralDTO(id: r.id!.text, personId: r.$person.id.text, planType: r.planType, referredOn: r.referredOn, source: r.source,
                           referrerName: r.referrerName, referrerContact: r.referrerContact, reason: r.reason, assessedOn: r.assessedOn,
                           decision: r.decision, decidedOn: r.decidedOn, decisionBasis: r.decisionBasis,
                           deadlines: rules.map { d in
                               let anchor = d.from == .referral ? r.referredOn : r.assessedOn
                               return DeadlineDTO(step: d.step.rawValue, from: d.from.rawValue, withinDays: d.withinDays,
                                                  dueOn: anchor.flatMap(CalendarDate.init)?.adding(days: d.withinDays).description, citation: d.citation)
                           })
    }

    static func referrals(req: Request) async throws -> JSONReply<ListReply<ReferralDTO>> {
        let (_, rows) = try await req.records().referrals(of: try personID(req))
        return JSONReply(value: ListReply(items: rows.map(referralDTO), nextCursor: nil))
    }

    static func recordReferral(req: Request) async throws -> JSONReply<ReferralDTO> {
        JSONReply(value: referralDTO(try await req.records().recordReferral(try personID(req), try req.jsonObject())), status: .created)
    }

    static func decideEligibility(req: Request) async throws -> JSONReply<ReferralDTO> {
        let referral = try await req.records().decideEligibility(try personID(req), referralID: try req.uuidParameter("referralID", what: "referral"), try req.jsonObject())
        return JSONReply(value: referralDTO(referral))
    }

    // MARK: Choices

    struct CoordinationStateDTO: Content {
        var personId: String
        var status: String
        var coordinatorId: String?
        var selfCoordinatedSince: String?
        var exitDate: String?
        var exitReason: String?
        init(_ p: Person) {
            personId = p.id!.text; status = p.status; coordinatorId = p.currentCoordinatorID?.text; selfCoordinatedSince = p.selfCoordinatedSince
            exitDate = p.exitDate; exitReason = p.exitReason
        }
    }

    static func directOwnCoordination(req: Request) async throws -> JSONReply<CoordinationStateDTO> {
        let body = req.body.data == nil ? [:] : try req.jsonObject()
        var r = FieldReader(body, creating: true)
        r.rejectUnknown(allowed: ["since", "reason"])
        let since = r.date("since", label: "Day the person began to direct their own coordination")
        let reason = r.text("reason", label: "What the person decided", max: 1000)
        if !r.errors.isEmpty { throw Problem.invalid(r.errors) }
        return JSONReply(value: CoordinationStateDTO(try await req.records().directOwnCoordination(try personID(req), since: since ?? nil, reason: reason ?? nil)))
    }

    static func leave(req: Request) async throws -> JSONReply<CoordinationStateDTO> {
        JSONReply(value: CoordinationStateDTO(try await req.records().leaveServices(try personID(req), try req.jsonObject())))
    }

    // MARK: Meetings

    struct MeetingDTO: Content {
        var id: String
        var personId: String
        var planId: String?
        var meetsOn: String
        var startsAt: String
        var place: String
        var chosenByPerson: Bool
        var facilitator: String
        var inviteeIds: [String]
        var otherInvitees: String?
        var accommodations: [String]
        var accommodationNotes: String?
        var advocate: String?
        var status: String
        var attendedIds: [String]
        var attendedOthers: String?
        var notes: String?
        init(_ m: PlanningMeeting) {
            id = m.id!.text; personId = m.$person.id.text; planId = m.planID?.text; meetsOn = m.meetsOn; startsAt = m.startsAt; place = m.place
            chosenByPerson = m.chosenByPerson; facilitator = m.facilitator; inviteeIds = m.inviteeIDs; otherInvitees = m.otherInvitees
            accommodations = m.accommodations; accommodationNotes = m.accommodationNotes; advocate = m.advocate; status = m.status
            attendedIds = m.attendedIDs; attendedOthers = m.attendedOthers; notes = m.notes
        }
    }

    static func meetings(req: Request) async throws -> JSONReply<ListReply<MeetingDTO>> {
        let (_, rows, _) = try await req.records().meetings(of: try personID(req))
        return JSONReply(value: ListReply(items: rows.map(MeetingDTO.init), nextCursor: nil))
    }

    static func meeting(req: Request) async throws -> JSONReply<MeetingDTO> {
        let (_, m, _, _) = try await req.records().meeting(try req.uuidParameter("meetingID", what: "meeting"), of: try personID(req))
        return JSONReply(value: MeetingDTO(m))
    }

    static func scheduleMeeting(req: Request) async throws -> JSONReply<MeetingDTO> {
        JSONReply(value: MeetingDTO(try await req.records().scheduleMeeting(try personID(req), try req.jsonObject())), status: .created)
    }

    static func recordMeetingOutcome(req: Request) async throws -> JSONReply<MeetingDTO> {
        JSONReply(value: MeetingDTO(try await req.records().recordMeetingOutcome(try req.uuidParameter("meetingID", what: "meeting"), of: try personID(req), try req.jsonObject())))
    }

    // MARK: Satisfaction

    struct SurveyDTO: Content {
        var id: String
        var respondent: String
        var answeredOn: String
        var meetingId: String?
        var coordinatorId: String?
        var answers: [String: Int]
        var mean: Double
        var comment: String?
        init(_ s: SatisfactionSurvey) {
            id = s.id!.text; respondent = s.respondent; answeredOn = s.answeredOn; meetingId = s.meetingID?.text; coordinatorId = s.coordinatorID?.text
            answers = s.ratings.mapValues(\.rawValue); mean = (s.mean * 100).rounded() / 100; comment = s.comment
        }
    }
    struct QuarterDTO: Content { var quarter: String; var surveys: Int; var mean: Double; var happyShare: Double }
    struct SurveysDTO: Content { var items: [SurveyDTO]; var trend: [QuarterDTO] }

    static func quarters(_ trend: SatisfactionTrend) -> [QuarterDTO] {
        trend.quarters.map { QuarterDTO(quarter: $0.label, surveys: $0.surveys, mean: ($0.mean * 100).rounded() / 100, happyShare: ($0.happyShare * 1000).rounded() / 1000) }
    }

    static func surveys(req: Request) async throws -> JSONReply<SurveysDTO> {
        let (_, rows, _) = try await req.records().surveys(of: try personID(req))
        return JSONReply(value: SurveysDTO(items: rows.map(SurveyDTO.init), trend: quarters(SatisfactionTrend(rows.compactMap(\.score)))))
    }

    static func recordSurvey(req: Request) async throws -> JSONReply<SurveyDTO> {
        JSONReply(value: SurveyDTO(try await req.records().recordSurvey(try personID(req), try req.jsonObject())), status: .created)
    }

    // MARK: Invitations

    struct InvitationDTO: Content {
        var id: String
        var role: String
        var circleMemberId: String?
        var email: String
        var language: String
        var expiresAt: Date
        var acceptedAt: Date?
        var withdrawnAt: Date?
        /// Only when the invitation is made: the link holds the secret, which is not kept.
        var link: String?
        init(_ i: Invitation, link: String? = nil) {
            id = i.id!.text; role = i.role; circleMemberId = i.circleMemberID?.text; email = i.email; language = i.language
            expiresAt = i.expiresAt; acceptedAt = i.acceptedAt; withdrawnAt = i.withdrawnAt; self.link = link
        }
    }

    static func invitations(req: Request) async throws -> JSONReply<ListReply<InvitationDTO>> {
        JSONReply(value: ListReply(items: try await req.records().invitations(of: try personID(req)).map { InvitationDTO($0) }, nextCursor: nil))
    }

    static func invite(req: Request) async throws -> JSONReply<InvitationDTO> {
        let (invitation, token) = try await req.records().invite(try personID(req), try req.jsonObject())
        return JSONReply(value: InvitationDTO(invitation, link: PersonRecords.invitationPath(token)), status: .created)
    }

    // MARK: Refusals

    struct RefusalDTO: Content {
        var id: String
        var planId: String
        var serviceEntryId: String
        var serviceName: String
        var refusedOn: String
        var reason: String?
        init(_ r: ServiceRefusal) {
            id = r.id!.text; planId = r.$plan.id.text; serviceEntryId = r.serviceEntryID; serviceName = r.serviceName; refusedOn = r.refusedOn; reason = r.reason
        }
    }

    static func refusals(req: Request) async throws -> JSONReply<ListReply<RefusalDTO>> {
        JSONReply(value: ListReply(items: try await req.records().refusals(of: try personID(req)).map(RefusalDTO.init), nextCursor: nil))
    }

    static func refuseService(req: Request) async throws -> JSONReply<RefusalDTO> {
        JSONReply(value: RefusalDTO(try await req.records().refuseService(try req.uuidParameter("planID", what: "plan"), try req.jsonObject())), status: .created)
    }
}

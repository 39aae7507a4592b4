import Fluent
import LanternDomain
import Vapor

/// The demo's intake, choices of coordinator, planning meetings, satisfaction surveys and the
/// person's decisions, laid over the people `DemoData.build` made. Its own random numbers, so the
/// rest of the demo stays as it was.
extension DemoData {
    static func demoCoordination(coordinators: [User], supervisor: User, today: CalendarDate, on db: any Database) async throws {
        var rng = Seeded(state: 7_777)
        try await earlyStartReferrals(coordinator: coordinators[0], supervisor: supervisor, today: today, on: db)
        let people = try await Person.query(on: db).sort(\.$sortName).all()
        let circles = Dictionary(grouping: try await CircleMember.query(on: db).all()) { $0.$person.id }
        let plans = Dictionary(grouping: try await Plan.query(on: db).all()) { $0.$person.id }
        let coordinatorIDs = coordinators.compactMap(\.id)

        // Intake: the people referred wait for a decision, some near or past their deadline; those
        // waiting were found eligible, and the IPP clock (60 days from the assessment) runs for some.
        var referred = 0
        for p in people where [PersonStatus.referred.rawValue, PersonStatus.waiting.rawValue].contains(p.status) {
            if try await Referral.query(on: db).filter(\.$person.$id == p.id!).first() != nil { continue }
            let age = p.age(on: today) ?? 30
            let type: PlanType = age < 3 ? .californiaIFSP : referred % 2 == 0 ? .californiaIPP : .missouriISP
            let r = Referral()
            r.id = UUID(); r.$person.id = p.id!; r.planType = type.rawValue
            r.source = (age < 3 ? [ReferralSource.doctor, .hospital, .family] : [.family, .school, .person, .agency])[referred % (age < 3 ? 3 : 4)].rawValue
            r.referrerName = rng.pick(["Dr. Ana Whitfield", "Riverbend Elementary", "Columbia Family Clinic", "Jordan Alder", "County Health Department"])
            r.referrerContact = String(format: "(573) 555-%04d", rng.int(200...299))
            r.reason = age < 3 ? rng.pick(["Not yet walking at 18 months; the doctor asked for an evaluation.", "Born early; the hospital refers for Early Start."])
                : rng.pick(["Needs help to live on their own after school ends.", "The family asks for support at home.", "Diagnosed with an intellectual disability; asks for services."])
            r.recordedByID = p.currentCoordinatorID ?? coordinatorIDs[0]
            if p.status == PersonStatus.referred.rawValue {
                r.referredOn = today.adding(days: -[12, 38, 50, 25, 95, 8][referred % 6]).description
            } else {
                let assessed = today.adding(days: -rng.int(20...75))
                r.referredOn = assessed.adding(days: -rng.int(30...90)).description
                r.assessedOn = assessed.description; r.decision = (rng.chance(85) ? EligibilityDecision.eligible : .provisional).rawValue
                r.decidedOn = assessed.adding(days: rng.int(0...10)).description
                r.decisionBasis = "Psychological evaluation and adaptive behaviour assessment."
            }
            try await r.create(on: db)
            referred += 1
            if r.decision != nil, referred % 2 == 0 {
                let m = PlanningMeeting()
                m.id = UUID(); m.$person.id = p.id!; m.meetsOn = today.adding(days: rng.int(3...13)).description; m.startsAt = "10:00"
                m.place = "\(p.displayName)'s home"; m.chosenByPerson = true; m.facilitator = coordinators.first { $0.id == p.currentCoordinatorID }?.displayName ?? "The coordinator"
                m.inviteeIDs = (circles[p.id!] ?? []).filter { $0.relationship != Relationship.supportCoordinator.rawValue }.compactMap { $0.id?.text }
                m.accommodations = p.interpreterNeeded ? [Accommodation.interpreter.rawValue] : []; m.status = MeetingStatus.planned.rawValue
                m.attendedIDs = []; m.recordedByID = r.recordedByID
                try await m.create(on: db)
            }
        }

        // The coordinator was chosen among those offered, for most people; a few were assigned.
        for a in try await CoordinatorAssignment.query(on: db).filter(\.$endsOn == nil).all() where coordinatorIDs.contains(a.$coordinator.id) {
            guard rng.chance(80) else { a.chosenBy = CoordinatorChooser.assigned.rawValue; try await a.save(on: db); continue }
            a.optionsOffered = coordinatorIDs.map(\.text)
            a.chosenBy = rng.pick([CoordinatorChooser.person, .person, .guardian, .family]).rawValue
            try await a.save(on: db)
        }

        // Planning meetings: the meeting of each plan, held, with who came; and the next one for
        // plans due for renewal soon, with what the person needs to take part.
        for p in people where p.status == PersonStatus.active.rawValue {
            let circle = circles[p.id!] ?? []
            let invited = circle.filter { $0.relationship != Relationship.supportCoordinator.rawValue }
            var needs: [Accommodation] = []
            if p.interpreterNeeded { needs.append(p.communicationMethods.contains(CommunicationMethod.signLanguage.rawValue) ? .signLanguage : .interpreter) }
            if p.communicationMethods.contains(CommunicationMethod.pictures.rawValue) { needs.append(.pictures) }
            if p.communicationMethods.contains(CommunicationMethod.augmentativeDevice.rawValue) { needs.append(.communicationDevice) }
            if rng.chance(25) { needs.append(rng.pick([.accessiblePlace, .breaks, .shortMeeting])) }
            let advocate = circle.first { $0.relationship == Relationship.advocate.rawValue }?.name
            func meeting(on day: CalendarDate, plan: Plan?, held: Bool) async throws -> PlanningMeeting {
                let m = PlanningMeeting()
                m.id = UUID(); m.$person.id = p.id!; m.planID = plan?.id; m.meetsOn = day.description
                m.startsAt = rng.pick(["09:30", "10:00", "13:00", "15:30", "17:30"])
                m.place = rng.pick(["\(p.displayName)'s home", "The library's meeting room", "Riverbend Coordination Services, room 2", "A video call"])
                m.chosenByPerson = rng.chance(85); m.facilitator = rng.chance(30) ? p.displayName : (coordinators.first { $0.id == p.currentCoordinatorID }?.displayName ?? "The coordinator")
                m.inviteeIDs = invited.compactMap { $0.id?.text }; m.accommodations = needs.map(\.rawValue)
                m.accommodationNotes = p.interpreterNeeded ? "\(p.primaryLanguage) interpreter booked." : nil
                m.advocate = advocate; m.recordedByID = p.currentCoordinatorID ?? coordinatorIDs[0]
                m.status = (held ? MeetingStatus.held : .planned).rawValue
                m.attendedIDs = held ? invited.filter { _ in rng.chance(80) }.compactMap { $0.id?.text } : []
                m.notes = held ? rng.pick(["\(p.displayName) led the part about what is important to them. The team agreed the outcomes in the plan.",
                                           "We talked about work and weekends. \(p.displayName) wants more time with friends; the plan adds it."]) : nil
                try await m.create(on: db)
                return m
            }
            let active = (plans[p.id!] ?? []).first { $0.planStatus == .active }
            if let active, let day = active.meetingDate.flatMap(CalendarDate.init), day <= today {
                _ = try await meeting(on: day, plan: active, held: true)
            }
            if let active, let start = active.effectiveStart.flatMap(CalendarDate.init),
               Deadlines.nextPlan(planID: "", person: "", type: active.type, start: start, end: active.effectiveEnd.flatMap(CalendarDate.init)).due <= today.adding(days: 60) {
                _ = try await meeting(on: today.adding(days: rng.int(2...14)), plan: nil, held: false)
            }

            // Satisfaction: answers over the last two years from the person and the family, a little
            // better lately.
            let someOverdue = rng.chance(15)
            for n in 0..<rng.int(1...4) {
                let daysAgo = n == 0 && !someOverdue ? rng.int(20...320) : rng.int(20...700)
                let respondent: SurveyRespondent = n % 2 == 0 ? .person : .family
                let answers = SatisfactionSurvey.syntheticAnswers(respondent, daysAgo: daysAgo) { rng.int($0) }
                let s = SatisfactionSurvey()
                s.id = UUID(); s.$person.id = p.id!; s.respondent = respondent.rawValue; s.answeredOn = today.adding(days: -daysAgo).description
                s.coordinatorID = p.currentCoordinatorID; try s.setAnswers(answers)
                s.comment = rng.chance(30) ? rng.pick(["I like my job coach.", "I want to go out more on weekends.", "Staff change too often.", "Thank you for listening."]) : nil
                s.recordedByID = p.currentCoordinatorID ?? coordinatorIDs[0]
                try await s.create(on: db)
            }
        }

        // The person decides: one refused a service in their plan, one's life changed significantly.
        let inEffect = people.filter { $0.status == PersonStatus.active.rawValue }.compactMap { p in (plans[p.id!] ?? []).first { $0.planStatus == .active }.map { (p, $0) } }
        let engine = try RuleEngine(library: RulePackLibrary.shared.get())
        if let (p, plan) = try await firstWithAuthorization(inEffect, on: db), let rule = engine.reviewOnChange(for: plan.type) {
            let authorization = try await Authorization.query(on: db).filter(\.$plan.$id == plan.id!).filter(\.$status == AuthorizationStatus.active.rawValue).first()!
            let day = today.adding(days: -6)
            let refusal = ServiceRefusal()
            refusal.id = UUID(); refusal.$person.id = p.id!; refusal.$plan.id = plan.id!; refusal.serviceEntryID = authorization.serviceEntryID
            refusal.serviceName = authorization.serviceName; refusal.refusedOn = day.description
            refusal.reason = "I do not want this any more. I would rather spend the time with my cousin."; refusal.recordedByID = p.currentCoordinatorID!
            try await refusal.create(on: db)
            authorization.status = AuthorizationStatus.ended.rawValue; authorization.endedOn = max(day.description, authorization.startsOn)
            try await authorization.save(on: db)
            try await reviewRequest(p, plan, trigger: .refusal, on: day, reason: "Refused \(authorization.serviceName): \(refusal.reason!)", rule: rule, db: db)
        }
        if let (p, plan) = inEffect.dropFirst(3).first, let rule = engine.reviewOnChange(for: plan.type) {
            try await reviewRequest(p, plan, trigger: .significantChange, on: today.adding(days: -35),
                                    reason: "Moved from the family home into a shared apartment.", rule: rule, db: db)
        }

        // One adult waiting for services, who makes their own decisions, directs their own coordination.
        let since = today.adding(days: -90)
        for p in people where p.status == PersonStatus.waiting.rawValue && (p.age(on: today) ?? 0) >= 25
            && [LegalStatus.selfDetermining.rawValue, LegalStatus.supportedDecisionMaking.rawValue].contains(p.legalStatus) {
            guard let open = try await CoordinatorAssignment.query(on: db).filter(\.$person.$id == p.id!).filter(\.$endsOn == nil).first(),
                  open.startsOn <= since.description else { continue }
            open.endsOn = since.description
            try await open.save(on: db)
            p.selfCoordinatedSince = since.description; p.currentCoordinatorID = nil
            try await p.save(on: db)
            break
        }
    }

    /// Two infants referred to Early Start by their doctors: one with two weeks left of the 45 days
    /// to the first IFSP meeting, one already past them.
    static func earlyStartReferrals(coordinator: User, supervisor: User, today: CalendarDate, on db: any Database) async throws {
        for (given, family, months, daysAgo) in [("Noor", "Ashby", 14, 31), ("Teo", "Brennan", 9, 52)] {
            let p = Person()
            p.id = UUID(); p.legalGivenName = given; p.legalFamilyName = family; p.birthDate = today.adding(months: -months).description
            p.primaryLanguage = "English"; p.interpreterNeeded = false; p.communicationMethods = [CommunicationMethod.bodyLanguage.rawValue, CommunicationMethod.gestures.rawValue]
            p.residenceType = ResidenceType.familyHome.rawValue; p.legalStatus = LegalStatus.minorWithParent.rawValue
            p.status = PersonStatus.referred.rawValue; p.currentCoordinatorID = coordinator.id; p.region = "MO"; p.city = "Riverbend"; p.county = "Boone"
            p.intensity = Intensity.standard.rawValue; p.version = 1
            p.refreshSearchColumns()
            try await p.create(on: db)
            let referredOn = today.adding(days: -daysAgo)
            try await assignment(p, coordinator, from: referredOn, to: nil, reason: "Intake", by: supervisor, on: db)
            let parent = CircleMember()
            parent.id = UUID(); parent.$person.id = p.id!; parent.name = "Sasha \(family)"; parent.relationship = Relationship.parent.rawValue
            parent.isPaid = false; parent.chosenByPerson = true; parent.hasLegalAuthority = true; parent.authorityScope = "Parent of a minor: all decisions"
            parent.phone = "(573) 555-0142"; parent.receivesPlanCopy = true; parent.version = 1
            try await parent.create(on: db)
            let r = Referral()
            r.id = UUID(); r.$person.id = p.id!; r.planType = PlanType.californiaIFSP.rawValue; r.referredOn = referredOn.description
            r.source = ReferralSource.doctor.rawValue; r.referrerName = "Dr. Ana Whitfield, Columbia Family Clinic"; r.referrerContact = "(573) 555-0199"
            r.reason = months > 12 ? "Not yet walking or saying words at \(months) months." : "Born at 30 weeks; slow to gain weight and to sit up."
            r.recordedByID = coordinator.id!
            try await r.create(on: db)
        }
    }

    static func firstWithAuthorization(_ candidates: [(Person, Plan)], on db: any Database) async throws -> (Person, Plan)? {
        for (p, plan) in candidates.dropFirst(5) where p.currentCoordinatorID != nil {
            if try await Authorization.query(on: db).filter(\.$plan.$id == plan.id!).filter(\.$status == AuthorizationStatus.active.rawValue).first() != nil { return (p, plan) }
        }
        return nil
    }

    static func reviewRequest(_ p: Person, _ plan: Plan, trigger: ReviewTrigger, on day: CalendarDate, reason: String, rule: ReviewOnRequest, db: any Database) async throws {
        let request = ReviewRequest()
        request.id = UUID(); request.$plan.id = plan.id!; request.personID = p.id!
        request.requestedBy = trigger == .refusal ? p.displayName : "A family member"
        request.requestedByRole = (trigger == .refusal ? RecipientRole.person : .family).rawValue
        request.requestedOn = day.description; request.reason = reason; request.dueOn = day.adding(days: rule.withinDays).description
        request.dueCitation = rule.citation; request.recordedByID = p.currentCoordinatorID!; request.trigger = trigger.rawValue
        request.status = ReviewRequestStatus.open.rawValue
        try await request.create(on: db)
    }
}

import Fluent
import Foundation
import LanternDomain

extension StatewideGenerator {
    /// The rows of one batch of people, built in memory and written in one transaction.
    final class Batch: @unchecked Sendable {
        let state: Organisation
        let today: CalendarDate
        var people: [Person] = [], assignments: [CoordinatorAssignment] = [], contacts: [MonitoringContact] = []
        var links: [ProviderLink] = [], circle: [CircleMember] = [], exceptions: [ConflictException] = []
        var plans: [Plan] = [], sections: [PlanSection] = [], signatures: [PlanSignature] = [], distributions: [PlanDistribution] = []
        var authorizations: [Authorization] = [], deliveries: [ServiceDelivery] = [], waiting: [WaitingListEntry] = []
        var progress: [ProgressEntry] = [], reviews: [OutcomeReview] = [], views: [OutcomeSelfView] = []
        var meetings: [PlanningMeeting] = [], surveys: [SatisfactionSurvey] = [], referrals: [Referral] = [], requests: [ReviewRequest] = []

        init(state: Organisation) throws {
            self.state = state
            self.today = state.today
        }

        func write(on db: any Database) async throws {
            try await BulkInsert.insert(people, on: db)
            try await BulkInsert.insert(assignments, on: db)
            try await BulkInsert.insert(circle, on: db)
            try await BulkInsert.insert(links, on: db)
            try await BulkInsert.insert(exceptions, on: db)
            try await BulkInsert.insert(referrals, on: db)
            try await BulkInsert.insert(contacts, on: db)
            // Earlier versions first: a version names the one before it.
            try await BulkInsert.insert(plans.sorted { $0.versionNumber < $1.versionNumber }, on: db)
            try await BulkInsert.insert(sections, on: db)
            try await BulkInsert.insert(signatures, on: db)
            try await BulkInsert.insert(distributions, on: db)
            try await BulkInsert.insert(authorizations, on: db)
            try await BulkInsert.insert(deliveries, on: db)
            try await BulkInsert.insert(waiting, on: db)
            try await BulkInsert.insert(progress, on: db)
            try await BulkInsert.insert(reviews, on: db)
            try await BulkInsert.insert(views, on: db)
            try await BulkInsert.insert(meetings, on: db)
            try await BulkInsert.insert(surveys, on: db)
            try await BulkInsert.insert(requests, on: db)
        }

        // MARK: One person

        func person(_ index: Int) throws {
            var rng = GeneratorRandom(seed: state.seed, stream: UInt64(index))
            let stamp = today.date
            let region = rng.int(0...(state.regionCount - 1))
            let coordinators = state.coordinatorsByRegion[region]
            let coordinator = rng.pick(coordinators)
            let employer = state.organizationOf[coordinator.id!]!
            let conflictCoordinator = employer.organizationKind == .provider
            let pairs = state.pairs[region]
            let pair = conflictCoordinator && rng.chance(60) ? (pairs.first { $0.0.id == employer.id } ?? rng.pick(pairs)) : rng.pick(pairs)

            // Who: ages as in the demo (infants, school age, transition age, adults, older adults).
            let groupRoll = rng.int(1...100)
            let ages: ClosedRange<Int> = groupRoll <= 8 ? 0...2 : groupRoll <= 28 ? 3...13 : groupRoll <= 48 ? 14...21 : groupRoll <= 87 ? 22...64 : 65...84
            let age = rng.int(ages)
            let p = Person()
            p.id = rng.uuid()
            p.legalGivenName = rng.pick(DemoData.givenNames)
            p.legalFamilyName = rng.pick(DemoData.familyNames)
            p.preferredName = rng.chance(25) ? rng.pick(DemoData.nicknames) : nil
            let birthYear = today.year - age - (rng.chance(50) ? 1 : 0)
            var birth = CalendarDate(String(format: "%04d-%02d-%02d", birthYear, rng.int(1...12), rng.int(1...28)))!
            if birth > today { birth = CalendarDate(String(format: "%04d-%02d-%02d", birthYear - 1, birth.month, birth.day))! }
            if birth > today.adding(days: -60) { birth = today.adding(days: -60 - rng.int(0...200)) }
            p.birthDate = birth.description
            let realAge = birth.years(until: today)
            p.pronouns = rng.pick(["she/her", "he/him", "they/them", "she/her", "he/him"])
            let (language, interpreter) = rng.pick(DemoData.languages)
            p.primaryLanguage = language
            p.interpreterNeeded = interpreter
            var methods: [CommunicationMethod] = realAge < 2 ? [.bodyLanguage, .gestures] : [rng.pick([.speech, .speech, .speech, .pictures, .augmentativeDevice, .gestures])]
            if language == "American Sign Language" { methods = [.signLanguage, .interpreter] }
            if rng.chance(30) { methods.append(rng.pick([.pictures, .bodyLanguage, .gestures])) }
            p.communicationMethods = Array(Set(methods.map(\.rawValue))).sorted()
            p.communicationProfile = rng.pick(["Speak slowly and give me time to answer.", "I point to pictures on my board to choose.",
                                               "I use my tablet to talk. Wait for me to finish typing.", "When I rock, I need a quiet break.",
                                               "Show me, then tell me. Short sentences help.", "I like to hear what will happen next before it happens."])
            p.residenceType = (realAge < 18 ? ResidenceType.familyHome : rng.pick(ResidenceType.allCases)).rawValue
            let legal: LegalStatus = realAge < 18 ? .minorWithParent
                : rng.pick([.selfDetermining, .selfDetermining, .supportedDecisionMaking, .limitedGuardianship, .fullGuardianship, .conservatorship])
            p.legalStatus = legal.rawValue
            p.courtRestrictions = legal == .fullGuardianship && rng.chance(30) ? "Guardian decides on medical treatment and where the person lives." : nil
            p.stateID = String(format: "ST-%08d", index + 1)
            p.medicaidID = rng.chance(85) ? String(format: "DCN%08d", 10_000_000 + index) : nil
            p.medicareID = realAge >= 65 ? String(format: "%dEG%dTE%dMK%d", rng.int(1...9), rng.int(1...9), rng.int(10...99), rng.int(10...99)) : nil
            p.insurance = rng.chance(20) ? "Synthetic Health Plan, member " + String(rng.int(100_000...999_999)) : nil
            p.addressLine = "\(rng.int(100...9999)) \(rng.pick(["Elm", "Cedar", "River", "Hill", "Orchard", "Prairie"])) \(rng.pick(["Street", "Avenue", "Lane", "Road"]))"
            p.city = rng.pick(["Riverbend", "Columbia", "Jefferson City", "Springfield", "Fairview", "Millbrook"])
            p.region = "MO"
            p.postalCode = String(63_000 + rng.int(0...2_999))
            p.county = rng.pick(DemoData.counties) + " (\(Organisation.regionNames[region]))"
            let statusRoll = rng.int(1...100)
            let status: PersonStatus = statusRoll <= 6 ? .referred : statusRoll <= 12 ? .waiting : statusRoll <= 94 ? .active : .exited
            p.status = status.rawValue
            p.intensity = (rng.chance(20) ? Intensity.high : .standard).rawValue
            p.contactFrequency = status == .active ? (p.intensity == Intensity.high.rawValue ? ContactFrequency.monthly : .quarterly).rawValue : nil
            p.currentCoordinatorID = status == .exited ? nil : coordinator.id
            p.version = 1
            p.createdAt = stamp
            let exitDay = today.adding(days: -rng.int(20...300))
            if status == .exited {
                p.exitDate = exitDay.description
                p.exitReason = rng.pick(["Moved out of state", "Chose to stop services", "Now gets supports through another program"])
            }
            p.refreshSearchColumns()
            people.append(p)

            // Coordination since: new referrals lately, the rest for years; some changed coordinator once.
            let yearsInServices = status == .referred || status == .waiting ? 0 : min(max(realAge, 1), rng.int(1...6))
            let firstStart = status == .referred ? today.adding(days: -rng.int(5...100))
                : status == .waiting ? today.adding(days: -rng.int(120...200))
                : CalendarDate(String(format: "%04d-%02d-01", today.year - yearsInServices, rng.int(1...12)))!
            let firstStartClamped = max(firstStart, birth)
            let supervisorID = coordinator.supervisorID
            func assignment(_ c: User, from: CalendarDate, to: CalendarDate?, reason: String) {
                let a = CoordinatorAssignment()
                a.id = rng.uuid(); a.$person.id = p.id!; a.$coordinator.id = c.id!; a.startsOn = from.description; a.endsOn = to?.description
                a.reason = reason; a.assignedByID = supervisorID
                if to == nil {
                    if rng.chance(80) {
                        a.optionsOffered = coordinators.prefix(3).compactMap { $0.id?.text }
                        a.chosenBy = rng.pick([CoordinatorChooser.person, .person, .guardian, .family]).rawValue
                    } else { a.chosenBy = CoordinatorChooser.assigned.rawValue }
                }
                a.createdAt = from.date
                assignments.append(a)
            }
            let endOfCoordination: CalendarDate? = status == .exited ? max(exitDay, firstStartClamped) : nil
            if yearsInServices > 1 && rng.chance(30) && coordinators.count > 1 {
                let previous = coordinators.first { $0.id != coordinator.id }!
                let handover = max(firstStartClamped.adding(days: 1), CalendarDate(String(format: "%04d-%02d-01", today.year - 1, rng.int(1...12)))!)
                assignment(previous, from: firstStartClamped, to: handover, reason: "First assignment")
                assignment(coordinator, from: handover, to: endOfCoordination,
                           reason: rng.pick(["Previous coordinator's caseload rebalanced", "The person asked for a different coordinator", "Moved to another county"]))
            } else {
                assignment(coordinator, from: firstStartClamped, to: endOfCoordination, reason: status == .referred ? "Intake" : "First assignment")
            }

            // Monitoring contacts over the last year: most on time, some overdue.
            if status == .active {
                let last = p.intensity == Intensity.high.rawValue ? rng.int(10...50) : rng.int(20...110)
                for n in 0..<rng.int(2...4) {
                    let c = MonitoringContact()
                    c.id = rng.uuid(); c.$person.id = p.id!; c.contactOn = max(firstStartClamped, today.adding(days: -(last + n * rng.int(60...100)))).description
                    c.kind = rng.pick(ContactKind.allCases).rawValue
                    c.findings = rng.pick(["Services given as planned; the person says things are going well.",
                                           "Staff changes at the day program; the person misses their old job coach.",
                                           "New medicine started; the family asked for help with appointments."])
                    c.followUp = rng.chance(50) ? "Call the provider about the schedule." : nil
                    c.recordedByID = coordinator.id!; c.createdAt = stamp
                    contacts.append(c)
                }
            }

            // The circle of support.
            var members: [CircleMember] = []
            func member(_ name: String, _ rel: Relationship, paid: Bool = false, authority: String? = nil, copy: Bool = false) {
                let m = CircleMember()
                m.id = rng.uuid(); m.$person.id = p.id!; m.name = name; m.relationship = rel.rawValue; m.isPaid = paid
                m.chosenByPerson = !paid || rng.chance(70); m.hasLegalAuthority = authority != nil; m.authorityScope = authority
                m.phone = String(format: "(573) 555-%04d", rng.int(100...199))
                m.email = paid ? nil : "\(name.lowercased().replacingOccurrences(of: " ", with: "."))@family.example"
                m.receivesPlanCopy = copy || authority != nil; m.version = 1; m.createdAt = stamp
                members.append(m)
            }
            let family = p.legalFamilyName
            if legal.hasRepresentative {
                member("\(rng.pick(DemoData.givenNames)) \(family)", legal == .minorWithParent ? .parent : .guardian,
                       authority: legal == .minorWithParent ? "Parent of a minor: all decisions" : legal == .limitedGuardianship ? "Medical and financial decisions" : "All decisions named in the court order",
                       copy: true)
            }
            member("\(rng.pick(DemoData.givenNames)) \(family)", .family, copy: rng.chance(50))
            if rng.chance(60) { member("\(rng.pick(DemoData.givenNames)) \(rng.pick(DemoData.familyNames))", .friend) }
            if status == .active { member("\(rng.pick(DemoData.givenNames)) \(rng.pick(DemoData.familyNames))", .directSupportProfessional, paid: true) }
            if (3...21).contains(realAge) { member("\(rng.pick(DemoData.givenNames)) \(rng.pick(DemoData.familyNames))", .teacher, paid: true) }
            if (18...64).contains(realAge) && rng.chance(40) { member("\(rng.pick(DemoData.givenNames)) \(rng.pick(DemoData.familyNames))", .jobCoach, paid: true) }
            if rng.chance(25) { member("\(rng.pick(DemoData.givenNames)) \(rng.pick(DemoData.familyNames))", .advocate) }
            member(coordinator.displayName, .supportCoordinator, paid: true)
            circle += members

            // Intake: the people referred wait for a decision; those waiting were found eligible.
            if status == .referred || status == .waiting {
                let type: PlanType = realAge < 3 ? .californiaIFSP : rng.chance(50) ? .californiaIPP : .missouriISP
                let r = Referral()
                r.id = rng.uuid(); r.$person.id = p.id!; r.planType = type.rawValue
                r.source = rng.pick(realAge < 3 ? [ReferralSource.doctor, .hospital, .family] : [.family, .school, .person, .agency]).rawValue
                r.referrerName = rng.pick(["Dr. Ana Whitfield", "Riverbend Elementary", "Columbia Family Clinic", "Jordan Alder", "County Health Department"])
                r.referrerContact = String(format: "(573) 555-%04d", rng.int(200...299))
                r.reason = realAge < 3 ? rng.pick(["Not yet walking at 18 months; the doctor asked for an evaluation.", "Born early; the hospital refers for Early Start."])
                    : rng.pick(["Needs help to live on their own after school ends.", "The family asks for support at home.", "Diagnosed with an intellectual disability; asks for services."])
                r.recordedByID = coordinator.id!
                r.referredOn = firstStartClamped.description
                if status == .waiting {
                    let assessed = today.adding(days: -rng.int(20...75))
                    r.assessedOn = assessed.description; r.decision = (rng.chance(85) ? EligibilityDecision.eligible : .provisional).rawValue
                    r.decidedOn = assessed.adding(days: rng.int(0...10)).description
                    r.decisionBasis = "Psychological evaluation and adaptive behaviour assessment."
                    if rng.chance(50) { meeting(p, members, coordinator, on: today.adding(days: rng.int(3...13)), plan: nil, held: false, rng: &rng) }
                }
                r.createdAt = firstStartClamped.date
                referrals.append(r)
            }

            // Provider links, and the plans.
            var linked: [Organization] = []
            if status == .active || status == .exited {
                for org in [pair.0, pair.1] where rng.chance(45) { linked.append(org) }
                try plansFor(p, realAge: realAge, birth: birth, status: status, exitDay: exitDay, yearsInServices: yearsInServices, members: members,
                             coordinator: coordinator, employer: employer, pair: pair, linked: &linked, firstStart: firstStartClamped, rng: &rng)
                for org in linked {
                    let link = ProviderLink()
                    link.id = rng.uuid(); link.$person.id = p.id!; link.$organization.id = org.id!; link.since = firstStartClamped.description
                    link.createdAt = firstStartClamped.date
                    links.append(link)
                }
            }

            // Satisfaction: answers over the last two years, a little better lately.
            if status == .active {
                for n in 0..<rng.int(1...4) {
                    let daysAgo = n == 0 && rng.chance(85) ? rng.int(20...320) : rng.int(20...700)
                    let respondent: SurveyRespondent = n % 2 == 0 ? .person : .family
                    let answers = SatisfactionSurvey.syntheticAnswers(respondent, daysAgo: daysAgo) { rng.int($0) }
                    let s = SatisfactionSurvey()
                    s.id = rng.uuid(); s.$person.id = p.id!; s.respondent = respondent.rawValue
                    s.answeredOn = max(firstStartClamped, today.adding(days: -daysAgo)).description
                    s.coordinatorID = coordinator.id; try s.setAnswers(answers)
                    s.comment = rng.chance(30) ? rng.pick(["I like my job coach.", "I want to go out more on weekends.", "Staff change too often.", "Thank you for listening."]) : nil
                    s.recordedByID = coordinator.id!; s.createdAt = stamp
                    surveys.append(s)
                }
            }
        }

        func meeting(_ p: Person, _ circle: [CircleMember], _ coordinator: User, on day: CalendarDate, plan: Plan?, held: Bool, rng: inout GeneratorRandom) {
            let invited = circle.filter { $0.relationship != Relationship.supportCoordinator.rawValue }
            var needs: [Accommodation] = []
            if p.interpreterNeeded { needs.append(p.communicationMethods.contains(CommunicationMethod.signLanguage.rawValue) ? .signLanguage : .interpreter) }
            if p.communicationMethods.contains(CommunicationMethod.pictures.rawValue) { needs.append(.pictures) }
            if p.communicationMethods.contains(CommunicationMethod.augmentativeDevice.rawValue) { needs.append(.communicationDevice) }
            let m = PlanningMeeting()
            m.id = rng.uuid(); m.$person.id = p.id!; m.planID = plan?.id; m.meetsOn = day.description
            m.startsAt = rng.pick(["09:30", "10:00", "13:00", "15:30", "17:30"])
            m.place = rng.pick(["\(p.displayName)'s home", "The library's meeting room", "The regional office, room 2", "A video call"])
            m.chosenByPerson = rng.chance(85); m.facilitator = rng.chance(30) ? p.displayName : coordinator.displayName
            m.inviteeIDs = invited.compactMap { $0.id?.text }; m.accommodations = needs.map(\.rawValue)
            m.accommodationNotes = p.interpreterNeeded ? "\(p.primaryLanguage) interpreter booked." : nil
            m.advocate = circle.first { $0.relationship == Relationship.advocate.rawValue }?.name
            m.recordedByID = coordinator.id!
            m.status = (held ? MeetingStatus.held : .planned).rawValue
            m.attendedIDs = held ? invited.filter { _ in rng.chance(80) }.compactMap { $0.id?.text } : []
            m.notes = held ? rng.pick(["\(p.displayName) led the part about what is important to them. The team agreed the outcomes in the plan.",
                                       "We talked about work and weekends. \(p.displayName) wants more time with friends; the plan adds it."]) : nil
            m.createdAt = min(day, today).date
            meetings.append(m)
        }
    }
}

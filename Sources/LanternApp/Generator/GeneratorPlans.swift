import Fluent
import Foundation
import LanternDomain

extension StatewideGenerator.Batch {
    /// A person's plans: for most people in services a plan in effect with up to two earlier versions
    /// (one a year, each signed and then replaced), some with the next version being drafted; for some
    /// only a first draft still being written; for those who left, the plan that ended with them.
    func plansFor(_ p: Person, realAge: Int, birth: CalendarDate, status: PersonStatus, exitDay: CalendarDate, yearsInServices: Int,
                  members: [CircleMember], coordinator: User, employer: Organization, pair: (Organization, Organization),
                  linked: inout [Organization], firstStart: CalendarDate, rng: inout GeneratorRandom) throws {
        let type: PlanType = realAge < 3 ? .californiaIFSP : rng.pick([.missouriISP, .missouriISP, .federalHCBS, .californiaIPP])
        let guardianMember = members.first { $0.hasLegalAuthority } ?? members.first { $0.relationship == Relationship.family.rawValue }
        let circleIDs = members.compactMap { $0.id?.text }
        let stepProvider = linked.first
        let inEffect = status == .exited || rng.chance(88)
        // The services follow the demo's pattern: numbers 0-3 in each run of 8 are complete plans, 4-7
        // drafts built to show a finding.
        let number = 8 * rng.int(0...2) + (inEffect ? 0 : 4) + rng.int(0...3)

        // Meeting days: most plans in effect met within the last 12 months, some longer ago (overdue).
        var daysBack = inEffect ? (rng.chance(85) ? rng.int(10...330) : rng.int(366...500)) : rng.int(0...20)
        if status == .exited { daysBack = today.days(until: exitDay) * -1 + rng.int(60...300) }
        daysBack = min(daysBack, max(0, firstStart.days(until: today)))
        if type == .californiaIFSP { daysBack = min(daysBack, max(0, birth.days(until: today) / 2)) }
        let current = today.adding(days: -daysBack)
        var days = [current]
        if inEffect && status == .active && type != .californiaIFSP {
            for back in stride(from: 1, through: min(2, max(0, yearsInServices - 1)), by: 1) {
                let earlier = current.adding(months: -12 * back).adding(days: rng.int(-10...10))
                if earlier >= firstStart { days.insert(earlier, at: 0) }
            }
        }

        let name = p.preferredName ?? p.legalGivenName
        var services = DemoData.demoServices(type, number: number, start: days[0].adding(days: 14), maple: pair.0, bright: pair.1, newID: { rng.uuid() })
        var previous: Plan? = nil
        var openWaiting: [WaitingListEntry] = []
        for (k, meeting) in days.enumerated() {
            let isCurrent = k == days.count - 1
            let signed = !isCurrent || inEffect
            let start = meeting.adding(days: 14), activation = meeting.adding(days: 7)
            let plan = Plan()
            plan.id = rng.uuid(); plan.$person.id = p.id!; plan.planType = type.rawValue
            plan.planKind = (type == .californiaIFSP ? PlanKind.initial : .annual).rawValue
            plan.status = PlanStatus.draft.rawValue
            plan.meetingDate = meeting.description; plan.effectiveStart = start.description
            plan.effectiveEnd = start.adding(months: type == .californiaIPP ? 36 : 12).adding(days: -1).description
            plan.implementationDate = signed ? start.description : nil
            plan.nextReviewDate = meeting.adding(months: 6).description
            plan.planningLanguage = p.primaryLanguage
            plan.seriesID = previous?.seriesID ?? plan.id!; plan.versionNumber = (previous?.versionNumber ?? 0) + 1; plan.previousPlanID = previous?.id
            plan.changeReason = previous == nil ? nil : "Next year's plan."
            plan.createdByID = coordinator.id!; plan.version = 1; plan.createdAt = meeting.date

            var content = ExamplePlan.sections(for: type, name: name, circle: circleIDs, guardian: guardianMember?.id?.text, meetingDate: meeting,
                                               provider: stepProvider?.id?.text)
            if !signed {
                for (index, key) in PlanSections.sections(for: type).map(\.key).enumerated() where (index + number) % 4 == 0 { content[key] = nil }
                if var risks = content["risks"]?.entries("risks"), !risks.isEmpty {
                    risks[0]["mitigation"] = nil
                    content["risks"]?["risks"] = .array(risks.map(JSONValue.object))
                }
            }
            // Each year's version carries the same services on (their ids kept), from its own start.
            var entries = services.entries("services")
            if !entries.isEmpty {
                for i in entries.indices where entries[i]["startDate"] != nil { entries[i]["startDate"] = .string(start.description) }
                services["services"] = .array(entries.map(JSONValue.object))
            }
            content["services"] = services
            if number % 8 == 1, content["self-direction"] != nil { content["self-direction"] = DemoData.demoSelfDirection(start: start) }
            var rows: [String: PlanSection] = [:]
            for (key, value) in content.sorted(by: { $0.key < $1.key }) {
                let row = PlanSection()
                row.id = rng.uuid(); row.$plan.id = plan.id!; row.sectionKey = key; row.content = value; row.version = 1
                row.updatedByID = coordinator.id; row.createdAt = meeting.date
                rows[key] = row
            }
            plans.append(plan)
            sections += rows.keys.sorted().map { rows[$0]! }
            previous = plan
            guard signed else { continue }

            // Sent for signatures with its digest, signed by everyone its rule pack names, in effect.
            let record = PlanRecord(plan: plan, person: p, sections: rows, circle: members, organizations: [pair.0, pair.1], catalogue: state.catalogue)
            let signers = try PlanLifecycle.signatureRequests(for: record, personAccount: nil, coordinator: coordinator, coordinatorAgency: employer,
                                                               linkedProviders: linked, newID: { rng.uuid() })
            plan.frozenAt = activation.date
            plan.contentDigest = PlanDigest.of(plan, sections: Array(rows.values))
            plan.version = 3
            for request in signers {
                request.status = SignatureStatus.signed.rawValue
                request.method = (request.userID == coordinator.id ? SignatureMethod.ownAccount : request.signerRole == .provider ? .paperScanned : .inPerson).rawValue
                request.signedAt = activation.date; request.digest = plan.contentDigest; request.recordedByID = coordinator.id
                request.hadSupport = request.signerRole == .person && rng.chance(40)
                request.supportBy = request.hadSupport == true ? "Sister, reading the plan aloud" : nil
                request.createdAt = activation.date
            }
            signatures += signers
            let next = k + 1 < days.count ? days[k + 1].adding(days: 7) : nil
            if let next {
                plan.status = PlanStatus.superseded.rawValue; plan.version = 4
            } else if status == .exited {
                plan.status = PlanStatus.ended.rawValue; plan.version = 4
                plan.endedOn = max(exitDay, activation).description; plan.endReason = "Left services: \(p.exitReason ?? "")"
            } else {
                plan.status = PlanStatus.active.rawValue
            }

            // Its services become authorizations; named providers serve the person; waiting services wait.
            let issued = ServiceAuthorizations.authorizations(for: plan, services: services, catalogue: state.catalogue, newID: { rng.uuid() })
            for a in issued {
                a.createdAt = activation.date
                if let next { a.status = AuthorizationStatus.replaced.rawValue; a.endedOn = next.description }
                if status == .exited { a.status = AuthorizationStatus.ended.rawValue; a.endedOn = plan.endedOn }
            }
            authorizations += issued
            let named = ServiceAuthorizations.providersNamed(services: services, steps: content["outcomes"]?.entries("steps") ?? [])
            for org in [pair.0, pair.1] where named.contains(org.id!) && !linked.contains(where: { $0.id == org.id }) { linked.append(org) }
            let newlyWaiting = ServiceAuthorizations.newlyWaiting(plan, services: services, open: openWaiting, on: activation, newID: { rng.uuid() })
            for w in newlyWaiting {
                w.createdAt = activation.date
                if status == .exited { w.endedOn = plan.endedOn; w.endReason = "Left services" }
            }
            waiting += newlyWaiting
            openWaiting += newlyWaiting

            // The person's copy, given at the meeting with the budget; the meeting itself, held.
            let copy = PlanDistribution()
            copy.id = rng.uuid(); copy.$plan.id = plan.id!; copy.recipientName = p.displayName; copy.recipientRole = RecipientRole.person.rawValue
            copy.method = DistributionMethod.print.rawValue; copy.sentOn = activation.description; copy.includesBudget = true
            copy.recordedByID = coordinator.id!; copy.createdAt = activation.date
            distributions.append(copy)
            meetingHeld(p, members, coordinator, on: meeting, plan: plan, rng: &rng)

            if status == .active {
                progressOn(plan, p, outcomes: content["outcomes"] ?? [:], until: next ?? today.adding(days: 1), isCurrent: next == nil,
                           coordinator: coordinator, rng: &rng)
            }
            guard next == nil, status == .active else { continue }
            deliveriesOn(issued, rng: &rng)

            // A coordinator employed by a provider serving the person: the exception documented.
            if employer.organizationKind == .provider, linked.contains(where: { $0.id == employer.id }) {
                let e = ConflictException()
                e.id = rng.uuid(); e.$person.id = p.id!; e.$organization.id = employer.id!; e.$coordinator.id = coordinator.id!
                e.reason = "only_willing_and_qualified_provider"
                e.firewall = "The coordinator reports to the regional coordination supervisor, not to the provider's service managers; the person was offered two other providers and chose this one."
                e.recordedByID = coordinator.supervisorID ?? coordinator.id!; e.recordedOn = activation.description; e.createdAt = activation.date
                exceptions.append(e)
            }
            // A review the person asked for, or that a change in their life calls for, now and then.
            if rng.chance(4), let rule = state.engine.reviewOnChange(for: type) {
                let asked = today.adding(days: -rng.int(1...40))
                let trigger: ReviewTrigger = rng.chance(50) ? .request : .significantChange
                let r = ReviewRequest()
                r.id = rng.uuid(); r.$plan.id = plan.id!; r.personID = p.id!
                r.requestedBy = trigger == .request ? p.displayName : "A family member"
                r.requestedByRole = (trigger == .request ? RecipientRole.person : .family).rawValue
                r.requestedOn = asked.description; r.dueOn = asked.adding(days: rule.withinDays).description; r.dueCitation = rule.citation
                r.reason = trigger == .request ? "I want to change my day program." : "Moved from the family home into a shared apartment."
                r.recordedByID = coordinator.id!; r.trigger = trigger.rawValue; r.status = ReviewRequestStatus.open.rawValue; r.createdAt = asked.date
                requests.append(r)
            }
            // The next planning meeting, for plans due for renewal soon.
            if Deadlines.nextPlan(planID: "", person: "", type: type, start: start, end: plan.effectiveEnd.flatMap(CalendarDate.init)).due <= today.adding(days: 60) {
                self.meeting(p, members, coordinator, on: today.adding(days: rng.int(2...14)), plan: nil, held: false, rng: &rng)
            }
            // The next version being drafted: a copy with something new.
            if rng.chance(15) {
                let draft = Plan()
                draft.id = rng.uuid(); draft.$person.id = p.id!; draft.planType = plan.planType; draft.planKind = PlanKind.update.rawValue
                draft.status = PlanStatus.draft.rawValue
                draft.meetingDate = today.adding(days: -rng.int(0...10)).description; draft.effectiveStart = plan.effectiveStart
                draft.effectiveEnd = plan.effectiveEnd; draft.implementationDate = plan.implementationDate; draft.nextReviewDate = plan.nextReviewDate
                draft.planningLanguage = plan.planningLanguage; draft.seriesID = plan.seriesID; draft.versionNumber = plan.versionNumber + 1
                draft.previousPlanID = plan.id; draft.changeReason = "\(name) asked to add what matters to them now."
                draft.createdByID = coordinator.id!; draft.version = 1; draft.createdAt = stampOf(draft.meetingDate)
                plans.append(draft)
                for key in rows.keys.sorted() {
                    let row = rows[key]!
                    let copy = PlanSection()
                    copy.id = rng.uuid(); copy.$plan.id = draft.id!; copy.sectionKey = key; copy.contentJSON = row.contentJSON
                    if key == "important-to" {
                        var statements = row.content.entries("statements")
                        statements.append(["statement": "Going to the county fair with my cousin in August.", "inOwnWords": true])
                        copy.content["statements"] = .array(statements.map(JSONValue.object))
                    }
                    copy.version = 1; copy.updatedByID = coordinator.id; copy.createdAt = draft.createdAt
                    sections.append(copy)
                }
            }
        }
    }

    func stampOf(_ day: String?) -> Date { (day.flatMap(CalendarDate.init) ?? today).date }

    func meetingHeld(_ p: Person, _ circle: [CircleMember], _ coordinator: User, on day: CalendarDate, plan: Plan, rng: inout GeneratorRandom) {
        meeting(p, circle, coordinator, on: day, plan: plan, held: true, rng: &rng)
    }

    /// Progress on a version's steps from its start until the next version took effect: weekly in the
    /// last six months, every four weeks before; improving on the whole, with some steps built to be
    /// flagged (a provider that stopped recording, a step sliding away from its target).
    func progressOn(_ plan: Plan, _ p: Person, outcomes content: SectionContent, until end: CalendarDate, isCurrent: Bool, coordinator: User,
                    rng: inout GeneratorRandom) {
        let stopsEarly = isCurrent && rng.chance(10), slides = isCurrent && rng.chance(10)
        for outcome in PlannedOutcome.all(in: content) {
            guard let start = outcome.startDate, start < end, start < today else { continue }
            let span = Double(max(1, start.days(until: today)))
            for step in outcome.steps {
                let recorder: User? = step.responsible == .provider
                    ? step.organizationID.flatMap { UUID(uuidString: $0) }.flatMap { state.staff[$0]?.first } : coordinator
                guard let recorder else { continue }
                var day = start.adding(days: rng.int(0...6))
                while day < end && day <= today {
                    let left = day.days(until: today)
                    defer { day = day.adding(days: left <= 182 ? 7 : 28) }
                    if step.responsible == .provider && stopsEarly && left < 30 { continue }
                    var done = Double(start.days(until: day)) / span
                    if step.responsible == .provider && slides && left < 21 { done = max(0, done - Double(21 - left) / 15) }
                    let value: Double?
                    switch step.measure {
                    case .percentage: value = min(100, max(0, (30 + 50 * done + Double(rng.int(-8...8))).rounded()))
                    case .count: value = step.target.map { rng.chance(85 + Int(10 * done)) ? $0 : max(0, $0 - 1) } ?? 1
                    case .yesNo: value = rng.chance(30 + Int(55 * done)) ? 1 : 0
                    case .rating: value = min(5, max(1, (2 + 2.2 * done + Double(rng.int(-1...1)) * 0.6).rounded()))
                    case .duration: value = (20 + 30 * done).rounded()
                    case .narrative: value = nil
                    }
                    let e = ProgressEntry()
                    e.id = rng.uuid(); e.$person.id = p.id!; e.outcomeID = outcome.id; e.stepID = step.id; e.planID = plan.id!
                    e.entryDate = day.description; e.value = value
                    e.note = rng.chance(15) ? rng.pick(["Good focus today.", "Tired after a long week.", "Asked to try it without help.", "Needed one reminder."]) : nil
                    e.recordedByID = recorder.id!; e.organizationID = recorder.$organization.id; e.source = ProgressSource.form.rawValue
                    e.createdAt = day.date
                    progress.append(e)
                }
            }
            let reviewDay = start.adding(days: 60)
            if reviewDay < end && reviewDay <= today {
                let review = OutcomeReview()
                review.id = rng.uuid(); review.$person.id = p.id!; review.outcomeID = outcome.id; review.planID = plan.id!
                review.reviewedOn = reviewDay.description
                review.working = "Practice at the same time each week; the person chooses the order of tasks."
                review.notWorking = "Sessions were missed when transport fell through."
                review.nextSteps = "Ask the provider for a backup driver; look again at the target in three months."
                review.recordedByID = coordinator.id!; review.createdAt = reviewDay.date
                reviews.append(review)
            }
            if isCurrent {
                let view = OutcomeSelfView()
                view.id = rng.uuid(); view.$person.id = p.id!; view.outcomeID = outcome.id
                view.saidOn = max(start, today.adding(days: -rng.int(3...40))).description
                view.feeling = rng.pick([SelfRating.goingWell, .goingWell, .okay, .notGoingWell]).rawValue
                view.comment = rng.pick(["I like it.", "It is hard some days.", "I want to do more.", nil])
                view.helpedBy = rng.chance(50) ? "My sister" : nil
                view.recordedByID = coordinator.id!; view.createdAt = stampOf(view.saidOn)
                views.append(view)
            }
        }
    }

    /// Units delivered week by week under the authorizations of a plan in effect: most on pace, some
    /// nearly used up, some over, some well under.
    func deliveriesOn(_ issued: [Authorization], rng: inout GeneratorRandom) {
        for a in issued {
            guard let start = CalendarDate(a.startsOn), let end = CalendarDate(a.endsOn), start < today,
                  let recorder = state.staff[a.$organization.id]?.first else { continue }
            let last = min(today.adding(days: -1), end)
            let elapsed = Double(start.days(until: last) + 1) / Double(start.days(until: end) + 1)
            let roll = rng.int(1...100)
            let share: Double = roll <= 5 ? 0.93 : roll <= 10 ? 1.04 : roll <= 20 ? elapsed * 0.5 : elapsed * 0.9
            let weeks = max(1, (start.days(until: last) + 1) / 7)
            let each = (Double(a.units) * share / Double(weeks) * 4).rounded() / 4
            guard each > 0 else { continue }
            for week in 0..<weeks {
                let d = ServiceDelivery()
                d.id = rng.uuid(); d.$authorization.id = a.id!; d.$person.id = a.$person.id; d.$organization.id = a.$organization.id
                d.deliveredOn = start.adding(days: week * 7).description; d.units = each; d.recordedByID = recorder.id!
                d.createdAt = start.adding(days: week * 7).date
                deliveries.append(d)
            }
        }
    }
}

import Foundation

/// A complete plan for a synthetic person, written the way a good team would write it. The demo
/// organisation shows it, and the tests use it as the plan with nothing missing. Every name in it is
/// made up.
public enum ExamplePlan {
    /// Content for every section of `type`. `circle` are ids of circle members (the first is treated as
    /// the closest person; `guardian` as the parent or guardian); without them, the sections that
    /// point at the circle stay empty.
    /// `provider` is the id of a provider organisation that serves the person: it gets the paid action steps.
    public static func sections(for type: PlanType, name: String, circle: [String], guardian: String?, meetingDate: CalendarDate,
                                provider: String? = nil) -> [String: SectionContent] {
        var result: [String: SectionContent] = [:]
        for spec in PlanSections.sections(for: type) {
            if let content = content(spec.key, type: type, name: name, circle: circle, guardian: guardian, meetingDate: meetingDate, provider: provider) {
                result[spec.key] = content
            }
        }
        return result
    }

    static func s(_ text: String) -> JSONValue { .string(text) }
    static func list(_ entries: [SectionContent]) -> JSONValue { .array(entries.map(JSONValue.object)) }

    /// The ids of the example's outcomes and steps. Ids are only unique within one plan series, so fixed
    /// ones are fine, and they keep snapshots stable.
    public enum IDs {
        public static let firstOutcome = "0c7e0a11-0000-4000-8000-00000000a001"
        public static let secondOutcome = "0c7e0a11-0000-4000-8000-00000000a002"
        public static let providerStep = "0c7e0a11-0000-4000-8000-00000000b001"
        public static let personStep = "0c7e0a11-0000-4000-8000-00000000b002"
        public static let circleStep = "0c7e0a11-0000-4000-8000-00000000b003"
        public static let firstNeed = "0c7e0a11-0000-4000-8000-00000000c001"
        public static let secondNeed = "0c7e0a11-0000-4000-8000-00000000c002"
    }

    static func content(_ key: String, type: PlanType, name: String, circle: [String], guardian: String?, meetingDate: CalendarDate,
                        provider: String?) -> SectionContent? {
        let child = type == .californiaIFSP
        let later = meetingDate.adding(months: 5).description
        switch key {
        case "prior-year":
            return ["assessments": list([["type": s("Supports Intensity Scale"), "date": s(meetingDate.adding(months: -2).description), "author": s("Regional assessor"),
                                          "summary": s("Needs moderate support with meals and money; independent with dressing.")]]),
                    "whatIsWorking": s("\(name) enjoys the new day program and has made two friends there."),
                    "whatIsNotWorking": s("Evening staff change often, and \(name) finds new staff upsetting.")]
        case "life-goals":
            return ["lifeGoals": s("\"I want my own apartment and a job with animals.\""),
                    "barriers": s("Few accessible apartments near the bus line."),
                    "concerns": s("The family worries about safety when cooking alone.")]
        case "important-to":
            return ["statements": list([
                ["statement": s("\"Seeing my sister every Sunday.\""), "whose": s("person"), "inOwnWords": .bool(true)],
                ["statement": s("Choosing my own clothes and music in the morning."), "whose": s("person"), "inOwnWords": .bool(false)],
                ["statement": s("That \(name) keeps in touch with old school friends."), "whose": s("family")],
            ])]
        case "who-is-important":
            guard let first = circle.first else { return nil }
            return ["people": list(circle.prefix(3).map { id in
                ["circleMemberId": s(id), "whatTheyMean": s(id == first ? "The person \(name) trusts most; helps with big decisions." : "Someone \(name) enjoys spending time with.")]
            })]
        case "important-for":
            return ["needs": list([
                ["id": s(IDs.firstNeed), "need": s("Takes seizure medicine twice a day"), "area": s("health"), "supporterRole": s("Staff prompt at 8 am and 8 pm and record it.")],
                ["id": s(IDs.secondNeed), "need": s("Crossing busy streets"), "area": s("safety"), "supporterRole": s("Walk alongside on roads without crossings.")],
            ])]
        case "strengths":
            return ["items": list([
                ["kind": s("gift"), "description": s(child ? "Smiles at everyone and loves music." : "Makes everyone laugh; remembers birthdays."), "whose": s("family")],
                ["kind": s("interest"), "description": s(child ? "Water play and picture books." : "Animals, especially dogs; gardening."), "whose": s("person")],
                ["kind": s("admired"), "description": s("Kind and patient with younger children."), "whose": s("staff")],
            ])]
        case "present-levels":
            return ["physical": s("Walks with support along furniture; vision and hearing screened as typical."),
                    "cognitive": s("Looks for hidden toys; enjoys cause-and-effect toys."),
                    "communication": s("Babbles and uses about five words; points to ask."),
                    "socialEmotional": s("Warm with family; takes time to settle with new people."),
                    "adaptive": s("Finger-feeds; starting to drink from an open cup.")]
        case "family-concerns":
            return ["resources": s("Grandmother lives nearby and helps two days a week; a church play group."),
                    "priorities": s("Walking on their own and saying more words."),
                    "concerns": s("Feeding takes a long time; the family wants help at mealtimes.")]
        case "communication-chart":
            return ["rows": list([
                ["whenThisHappens": s("Plans change suddenly"), "personDoes": s("Covers ears and rocks"), "itMeans": s("I am worried and need to know what is next"),
                 "weShould": s("Show the picture schedule and explain calmly")],
                ["whenThisHappens": s("At mealtimes"), "personDoes": s("Pushes the plate away"), "itMeans": s("I am finished or do not like it"), "weShould": s("Offer a choice of two foods")],
            ])]
        case "support-needs":
            return ["howToSupport": s("Give one step at a time with a picture; allow extra time to answer."),
                    "whatWorks": s("A calm voice, warning before changes, music during chores."),
                    "whatDoesNotWork": s("Rushing, crowded rooms, being talked about as if not there.")]
        case "health-status":
            return ["healthStatus": s("Good general health; epilepsy well controlled; annual dental visit done."),
                    "medicationReview": s("Levetiracetam 500 mg twice daily; reviewed by the neurologist, no changes."),
                    "reviewedOn": s(meetingDate.adding(months: -1).description), "reviewedBy": s("Dr. Example, neurologist")]
        case "health-supports":
            return ["supports": list([
                ["need": s(child ? "Feeding and weight gain" : "Epilepsy"), "support": s(child ? "Feeding therapist visits; weigh monthly" : "Medicine twice daily; seizure log; call 911 after 5 minutes"),
                 "providedBy": s(child ? "Feeding therapist" : "Residential staff"), "frequency": s(child ? "Twice a month" : "Daily")],
            ])]
        case "safety-supports":
            return ["supports": list([
                ["situation": s("In the kitchen"), "support": s("Staff nearby when the stove is on"), "providedBy": s("Residential staff")],
            ])]
        case "risks":
            return ["risks": list([
                ["risk": s("Seizures at night"), "kind": s("health"), "level": s("moderate"),
                 "mitigation": s("Bed alarm; staff check every two hours; seizure log"), "responsible": s("Night staff")],
                ["risk": s("Being taken advantage of with money"), "kind": s("financial"), "level": s("low"),
                 "mitigation": s("Weekly spending money; receipts checked"), "responsible": s("Money helper")],
            ]),
                    "backupPlan": s("If staff do not arrive, the agency's on-call supervisor is phoned; the sister is the next backup."),
                    "crisisPlan": s("Stay calm, move to a quiet room; call the on-call supervisor; 911 for a seizure over 5 minutes.")]
        case "rights":
            return ["rightsExplained": .bool(true), "rightsUnderstood": .bool(true),
                    "howExplained": s("Read aloud with pictures at the meeting; copy given in plain language."),
                    "modifications": list([[
                        "right": s("access_to_food"),
                        "assessedNeed": s("Prader-Willi syndrome: uncontrolled eating has led to hospital stays."),
                        "positiveSupports": s("Meal plan chosen with the person; snacks scheduled."),
                        "lessIntrusiveMethods": s("Reminders and a food diary were tried for six months; weight rose 10 kg."),
                        "conditionDescription": s("The pantry is locked between meals; the person holds a key to their own snack box."),
                        "dataCollection": s("Weight weekly and incidents logged; reviewed monthly by the nurse."),
                        "timeLimits": s("Reviewed every three months by the team."),
                        "informedConsent": s("The person and guardian agreed in writing at the meeting."),
                        "noHarmAssurance": s("Meals and snacks meet the dietitian's plan; no food is withheld as punishment."),
                        "committeeReviewDate": s(meetingDate.adding(days: -10).description), "committeeDecision": s("approved"),
                        "reviewBy": s(meetingDate.adding(months: 3).description),
                    ]])]
        case "legal":
            return ["reviewedWithTeam": .bool(true), "notes": s("No court restrictions. Guardian papers on file.")]
        case "transition":
            if child {
                return ["situation": s("early_start_exit"), "description": s("Move to the school district preschool program at age 3."),
                        "steps": list([["step": s("Notify the school district"), "responsible": s("Service coordinator"), "targetDate": s(later)],
                                       ["step": s("Hold the transition conference"), "responsible": s("Family and team"), "targetDate": s(later)]])]
            }
            return ["situation": s("youth"), "description": s("Leaving high school next year; exploring work and adult day options."),
                    "steps": list([["step": s("Tour two job training programs"), "responsible": s("Teacher and coordinator"), "targetDate": s(later)]])]
        case "employment":
            return ["status": s("looking"), "currentWork": s("Volunteers at the animal shelter on Saturdays."),
                    "interests": s("Animals, outdoor work."), "goals": s("A paid part-time job at a pet store within a year."),
                    "supports": s("Job coach for the first three months.")]
        case "self-direction":
            return ["selfDirects": .bool(true), "employerAuthority": .bool(true), "budgetAuthority": .bool(false),
                    "representative": s("Sister, as representative"), "servicesSelfDirected": s("Personal assistant in the evenings."),
                    "employees": list([["name": s("Example Assistant"), "role": s("Personal assistant"), "hireDate": s(meetingDate.adding(months: -6).description),
                                        "trainedOn": s(meetingDate.adding(days: 3).description)]])]
        case "non-division-supports":
            return ["supports": list([
                ["support": s("Sunday dinner and rides to church"), "kind": s("natural"), "providedBy": s("Sister"), "frequency": s("Weekly"),
                 "days": s("sun"), "fromTime": s("09:00"), "untilTime": s("13:00")],
                ["support": s("Library reading club"), "kind": s("community"), "providedBy": s("Public library"), "frequency": s("Monthly")],
            ])]
        case "guardian-input":
            guard let guardian else { return nil }
            return ["inputs": list([["fromMemberId": s(guardian), "input": s("Wants more time outdoors and help learning to use the bus."),
                                     "date": s(meetingDate.description)]])]
        case "funds":
            return ["level": s("some_help"), "whoManages": s("Residential agency money helper"),
                    "safeguards": s("Receipts kept; monthly statement shared with the person and guardian.")]
        case "setting":
            return ["optionsConsidered": list([
                ["option": s("Own apartment with visiting support"), "nonDisabilitySpecific": .bool(true), "notes": s("Preferred; waiting for an accessible unit.")],
                ["option": s("Shared supported living home"), "nonDisabilitySpecific": .bool(false)],
            ]), "chosenSetting": s("Shared supported living home, for now"), "whyChosen": s("Close to the sister and the day program."),
                    "livesAlone": .bool(false)]
        case "natural-environment":
            return ["statement": s("All services are given at home and at the grandmother's house during daily routines.")]
        case "outcomes":
            let start = meetingDate.adding(days: 14).description
            var steps: [SectionContent] = []
            if let provider {
                steps.append(["id": s(IDs.providerStep), "outcomeId": s(IDs.firstOutcome),
                              "step": s(child ? "The therapist practises standing and stepping during play, and counts the steps taken alone."
                                              : "At the shelter volunteer shift, the job coach records the share of job tasks done without a prompt."),
                              "responsibleKind": s("provider"), "organizationId": s(provider), "paid": .bool(true),
                              "frequency": s(child ? "Once a week" : "3 times a week"), "schedule": s(child ? "Tuesday mornings" : "Monday, Wednesday and Friday mornings"),
                              "byDate": s(meetingDate.adding(months: 6).description),
                              "progressMeasure": s(child ? "count" : "percentage"), "target": .number(child ? 5 : 80)])
            }
            steps.append(["id": s(IDs.personStep), "outcomeId": s(IDs.firstOutcome),
                          "step": s(child ? "The family practises walking to the table at meal times." : "Fill in one job application each week, with help when I ask."),
                          "responsibleKind": s(child ? "circle" : "person"), "circleMemberId": child ? circle.first.map(s) ?? .null : .null, "paid": .bool(false),
                          "frequency": s(child ? "Every day" : "Once a week"), "progressMeasure": s(child ? "yes_no" : "count"), "target": .number(child ? 80 : 1)])
            if !child, let closest = circle.first {
                steps.append(["id": s(IDs.circleStep), "outcomeId": s(IDs.secondOutcome),
                              "step": s("Ride the bus together; each week my sister sits one row further back. I say how sure I feel from 1 to 5."),
                              "responsibleKind": s("circle"), "circleMemberId": s(closest), "paid": .bool(false),
                              "frequency": s("Twice a week"), "schedule": s("Tuesday and Thursday afternoons"),
                              "byDate": s(meetingDate.adding(months: 9).description), "progressMeasure": s("rating"), "target": .number(4)])
            }
            steps = steps.map { $0.filter { $0.value != .null } }
            if child && circle.isEmpty { steps.removeAll { $0["responsibleKind"] == s("circle") } }
            var outcomes: [SectionContent] = [
                ["id": s(IDs.firstOutcome),
                 "outcome": s(child ? "Walk on their own from the couch to the table" : "\"I want a paid job with animals.\""), "inOwnWords": .bool(!child),
                 "lifeDomain": s(child ? "healthy_living" : "daily_life_and_employment"),
                 "measure": s(child ? "Takes 5 steps alone on 3 days in a week" : "Hired and working 10 hours a week"),
                 "startDate": s(start), "targetDate": s(meetingDate.adding(months: 6).description),
                 "status": s("in_progress")],
            ]
            if !child {
                outcomes.append(["id": s(IDs.secondOutcome), "outcome": s("\"I want to ride the bus to the day program on my own.\""), "inOwnWords": .bool(true),
                                 "lifeDomain": s("community_living"), "measure": s("Rides alone both ways, twice a week, for a month, by the target date"),
                                 "startDate": s(start), "targetDate": s(meetingDate.adding(months: 9).description), "status": s("in_progress")])
            }
            return ["outcomes": list(outcomes), "steps": list(steps)]
        case "services":
            let start = meetingDate.adding(days: 14).description
            return ["services": list(child ? [
                ["service": s("Physical therapy"), "provider": s("Example Therapy Group"), "funding": s("paid"), "frequency": s("1 hour weekly"), "startDate": s(start),
                 "outcomeId": s(IDs.firstOutcome), "location": s("Home"), "fundingSource": s("early_start")],
                ["service": s("Infant development program"), "provider": s("Example Early Start Center"), "funding": s("paid"), "frequency": s("2 hours weekly"), "startDate": s(start),
                 "outcomeId": s(IDs.firstOutcome), "location": s("Grandmother's house"), "fundingSource": s("early_start")],
            ] : [
                ["service": s("Supported employment"), "provider": s("Example Job Partners"), "funding": s("paid"), "frequency": s("6 hours weekly"), "startDate": s(start),
                 "outcomeId": s(IDs.firstOutcome)],
                ["service": s("Rides to church"), "provider": s("Sister"), "funding": s("unpaid"), "frequency": s("Weekly"), "startDate": s(start)],
            ])]
        case "contributors":
            return ["contributors": list([
                ["name": s(name), "role": s(child ? "Child, with parent" : "The person"), "how": s("present")],
                ["name": s("Support coordinator"), "role": s("Coordinator"), "how": s("present")],
                ["name": s("Day program"), "role": s("Provider"), "how": s("report")],
            ])]
        default:
            return nil
        }
    }
}

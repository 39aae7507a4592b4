import Foundation

/// Every component of a plan, in the order the editor walks through them. Sources: the Missouri ISP
/// Guidelines and family guide, 42 CFR 441.301(c), WIC 4646 and 4646.5, 34 CFR 303.344.
public enum PlanSections {
    private static let all4: Set<PlanType> = Set(PlanType.allCases)
    private static let adultPlans: Set<PlanType> = [.missouriISP, .federalHCBS, .californiaIPP]

    static let whose = FieldKind.choice([
        Choice("person", "The person"), Choice("guardian", "Guardian"), Choice("family", "Family member"),
        Choice("staff", "Staff or provider"), Choice("other", "Someone else"),
    ])
    static let inOwnWords = FieldSpec("inOwnWords", "These are the person's own words", .yesNo,
                                      hint: "Tick when the statement is written the way the person said it.")
    static let short = FieldKind.line(max: 200)
    static let long = FieldKind.paragraph(max: 4000)

    /// The setting conditions that 42 CFR 441.301(c)(4)(vi)(F) allows to be modified, one per right.
    public static let modifiableRights: [Choice] = [
        Choice("lease_protections", "Lease or eviction protections"),
        Choice("privacy_lockable_door", "Privacy: a lockable door to their room"),
        Choice("choice_of_roommate", "Choice of roommate"),
        Choice("decorating", "Furnishing and decorating their room"),
        Choice("control_of_schedule", "Control of their own schedule and activities"),
        Choice("access_to_food", "Access to food at any time"),
        Choice("visitors", "Visitors of their choosing at any time"),
        Choice("physical_accessibility", "Physical accessibility of the setting"),
        Choice("other", "Another right"),
    ]

    public static let sections: [SectionSpec] = [
        SectionSpec("prior-year", "Review of the past year", purpose: "What happened since the last plan: the assessments the team read, what is working and what is not.",
                    planTypes: [.missouriISP], fields: [
                        FieldSpec("assessments", "Assessments reviewed", .list(entries: [
                            FieldSpec("type", "Type of assessment", short, required: true),
                            FieldSpec("date", "Date", .date),
                            FieldSpec("author", "Written by", short),
                            FieldSpec("summary", "What it says", long),
                        ], max: 50)),
                        FieldSpec("outcomeReview", "Last year's outcomes", .list(entries: [
                            FieldSpec("outcome", "Outcome", long, required: true),
                            FieldSpec("result", "Where it ended", .choice(PriorOutcomeResult.choices), required: true),
                            FieldSpec("evidence", "What the progress shows", long),
                        ], max: 50)),
                        FieldSpec("whatIsWorking", "What is working", long, required: true),
                        FieldSpec("whatIsNotWorking", "What is not working", long, required: true),
                    ]),
        SectionSpec("life-goals", "Life goals, barriers and concerns", purpose: "The life the person wants, and what stands in the way.",
                    planTypes: [.californiaIPP], fields: [
                        FieldSpec("lifeGoals", "Life goals", long, required: true, hint: "In the person's own words where they gave them."),
                        FieldSpec("barriers", "Barriers", long, required: true),
                        FieldSpec("concerns", "Concerns", long, required: true),
                    ]),
        SectionSpec("important-to", "What is important to the person", purpose: "What matters to the person in how they live and are supported. Each statement says whose view it is, so the person's own voice stands apart.",
                    planTypes: adultPlans, fields: [
                        FieldSpec("statements", "Statements", .list(entries: [
                            FieldSpec("statement", "What is important", long, required: true),
                            FieldSpec("whose", "Whose view this is", whose, required: true),
                            inOwnWords,
                        ], max: 100), required: true),
                    ]),
        SectionSpec("who-is-important", "Who is important to the person", purpose: "The people in the person's circle who matter most, and what each means to them.",
                    planTypes: all4, fields: [
                        FieldSpec("people", "People", .list(entries: [
                            FieldSpec("circleMemberId", "Who", .circleMember, required: true),
                            FieldSpec("whatTheyMean", "What they mean to the person", long),
                        ], max: 100), required: true),
                    ]),
        SectionSpec("important-for", "What is important for the person", purpose: "Health and safety needs and assessed needs, each with what the supporter does.",
                    planTypes: adultPlans, fields: [
                        FieldSpec("needs", "Needs", .list(entries: [
                            FieldSpec("id", "Need id", .entryID),
                            FieldSpec("need", "Need", long, required: true),
                            FieldSpec("area", "Area", .choice([Choice("health", "Health"), Choice("safety", "Safety"), Choice("other", "Other assessed need")])),
                            FieldSpec("supporterRole", "What the supporter does", long),
                        ], max: 100), required: true),
                    ]),
        SectionSpec("strengths", "Strengths, gifts and interests", purpose: "What the person is good at, enjoys and gives to others, and what people like and admire about them.",
                    planTypes: all4, fields: [
                        FieldSpec("items", "Strengths and interests", .list(entries: [
                            FieldSpec("kind", "Kind", .choice([
                                Choice("strength", "Strength"), Choice("gift", "Gift"), Choice("skill", "Skill"), Choice("interest", "Interest"),
                                Choice("contribution", "Contribution"), Choice("admired", "What people like and admire"),
                            ]), required: true),
                            FieldSpec("description", "Description", long, required: true),
                            FieldSpec("whose", "Whose view this is", whose),
                        ], max: 100), required: true),
                    ]),
        SectionSpec("present-levels", "Present levels of development", purpose: "How the child is doing now in each area of development, from evaluation and the family.",
                    planTypes: [.californiaIFSP], fields: [
                        FieldSpec("physical", "Physical development (including vision, hearing and health)", long, required: true),
                        FieldSpec("cognitive", "Cognitive development", long, required: true),
                        FieldSpec("communication", "Communication development", long, required: true),
                        FieldSpec("socialEmotional", "Social and emotional development", long, required: true),
                        FieldSpec("adaptive", "Adaptive development (self-help)", long, required: true),
                    ]),
        SectionSpec("family-concerns", "Family resources, priorities and concerns", purpose: "With the family's agreement: what the family has, what matters most to them, and what worries them.",
                    planTypes: [.californiaIFSP], fields: [
                        FieldSpec("resources", "Resources", long, required: true),
                        FieldSpec("priorities", "Priorities", long, required: true),
                        FieldSpec("concerns", "Concerns", long, required: true),
                    ]),
        SectionSpec("communication-chart", "Communication chart", purpose: "How the person communicates: when this happens, the person does this, it means, and we should.",
                    planTypes: adultPlans, fields: [
                        FieldSpec("rows", "Chart rows", .list(entries: [
                            FieldSpec("whenThisHappens", "When this happens", long),
                            FieldSpec("personDoes", "The person does this", long, required: true),
                            FieldSpec("itMeans", "It means", long),
                            FieldSpec("weShould", "We should", long),
                        ], max: 60), required: true),
                    ]),
        SectionSpec("support-needs", "How to support the person", purpose: "Day-to-day support: how to help, what works and what does not.",
                    planTypes: adultPlans, fields: [
                        FieldSpec("howToSupport", "How to support the person day to day", long, required: true),
                        FieldSpec("whatWorks", "What works", long, required: true),
                        FieldSpec("whatDoesNotWork", "What does not work", long, required: true),
                    ]),
        SectionSpec("health-status", "Health status and medication review", purpose: "The person's health today and a review of their medicines.",
                    planTypes: [.californiaIPP], fields: [
                        FieldSpec("healthStatus", "Health status", long, required: true),
                        FieldSpec("medicationReview", "Medication review", long, required: true),
                        FieldSpec("reviewedOn", "Reviewed on", .date),
                        FieldSpec("reviewedBy", "Reviewed by", short),
                    ]),
        SectionSpec("health-supports", "Health supports", purpose: "Each health need and the support for it.",
                    planTypes: all4, fields: [
                        FieldSpec("supports", "Health supports", .list(entries: [
                            FieldSpec("need", "Health need", long, required: true),
                            FieldSpec("support", "Support", long, required: true),
                            FieldSpec("providedBy", "Who gives it", short),
                            FieldSpec("frequency", "How often", short),
                        ], max: 60), required: true),
                    ]),
        SectionSpec("safety-supports", "Safety supports", purpose: "Situations where the person needs support to stay safe, and the support.",
                    planTypes: adultPlans, fields: [
                        FieldSpec("supports", "Safety supports", .list(entries: [
                            FieldSpec("situation", "Situation", long, required: true),
                            FieldSpec("support", "Support", long, required: true),
                            FieldSpec("providedBy", "Who gives it", short),
                        ], max: 60), required: true),
                    ]),
        SectionSpec("risks", "Risks, backup and crisis plans", purpose: "Each risk, how likely and serious it is, how it is reduced and who is responsible; what happens when support does not arrive; what to do in a crisis.",
                    planTypes: adultPlans, fields: [
                        FieldSpec("risks", "Risks", .list(entries: [
                            FieldSpec("risk", "Risk", long, required: true),
                            FieldSpec("kind", "Kind of risk", .choice([
                                Choice("health", "Health"), Choice("behavioral", "Behavioral"), Choice("safety", "Safety"),
                                Choice("financial", "Financial"), Choice("other", "Other"),
                            ]), required: true),
                            FieldSpec("level", "Level", .choice([Choice("low", "Low"), Choice("moderate", "Moderate"), Choice("high", "High")])),
                            FieldSpec("mitigation", "How it is reduced", long),
                            FieldSpec("responsible", "Who is responsible", short),
                        ], max: 60), required: true),
                        FieldSpec("backupPlan", "Backup plan", long, hint: "What happens when paid support does not arrive, and who steps in."),
                        FieldSpec("crisisPlan", "Crisis plan", long),
                    ]),
        SectionSpec("rights", "Rights", purpose: "How the person's rights were explained, and any limit on a right with the eight safeguards the law requires.",
                    planTypes: adultPlans, fields: [
                        FieldSpec("rightsExplained", "Rights were explained to the person and their representative", .yesNo, required: true),
                        FieldSpec("rightsUnderstood", "The person says they understand their rights", .yesNo),
                        FieldSpec("howExplained", "How rights were explained", long, hint: "For example: read aloud with pictures, in Spanish."),
                        FieldSpec("modifications", "Limits on rights", .list(entries: [
                            FieldSpec("right", "Right that is limited", .choice(modifiableRights), required: true),
                            FieldSpec("assessedNeed", "(A) The specific assessed need", long),
                            FieldSpec("positiveSupports", "(B) Positive supports used first", long),
                            FieldSpec("lessIntrusiveMethods", "(C) Less intrusive methods tried, and why they did not work", long),
                            FieldSpec("conditionDescription", "(D) The limit, in proportion to the need", long),
                            FieldSpec("dataCollection", "(E) How data on its effect is collected and reviewed", long),
                            FieldSpec("timeLimits", "(F) Time limits and periodic review", long),
                            FieldSpec("informedConsent", "(G) Informed consent of the person", long),
                            FieldSpec("noHarmAssurance", "(H) Assurance it will cause no harm", long),
                            FieldSpec("committeeReviewDate", "Human rights committee review date", .date),
                            FieldSpec("committeeDecision", "Committee decision", .choice([
                                Choice("approved", "Approved"), Choice("approved_with_changes", "Approved with changes"),
                                Choice("not_approved", "Not approved"), Choice("pending", "Waiting for review"),
                            ])),
                            FieldSpec("reviewBy", "Review the limit by", .date),
                        ], max: 20)),
                    ]),
        SectionSpec("legal", "Legal status and representative", purpose: "Legal status, court restrictions and the representative, from the person's record, confirmed with the team.",
                    planTypes: all4, fields: [
                        FieldSpec("reviewedWithTeam", "The team reviewed legal status and any court restrictions", .yesNo, required: true),
                        FieldSpec("notes", "Notes", long),
                    ]),
        SectionSpec("transition", "Transition", purpose: "Changes ahead: leaving school, a change in life, or an infant leaving Early Start at age 3.",
                    planTypes: all4, fields: [
                        FieldSpec("situation", "What kind of transition", .choice([
                            Choice("youth", "Youth leaving school"), Choice("life_change", "A change in life"),
                            Choice("early_start_exit", "Leaving Early Start at age 3"), Choice("none", "No transition expected this year"),
                        ]), required: true),
                        FieldSpec("description", "What is planned", long),
                        FieldSpec("steps", "Steps", .list(entries: [
                            FieldSpec("step", "Step", long, required: true),
                            FieldSpec("responsible", "Who does it", short),
                            FieldSpec("targetDate", "By when", .date),
                        ], max: 30)),
                    ]),
        SectionSpec("employment", "Employment and career", purpose: "Work now, what the person is interested in, their goals, and the support they need.",
                    planTypes: adultPlans, fields: [
                        FieldSpec("status", "Work now", .choice([
                            Choice("competitive_integrated", "Working in a community job at fair pay"), Choice("other_work", "Other work"),
                            Choice("looking", "Looking for work"), Choice("in_school", "In school or training"),
                            Choice("not_now", "Not interested in work now"), Choice("retired", "Retired"),
                        ]), required: true),
                        FieldSpec("currentWork", "About their work now", long),
                        FieldSpec("interests", "Career interests", long, required: true),
                        FieldSpec("goals", "Career goals", long, required: true),
                        FieldSpec("supports", "Support needed for work", long),
                    ]),
        SectionSpec("self-direction", "Self-directed supports", purpose: "Whether the person directs their own supports, and the authority and help they have.",
                    planTypes: adultPlans, fields: [
                        FieldSpec("selfDirects", "The person directs some of their own supports", .yesNo, required: true),
                        FieldSpec("employerAuthority", "Employer authority (hires and manages staff)", .yesNo),
                        FieldSpec("budgetAuthority", "Budget authority (decides how the budget is spent)", .yesNo),
                        FieldSpec("representative", "Representative who helps direct", short),
                        FieldSpec("servicesSelfDirected", "Which services are self-directed", long),
                        FieldSpec("individualBudget", "Individual budget for the plan (dollars)", .number(0...10_000_000),
                                  hint: "With budget authority: the amount the person decides how to spend. The budget page sets the self-directed services against it."),
                        FieldSpec("employees", "The person's employees", .list(entries: [
                            FieldSpec("name", "Name", short, required: true),
                            FieldSpec("role", "Role", short, required: true),
                            FieldSpec("hireDate", "Hired on", .date),
                            FieldSpec("trainedOn", "Trained on this plan on", .date,
                                      hint: "The plan is the employee's training document: the date they went through it."),
                        ], max: 40)),
                    ], checks: ServiceEntryChecks.selfDirection),
        SectionSpec("non-division-supports", "Natural and community supports", purpose: "Unpaid and community supports: family, friends, church, clubs, school, generic services.",
                    planTypes: all4, fields: [
                        FieldSpec("supports", "Supports", .list(entries: [
                            FieldSpec("support", "Support", long, required: true),
                            FieldSpec("kind", "Kind", .choice([
                                Choice("natural", "Natural (family, friends)"), Choice("community", "Community"),
                                Choice("generic", "Generic or other agency"), Choice("school", "School"),
                            ])),
                            FieldSpec("providedBy", "Who provides it", short),
                            FieldSpec("frequency", "How often", short),
                            FieldSpec("days", "Days", .weekdays, hint: "When it happens, so that no paid service is planned for the same time."),
                            FieldSpec("fromTime", "From", .time),
                            FieldSpec("untilTime", "Until", .time),
                        ], max: 60), required: true),
                    ], checks: ServiceEntryChecks.check),
        SectionSpec("guardian-input", "Parent or guardian input", purpose: "What the parent or guardian wants, kept apart from the person's own wishes.",
                    planTypes: all4, fields: [
                        FieldSpec("inputs", "Input", .list(entries: [
                            FieldSpec("fromMemberId", "From", .circleMember, required: true),
                            FieldSpec("input", "What they said", long, required: true),
                            FieldSpec("date", "Date", .date),
                        ], max: 30), required: true),
                    ]),
        SectionSpec("funds", "Management of the person's funds", purpose: "How much help the person needs with money, who helps, and the safeguards.",
                    planTypes: adultPlans, fields: [
                        FieldSpec("level", "Level of support", .choice([
                            Choice("independent", "Manages own money"), Choice("some_help", "Some help"), Choice("full_management", "Someone else manages"),
                        ]), required: true),
                        FieldSpec("whoManages", "Who helps or manages", short, required: true),
                        FieldSpec("safeguards", "Safeguards", long, required: true),
                    ]),
        SectionSpec("setting", "Where the person lives", purpose: "The settings considered, including ones not only for people with disabilities, and the one the person chose.",
                    planTypes: adultPlans, fields: [
                        FieldSpec("optionsConsidered", "Options considered", .list(entries: [
                            FieldSpec("option", "Setting", short, required: true),
                            FieldSpec("nonDisabilitySpecific", "Not only for people with disabilities", .yesNo),
                            FieldSpec("notes", "Notes", long),
                        ], max: 20), required: true),
                        FieldSpec("chosenSetting", "Setting the person chose", short, required: true),
                        FieldSpec("whyChosen", "Why", long),
                        FieldSpec("livesAlone", "Lives alone", .yesNo),
                    ]),
        SectionSpec("natural-environment", "Natural environments", purpose: "Where services happen: in the child's natural environments, or why not.",
                    planTypes: [.californiaIFSP], fields: [
                        FieldSpec("statement", "Services in natural environments", long, required: true),
                        FieldSpec("justification", "Why any service is not in a natural environment", long),
                    ]),
        SectionSpec("outcomes", "Outcomes", purpose: "What the person wants to achieve, in their words, how the team will know, and the steps to get there: who does what, how often, by when, and how progress is measured.",
                    planTypes: all4, fields: [
                        FieldSpec("outcomes", "Outcomes", .list(entries: [
                            FieldSpec("id", "Outcome id", .entryID),
                            FieldSpec("outcome", "Outcome", long, required: true),
                            inOwnWords,
                            FieldSpec("lifeDomain", "Life area", .choice(LifeDomain.choices),
                                      hint: "The Charting the LifeCourse domain this outcome belongs to."),
                            FieldSpec("measure", "How we will know", long, hint: "Measurable: what, how much, and by when."),
                            FieldSpec("startDate", "Start date", .date),
                            FieldSpec("targetDate", "Target date", .date),
                            FieldSpec("status", "Status", .choice(OutcomeStatus.choices)),
                            FieldSpec("statusReason", "Why it changed or stopped", long,
                                      hint: "For a changed or discontinued outcome: what happened and what the person wants now."),
                        ], max: 50), required: true),
                        FieldSpec("steps", "Action steps", .list(entries: [
                            FieldSpec("id", "Step id", .entryID),
                            FieldSpec("outcomeId", "Outcome it works toward", .reference("outcomes"), required: true),
                            FieldSpec("step", "What will be done", long, required: true),
                            FieldSpec("responsibleKind", "Who is responsible", .choice(ResponsibleKind.choices), required: true),
                            FieldSpec("circleMemberId", "Who in the circle", .circleMember, hint: "When someone in the circle of support is responsible."),
                            FieldSpec("organizationId", "Which provider", .organization, hint: "When a provider organisation is responsible. Its staff record progress on this step."),
                            FieldSpec("paid", "Paid support", .yesNo),
                            FieldSpec("frequency", "How often", short, hint: "For example: 3 times a week."),
                            FieldSpec("schedule", "When", short, hint: "For example: Monday, Wednesday and Friday mornings."),
                            FieldSpec("byDate", "By when", .date),
                            FieldSpec("progressMeasure", "How progress is measured", .choice(ProgressMeasure.choices), required: true),
                            FieldSpec("target", "Target", .number(0...1_000_000),
                                      hint: "The value to reach: a count, minutes, a rating from 1 to 5, or a percentage (for yes or no, the share of days)."),
                        ], max: 200)),
                    ], checks: OutcomeChecks.check),
        SectionSpec("services", "Services and supports", purpose: "Every support the person gets, paid and unpaid: what it is, who gives it (the provider the person chose), how much and how often, when and where, who pays, and the outcome or need it serves.",
                    planTypes: all4, fields: [
                        FieldSpec("services", "Services", .list(entries: [
                            FieldSpec("id", "Service id", .entryID),
                            FieldSpec("service", "Service or support", short, required: true, hint: "In plain words, as the person would say it."),
                            FieldSpec("funding", "Paid or unpaid", .choice([Choice("paid", "Paid"), Choice("unpaid", "Unpaid (a natural or community support)")])),
                            FieldSpec("serviceCode", "Service in the catalogue", .catalogued,
                                      hint: "For a paid service: its code sets the unit, the rate and the limits, and its cost goes in the budget."),
                            FieldSpec("providerId", "Provider the person chose", .organization,
                                      hint: "A provider organisation in Lantern. When the plan takes effect it gets an authorization for this service."),
                            FieldSpec("provider", "Other provider, or who gives the support", short,
                                      hint: "A provider outside Lantern (a school, a clinic), or the person who gives an unpaid support."),
                            FieldSpec("optionsOffered", "Providers the person was offered", long, hint: "The choices the person had, so the plan shows it was their choice."),
                            FieldSpec("outcomeId", "Outcome it supports", .reference("outcomes"),
                                      hint: "The outcome this service helps the person reach."),
                            FieldSpec("needId", "Need it meets", .reference("needs"), hint: "A need written in what is important for the person."),
                            FieldSpec("units", "Amount (units)", .number(0...100_000), hint: "How many units of the service, in the catalogue's unit."),
                            FieldSpec("interval", "Per", .choice(ServiceInterval.choices)),
                            FieldSpec("frequency", "How often, in words", short, hint: "For example: 6 hours a week, in 2 visits."),
                            FieldSpec("days", "Days", .weekdays),
                            FieldSpec("fromTime", "From", .time),
                            FieldSpec("untilTime", "Until", .time),
                            FieldSpec("startDate", "Start date", .date),
                            FieldSpec("endDate", "End date", .date, hint: "Leave blank to run to the end of the plan."),
                            FieldSpec("location", "Where", short),
                            FieldSpec("fundingSource", "Who pays", .choice(FundingSource.choices)),
                            FieldSpec("program", "Which waiver or program", short, hint: "For example: Comprehensive Waiver."),
                            FieldSpec("selfDirected", "The person directs this service", .yesNo),
                            FieldSpec("waiting", "No provider can give it yet", .yesNo,
                                      hint: "The person is waiting for this service. It goes on the waiting list when the plan takes effect."),
                            FieldSpec("waitingSince", "Waiting since", .date),
                        ], max: 60), required: true),
                    ], checks: ServiceEntryChecks.check),
        SectionSpec("contributors", "Contributors", purpose: "Everyone who helped write the plan, and how.",
                    planTypes: all4, fields: [
                        FieldSpec("contributors", "Contributors", .list(entries: [
                            FieldSpec("name", "Name", short, required: true),
                            FieldSpec("role", "Role or relationship", short),
                            FieldSpec("how", "How they contributed", .choice([
                                Choice("present", "Present at the meeting"), Choice("interview", "Interview"), Choice("report", "Report"),
                                Choice("letter", "Letter"), Choice("questionnaire", "Questionnaire"),
                            ]), required: true),
                        ], max: 60), required: true),
                    ]),
    ]

    private static let byKey: [String: SectionSpec] = Dictionary(uniqueKeysWithValues: sections.map { ($0.key, $0) })

    public static func spec(_ key: String) -> SectionSpec? { byKey[key] }

    /// The sections of one plan type, in editor order.
    public static func sections(for type: PlanType) -> [SectionSpec] {
        sections.filter { $0.planTypes.contains(type) }
    }
}

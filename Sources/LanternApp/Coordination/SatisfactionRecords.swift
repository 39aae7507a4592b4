import Fluent
import LanternDomain
import Vapor

/// Satisfaction surveys: short, in plain words, answered on a three-point scale by the person and by
/// their family, after meetings and once a year. Each answer keeps the coordinator of the time.
extension PersonRecords {
    static let surveyFields: Set<String> = ["respondent", "answeredOn", "meetingId", "answers", "comment"]

    func surveys(of personID: UUID) async throws -> (Person, [SatisfactionSurvey], [PlanningMeeting]) {
        try await read(personID, .satisfaction, action: .list, detail: "listed satisfaction surveys") { person, db in
            let rows = try await SatisfactionSurvey.query(on: db).filter(\.$person.$id == personID).sort(\.$answeredOn, .descending).limit(500).all()
            let meetings = try await PlanningMeeting.query(on: db).filter(\.$person.$id == personID).filter(\.$status == MeetingStatus.held.rawValue)
                .sort(\.$meetsOn, .descending).limit(10).all()
            return (person, rows, meetings)
        }
    }

    /// Records a survey. Answers are `{questionId: 1|2|3}` for the respondent's questions; at least
    /// one must be answered, and any may be skipped. Open survey tasks for the person are done.
    func recordSurvey(_ personID: UUID, _ input: [String: JSONValue]) async throws -> SatisfactionSurvey {
        let (actorID, today) = (actor.userID, self.today)
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: Self.surveyFields)
        let respondent = r.choice("respondent", label: "Who answers", SurveyRespondent.self, required: true)
        let on = r.date("answeredOn", label: "Day of the answers", required: true)
        let meeting = r.uuid("meetingId", label: "Meeting the survey follows")
        let comment = r.text("comment", label: "Anything else", max: 2000)
        if case let d?? = on, d > today { r.fail("answeredOn", "The day of the answers cannot be in the future (today is \(today)).") }
        var ratings: [String: Int] = [:]
        if case let who?? = respondent {
            let known = Dictionary(uniqueKeysWithValues: who.questions.map { ($0.id, $0.text) })
            switch input["answers"] {
            case let .object(answers)?:
                for (key, value) in answers.sorted(by: { $0.key < $1.key }) {
                    guard known[key] != nil else { r.fail("answers", "\(key) is not a question for \(who.label.lowercased()). Questions: \(who.questions.map(\.id).joined(separator: ", "))."); continue }
                    switch value {
                    case .null: continue
                    case let .number(n) where SatisfactionRating(rawValue: Int(n)) != nil && n == n.rounded(): ratings[key] = Int(n)
                    case let .string(s) where Int(s).flatMap(SatisfactionRating.init) != nil: ratings[key] = Int(s)!
                    case .string(""): continue
                    default: r.fail("answers", "“\(known[key]!)”: answer 1 (not happy), 2 (okay) or 3 (happy).")
                    }
                }
                if r.errors.isEmpty && ratings.isEmpty { r.fail("answers", "Answer at least one question.") }
            case nil: r.fail("answers", "Answer at least one question.")
            default: r.fail("answers", "Answers must be an object of question id to 1, 2 or 3.")
            }
        }
        guard r.errors.isEmpty, case let who?? = respondent, case let answeredOn?? = on else { throw Problem.invalid(r.errors) }
        let answered = ratings
        return try await change(personID, .giveOwnView, .satisfaction, action: .create) { person, db in
            if let meetingID = meeting ?? nil,
               try await PlanningMeeting.query(on: db).filter(\.$id == meetingID).filter(\.$person.$id == personID).first() == nil {
                throw Problem.invalid([FieldError("meetingId", "That meeting is not one of this person's meetings.")])
            }
            let s = SatisfactionSurvey()
            s.id = UUID(); s.$person.id = personID; s.respondent = who.rawValue; s.answeredOn = answeredOn.description
            s.meetingID = meeting ?? nil; s.coordinatorID = person.currentCoordinatorID; try s.setAnswers(answered)
            s.comment = comment ?? nil; s.recordedByID = actorID
            try await s.create(on: db)
            try await Self.finishTasks(of: personID, kind: .satisfactionSurvey, note: "\(who.label) answered on \(answeredOn)", by: actorID, on: today, db: db)
            return (s, "\(who.rawValue) satisfaction survey of \(answeredOn) recorded")
        }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder { let e = JSONEncoder(); e.outputFormatting = .sortedKeys; return e }
}

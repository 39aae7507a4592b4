import Fluent
import LanternDomain
import Vapor

/// Planning meetings: the person chooses when, where and who; the coordinator records what they need
/// to take part, who came and what was said, linked to the plan version the meeting was for.
extension PersonRecords {
    static let meetingFields: Set<String> = ["meetsOn", "startsAt", "place", "chosenByPerson", "facilitator", "inviteeIds", "otherInvitees",
                                             "accommodations", "accommodationNotes", "advocate", "planId"]
    static let meetingOutcomeFields: Set<String> = ["status", "attendedIds", "attendedOthers", "notes", "planId"]

    /// A person's meetings, the next first and then the past, newest first; with the circle, to name invitees.
    func meetings(of personID: UUID) async throws -> (Person, [PlanningMeeting], [CircleMember]) {
        try await read(personID, .meetings, action: .list, detail: "listed planning meetings") { person, db in
            let rows = try await PlanningMeeting.query(on: db).filter(\.$person.$id == personID).sort(\.$meetsOn, .descending).sort(\.$startsAt, .descending).limit(200).all()
            let circle = try await CircleMember.query(on: db).filter(\.$person.$id == personID).sort(\.$name).all()
            return (person, rows, circle)
        }
    }

    func meeting(_ meetingID: UUID, of personID: UUID) async throws -> (Person, PlanningMeeting, [CircleMember], [Plan]) {
        try await read(personID, .meetings, detail: "viewed planning meeting \(meetingID.text)") { person, db in
            guard let meeting = try await PlanningMeeting.query(on: db).filter(\.$id == meetingID).filter(\.$person.$id == personID).first() else {
                throw Problem.notFound("meeting")
            }
            let circle = try await CircleMember.query(on: db).filter(\.$person.$id == personID).sort(\.$name).all()
            let plans = try await Plan.query(on: db).filter(\.$person.$id == personID).sort(\.$createdAt, .descending).limit(20).all()
            return (person, meeting, circle, plans)
        }
    }

    /// Plans a meeting. Invitees are members of the person's circle (the person decides who) and
    /// anyone else named; the plan, when given, must be one of the person's.
    func scheduleMeeting(_ personID: UUID, _ input: [String: JSONValue]) async throws -> PlanningMeeting {
        let actorID = actor.userID
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: Self.meetingFields)
        let day = r.date("meetsOn", label: "Day of the meeting", required: true)
        let time = r.time("startsAt", label: "Time it starts", required: true)
        let place = r.text("place", label: "Place", required: true, max: 300)
        let chosen = r.bool("chosenByPerson", label: "The person chose the day, time and place") ?? false
        let facilitator = r.text("facilitator", label: "Who leads the meeting", required: true, max: 200)
        let invitees = r.uuids("inviteeIds", label: "People invited from the circle") ?? []
        let others = r.text("otherInvitees", label: "Others invited", max: 1000)
        let accommodations = r.choices("accommodations", label: "What the person needs to take part", Accommodation.self) ?? []
        let notes = r.text("accommodationNotes", label: "More about what the person needs", max: 1000)
        let advocate = r.text("advocate", label: "The person's advocate", max: 200)
        let planID = r.uuid("planId", label: "Plan the meeting is for")
        guard r.errors.isEmpty, case let meetsOn?? = day, case let startsAt?? = time, case let where_?? = place, case let leader?? = facilitator else {
            throw Problem.invalid(r.errors)
        }
        return try await change(personID, .update, .meetings, action: .create) { _, db in
            try await Self.requireCircle(invitees, of: personID, field: "inviteeIds", on: db)
            if let planID = planID ?? nil { try await Self.requirePlan(planID, of: personID, on: db) }
            let m = PlanningMeeting()
            m.id = UUID(); m.$person.id = personID; m.planID = planID ?? nil
            m.meetsOn = meetsOn.description; m.startsAt = startsAt; m.place = where_; m.chosenByPerson = chosen; m.facilitator = leader
            m.inviteeIDs = invitees.map(\.text); m.otherInvitees = others ?? nil
            m.accommodations = accommodations.map(\.rawValue); m.accommodationNotes = notes ?? nil; m.advocate = advocate ?? nil
            m.status = MeetingStatus.planned.rawValue; m.attendedIDs = []; m.recordedByID = actorID
            try await m.create(on: db)
            return (m, "planning meeting set for \(meetsOn) \(startsAt), \(invitees.count) invited from the circle")
        }
    }

    /// Records that the meeting was held (who came, notes, the plan version) or cancelled. A held
    /// meeting answers the intake task for the first meeting, and a satisfaction survey follows.
    func recordMeetingOutcome(_ meetingID: UUID, of personID: UUID, _ input: [String: JSONValue]) async throws -> PlanningMeeting {
        let (actorID, today) = (actor.userID, self.today)
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: Self.meetingOutcomeFields)
        let status = r.choice("status", label: "What happened", MeetingStatus.self, required: true)
        let attended = r.uuids("attendedIds", label: "Who came from the circle") ?? []
        let others = r.text("attendedOthers", label: "Others who came", max: 1000)
        let notes = r.text("notes", label: "Notes", max: 8000)
        let planID = r.uuid("planId", label: "Plan the meeting was for")
        if case .planned?? = status { r.fail("status", "Say whether the meeting was held or cancelled.") }
        guard r.errors.isEmpty, case let outcome?? = status else { throw Problem.invalid(r.errors) }
        return try await change(personID, .update, .meetings, action: .update) { _, db in
            guard let m = try await PlanningMeeting.query(on: db).filter(\.$id == meetingID).filter(\.$person.$id == personID).first() else {
                throw Problem.notFound("meeting")
            }
            guard m.meetingStatus == .planned else {
                throw Problem(.conflict, "Already recorded", detail: "This meeting is already recorded as \(m.meetingStatus.label.lowercased()).")
            }
            if outcome == .held {
                if m.meetsOn > today.description {
                    throw Problem.invalid([FieldError("status", "The meeting is on \(m.meetsOn): it can be recorded as held on that day or after.")])
                }
                try await Self.requireCircle(attended, of: personID, field: "attendedIds", on: db)
                if let planID = planID ?? nil { try await Self.requirePlan(planID, of: personID, on: db); m.planID = planID }
                m.attendedIDs = attended.map(\.text); m.attendedOthers = others ?? nil
                try await Self.finishTasks(of: personID, kind: .firstPlanMeeting, note: "Meeting held on \(m.meetsOn)", by: actorID, on: today, db: db)
            }
            m.notes = notes ?? nil
            m.status = outcome.rawValue
            try await m.save(on: db)
            return (m, "planning meeting of \(m.meetsOn) \(outcome.rawValue)" + (outcome == .held ? ", \(attended.count) from the circle came" : ""))
        }
    }

    static func requireCircle(_ ids: [UUID], of personID: UUID, field: String, on db: any Database) async throws {
        guard !ids.isEmpty else { return }
        let found = Set(try await CircleMember.query(on: db).filter(\.$person.$id == personID).filter(\.$id ~~ ids).all().compactMap(\.id))
        if let missing = ids.first(where: { !found.contains($0) }) {
            throw Problem.invalid([FieldError(field, "\(missing.text) is not in this person's circle of support. Add them to the circle first, or name them under others.")])
        }
    }

    static func requirePlan(_ planID: UUID, of personID: UUID, on db: any Database) async throws {
        guard try await Plan.query(on: db).filter(\.$id == planID).filter(\.$person.$id == personID).first() != nil else {
            throw Problem.invalid([FieldError("planId", "That plan is not one of this person's plans.")])
        }
    }
}

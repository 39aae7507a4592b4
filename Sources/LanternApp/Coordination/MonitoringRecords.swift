import Fluent
import LanternDomain
import Vapor

extension PersonRecords {
    /// A person's monitoring contacts, newest first (at most `limit`), with when the next is due.
    func contacts(of personID: UUID, limit: Int = 100) async throws -> (Person, [MonitoringContact], CalendarDate?) {
        try await read(personID, .monitoring, action: .list, detail: "listed monitoring contacts") { person, db in
            let rows = try await MonitoringContact.query(on: db).filter(\.$person.$id == personID).sort(\.$contactOn, .descending).sort(\.$createdAt, .descending).limit(limit).all()
            var next: CalendarDate?
            if let frequency = person.contactFrequency.flatMap(ContactFrequency.init) {
                let since = try await CoordinatorAssignment.query(on: db).filter(\.$person.$id == personID).filter(\.$endsOn == nil).first()
                    .flatMap { CalendarDate($0.startsOn) }
                if let base = rows.first.flatMap({ CalendarDate($0.contactOn) }) ?? since { next = base.adding(months: frequency.months) }
            }
            return (person, rows, next)
        }
    }

    static let contactFields: Set<String> = ["contactOn", "kind", "findings", "followUp"]

    /// Records a contact: the day (not in the future), how, what was found and what follows. It
    /// answers the open monitoring task of the person.
    func recordContact(_ personID: UUID, _ input: [String: JSONValue]) async throws -> MonitoringContact {
        let (actorID, today) = (actor.userID, self.today)
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: Self.contactFields)
        let day = r.date("contactOn", label: "Day of the contact", required: true)
        let kind = r.choice("kind", label: "How", ContactKind.self, required: true)
        let findings = r.text("findings", label: "What was found", required: true, max: 4000)
        let followUp = r.text("followUp", label: "What follows", max: 2000)
        if case let d?? = day, d > today { r.fail("contactOn", "The day of the contact cannot be in the future (today is \(today)).") }
        guard r.errors.isEmpty, case let contactOn?? = day, case let how?? = kind, case let found?? = findings else { throw Problem.invalid(r.errors) }
        return try await change(personID, .update, .monitoring, action: .create) { _, db in
            let contact = MonitoringContact()
            contact.id = UUID(); contact.$person.id = personID; contact.contactOn = contactOn.description; contact.kind = how.rawValue
            contact.findings = found; contact.followUp = followUp ?? nil; contact.recordedByID = actorID
            try await contact.create(on: db)
            let open = try await CoordinationTask.query(on: db).filter(\.$person.$id == personID).filter(\.$kind == TaskKind.monitoringContact.rawValue)
                .filter(\.$status == TaskStatus.open.rawValue).all()
            for task in open {
                task.status = TaskStatus.done.rawValue; task.closedOn = today.description; task.closedByID = actorID
                task.note = "\(how.label) contact on \(contactOn)"
                try await task.save(on: db)
            }
            return (contact, "\(how.rawValue) contact on \(contactOn) recorded" + (open.isEmpty ? "" : "; monitoring task done"))
        }
    }
}

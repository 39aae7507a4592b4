import LanternDomain
import Vapor

/// Caseloads against their limits, conflicts of interest and their documented exceptions.
enum CoordinationAPI {
    static func register(_ api: any RoutesBuilder) {
        api.get("caseloads", use: caseloads)
        api.post("people", ":personID", "conflict-exceptions", use: documentException)
        api.get("people", ":personID", "contacts", use: contacts)
        api.post("people", ":personID", "contacts", use: recordContact)
        api.get("tasks", use: tasks)
        api.post("tasks", ":taskID", "done", use: completeTask)
    }

    struct ContactDTO: Content {
        var id: String
        var personId: String
        var contactOn: String
        var kind: String
        var findings: String
        var followUp: String?
        var recordedBy: String
        init(_ c: MonitoringContact) {
            id = c.id!.text; personId = c.$person.id.text; contactOn = c.contactOn; kind = c.kind; findings = c.findings; followUp = c.followUp
            recordedBy = c.recordedByID.text
        }
    }
    struct ContactsDTO: Content { var contactFrequency: String?; var nextDue: String?; var overdue: Bool; var items: [ContactDTO] }

    static func contacts(req: Request) async throws -> JSONReply<ContactsDTO> {
        let (person, rows, next) = try await req.records().contacts(of: try req.uuidParameter("personID", what: "person"))
        return JSONReply(value: ContactsDTO(contactFrequency: person.contactFrequency, nextDue: next?.description,
                                            overdue: next.map { $0 < CalendarDate(req.now) } ?? false, items: rows.map(ContactDTO.init)))
    }

    static func recordContact(req: Request) async throws -> JSONReply<ContactDTO> {
        let contact = try await req.records().recordContact(try req.uuidParameter("personID", what: "person"), try req.jsonObject())
        return JSONReply(value: ContactDTO(contact), status: .created)
    }

    struct TaskDTO: Content {
        var id: String
        var personId: String
        var personName: String
        var kind: String
        var title: String
        var dueOn: String
        var showFrom: String
        var citation: String
        var status: String
        var overdue: Bool
        var closedOn: String?
        var note: String?
        init(_ item: TaskItem, today: CalendarDate) {
            let t = item.task
            id = t.id!.text; personId = t.$person.id.text; personName = item.person.displayName; kind = t.kind; title = t.title
            dueOn = t.dueOn; showFrom = t.showFrom; citation = t.citation; status = t.status
            overdue = t.taskStatus == .open && (CalendarDate(t.dueOn).map { $0 < today } ?? false); closedOn = t.closedOn; note = t.note
        }
    }

    static func tasks(req: Request) async throws -> JSONReply<ListReply<TaskDTO>> {
        let today = CalendarDate(req.now)
        let list = try await req.records().tasks(after: try listCursor(req))
        return JSONReply(value: ListReply(items: list.items.map { TaskDTO($0, today: today) }, nextCursor: list.nextCursor))
    }

    static func completeTask(req: Request) async throws -> JSONReply<TaskDTO> {
        let body = req.body.data == nil ? [:] : try req.jsonObject()
        var r = FieldReader(body, creating: true)
        r.rejectUnknown(allowed: ["note"])
        let note = r.text("note", label: "Note", max: 1000)
        if !r.errors.isEmpty { throw Problem.invalid(r.errors) }
        let records = try req.records()
        let task = try await records.completeTask(try req.uuidParameter("taskID", what: "task"), note: note ?? nil)
        let person = try await Person.find(task.$person.id, on: req.db)!
        return JSONReply(value: TaskDTO(TaskItem(task: task, person: person), today: CalendarDate(req.now)))
    }

    struct CaseloadDTO: Content {
        var coordinatorId: String
        var coordinator: String
        var people: Int
        var highIntensity: Int
        var weighted: Double
        var limit: Double
        var over: Bool

        init(_ c: CoordinatorLoad) {
            coordinatorId = c.id.text; coordinator = c.name; people = c.load.people; highIntensity = c.load.high
            weighted = c.load.weighted; limit = c.load.limit; over = c.load.isOver
        }
    }
    struct ConflictDTO: Content {
        var personId: String
        var personName: String
        var coordinatorId: String
        var coordinator: String
        var organizationId: String
        var organization: String
        var exceptionDocumented: Bool
        var firewall: String?
        var documentedOn: String?
    }
    struct CaseloadsDTO: Content {
        var weights: [String: Double]
        var defaultLimit: Double
        /// Every coordinator overseen, and the people in their caseloads.
        var coordinators: Int
        var people: Int
        /// Those over their limit, the furthest over first (at most 100 here), and how many are.
        var overLimit: [CaseloadDTO]
        var overLimitTotal: Int
        /// A page of every caseload, by coordinator's name.
        var caseloads: [CaseloadDTO]
        var nextCursor: String?
        /// A page of the conflicts of interest, those with no exception first.
        var conflicts: [ConflictDTO]
        var conflictsTotal: Int
        var conflictsWithoutException: Int
        var nextConflictsFrom: Int?
        var reviewedWithin12Months: ReviewShareDTO
    }
    struct ReviewShareDTO: Content { var reviewed: Int; var people: Int; var share: Double?; var target: Double; var meetsTarget: Bool }

    static func caseloads(req: Request) async throws -> JSONReply<CaseloadsDTO> {
        let page = try await req.records().caseloadsAndConflicts(after: try listCursor(req), conflictsFrom: try CoordinationPages.conflictsFrom(req))
        let rules = req.application.lantern.settings.caseloadRules
        let reviewed = page.reviewed
        return JSONReply(value: CaseloadsDTO(
            weights: [Intensity.standard.rawValue: rules.standardWeight, Intensity.high.rawValue: rules.highWeight], defaultLimit: rules.defaultLimit,
            coordinators: page.coordinators, people: page.people, overLimit: page.overLimit.map(CaseloadDTO.init), overLimitTotal: page.overLimitTotal,
            caseloads: page.page.map(CaseloadDTO.init), nextCursor: page.nextCursor,
            conflicts: page.conflicts.map(conflictDTO), conflictsTotal: page.conflictsTotal, conflictsWithoutException: page.conflictsWithoutException,
            nextConflictsFrom: page.nextConflictsFrom,
            reviewedWithin12Months: ReviewShareDTO(reviewed: reviewed.reviewed, people: reviewed.people, share: reviewed.share.map { ($0 * 1000).rounded() / 1000 },
                                                   target: ReviewShare.federalTarget, meetsTarget: reviewed.meetsTarget)))
    }

    static func conflictDTO(_ c: ConflictRow) -> ConflictDTO {
        ConflictDTO(personId: c.person.id!.text, personName: c.person.displayName, coordinatorId: c.coordinator.id!.text, coordinator: c.coordinator.displayName,
                    organizationId: c.organization.id!.text, organization: c.organization.name, exceptionDocumented: c.exception != nil,
                    firewall: c.exception?.firewall, documentedOn: c.exception?.recordedOn)
    }

    struct ExceptionDTO: Content { var id: String; var personId: String; var organizationId: String; var coordinatorId: String; var firewall: String; var recordedOn: String }

    static func documentException(req: Request) async throws -> JSONReply<ExceptionDTO> {
        let body = try req.jsonObject()
        var r = FieldReader(body, creating: true)
        r.rejectUnknown(allowed: ["organizationId", "conflictFirewall"])
        let organization = r.uuid("organizationId", label: "organizationId", required: true)
        let firewall = r.text("conflictFirewall", label: "How coordination is kept apart from the services", required: true, max: 2000)
        guard r.errors.isEmpty, let organizationID = organization ?? nil, let text = firewall ?? nil else { throw Problem.invalid(r.errors) }
        let e = try await req.records().documentConflictException(try req.uuidParameter("personID", what: "person"), organizationID: organizationID, firewall: text)
        return JSONReply(value: ExceptionDTO(id: e.id!.text, personId: e.$person.id.text, organizationId: e.$organization.id.text,
                                             coordinatorId: e.$coordinator.id.text, firewall: e.firewall, recordedOn: e.recordedOn), status: .created)
    }
}

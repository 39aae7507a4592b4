import Fluent
import Vapor

/// `/api/v1/people` and the parts of a person's record.
enum PeopleAPI {
    static func register(_ api: any RoutesBuilder) {
        let people = api.grouped("people")
        people.get(use: list)
        people.post(use: create)
        people.get(":personID", use: show)
        people.patch(":personID", use: update)
        people.get(":personID", "circle", use: listCircle)
        people.post(":personID", "circle", use: addCircleMember)
        people.get(":personID", "circle", ":memberID", use: showCircleMember)
        people.patch(":personID", "circle", ":memberID", use: updateCircleMember)
        people.delete(":personID", "circle", ":memberID", use: removeCircleMember)
        people.get(":personID", "coordinator-assignments", use: listAssignments)
        people.post(":personID", "coordinator-assignments", use: assign)
        people.get(":personID", "providers", use: listProviders)
        people.post(":personID", "providers", use: linkProvider)
        people.delete(":personID", "providers", ":organizationID", use: unlinkProvider)
    }

    static func list(req: Request) async throws -> JSONReply<ListReply<PersonDTO>> {
        let records = try req.records()
        let page = try await records.listPeople(try PeopleQuery.from(req))
        return JSONReply(value: ListReply(items: page.people.map { PersonDTO($0, today: records.today) }, nextCursor: page.nextCursor))
    }

    static func create(req: Request) async throws -> JSONReply<PersonDTO> {
        let records = try req.records()
        let person = try await records.createPerson(try req.jsonObject())
        return .versioned(PersonDTO(person, today: records.today), version: person.version, status: .created, location: "/api/v1/people/\(person.id!.text)")
    }

    static func show(req: Request) async throws -> JSONReply<PersonDTO> {
        let records = try req.records()
        let id = try req.uuidParameter("personID", what: "person")
        let person = try await records.read(id, .demographics) { person, _ in person }
        return .versioned(PersonDTO(person, today: records.today), version: person.version)
    }

    static func update(req: Request) async throws -> JSONReply<PersonDTO> {
        let records = try req.records()
        let id = try req.uuidParameter("personID", what: "person")
        let body = try req.jsonObject()
        let person = try await records.updatePerson(id, body, ifMatch: try req.requiredIfMatch())
        return .versioned(PersonDTO(person, today: records.today), version: person.version)
    }

    static func listCircle(req: Request) async throws -> JSONReply<ListReply<CircleMemberDTO>> {
        let (_, members) = try await req.records().circle(of: try req.uuidParameter("personID", what: "person"))
        return JSONReply(value: ListReply(items: members.map(CircleMemberDTO.init), nextCursor: nil))
    }

    static func addCircleMember(req: Request) async throws -> JSONReply<CircleMemberDTO> {
        let personID = try req.uuidParameter("personID", what: "person")
        let member = try await req.records().addCircleMember(to: personID, try req.jsonObject())
        return .versioned(CircleMemberDTO(member), version: member.version, status: .created,
                          location: "/api/v1/people/\(personID.text)/circle/\(member.id!.text)")
    }

    static func showCircleMember(req: Request) async throws -> JSONReply<CircleMemberDTO> {
        let member = try await req.records().circleMember(try req.uuidParameter("memberID", what: "circle member"),
                                                          of: try req.uuidParameter("personID", what: "person"))
        return .versioned(CircleMemberDTO(member), version: member.version)
    }

    static func updateCircleMember(req: Request) async throws -> JSONReply<CircleMemberDTO> {
        let personID = try req.uuidParameter("personID", what: "person")
        let memberID = try req.uuidParameter("memberID", what: "circle member")
        let body = try req.jsonObject()
        let member = try await req.records().updateCircleMember(memberID, of: personID, body, ifMatch: try req.requiredIfMatch())
        return .versioned(CircleMemberDTO(member), version: member.version)
    }

    static func removeCircleMember(req: Request) async throws -> HTTPStatus {
        let personID = try req.uuidParameter("personID", what: "person")
        let memberID = try req.uuidParameter("memberID", what: "circle member")
        try await req.records().removeCircleMember(memberID, of: personID, ifMatch: try req.requiredIfMatch())
        return .noContent
    }

    struct AssignmentDTO: Content {
        var id: String
        var coordinator: CoordinatorSummary
        var startsOn: String
        var endsOn: String?
        var reason: String
        var overLimitReason: String?
        var optionsOffered: [String]
        var chosenBy: String?
    }

    static func assignmentDTO(_ a: CoordinatorAssignment) -> AssignmentDTO {
        AssignmentDTO(id: a.id!.text, coordinator: CoordinatorSummary(id: a.$coordinator.id.text, name: a.coordinator.displayName),
                      startsOn: a.startsOn, endsOn: a.endsOn, reason: a.reason, overLimitReason: a.overLimitReason,
                      optionsOffered: a.optionsOffered ?? [], chosenBy: a.chosenBy)
    }

    static func listAssignments(req: Request) async throws -> JSONReply<ListReply<AssignmentDTO>> {
        let rows = try await req.records().assignments(of: try req.uuidParameter("personID", what: "person"))
        return JSONReply(value: ListReply(items: rows.map(assignmentDTO), nextCursor: nil))
    }

    static func assign(req: Request) async throws -> JSONReply<AssignmentDTO> {
        let personID = try req.uuidParameter("personID", what: "person")
        let body = try req.jsonObject()
        var r = FieldReader(body, creating: true)
        r.rejectUnknown(allowed: ["coordinatorId", "startsOn", "reason", "overLimitReason", "conflictFirewall", "optionsOffered", "chosenBy"])
        let coordinator = r.uuid("coordinatorId", label: "coordinatorId", required: true)
        let startsOn = r.date("startsOn", label: "startsOn")
        let reason = r.text("reason", label: "Reason for the change", required: true, max: 400)
        let overLimit = r.text("overLimitReason", label: "Why the caseload may go over its limit", max: 1000)
        let firewall = Caseloads.firewall(body, reader: &r)
        let offered = r.uuids("optionsOffered", label: "Coordinators offered")
        let chosenBy = r.choice("chosenBy", label: "Who chose", CoordinatorChooser.self)
        guard r.errors.isEmpty, let coordinatorID = coordinator ?? nil, let reasonText = reason ?? nil else { throw Problem.invalid(r.errors) }
        let assignment = try await req.records().assignCoordinator(coordinatorID, to: personID, startsOn: startsOn ?? nil, reason: reasonText,
                                                                   overLimitReason: overLimit ?? nil, conflictFirewall: firewall ?? nil,
                                                                   offered: offered ?? [], chosenBy: chosenBy ?? nil)
        return JSONReply(value: assignmentDTO(assignment), status: .created)
    }

    struct ProviderLinkDTO: Content {
        var organizationId: String
        var organizationName: String
        var since: String
    }

    static func listProviders(req: Request) async throws -> JSONReply<ListReply<ProviderLinkDTO>> {
        let links = try await req.records().providerLinks(of: try req.uuidParameter("personID", what: "person"))
        return JSONReply(value: ListReply(items: links.map { ProviderLinkDTO(organizationId: $0.$organization.id.text, organizationName: $0.organization.name, since: $0.since) }, nextCursor: nil))
    }

    static func linkProvider(req: Request) async throws -> JSONReply<ProviderLinkDTO> {
        let personID = try req.uuidParameter("personID", what: "person")
        let body = try req.jsonObject()
        var r = FieldReader(body, creating: true)
        r.rejectUnknown(allowed: ["organizationId", "since", "conflictFirewall"])
        let organization = r.uuid("organizationId", label: "organizationId", required: true)
        let since = r.date("since", label: "since")
        let firewall = Caseloads.firewall(body, reader: &r)
        guard r.errors.isEmpty, let organizationID = organization ?? nil else { throw Problem.invalid(r.errors) }
        let link = try await req.records().linkProvider(organizationID, to: personID, since: since ?? nil, conflictFirewall: firewall ?? nil)
        return JSONReply(value: ProviderLinkDTO(organizationId: organizationID.text, organizationName: link.organization.name, since: link.since), status: .created)
    }

    static func unlinkProvider(req: Request) async throws -> HTTPStatus {
        try await req.records().unlinkProvider(try req.uuidParameter("organizationID", what: "provider link"),
                                               from: try req.uuidParameter("personID", what: "person"))
        return .noContent
    }
}

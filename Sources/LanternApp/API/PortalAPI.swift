import LanternDomain
import Vapor

/// The person's and family's own door through the API: the whole record (their right of access), who
/// looked at it, asking for a change, and what the family sees.
enum PortalAPI {
    static func register(_ api: any RoutesBuilder) {
        let person = api.grouped("people", ":personID")
        person.get("record", use: record)
        person.get("access-log", use: accessLog)
        person.get("change-requests", use: changeRequests)
        person.post("change-requests", use: askForChange)
        person.put("circle", ":memberID", "sharing", use: share)
    }

    static func personID(_ req: Request) throws -> UUID { try req.uuidParameter("personID", what: "person") }

    // MARK: The whole record

    struct AuthorizationRecordDTO: Content {
        var id: String; var planId: String; var organizationId: String; var organization: String?
        var serviceCode: String; var serviceName: String; var unit: String; var units: Int; var plannedCost: Double
        var fundingSource: String?; var startsOn: String; var endsOn: String; var status: String; var endedOn: String?
        init(_ a: Authorization, organization: String?) {
            id = a.id!.text; planId = a.$plan.id.text; organizationId = a.$organization.id.text; self.organization = organization
            serviceCode = a.serviceCode; serviceName = a.serviceName; unit = a.unit; units = a.units; plannedCost = a.plannedCost
            fundingSource = a.fundingSource; startsOn = a.startsOn; endsOn = a.endsOn; status = a.status; endedOn = a.endedOn
        }
    }

    struct PlanVersionDTO: Content {
        var plan: PlansAPI.PlanDTO
        /// Each section's content by its key.
        var sections: [String: JSONValue]
        var signatures: [PlansAPI.SignatureDTO]
    }

    struct RecordDTO: Content {
        var exportedAt: Date
        var person: PersonDTO
        var circle: [CircleMemberDTO]
        var plans: [PlanVersionDTO]
        var reviewRequests: [PlanFollowUpAPI.ReviewRequestDTO]
        var authorizations: [AuthorizationRecordDTO]
        var deliveries: [ServicesAPI.DeliveryDTO]
        var progress: [OutcomesAPI.EntryDTO]
        var ownViews: [OutcomesAPI.SelfViewDTO]
        var meetings: [PersonCoordinationAPI.MeetingDTO]
        var surveys: [PersonCoordinationAPI.SurveyDTO]

        init(_ r: PortalRecord, at now: Date, today: CalendarDate) {
            exportedAt = now
            person = PersonDTO(r.reader.person, today: today)
            circle = r.circle.map(CircleMemberDTO.init)
            plans = r.plans.map { item in
                PlanVersionDTO(plan: PlansAPI.PlanDTO(item.plan),
                               sections: Dictionary(item.sections.map { ($0.sectionKey, JSONValue.object($0.content)) }, uniquingKeysWith: { a, _ in a }),
                               signatures: item.signatures.map(PlansAPI.SignatureDTO.init))
            }
            reviewRequests = r.requests.map(PlanFollowUpAPI.ReviewRequestDTO.init)
            authorizations = r.authorizations.map { AuthorizationRecordDTO($0, organization: r.organizations[$0.$organization.id]) }
            deliveries = r.deliveries.map(ServicesAPI.DeliveryDTO.init)
            progress = r.progress.map(OutcomesAPI.EntryDTO.init)
            ownViews = r.views.map(OutcomesAPI.SelfViewDTO.init)
            meetings = r.meetings.map(PersonCoordinationAPI.MeetingDTO.init)
            surveys = r.surveys.map(PersonCoordinationAPI.SurveyDTO.init)
        }
    }

    static func record(req: Request) async throws -> JSONReply<RecordDTO> {
        let records = try req.records()
        let record = try await records.wholeRecord(try personID(req))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"lantern-record-\(records.today).json\"")
        return JSONReply(value: RecordDTO(record, at: req.now, today: records.today), headers: headers)
    }

    // MARK: Who looked

    struct AccessLogLineDTO: Content {
        var seq: Int; var at: Date; var who: String; var role: String?; var action: String; var category: String; var outcome: String
    }

    static func accessLog(req: Request) async throws -> JSONReply<ListReply<AccessLogLineDTO>> {
        let offset = try req.query.get(Int?.self, at: "cursor").map { max(0, $0) } ?? 0
        let limit = min(200, max(1, try req.query.get(Int?.self, at: "limit") ?? 50))
        let (_, lines, next) = try await req.records().accessLog(try personID(req), offset: offset, limit: limit)
        return JSONReply(value: ListReply(items: lines.map { l in
            AccessLogLineDTO(seq: l.entry.id ?? 0, at: l.entry.at, who: l.who, role: l.role?.rawValue, action: l.entry.action, category: l.entry.category, outcome: l.entry.outcome)
        }, nextCursor: next.map(String.init)))
    }

    // MARK: Asking for a change

    static func changeRequests(req: Request) async throws -> JSONReply<ListReply<PlanFollowUpAPI.ReviewRequestDTO>> {
        let requests = try await req.records().portalRequests(try personID(req))
        return JSONReply(value: ListReply(items: requests.requests.map(PlanFollowUpAPI.ReviewRequestDTO.init), nextCursor: nil))
    }

    static func askForChange(req: Request) async throws -> JSONReply<PlanFollowUpAPI.ReviewRequestDTO> {
        JSONReply(value: PlanFollowUpAPI.ReviewRequestDTO(try await req.records().askForChange(try personID(req), try req.jsonObject())), status: .created)
    }

    // MARK: Sharing

    struct SharingDTO: Content { var circleMemberId: String; var name: String; var sharedAreas: [String] }

    static func share(req: Request) async throws -> JSONReply<SharingDTO> {
        let input = try req.jsonObject()
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: ["sharedAreas"])
        var areas = Set<SharedArea>()
        switch input["sharedAreas"] {
        case let .array(items)?:
            for item in items {
                guard case let .string(text) = item, let area = SharedArea(rawValue: text) else {
                    r.fail("sharedAreas", "Each shared area is one of: \(SharedArea.allCases.map(\.rawValue).joined(separator: ", ")).")
                    continue
                }
                areas.insert(area)
            }
        default: r.fail("sharedAreas", "Give sharedAreas as a list (empty to share nothing).")
        }
        guard r.errors.isEmpty else { throw Problem.invalid(r.errors) }
        let member = try await req.records().share(try personID(req), member: try req.uuidParameter("memberID", what: "circle member"), areas: areas)
        return JSONReply(value: SharingDTO(circleMemberId: member.id!.text, name: member.name,
                                           sharedAreas: SharedArea.allCases.filter(member.sharedAreas.contains).map(\.rawValue)))
    }
}

import Foundation
import LanternDomain
import Vapor

/// A read-only FHIR R4 REST surface (application/fhir+json): the CapabilityStatement, a plan as a
/// CarePlan, a person's CarePlans, and everything about a person. Bearer tokens, as for the API.
enum FHIRRoutes {
    static func register(_ app: Application) {
        let fhir = app.grouped("fhir")
        fhir.get("metadata", use: metadata)
        let authenticated = fhir.grouped(TokenAuthenticator(), RequireSignIn())
        authenticated.get("CarePlan", ":planID", use: carePlan)
        authenticated.get("CarePlan", use: searchCarePlans)
        authenticated.get("Patient", ":personID", "$everything", use: everything)
    }

    static let mediaType = HTTPMediaType(type: "application", subType: "fhir+json", parameters: ["charset": "utf-8"])

    static func reply(_ value: JSONValue, status: HTTPResponseStatus = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPHeaders()
        headers.contentType = mediaType
        return Response(status: status, headers: headers, body: .init(data: try encoder.encode(value)))
    }

    static func base(_ req: Request) -> String {
        let host = req.headers.first(name: .host) ?? "localhost"
        return (req.application.lantern.secureCookies ? "https://" : "http://") + host + "/fhir"
    }

    static func metadata(req: Request) async throws -> Response {
        let read: JSONValue = ["code": "read"], search: JSONValue = ["code": "search-type"]
        func resource(_ type: String, _ interactions: [JSONValue], params: [JSONValue] = [], ops: [JSONValue] = []) -> JSONValue {
            var r: [String: JSONValue] = ["type": .string(type), "interaction": .array(interactions)]
            if type != "Bundle", let profile = FHIRExport.profile(type)["profile"]?.arrayValue.first { r["supportedProfile"] = [profile] }
            if !params.isEmpty { r["searchParam"] = .array(params) }
            if !ops.isEmpty { r["operation"] = .array(ops) }
            return .object(r)
        }
        return try reply([
            "resourceType": "CapabilityStatement", "status": "active", "date": .string(FHIRExport.dateTime(req.now)), "kind": "instance",
            "software": ["name": "Lantern"], "implementation": ["description": "Lantern person-centered support plans", "url": .string(base(req))],
            "fhirVersion": "4.0.1", "format": ["json"],
            "implementationGuide": ["http://hl7.org/fhir/us/eltss/ImplementationGuide/hl7.fhir.us.eltss"],
            "rest": [[
                "mode": "server",
                "security": ["description": "Send a personal access token as 'Authorization: Bearer <token>'. Every read is checked against who may see the person, and audited."],
                "resource": [
                    resource("CarePlan", [read, search], params: [["name": "patient", "type": "reference", "documentation": "The person's id: all their plan versions."]]),
                    resource("Patient", [], ops: [["name": "everything", "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything"]]),
                ],
            ]],
        ])
    }

    static func carePlan(req: Request) async throws -> Response {
        let source = try await req.records().fhirPlan(try req.uuidParameter("planID", what: "plan"))
        guard let plan = FHIRExport.resources(source).first(where: { $0["resourceType"] == "CarePlan" }) else { throw Problem.notFound("plan") }
        return try reply(plan)
    }

    static func searchset(_ resources: [JSONValue], base: String, now: Date, matches: Set<String>? = nil) -> JSONValue {
        var seen = Set<String>(), entries: [JSONValue] = []
        for r in resources {
            let key = "\(r["resourceType"]?.stringValue ?? "")/\(r["id"]?.stringValue ?? "")"
            guard seen.insert(key).inserted else { continue }
            let mode = matches.map { $0.contains(r["resourceType"]?.stringValue ?? "") ? "match" : "include" } ?? "match"
            entries.append(["fullUrl": .string("\(base)/\(key)"), "resource": r, "search": ["mode": .string(mode)]])
        }
        return ["resourceType": "Bundle", "type": "searchset", "timestamp": .string(FHIRExport.dateTime(now)), "total": .number(Double(entries.count)), "entry": .array(entries)]
    }

    static func searchCarePlans(req: Request) async throws -> Response {
        guard let patient = req.query[String.self, at: "patient"]?.replacingOccurrences(of: "Patient/", with: ""), let personID = UUID(uuidString: patient) else {
            throw Problem(.badRequest, "Search by patient", detail: "Search CarePlans by the person: CarePlan?patient=<id>, the id of a person in Lantern.")
        }
        let plans = try await req.records().fhirPlans(of: personID)
        let carePlans = plans.compactMap { source in FHIRExport.resources(source).first { $0["id"]?.stringValue == source.record.plan.id!.text } }
        return try reply(searchset(carePlans, base: base(req), now: req.now))
    }

    static func everything(req: Request) async throws -> Response {
        let plans = try await req.records().fhirPlans(of: try req.uuidParameter("personID", what: "person"))
        return try reply(searchset(plans.flatMap(FHIRExport.resources), base: base(req), now: req.now))
    }
}

extension Problem {
    /// The problem as a FHIR OperationOutcome, for the /fhir routes.
    func operationOutcome(for req: Request) -> Response {
        let code: String = switch status.code {
        case 401, 403: "security"
        case 404: "not-found"
        case 400, 422: "invalid"
        default: "exception"
        }
        var issues: [JSONValue] = [["severity": "error", "code": .string(code), "diagnostics": .string("\(title): \(detail)")]]
        issues += errors.map { ["severity": "error", "code": "invalid", "diagnostics": .string($0.message), "expression": [.string($0.field)]] }
        let response = (try? FHIRRoutes.reply(["resourceType": "OperationOutcome", "issue": .array(issues)], status: status)) ?? Response(status: status)
        for (name, value) in headers where name.lowercased() != "content-type" { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }
}

/// Importing a plan from an eLTSS Bundle, through the JSON API (it creates records, so it is not part
/// of the read-only FHIR surface).
enum FHIRImportAPI {
    static func register(_ api: any RoutesBuilder) {
        api.post("fhir-imports", use: importBundle)
    }

    struct ImportDTO: Content {
        var personId: String
        var planId: String
        var report: FHIRImport.Report
    }

    static func importBundle(req: Request) async throws -> JSONReply<ImportDTO> {
        var coordinator: UUID?
        if let text = req.query[String.self, at: "coordinatorId"] {
            guard let id = UUID(uuidString: text) else { throw Problem.invalid([FieldError("coordinatorId", "coordinatorId must be the id of a support coordinator.")]) }
            coordinator = id
        }
        let result = try await req.records().importFHIR(try req.jsonObject(), coordinatorID: coordinator)
        var reply = JSONReply(value: ImportDTO(personId: result.person.id!.text, planId: result.plan.id!.text, report: result.report), status: .created)
        reply.headers.replaceOrAdd(name: .location, value: "/api/v1/plans/\(result.plan.id!.text)")
        return reply
    }
}

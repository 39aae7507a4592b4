import Fluent
import Vapor

/// `/api/v1/plans`: support plans, each component on its own, and what the rule pack finds missing.
enum PlansAPI {
    static func register(_ api: any RoutesBuilder) {
        api.get("people", ":personID", "plans", use: list)
        api.post("people", ":personID", "plans", use: create)
        api.get("plans", ":planID", use: show)
        api.patch("plans", ":planID", use: update)
        api.get("plans", ":planID", "sections", ":sectionKey", use: showSection)
        api.put("plans", ":planID", "sections", ":sectionKey", use: saveSection)
        api.get("plans", ":planID", "findings", use: findings)
        api.post("plans", ":planID", "submit", use: submit)
        api.post("plans", ":planID", "withdraw", use: withdraw)
        api.get("plans", ":planID", "versions", use: versions)
        api.post("plans", ":planID", "versions", use: newVersion)
        api.get("plans", ":planID", "signatures", use: signatures)
        api.post("plans", ":planID", "signatures", ":signatureID", "sign", use: sign)
        api.post("plans", ":planID", "signatures", ":signatureID", "decline", use: decline)
        api.get("plans", ":planID", "verify", use: verify)
        api.get("plans", ":planID", "compare", use: compare)
        api.get("plan-types", use: planTypes)
        api.get("rule-packs", use: rulePacks)
    }

    struct SectionSummary: Content {
        var key: String
        var title: String
        /// Every field the section needs is filled.
        var written: Bool
        /// Written, and no required rule points at it.
        var complete: Bool
        var version: Int
        var updatedAt: Date?
    }

    struct Progress: Content { var complete: Int; var total: Int }

    struct PlanDTO: Content {
        var id: String
        var personId: String
        var planType: String
        var planKind: String
        var status: String
        var meetingDate: String?
        var effectiveStart: String?
        var effectiveEnd: String?
        var implementationDate: String?
        var nextReviewDate: String?
        var planningLanguage: String?
        var seriesId: String
        var versionNumber: Int
        var previousPlanId: String?
        var changeReason: String?
        var endedOn: String?
        var endReason: String?
        var frozen: Bool
        var contentDigest: String?
        var createdAt: Date?
        var updatedAt: Date?
        var progress: Progress?
        var sections: [SectionSummary]?

        init(_ plan: Plan, record: PlanRecord? = nil, findings: [Finding] = []) {
            id = plan.id!.text; personId = plan.$person.id.text; planType = plan.planType; planKind = plan.planKind; status = plan.status
            meetingDate = plan.meetingDate; effectiveStart = plan.effectiveStart; effectiveEnd = plan.effectiveEnd
            implementationDate = plan.implementationDate; nextReviewDate = plan.nextReviewDate; planningLanguage = plan.planningLanguage
            seriesId = plan.seriesID.text; versionNumber = plan.versionNumber; frozen = plan.frozenAt != nil
            previousPlanId = plan.previousPlanID?.text; changeReason = plan.changeReason; endedOn = plan.endedOn; endReason = plan.endReason; contentDigest = plan.contentDigest
            createdAt = plan.createdAt; updatedAt = plan.updatedAt
            if let record {
                let complete = record.completeSections(findings)
                progress = Progress(complete: complete.count, total: record.specs.count)
                sections = record.specs.map { spec in
                    let row = record.sections[spec.key]
                    return SectionSummary(key: spec.key, title: spec.title, written: spec.isComplete(row?.content), complete: complete.contains(spec.key),
                                          version: row?.version ?? 0, updatedAt: row?.updatedAt)
                }
            }
        }
    }

    struct SectionDTO: Content {
        var planId: String
        var key: String
        var title: String
        /// Every field the section needs is filled (the rules may still ask for more: see findings).
        var complete: Bool
        /// Top-level fields still to fill before the section counts as written.
        var missing: [String]
        var content: JSONValue
        var version: Int
        var updatedAt: Date?
        var updatedBy: String?

        init(planID: UUID, spec: SectionSpec, row: PlanSection?) {
            let content = row?.content ?? [:]
            planId = planID.text; key = spec.key; title = spec.title
            complete = spec.isComplete(content); missing = spec.missing(in: content).map(\.key)
            self.content = .object(content); version = row?.version ?? 0; updatedAt = row?.updatedAt; updatedBy = row?.updatedByID?.text
        }
    }

    struct FindingDTO: Content {
        var ruleId: String
        var pack: String
        var severity: String
        var section: String?
        var sectionTitle: String?
        var field: String?
        var message: String
        var citation: String
        /// Where to fix it: the API resource and the page.
        var fixAt: String
        var page: String
    }

    struct FindingsDTO: Content {
        var planId: String
        var planType: String
        var rulePack: String
        var required: Int
        var recommended: Int
        var findings: [FindingDTO]
    }

    static func findingsDTO(_ record: PlanRecord) throws -> FindingsDTO {
        let planID = record.plan.id!.text
        let items = try record.findings().map { f in
            FindingDTO(ruleId: f.ruleID, pack: f.pack, severity: f.severity.rawValue, section: f.section,
                       sectionTitle: f.section.flatMap(PlanSections.spec)?.title, field: f.field, message: f.message, citation: f.citation,
                       fixAt: f.section.map { "/api/v1/plans/\(planID)/sections/\($0)" } ?? "/api/v1/plans/\(planID)",
                       page: PlanPaths.fix(planID: planID, finding: f))
        }
        return FindingsDTO(planId: planID, planType: record.plan.planType, rulePack: record.plan.type.rulePack,
                           required: items.filter { $0.severity == "required" }.count,
                           recommended: items.filter { $0.severity == "recommended" }.count, findings: items)
    }

    static func list(req: Request) async throws -> JSONReply<ListReply<PlanDTO>> {
        let (_, plans) = try await req.records().plans(of: try req.uuidParameter("personID", what: "person"))
        return JSONReply(value: ListReply(items: plans.map { PlanDTO($0) }, nextCursor: nil))
    }

    static func create(req: Request) async throws -> JSONReply<PlanDTO> {
        let personID = try req.uuidParameter("personID", what: "person")
        let plan = try await req.records().createPlan(for: personID, try req.jsonObject())
        return .versioned(PlanDTO(plan), version: plan.version, status: .created, location: "/api/v1/plans/\(plan.id!.text)")
    }

    static func show(req: Request) async throws -> JSONReply<PlanDTO> {
        let record = try await req.records().planRecord(try req.uuidParameter("planID", what: "plan"), marksSeen: true)
        return .versioned(PlanDTO(record.plan, record: record, findings: try record.findings()), version: record.plan.version)
    }

    static func update(req: Request) async throws -> JSONReply<PlanDTO> {
        let planID = try req.uuidParameter("planID", what: "plan")
        let body = try req.jsonObject()
        let plan = try await req.records().updatePlan(planID, body, ifMatch: try req.requiredIfMatch())
        return .versioned(PlanDTO(plan), version: plan.version)
    }

    static func sectionKey(_ req: Request) -> String { req.parameters.get("sectionKey") ?? "" }

    static func showSection(req: Request) async throws -> JSONReply<SectionDTO> {
        let planID = try req.uuidParameter("planID", what: "plan")
        let (record, spec) = try await req.records().section(sectionKey(req), of: planID)
        let row = record.sections[spec.key]
        return .versioned(SectionDTO(planID: planID, spec: spec, row: row), version: row?.version ?? 0)
    }

    /// The body is the section's content: `{"risks": [...], "backupPlan": "..."}`; it replaces what was there.
    static func saveSection(req: Request) async throws -> JSONReply<SectionDTO> {
        let planID = try req.uuidParameter("planID", what: "plan")
        let key = sectionKey(req)
        let body = try req.jsonObject()
        let (row, _) = try await req.records().saveSection(key, of: planID, body, ifMatch: try req.requiredIfMatch())
        return .versioned(SectionDTO(planID: planID, spec: PlanSections.spec(key)!, row: row), version: row.version)
    }

    static func findings(req: Request) async throws -> JSONReply<FindingsDTO> {
        let record = try await req.records().planRecord(try req.uuidParameter("planID", what: "plan"), note: "checked findings")
        return JSONReply(value: try findingsDTO(record))
    }

    // MARK: Lifecycle and signatures

    struct SignatureDTO: Content {
        var id: String
        var planId: String
        var role: String
        var signerName: String
        var circleMemberId: String?
        var userId: String?
        var organizationId: String?
        var required: Bool
        var reason: String
        var citation: String
        var status: String
        var method: String?
        var onBehalfOf: String?
        var hadSupport: Bool?
        var supportBy: String?
        var viewedAt: Date?
        var signedAt: Date?
        var digest: String?
        var declineReason: String?

        init(_ s: PlanSignature) {
            id = s.id!.text; planId = s.$plan.id.text; role = s.role; signerName = s.signerName; circleMemberId = s.circleMemberID?.text
            userId = s.userID?.text; organizationId = s.organizationID?.text; required = s.required; reason = s.reason; citation = s.citation
            status = s.status; method = s.method; onBehalfOf = s.onBehalfOf; hadSupport = s.hadSupport; supportBy = s.supportBy
            viewedAt = s.viewedAt; signedAt = s.signedAt; digest = s.digest; declineReason = s.declineReason
        }
    }

    struct VerificationDTO: Content {
        var planId: String
        var sentForSignatures: Bool
        var intact: Bool
        var digest: String?
        var signaturesChecked: Int
        var problems: [String]
    }

    static func planReply(_ plan: Plan, status: HTTPResponseStatus = .ok) -> JSONReply<PlanDTO> {
        .versioned(PlanDTO(plan), version: plan.version, status: status, location: status == .created ? "/api/v1/plans/\(plan.id!.text)" : nil)
    }

    static func submit(req: Request) async throws -> JSONReply<PlanDTO> {
        planReply(try await req.records().submitForSignatures(try req.uuidParameter("planID", what: "plan")).0)
    }

    static func withdraw(req: Request) async throws -> JSONReply<PlanDTO> {
        planReply(try await req.records().withdrawFromSigning(try req.uuidParameter("planID", what: "plan")))
    }

    static func versions(req: Request) async throws -> JSONReply<ListReply<PlanDTO>> {
        let plans = try await req.records().versions(of: try req.uuidParameter("planID", what: "plan"))
        return JSONReply(value: ListReply(items: plans.map { PlanDTO($0) }, nextCursor: nil))
    }

    static func newVersion(req: Request) async throws -> JSONReply<PlanDTO> {
        let planID = try req.uuidParameter("planID", what: "plan")
        return planReply(try await req.records().startNewVersion(from: planID, try req.jsonObject()), status: .created)
    }

    static func signatures(req: Request) async throws -> JSONReply<ListReply<SignatureDTO>> {
        let rows = try await req.records().signatures(of: try req.uuidParameter("planID", what: "plan"))
        return JSONReply(value: ListReply(items: rows.map(SignatureDTO.init), nextCursor: nil))
    }

    static func sign(req: Request) async throws -> JSONReply<SignatureDTO> {
        let planID = try req.uuidParameter("planID", what: "plan")
        let signatureID = try req.uuidParameter("signatureID", what: "signature request")
        return JSONReply(value: SignatureDTO(try await req.records().sign(planID, signature: signatureID, try req.jsonObject())))
    }

    static func decline(req: Request) async throws -> JSONReply<SignatureDTO> {
        let planID = try req.uuidParameter("planID", what: "plan")
        let signatureID = try req.uuidParameter("signatureID", what: "signature request")
        let body = try req.jsonObject()
        guard body.keys.allSatisfy({ $0 == "reason" }) else {
            throw Problem.invalid(body.keys.filter { $0 != "reason" }.sorted().map { FieldError($0, "\($0) is not a field here. Allowed fields: reason.") })
        }
        var reason: String?
        if case let .string(text)? = body["reason"] { reason = text }
        return JSONReply(value: SignatureDTO(try await req.records().decline(planID, signature: signatureID, reason: reason)))
    }

    static func verify(req: Request) async throws -> JSONReply<VerificationDTO> {
        let planID = try req.uuidParameter("planID", what: "plan")
        let check = try await req.records().verifyPlan(planID)
        return JSONReply(value: VerificationDTO(planId: planID.text, sentForSignatures: check != nil, intact: check?.isIntact ?? true,
                                                digest: check?.digest, signaturesChecked: check?.signaturesChecked ?? 0, problems: check?.problems ?? []))
    }

    struct ComparisonDTO: Content {
        var planId: String
        var versionNumber: Int
        var withPlanId: String?
        var withVersionNumber: Int?
        var sections: [PlanComparison.SectionChange]
    }

    /// `?with=<planID>` compares with that version; without it, with the latest signed version before this one.
    static func compare(req: Request) async throws -> JSONReply<ComparisonDTO> {
        let planID = try req.uuidParameter("planID", what: "plan")
        var other: UUID?
        if let text = req.query[String.self, at: "with"] {
            guard let id = UUID(uuidString: text) else { throw Problem.invalid([FieldError("with", "with must be the id of another version of this plan.")]) }
            other = id
        }
        let (plan, base, changes) = try await req.records().comparison(planID, with: other)
        return JSONReply(value: ComparisonDTO(planId: plan.id!.text, versionNumber: plan.versionNumber, withPlanId: base?.id?.text,
                                              withVersionNumber: base?.versionNumber, sections: changes))
    }

    // MARK: The catalogue: no personal data, so any signed-in user may read it.

    struct FieldDTO: Content {
        var key: String
        var label: String
        var kind: String
        var required: Bool
        var hint: String?
        var maxLength: Int?
        var choices: [ChoiceDTO]?
        var entryFields: [FieldDTO]?
        var maxEntries: Int?
        /// For a reference: the list of the plan whose entry ids it takes ("outcomes").
        var references: String?
        var minimum: Double?
        var maximum: Double?
    }
    struct ChoiceDTO: Content { var value: String; var label: String }
    struct SectionSpecDTO: Content {
        var key: String
        var title: String
        var purpose: String
        var fields: [FieldDTO]
    }
    struct PlanTypeDTO: Content {
        var planType: String
        var label: String
        var rulePack: String
        var sections: [SectionSpecDTO]
    }

    static func fieldDTO(_ f: FieldSpec) -> FieldDTO {
        var dto = FieldDTO(key: f.key, label: f.label, kind: "", required: f.required, hint: f.hint)
        switch f.kind {
        case let .line(max): dto.kind = "line"; dto.maxLength = max
        case let .paragraph(max): dto.kind = "paragraph"; dto.maxLength = max
        case .date: dto.kind = "date"
        case .yesNo: dto.kind = "yesNo"
        case let .choice(choices): dto.kind = "choice"; dto.choices = choices.map { ChoiceDTO(value: $0.value, label: $0.label) }
        case .circleMember: dto.kind = "circleMember"
        case .organization: dto.kind = "organization"
        case .entryID: dto.kind = "entryId"
        case let .reference(list): dto.kind = "reference"; dto.references = list
        case let .number(range): dto.kind = "number"; dto.minimum = range.lowerBound; dto.maximum = range.upperBound
        case .weekdays: dto.kind = "weekdays"
        case .time: dto.kind = "time"
        case .catalogued: dto.kind = "catalogued"
        case let .list(entries, max): dto.kind = "list"; dto.entryFields = entries.map(fieldDTO); dto.maxEntries = max
        }
        return dto
    }

    static func planTypes(req: Request) async throws -> JSONReply<ListReply<PlanTypeDTO>> {
        _ = try req.requireActor()
        let items = PlanType.allCases.map { type in
            PlanTypeDTO(planType: type.rawValue, label: type.label, rulePack: type.rulePack, sections: PlanSections.sections(for: type).map { spec in
                SectionSpecDTO(key: spec.key, title: spec.title, purpose: spec.purpose, fields: spec.fields.map(fieldDTO))
            })
        }
        return JSONReply(value: ListReply(items: items, nextCursor: nil))
    }

    struct RuleDTO: Content {
        var id: String
        var severity: String
        var planTypes: [String]?
        var appliesWhen: String?
        var message: String
        var citation: String
    }
    struct RulePackDTO: Content {
        var id: String
        var title: String
        var source: String
        var includes: [String]
        var excludes: [String]
        var rules: [RuleDTO]
    }

    static func rulePacks(req: Request) async throws -> JSONReply<ListReply<RulePackDTO>> {
        _ = try req.requireActor()
        let library = try RulePackLibrary.shared.get()
        let items = library.packs.values.sorted { $0.id < $1.id }.map { pack in
            RulePackDTO(id: pack.id, title: pack.title, source: pack.source, includes: pack.includes ?? [], excludes: pack.excludes ?? [],
                        rules: pack.rules.map { RuleDTO(id: $0.id, severity: $0.severity.rawValue, planTypes: $0.planTypes?.map(\.rawValue),
                                                        appliesWhen: $0.when.map(RuleWords.describe), message: $0.message, citation: $0.citation) })
        }
        return JSONReply(value: ListReply(items: items, nextCursor: nil))
    }
}

/// Conditions in plain words, for the rule list.
enum RuleWords {
    static func describe(_ c: Condition) -> String {
        var parts: [String] = []
        switch (c.ageFrom, c.ageTo) {
        case let (from?, to?): parts.append("aged \(from) to \(to)")
        case let (from?, nil): parts.append("aged \(from) or older")
        case let (nil, to?): parts.append("aged \(to) or younger")
        default: break
        }
        switch (c.ageMonthsFrom, c.ageMonthsTo) {
        case let (from?, to?): parts.append("aged \(from) to \(to) months")
        case let (from?, nil): parts.append("aged \(from) months or older")
        case let (nil, to?): parts.append("aged \(to) months or younger")
        default: break
        }
        if let kinds = c.planKinds { parts.append("for " + kinds.map { $0.label.lowercased() }.joined(separator: " or ")) }
        if let homes = c.residenceTypes {
            parts.append("living in " + homes.map { ResidenceType(rawValue: $0)?.label.lowercased() ?? $0 }.joined(separator: " or "))
        }
        if let rep = c.hasLegalRepresentative { parts.append(rep ? "with a legal representative" : "without a legal representative") }
        if let path = c.yes {
            let (section, field) = RuleEngine.split(path)
            parts.append("when “\(PlanSections.spec(section)?.field(field)?.label ?? path)” is yes")
        }
        if let any = c.anyOf { parts.append("(" + any.map(describe).joined(separator: ", or ") + ")") }
        return parts.joined(separator: ", ")
    }
}

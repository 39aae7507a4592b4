import Crypto
import Fluent
import Vapor

/// The SHA-256 digest of one plan version: its own fields and every section, as canonical JSON
/// (sorted keys). It is taken when the version is sent for signatures; each signature keeps it, so
/// any later change to the version (through Lantern or behind its back) no longer matches.
enum PlanDigest {
    static func of(_ plan: Plan, sections: [PlanSection]) -> String {
        func value(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        let document: [String: JSONValue] = [
            "planId": .string(plan.id?.text ?? ""), "personId": .string(plan.$person.id.text), "seriesId": .string(plan.seriesID.text),
            "versionNumber": .number(Double(plan.versionNumber)), "planType": .string(plan.planType), "planKind": .string(plan.planKind),
            "meetingDate": value(plan.meetingDate), "effectiveStart": value(plan.effectiveStart), "effectiveEnd": value(plan.effectiveEnd),
            "implementationDate": value(plan.implementationDate), "nextReviewDate": value(plan.nextReviewDate),
            "planningLanguage": value(plan.planningLanguage),
            "sections": .object(Dictionary(uniqueKeysWithValues: sections.map { ($0.sectionKey, JSONValue.object($0.content)) })),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(document)) ?? Data()
        return SHA256.hash(data: data).hex
    }

    static func of(_ plan: Plan, on db: any Database) async throws -> String {
        of(plan, sections: try await PlanSection.query(on: db).filter(\.$plan.$id == plan.requireID()).all())
    }

    /// What a check of one version found.
    struct Check: Sendable {
        var planID: UUID
        var digest: String
        var problems: [String]
        var signaturesChecked: Int
        var isIntact: Bool { problems.isEmpty }
    }

    /// Recomputes the digest of a sent or signed version and compares it with the plan's and every signature's.
    static func check(_ plan: Plan, on db: any Database) async throws -> Check {
        let digest = try await of(plan, on: db)
        var problems: [String] = []
        if let recorded = plan.contentDigest, recorded != digest {
            problems.append("plan \(plan.id!.text) version \(plan.versionNumber): its content no longer matches the digest taken when it was sent for signatures")
        }
        let signatures = try await PlanSignature.query(on: db).filter(\.$plan.$id == plan.requireID()).filter(\.$status == SignatureStatus.signed.rawValue).all()
        for signature in signatures where signature.digest != digest {
            problems.append("plan \(plan.id!.text) version \(plan.versionNumber): the signature of \(signature.signerName) (\(signature.signerRole.label)) was given to different content")
        }
        return Check(planID: plan.id!, digest: digest, problems: problems, signaturesChecked: signatures.count)
    }
}

/// Moving a plan version through its life. Every step is one audited unit of work through `PersonRecords`.
enum PlanLifecycle {
    /// The signature requests a version needs, from its rule pack's signer list and the person's record.
    static func signatureRequests(for record: PlanRecord, on db: any Database) async throws -> [PlanSignature] {
        let person = record.person
        let account = try await User.query(on: db).filter(\.$personID == person.requireID()).filter(\.$isActive == true).first()
        var coordinator: User? = nil, agency: Organization? = nil
        if let id = person.currentCoordinatorID { coordinator = try await User.find(id, on: db) }
        if let coordinator { agency = try await coordinator.$organization.get(on: db) }
        let links = try await ProviderLink.query(on: db).filter(\.$person.$id == person.requireID()).with(\.$organization).all().map(\.organization)
        return try signatureRequests(for: record, personAccount: account?.id, coordinator: coordinator, coordinatorAgency: agency, linkedProviders: links)
    }

    /// The same requests from what was read for them (the statewide generator builds many plans at once
    /// and reads nothing): the person's own account, their coordinator and the coordinator's
    /// organisation, and the providers linked to the person.
    static func signatureRequests(for record: PlanRecord, personAccount: UUID?, coordinator: User?, coordinatorAgency: Organization?,
                                  linkedProviders links: [Organization], newID: () -> UUID = { UUID() }) throws -> [PlanSignature] {
        let library = try RulePackLibrary.shared.get()
        let person = record.person
        var requests: [PlanSignature] = []
        func request(_ rule: SignerRule, name: String, member: UUID? = nil, user: UUID? = nil, organization: UUID? = nil) {
            let s = PlanSignature()
            s.id = newID(); s.$plan.id = record.plan.id!; s.role = rule.role.rawValue; s.signerName = name
            s.circleMemberID = member; s.userID = user; s.organizationID = organization; s.required = true
            s.reason = rule.reason; s.citation = rule.citation; s.status = SignatureStatus.requested.rawValue; s.version = 1
            requests.append(s)
        }
        for rule in RuleEngine(library: library).signers(for: record.facts) {
            switch rule.role {
            case .person:
                request(rule, name: person.displayName, user: personAccount)
            case .guardian, .parent:
                let members = record.circle.filter { m in
                    rule.role == .guardian ? m.hasLegalAuthority : (m.relationship == Relationship.parent.rawValue || (m.hasLegalAuthority && m.relationship == Relationship.guardian.rawValue))
                }
                if members.isEmpty {
                    throw Problem(.conflict, "Signer missing",
                                  detail: "This plan needs the signature of a \(rule.role == .guardian ? "guardian or legal representative" : "parent"), but no one in \(person.displayName)'s circle of support is recorded as one. Add them to the circle (with their legal authority), then send the plan again.")
                }
                for m in members { request(rule, name: m.name, member: m.id, user: m.userID) }
            case .coordinator, .regionalCenter:
                guard let coordinator else {
                    throw Problem(.conflict, "Signer missing", detail: "\(person.displayName) has no support coordinator to sign the plan. Assign one on the person's page first.")
                }
                if rule.role == .coordinator {
                    request(rule, name: coordinator.displayName, user: coordinator.id)
                } else {
                    let agency = coordinatorAgency
                    request(rule, name: "Regional center" + (agency.map { ": " + $0.name } ?? ""), user: coordinator.id, organization: agency?.id)
                }
            case .provider:
                for organization in links { request(rule, name: organization.name, organization: organization.id) }
                // A provider the person chose in this plan signs too, though it does not serve them yet.
                let linked = Set(links.compactMap(\.id))
                let chosen = Set(PlannedService.all(in: record.content("services")).compactMap(\.providerID))
                for organization in record.organizations where chosen.contains(organization.id!.text) && !linked.contains(organization.id!) {
                    request(rule, name: organization.name, organization: organization.id)
                }
            }
        }
        return requests
    }

    /// Freezes a version with its digest and its signature requests, as sending it for signatures does.
    static func freeze(_ record: PlanRecord, at now: Date, on db: any Database) async throws -> [PlanSignature] {
        let plan = record.plan
        let requests = try await signatureRequests(for: record, on: db)
        plan.status = PlanStatus.awaitingSignatures.rawValue
        plan.frozenAt = now
        plan.contentDigest = PlanDigest.of(plan, sections: Array(record.sections.values))
        plan.version += 1
        try await plan.save(on: db)
        for request in requests { try await request.create(on: db) }
        return requests
    }

    /// Puts a version in effect once every required signature is in; the version it replaces is
    /// superseded, and its services become authorizations. Nil while signatures are still missing;
    /// otherwise what happened to the services.
    static func activateIfSigned(_ plan: Plan, on today: CalendarDate, db: any Database) async throws -> ServiceAuthorizations.Outcome? {
        let signatures = try await PlanSignature.query(on: db).filter(\.$plan.$id == plan.requireID()).all()
        guard signatures.filter(\.required).allSatisfy({ $0.signatureStatus == .signed }) else { return nil }
        let current = try await Plan.query(on: db).filter(\.$person.$id == plan.$person.id).filter(\.$status == PlanStatus.active.rawValue)
            .filter(\.$id != plan.requireID()).all()
        for old in current {
            if old.seriesID == plan.seriesID {
                old.status = PlanStatus.superseded.rawValue
            } else {
                old.status = PlanStatus.ended.rawValue
                old.endedOn = today.description
                old.endReason = "Replaced by the \(plan.type.shortLabel), version \(plan.versionNumber), which took effect."
                _ = try await PersonRecords.closeReviewRequests(of: old, on: db)
            }
            old.version += 1
            try await old.save(on: db)
        }
        plan.status = PlanStatus.active.rawValue
        plan.version += 1
        try await plan.save(on: db)
        return try await ServiceAuthorizations.planTookEffect(plan, replacing: current, on: today, db: db)
    }
}

extension PersonRecords {
    func submitForSignatures(_ planID: UUID) async throws -> (Plan, [PlanSignature]) {
        let now = req.now
        return try await withPlan(planID, .writePlan, action: .update) { plan, person, db in
            guard plan.planStatus == .draft else {
                throw Problem(.conflict, "Not a draft", detail: "Only a draft can be sent for signatures. This version is: \(plan.planStatus.label).")
            }
            let record = try await Self.load(plan, person, on: db)
            let missing = try record.findings().filter { $0.severity == .required }
            if !missing.isEmpty {
                throw Problem(.conflict, "Plan not finished",
                              detail: "\(missing.count) required \(missing.count == 1 ? "item is" : "items are") still missing (the plan's findings list \(missing.count == 1 ? "it" : "them")). Fix \(missing.count == 1 ? "it" : "them") before sending the plan for signatures.")
            }
            let requests = try await PlanLifecycle.freeze(record, at: now, on: db)
            return ((plan, requests), "sent for signatures: \(requests.count) requested, digest \(plan.contentDigest ?? "")")
        }
    }

    func withdrawFromSigning(_ planID: UUID) async throws -> Plan {
        try await withPlan(planID, .writePlan, action: .update) { plan, _, db in
            guard plan.planStatus == .awaitingSignatures else {
                throw Problem(.conflict, "Not waiting for signatures", detail: "Only a version waiting for signatures can go back to draft. This version is: \(plan.planStatus.label).")
            }
            let signatures = try await PlanSignature.query(on: db).filter(\.$plan.$id == planID).all()
            for s in signatures where s.signatureStatus != .withdrawn {
                s.status = SignatureStatus.withdrawn.rawValue; s.version += 1
                try await s.save(on: db)
            }
            plan.status = PlanStatus.draft.rawValue
            plan.frozenAt = nil
            plan.contentDigest = nil
            plan.version += 1
            try await plan.save(on: db)
            return (plan, "taken back to draft; \(signatures.count) signature requests withdrawn")
        }
    }

    func signatures(of planID: UUID) async throws -> [PlanSignature] {
        try await withPlan(planID, .view, action: .view) { _, _, db in
            (try await PlanSignature.query(on: db).filter(\.$plan.$id == planID).sort(\.$createdAt).sort(\.$id).all(), "read signatures")
        }
    }

    /// Whether the actor may sign `signature` with their own account.
    func maySignOwn(_ signature: PlanSignature) -> Bool {
        if let user = signature.userID, user == actor.userID { return true }
        if signature.signerRole == .provider, actor.role == .providerStaff, let org = signature.organizationID { return org == actor.organizationID }
        return false
    }

    /// Records a signature: the signer with their own account, or a coordinator recording one given in
    /// person or on paper. The last required signature puts the version in effect.
    func sign(_ planID: UUID, signature signatureID: UUID, _ input: [String: JSONValue]) async throws -> PlanSignature {
        let actor = self.actor, now = req.now
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: ["method", "onBehalfOf", "hadSupport", "supportBy"])
        let method = r.choice("method", label: "How they signed", SignatureMethod.self, required: true)
        let onBehalf = r.text("onBehalfOf", label: "On whose behalf", max: 200)
        let hadSupport = r.bool("hadSupport", label: "Had support to sign")
        let supportBy = r.text("supportBy", label: "Who helped", max: 200)
        guard r.errors.isEmpty, let signedHow = method ?? nil else { throw Problem.invalid(r.errors) }
        if hadSupport == true, (supportBy ?? nil) == nil {
            throw Problem.invalid([FieldError("supportBy", "Say who helped the signer, since they had support to sign.")])
        }
        return try await withPlan(planID, .view, action: .update) { plan, _, db in
            guard let signature = try await PlanSignature.query(on: db).filter(\.$id == signatureID).filter(\.$plan.$id == planID).first() else {
                throw Problem.notFound("signature request")
            }
            if signedHow == .ownAccount {
                guard maySignOwn(signature) else {
                    throw AccessDenial(problem: .forbidden("Only \(signature.signerName) can sign this with their own account. A coordinator can record a signature given in person or on paper."),
                                       event: event(.update, .plan, person: plan.$person.id, outcome: .denied, detail: "plan \(planID.text): may not sign for \(signature.signerName)"))
                }
            } else if !policy.roleAllows(.writePlan) {
                throw AccessDenial(problem: .forbidden("Only the person's coordinator or supervisor records a signature given in person or on paper."),
                                   event: event(.update, .plan, person: plan.$person.id, outcome: .denied, detail: "plan \(planID.text): may not record a signature"))
            }
            guard plan.planStatus == .awaitingSignatures else {
                throw Problem(.conflict, "Not waiting for signatures", detail: "This version is \(plan.planStatus.label.lowercased()), so it cannot be signed now.")
            }
            guard [.requested, .viewed].contains(signature.signatureStatus) else {
                throw Problem(.conflict, "Already answered", detail: "\(signature.signerName) has already answered this request (\(signature.signatureStatus.label.lowercased())).")
            }
            let check = try await PlanDigest.check(plan, on: db)
            guard check.isIntact else {
                throw Problem(.conflict, "Plan changed after it was sent",
                              detail: "This version's content no longer matches what was sent for signatures, so it cannot be signed. Tell your administrator: the record may have been changed outside Lantern.")
            }
            signature.status = SignatureStatus.signed.rawValue
            signature.method = signedHow.rawValue
            signature.onBehalfOf = onBehalf ?? nil
            signature.hadSupport = hadSupport ?? false
            signature.supportBy = supportBy ?? nil
            signature.signedAt = now
            signature.digest = check.digest
            signature.recordedByID = actor.userID
            signature.version += 1
            try await signature.save(on: db)
            let active = try await PlanLifecycle.activateIfSigned(plan, on: CalendarDate(now), db: db)
            return (signature, "signature of \(signature.signerName) (\(signature.role)) recorded, \(signedHow.rawValue)" + (active.map { "; plan now in effect: \($0)" } ?? ""))
        }
    }

    func decline(_ planID: UUID, signature signatureID: UUID, reason: String?) async throws -> PlanSignature {
        guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty, reason.count <= 1000 else {
            throw Problem.invalid([FieldError("reason", "Say why the plan is not signed (at most 1000 characters), so the team can talk about it.")])
        }
        return try await withPlan(planID, .view, action: .update) { plan, _, db in
            guard let signature = try await PlanSignature.query(on: db).filter(\.$id == signatureID).filter(\.$plan.$id == planID).first() else {
                throw Problem.notFound("signature request")
            }
            guard maySignOwn(signature) || policy.roleAllows(.writePlan) else {
                throw AccessDenial(problem: .forbidden("Only \(signature.signerName), or the person's coordinator for them, can decline this request."),
                                   event: event(.update, .plan, person: plan.$person.id, outcome: .denied, detail: "plan \(planID.text): may not decline for \(signature.signerName)"))
            }
            guard plan.planStatus == .awaitingSignatures, [.requested, .viewed].contains(signature.signatureStatus) else {
                throw Problem(.conflict, "Cannot decline now", detail: "This request is \(signature.signatureStatus.label.lowercased()) and the plan is \(plan.planStatus.label.lowercased()).")
            }
            signature.status = SignatureStatus.declined.rawValue
            signature.declineReason = reason
            signature.recordedByID = actor.userID
            signature.version += 1
            try await signature.save(on: db)
            return (signature, "\(signature.signerName) declined to sign")
        }
    }

    /// Starts the next version of a plan in effect (an amendment, an update or next year's plan) as a
    /// draft copied from it; the version in effect stays in effect until the new one is signed.
    func startNewVersion(from planID: UUID, _ input: [String: JSONValue]) async throws -> Plan {
        let actor = self.actor
        var r = FieldReader(input, creating: true)
        r.rejectUnknown(allowed: ["reason", "planKind"])
        let reason = r.text("reason", label: "Reason for the new version", required: true, max: 1000)
        let kind = r.choice("planKind", label: "Kind of plan", PlanKind.self)
        guard r.errors.isEmpty, let why = reason ?? nil else { throw Problem.invalid(r.errors) }
        return try await withPlan(planID, .writePlan, action: .create) { plan, _, db in
            guard [.active, .ended].contains(plan.planStatus) else {
                throw Problem(.conflict, "Not a signed plan", detail: "A new version starts from a plan in effect or ended. This version is: \(plan.planStatus.label). Edit it directly instead.")
            }
            let series = try await Plan.query(on: db).filter(\.$seriesID == plan.seriesID).all()
            if let open = series.first(where: { [.draft, .awaitingSignatures].contains($0.planStatus) }) {
                throw Problem(.conflict, "A new version is already open",
                              detail: "Version \(open.versionNumber) of this plan is already \(open.planStatus.label.lowercased()). Finish or withdraw it first.")
            }
            let next = Plan()
            next.id = UUID(); next.$person.id = plan.$person.id; next.planType = plan.planType
            next.planKind = (kind ?? nil)?.rawValue ?? PlanKind.update.rawValue
            next.status = PlanStatus.draft.rawValue
            next.meetingDate = plan.meetingDate; next.effectiveStart = plan.effectiveStart; next.effectiveEnd = plan.effectiveEnd
            next.implementationDate = plan.implementationDate; next.nextReviewDate = plan.nextReviewDate; next.planningLanguage = plan.planningLanguage
            next.seriesID = plan.seriesID; next.versionNumber = (series.map(\.versionNumber).max() ?? plan.versionNumber) + 1
            next.previousPlanID = plan.id; next.changeReason = why; next.createdByID = actor.userID; next.version = 1
            try await next.create(on: db)
            let rows = try await PlanSection.query(on: db).filter(\.$plan.$id == planID).all()
            // Next year's plan starts its review of the past year from this year's outcomes and progress.
            var review: [SectionContent] = []
            if next.kind == .annual, PlanSections.sections(for: next.type).contains(where: { $0.key == "prior-year" }),
               let outcomes = rows.first(where: { $0.sectionKey == "outcomes" }) {
                review = try await Self.priorYearReview(of: plan, outcomes: outcomes.content, on: db)
            }
            for row in rows {
                let copy = PlanSection()
                copy.id = UUID(); copy.$plan.id = next.id!; copy.sectionKey = row.sectionKey; copy.contentJSON = row.contentJSON
                if row.sectionKey == "prior-year" && !review.isEmpty { copy.content["outcomeReview"] = .array(review.map(JSONValue.object)) }
                copy.version = 1; copy.updatedByID = actor.userID
                try await copy.create(on: db)
            }
            if !review.isEmpty && !rows.contains(where: { $0.sectionKey == "prior-year" }) {
                let section = PlanSection()
                section.id = UUID(); section.$plan.id = next.id!; section.sectionKey = "prior-year"; section.content = ["outcomeReview": .array(review.map(JSONValue.object))]
                section.version = 1; section.updatedByID = actor.userID
                try await section.create(on: db)
            }
            let answered = try await Self.answerReviewRequests(series: series, with: next, on: db)
            return (next, "started version \(next.versionNumber) (\(next.id!.text)) from version \(plan.versionNumber): \(why)"
                + (answered > 0 ? "; answers \(answered) review requests" : ""))
        }
    }

    func verifyPlan(_ planID: UUID) async throws -> PlanDigest.Check? {
        try await withPlan(planID, .view, action: .view) { plan, _, db in
            guard plan.contentDigest != nil else { return (nil, "verified: not sent for signatures") }
            let check = try await PlanDigest.check(plan, on: db)
            return (check, check.isIntact ? "verified: intact" : "verified: \(check.problems.count) problems")
        }
    }

    /// Two versions of the same plan and what changed from `other` to `planID`. Without `other`, the
    /// comparison is with the latest signed version before this one (nil when there is none).
    func comparison(_ planID: UUID, with other: UUID?) async throws -> (Plan, Plan?, [PlanComparison.SectionChange]) {
        try await withPlan(planID, .view, action: .view) { plan, _, db in
            let series = try await Plan.query(on: db).filter(\.$seriesID == plan.seriesID).all()
            let base: Plan?
            if let other {
                guard let chosen = series.first(where: { $0.id == other }) else {
                    throw Problem.invalid([FieldError("with", "Choose another version of the same plan to compare with.")])
                }
                base = chosen
            } else {
                base = Self.lastSigned(before: plan, in: series)
            }
            guard let base else { return ((plan, nil, []), "compared: no earlier signed version") }
            return ((plan, base, try await Self.changes(from: base, to: plan, on: db)), "compared version \(plan.versionNumber) with version \(base.versionNumber)")
        }
    }

    /// The latest signed version before `plan` in its series, from the versions already read.
    static func lastSigned(before plan: Plan, in series: [Plan]) -> Plan? {
        series.filter { $0.versionNumber < plan.versionNumber && [.active, .superseded, .ended].contains($0.planStatus) }
            .max { $0.versionNumber < $1.versionNumber }
    }

    static func changes(from base: Plan, to plan: Plan, on db: any Database) async throws -> [PlanComparison.SectionChange] {
        let rows = try await PlanSection.query(on: db).filter(\.$plan.$id ~~ [plan.requireID(), base.requireID()]).all()
        func content(_ id: UUID) -> [String: SectionContent] {
            Dictionary(rows.filter { $0.$plan.id == id }.map { ($0.sectionKey, $0.content) }, uniquingKeysWith: { a, _ in a })
        }
        return PlanComparison.compare(plan.type, old: content(base.id!), new: content(plan.id!))
    }

    /// Every version of the plan's series, newest first.
    func versions(of planID: UUID) async throws -> [Plan] {
        try await withPlan(planID, .view, action: .view) { plan, _, db in
            (try await Plan.query(on: db).filter(\.$seriesID == plan.seriesID).sort(\.$versionNumber, .descending).all(), "listed versions")
        }
    }
}

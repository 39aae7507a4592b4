import Crypto
import Foundation
import LanternDomain

/// A plan as HL7 FHIR R4 resources following the eLTSS implementation guide (hl7.fhir.us.eltss
/// 2.0.0). Pure: the same plan gives the same resources, with ids derived from Lantern's, so that a
/// resource keeps its id from one export to the next.
enum FHIRExport {
    static let eltss = "http://hl7.org/fhir/us/eltss/StructureDefinition/"
    static func profile(_ resource: String) -> JSONValue { ["profile": [.string(eltss + resource + "-eltss")]] }
    static let catalogueSystem = "urn:lantern:service-catalogue"
    static let directedBy = eltss + "eltss-directedBy"

    /// Everything one plan's export draws on, read in one audited transaction.
    struct Source: Sendable {
        var record: PlanRecord
        var coordinator: User?
        var agency: Organization?
        var coordinationSince: String?
        var signatures: [PlanSignature]
    }

    /// A FHIR id (64 characters at most, letters, digits, "-" and ".") made from Lantern's ids.
    static func id(_ parts: String...) -> String {
        let digest = SHA256.hash(data: Data(parts.joined(separator: "|").utf8))
        return digest.prefix(16).hex
    }

    /// Lantern's own extensions, for what the eLTSS guide has no element for; they let an import give
    /// back the same plan.
    static let lantern = "urn:lantern:fhir:"
    static func ext(_ name: String, _ valueType: String, _ value: JSONValue?) -> JSONValue? {
        value.map { ["url": .string(lantern + name), "value" + valueType: $0] }
    }
    static func extensions(_ items: JSONValue?...) -> JSONValue? {
        let present = items.compactMap { $0 }
        return present.isEmpty ? nil : .array(present)
    }

    static func ref(_ type: String, _ id: String, _ display: String? = nil) -> JSONValue {
        var r: [String: JSONValue] = ["reference": .string("\(type)/\(id)")]
        if let display { r["display"] = .string(display) }
        return .object(r)
    }
    static func text(_ s: String) -> JSONValue { ["text": .string(s)] }
    static func coded(_ system: String, _ code: String, _ display: String) -> JSONValue {
        ["coding": [["system": .string(system), "code": .string(code), "display": .string(display)]], "text": .string(display)]
    }
    static func money(_ value: Double) -> JSONValue { ["value": .number((value * 100).rounded() / 100), "currency": "USD"] }
    static func period(_ start: String?, _ end: String?) -> JSONValue? {
        var p: [String: JSONValue] = [:]
        if let start { p["start"] = .string(start) }
        if let end { p["end"] = .string(end) }
        return p.isEmpty ? nil : .object(p)
    }

    /// The resources of one plan, the plan's CarePlan first after the Patient.
    static func resources(_ source: Source) -> [JSONValue] {
        let r = source.record, plan = r.plan, person = r.person
        let planID = plan.id!.text, personID = person.id!.text
        var out: [JSONValue] = []
        let patient = ref("Patient", personID, person.displayName)

        // The person.
        var names: [JSONValue] = [["use": "official", "family": .string(person.legalFamilyName), "given": [.string(person.legalGivenName)]]]
        if let preferred = person.preferredName, !preferred.isEmpty { names.append(["use": "usual", "given": [.string(preferred)]]) }
        var identifiers: [JSONValue] = [["system": "urn:lantern:person", "value": .string(personID)]]
        if let medicaid = person.medicaidID { identifiers.append(["type": text("Medicaid number"), "system": "urn:lantern:medicaid-id", "value": .string(medicaid)]) }
        if let state = person.stateID { identifiers.append(["type": text("State ID"), "system": "urn:lantern:state-id", "value": .string(state)]) }
        var patientResource: [String: JSONValue] = [
            "resourceType": "Patient", "id": .string(personID), "meta": profile("Patient"), "identifier": .array(identifiers), "name": .array(names),
            // Lantern does not record administrative gender, which US Core requires: "unknown" says so.
            "gender": "unknown", "birthDate": .string(person.birthDate),
            "communication": [["language": text(person.primaryLanguage), "preferred": true]],
        ]
        patientResource["extension"] = extensions(ext("legal-status", "Code", .string(person.legalStatus)), ext("residence-type", "Code", .string(person.residenceType)),
                                                  ext("interpreter-needed", "Boolean", .bool(person.interpreterNeeded)))
        if person.addressLine != nil || person.city != nil {
            var address: [String: JSONValue] = ["use": "home"]
            if let line = person.addressLine { address["line"] = [.string(line)] }
            if let city = person.city { address["city"] = .string(city) }
            if let county = person.county { address["district"] = .string(county) }
            if let region = person.region { address["state"] = .string(region) }
            if let zip = person.postalCode { address["postalCode"] = .string(zip) }
            patientResource["address"] = [.object(address)]
        }
        out.append(.object(patientResource))

        // The circle of support.
        for member in r.circle {
            let relationship = Relationship(rawValue: member.relationship) ?? .other
            var m: [String: JSONValue] = [
                "resourceType": "RelatedPerson", "id": .string(member.id!.text), "meta": profile("RelatedPerson"), "active": true, "patient": patient,
                "relationship": [roleCode(relationship)], "name": [["text": .string(member.name)]],
            ]
            var telecom: [JSONValue] = []
            if let phone = member.phone { telecom.append(["system": "phone", "value": .string(phone)]) }
            if let email = member.email { telecom.append(["system": "email", "value": .string(email)]) }
            if !telecom.isEmpty { m["telecom"] = .array(telecom) }
            m["extension"] = extensions(ext("paid", "Boolean", .bool(member.isPaid)), ext("chosen-by-person", "Boolean", .bool(member.chosenByPerson)),
                                        ext("legal-authority", "String", member.hasLegalAuthority ? member.authorityScope.map(JSONValue.string) : nil),
                                        ext("receives-plan-copy", "Boolean", .bool(member.receivesPlanCopy)))
            out.append(.object(m))
        }

        // The coordinator, their role at the coordinating agency, and the episode of care they manage.
        var author: JSONValue?
        if let c = source.coordinator, let cid = c.id?.text {
            out.append(["resourceType": "Practitioner", "id": .string(cid), "meta": profile("Practitioner"), "active": true,
                        "name": [["text": .string(c.displayName)]], "telecom": [["system": "email", "value": .string(c.email)]]])
            var role: [String: JSONValue] = ["resourceType": "PractitionerRole", "id": .string(id("role", cid)), "meta": profile("PractitionerRole"), "active": true,
                                             "practitioner": ref("Practitioner", cid, c.displayName), "code": [text("Support coordinator")]]
            if let agency = source.agency { role["organization"] = ref("Organization", agency.id!.text, agency.name) }
            out.append(.object(role))
            author = ref("PractitionerRole", id("role", cid), c.displayName)
            var episode: [String: JSONValue] = ["resourceType": "EpisodeOfCare", "id": .string(id("episode", personID, cid)), "meta": profile("EpisodeOfCare"),
                                                "status": person.status == PersonStatus.exited.rawValue ? "finished" : "active", "patient": patient,
                                                "careManager": ref("Practitioner", cid, c.displayName)]
            if let agency = source.agency { episode["managingOrganization"] = ref("Organization", agency.id!.text, agency.name) }
            if let p = period(source.coordinationSince, person.exitDate) { episode["period"] = p }
            out.append(.object(episode))
        }
        var organizations: [String: Organization] = [:]
        if let agency = source.agency { organizations[agency.id!.text] = agency }

        // Assessed needs, strengths and what matters to the person.
        var needRefs: [String: JSONValue] = [:], conditions: [JSONValue] = [], observations: [JSONValue] = []
        for need in r.content("important-for").entries("needs") {
            guard let text_ = need.text("need") else { continue }
            let cid = id(planID, "need", need.text("id") ?? text_)
            var c: [String: JSONValue] = [
                "resourceType": "Condition", "id": .string(cid), "meta": profile("Condition"),
                "clinicalStatus": coded("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"),
                "category": [text(need.text("area").map { $0 == "health" ? "Health" : $0 == "safety" ? "Safety" : "Other assessed need" } ?? "Assessed need")],
                "code": text(text_), "subject": patient,
            ]
            if let role = need.text("supporterRole") { c["note"] = [["text": .string("What the supporter does: " + role)]] }
            c["extension"] = extensions(ext("need-area", "Code", need.text("area").map(JSONValue.string)), ext("supporter-role", "String", need.text("supporterRole").map(JSONValue.string)))
            conditions.append(.object(c))
            let reference = ref("Condition", cid, text_)
            if let nid = need.text("id") { needRefs[nid] = reference }
        }
        func observation(_ kind: String, _ value: String, whose: String?, key: String, index: Int) -> JSONValue {
            var o: [String: JSONValue] = ["resourceType": "Observation", "id": .string(id(planID, key, String(index))), "meta": profile("Observation"),
                                          "status": "final", "code": text(kind), "subject": patient, "valueString": .string(value)]
            if let whose { o["note"] = [["text": .string("Whose view: \(whose)")]] }
            o["extension"] = extensions(ext("observation-kind", "Code", .string(key)), ext("whose", "Code", whose.map(JSONValue.string)))
            return .object(o)
        }
        for (index, item) in r.content("strengths").entries("items").enumerated() {
            if let d = item.text("description") {
                var o = observation("Strength: " + (item.text("kind") ?? "strength"), d, whose: item.text("whose"), key: "strength", index: index).objectValue
                o["extension"] = .array((o["extension"]?.arrayValue ?? []) + [ext("strength-kind", "Code", item.text("kind").map(JSONValue.string))].compactMap { $0 })
                observations.append(.object(o))
            }
        }
        for (index, item) in r.content("important-to").entries("statements").enumerated() {
            if let s = item.text("statement") { observations.append(observation("What is important to the person", s, whose: item.text("whose"), key: "important-to", index: index)) }
        }
        out += conditions + observations

        // Risks.
        let risks = r.content("risks").entries("risks")
        var riskRef: JSONValue?
        if !risks.isEmpty {
            let rid = id(planID, "risks")
            var assessment: [String: JSONValue] = [
                "resourceType": "RiskAssessment", "id": .string(rid), "meta": profile("RiskAssessment"), "status": "final", "subject": patient,
                "prediction": .array(risks.compactMap { risk in
                    guard let what = risk.text("risk") else { return nil }
                    var p: [String: JSONValue] = ["outcome": text(what)]
                    if let level = risk.text("level") { p["qualitativeRisk"] = text(level) }
                    var why: [String] = []
                    if let kind = risk.text("kind") { why.append("Kind: \(kind)") }
                    if let who = risk.text("responsible") { why.append("Responsible: \(who)") }
                    if !why.isEmpty { p["rationale"] = .string(why.joined(separator: ". ")) }
                    p["extension"] = extensions(ext("risk-kind", "Code", risk.text("kind").map(JSONValue.string)), ext("risk-level", "Code", risk.text("level").map(JSONValue.string)),
                                                ext("responsible", "String", risk.text("responsible").map(JSONValue.string)),
                                                ext("mitigation", "String", risk.text("mitigation").map(JSONValue.string)))
                    return .object(p)
                }),
            ]
            let mitigations = risks.compactMap { risk in risk.text("mitigation").map { "\(risk.text("risk") ?? "Risk"): \($0)" } }
            if !mitigations.isEmpty { assessment["mitigation"] = .string(mitigations.joined(separator: "\n")) }
            out.append(.object(assessment))
            riskRef = ref("RiskAssessment", rid)
        }

        // Outcomes as goals; action steps as the plan's activities.
        let outcomes = PlannedOutcome.all(in: r.content("outcomes"))
        var goalRefs: [String: JSONValue] = [:], activities: [JSONValue] = []
        for outcome in outcomes {
            let gid = id(planID, "goal", outcome.id)
            var g: [String: JSONValue] = ["resourceType": "Goal", "id": .string(gid), "meta": profile("Goal"),
                                          "lifecycleStatus": .string(lifecycle(outcome.status)), "description": text(outcome.text), "subject": patient]
            if outcome.status == .achieved { g["achievementStatus"] = coded("http://terminology.hl7.org/CodeSystem/goal-achievement", "achieved", "Achieved") }
            if let domain = outcome.lifeDomain { g["category"] = [text(domain.label)] }
            if let start = outcome.startDate { g["startDate"] = .string(start.description) }
            var target: [String: JSONValue] = [:]
            if let measure = outcome.measure { target["measure"] = text("How the team will know"); target["detailString"] = .string(measure) }
            if let due = outcome.targetDate { target["dueDate"] = .string(due.description) }
            if !target.isEmpty { g["target"] = [.object(target)] }
            var notes: [JSONValue] = [["text": .string(outcome.inOwnWords ? "In the person's own words." : "Not in the person's own words.")]]
            if let reason = outcome.statusReason { notes.append(["text": .string("Status: \(reason)")]) }
            g["note"] = .array(notes)
            g["extension"] = extensions(ext("in-own-words", "Boolean", .bool(outcome.inOwnWords)), ext("outcome-status", "Code", .string(outcome.status.rawValue)),
                                        ext("life-domain", "Code", outcome.lifeDomain.map { .string($0.rawValue) }), ext("status-reason", "String", outcome.statusReason.map(JSONValue.string)))
            out.append(.object(g))
            let goal = ref("Goal", gid, outcome.text)
            goalRefs[outcome.id] = goal
            for step in outcome.steps {
                var detail: [String: JSONValue] = ["status": .string(activityStatus(outcome.status)), "description": .string(step.text), "goal": [goal]]
                switch step.responsible {
                case .person: detail["performer"] = [patient]
                case .circle: if let m = step.circleMemberID, let member = r.circle.first(where: { $0.id?.text == m }) { detail["performer"] = [ref("RelatedPerson", m, member.name)] }
                case .provider: if let o = step.organizationID, let org = r.organizations.first(where: { $0.id?.text == o }) {
                    organizations[o] = org
                    detail["performer"] = [ref("Organization", o, org.name)]
                }
                }
                let when = [step.frequency, step.schedule, step.byDate.map { "by \($0)" }].compactMap { $0 }.joined(separator: ", ")
                if !when.isEmpty { detail["scheduledString"] = .string(when) }
                detail["extension"] = extensions(ext("step-frequency", "String", step.frequency.map(JSONValue.string)), ext("step-schedule", "String", step.schedule.map(JSONValue.string)),
                                                 ext("step-by", "Date", step.byDate.map { .string($0.description) }), ext("step-measure", "Code", .string(step.measure.rawValue)),
                                                 ext("step-target", "Decimal", step.target.map(JSONValue.number)), ext("step-paid", "Boolean", step.paid.map(JSONValue.bool)))
                activities.append(["detail": .object(detail)])
            }
        }

        // Services: a ServiceRequest each, with its funding (Coverage) and its cost (Claim).
        let budget = r.budget
        let costs = Dictionary(budget.lines.compactMap { line in line.service.id.map { ($0, line) } }, uniquingKeysWith: { a, _ in a })
        var coverages: [String: JSONValue] = [:]
        let selfDirection = r.content("self-direction")
        for service in PlannedService.all(in: r.content("services")) {
            let sid = id(planID, "service", service.id ?? service.path)
            var s: [String: JSONValue] = [
                "resourceType": "ServiceRequest", "id": .string(sid), "meta": profile("ServiceRequest"), "status": .string(requestStatus(plan.planStatus)),
                "intent": "plan", "subject": patient, "basedOn": [ref("CarePlan", planID)],
                "code": service.code.map { ["coding": [["system": .string(catalogueSystem), "code": .string($0), "display": .string(service.name)]], "text": .string(service.name)] } ?? text(service.name),
            ]
            if service.selfDirected || (selfDirection.bool("selfDirects") == true && (selfDirection.text("servicesSelfDirected") ?? "").localizedCaseInsensitiveContains(service.name)) {
                s["extension"] = [["url": .string(directedBy), "valueCodeableConcept": text("self")]]
            }
            if let units = service.units {
                s["quantityQuantity"] = ["value": .number(units), "unit": .string(costs[service.id ?? ""]?.catalogue?.unit.label ?? "unit")]
            }
            var repeat_: [String: JSONValue] = [:]
            if let b = period(service.start?.description ?? plan.effectiveStart, service.end?.description ?? plan.effectiveEnd) { repeat_["boundsPeriod"] = b }
            if let interval = service.interval, interval != .period {
                repeat_["frequency"] = 1; repeat_["period"] = 1
                repeat_["periodUnit"] = .string(["day": "d", "week": "wk", "month": "mo", "year": "a"][interval.rawValue] ?? "d")
            }
            if let time = service.time {
                if !time.days.isEmpty { repeat_["dayOfWeek"] = .array(Weekday.allCases.filter(time.days.contains).map { .string($0.rawValue) }) }
                if let from = time.from { repeat_["timeOfDay"] = [.string(TimeOfDay.text(from) + ":00")] }
                if let from = time.from, let until = time.until, until > from { repeat_["duration"] = .number(Double(until - from)); repeat_["durationUnit"] = "min" }
            }
            if !repeat_.isEmpty { s["occurrenceTiming"] = ["repeat": .object(repeat_)] }
            if let providerID = service.providerID, let org = r.organizations.first(where: { $0.id?.text == providerID }) {
                organizations[providerID] = org
                s["performer"] = [ref("Organization", providerID, org.name)]
            } else if let name = service.providerName {
                s["performer"] = [["display": .string(name)]]
            }
            if let location = service.location { s["locationCode"] = [text(location)] }
            if let need = service.needID.flatMap({ needRefs[$0] }) { s["reasonReference"] = [need] }
            var notes: [String] = []
            if let outcome = service.outcomeID.flatMap({ goalRefs[$0] }), case let .object(o) = outcome, let display = o["display"]?.stringValue { notes.append("For the outcome: \(display)") }
            if let program = service.program { notes.append("Program: \(program)") }
            if !service.isPaid { notes.append("Unpaid support") }
            if service.waiting { notes.append("No provider can give it yet" + (service.waitingSince.map { " (waiting since \($0))" } ?? "")) }
            if !notes.isEmpty { s["note"] = .array(notes.map { ["text": .string($0)] }) }
            var serviceExtensions = s["extension"]?.arrayValue ?? []
            serviceExtensions += [ext("paid", "Boolean", .bool(service.isPaid)), ext("program", "String", service.program.map(JSONValue.string)),
                                  ext("outcome", "Reference", service.outcomeID.flatMap { goalRefs[$0] }), ext("waiting", "Boolean", service.waiting ? .bool(true) : nil),
                                  ext("waiting-since", "Date", service.waitingSince.map { .string($0.description) }),
                                  ext("start-date", "Date", service.start.map { .string($0.description) }), ext("end-date", "Date", service.end.map { .string($0.description) }),
                                  ext("frequency", "String", entry(r, service)?.text("frequency").map(JSONValue.string)),
                                  ext("options-offered", "String", entry(r, service)?.text("optionsOffered").map(JSONValue.string)),
                                  ext("interval", "Code", service.interval.map { .string($0.rawValue) })].compactMap { $0 }
            if !serviceExtensions.isEmpty { s["extension"] = .array(serviceExtensions) }
            if let funding = service.fundingSource {
                let cid = id(personID, "coverage", funding.rawValue)
                if coverages[cid] == nil {
                    coverages[cid] = ["resourceType": "Coverage", "id": .string(cid), "status": "active", "type": text(funding.label),
                                      "beneficiary": patient, "payor": [["display": .string(funding.label)]]]
                }
                s["insurance"] = [ref("Coverage", cid, funding.label)]
            }
            out.append(.object(s))
            activities.append(["reference": ref("ServiceRequest", sid, service.name)])

            if let line = costs[service.id ?? ""], let providerID = service.providerID, let org = r.organizations.first(where: { $0.id?.text == providerID }),
               let funding = service.fundingSource, let rate = line.rates.last?.perUnit, line.cost > 0 {
                var item: [String: JSONValue] = ["sequence": 1, "productOrService": s["code"]!, "quantity": ["value": .number(line.units)],
                                                 "unitPrice": money(rate), "net": money(line.cost)]
                if let p = line.period { item["servicedPeriod"] = ["start": .string(p.lowerBound.description), "end": .string(p.upperBound.description)] }
                out.append(["resourceType": "Claim", "id": .string(id(planID, "claim", service.id ?? service.path)), "meta": profile("Claim"), "status": "active",
                            "type": coded("http://terminology.hl7.org/CodeSystem/claim-type", "professional", "Professional"),
                            "use": "preauthorization", "patient": patient, "created": .string(plan.createdAt.map(FHIRExport.dateTime) ?? (plan.effectiveStart ?? person.birthDate)),
                            "provider": ref("Organization", providerID, org.name),
                            "priority": coded("http://terminology.hl7.org/CodeSystem/processpriority", "normal", "Normal"),
                            "insurance": [["sequence": 1, "focal": true, "coverage": ref("Coverage", id(personID, "coverage", funding.rawValue), funding.label)]],
                            "referral": ref("ServiceRequest", sid, service.name), "item": [.object(item)], "total": money(line.cost)])
            }
        }
        out += coverages.keys.sorted().map { coverages[$0]! }
        out += organizations.keys.sorted().map { key in
            let org = organizations[key]!
            return ["resourceType": "Organization", "id": .string(key), "active": true, "name": .string(org.name),
                    "type": [text(org.kind == OrganizationKind.provider.rawValue ? "Provider" : "Coordinating agency")]]
        }

        // The plan, and its backup plan as a CarePlan that is part of it.
        var care: [String: JSONValue] = [
            "resourceType": "CarePlan", "id": .string(planID), "meta": profile("CarePlan"), "status": .string(carePlanStatus(plan.planStatus)), "intent": "plan",
            "title": .string("\(plan.type.label), version \(plan.versionNumber)"), "subject": patient,
            "category": [text(plan.type.label)],
        ]
        if let p = period(plan.effectiveStart, plan.endedOn ?? plan.effectiveEnd) { care["period"] = p }
        if let created = plan.createdAt { care["created"] = .string(dateTime(created)) }
        care["extension"] = extensions(ext("plan-type", "Code", .string(plan.planType)), ext("plan-kind", "Code", .string(plan.planKind)),
                                       ext("meeting-date", "Date", plan.meetingDate.map(JSONValue.string)), ext("planning-language", "String", plan.planningLanguage.map(JSONValue.string)),
                                       ext("implementation-date", "Date", plan.implementationDate.map(JSONValue.string)),
                                       ext("next-review-date", "Date", plan.nextReviewDate.map(JSONValue.string)),
                                       ext("plan-end", "Date", plan.effectiveEnd.map(JSONValue.string)))
        if let author { care["author"] = author }
        if !conditions.isEmpty { care["addresses"] = .array(conditions.map { ref("Condition", $0["id"]?.stringValue ?? "") }) }
        var supporting = observations.map { ref("Observation", $0["id"]?.stringValue ?? "") }
        if let riskRef { supporting.append(riskRef) }
        if !supporting.isEmpty { care["supportingInfo"] = .array(supporting) }
        if !goalRefs.isEmpty { care["goal"] = .array(outcomes.compactMap { goalRefs[$0.id] }) }
        if !activities.isEmpty { care["activity"] = .array(activities) }
        let goals = r.content("life-goals").text("lifeGoals")
        if let goals { care["description"] = .string(goals) }
        out.insert(.object(care), at: 1)
        let backup = [r.content("risks").text("backupPlan").map { "Backup plan: \($0)" }, r.content("risks").text("crisisPlan").map { "Crisis plan: \($0)" }].compactMap { $0 }
        if !backup.isEmpty {
            out.insert(["resourceType": "CarePlan", "id": .string(id(planID, "backup")), "meta": profile("CarePlan"), "status": .string(carePlanStatus(plan.planStatus)),
                        "intent": "plan", "title": "Backup plan", "description": .string(backup.joined(separator: "\n")), "subject": patient,
                        "partOf": [ref("CarePlan", planID)]], at: 2)
        }

        // Signatures.
        let signed = source.signatures.filter { $0.status == SignatureStatus.signed.rawValue && $0.signedAt != nil }
        if !signed.isEmpty {
            out.append(["resourceType": "Contract", "id": .string(id(planID, "signatures")), "meta": profile("Contract"),
                        "status": plan.planStatus == .active || plan.planStatus == .superseded || plan.planStatus == .ended ? "executed" : "offered",
                        "subject": [patient], "topicReference": ref("CarePlan", planID), "signer": .array(signed.map { signer(
                            $0, patient: patient, circle: r.circle, coordinator: source.coordinator) })])
        }
        return out
    }

    /// The services entry a planned service was read from.
    static func entry(_ r: PlanRecord, _ service: PlannedService) -> SectionContent? {
        let entries = r.content("services").entries("services")
        return entries.first { $0.text("id") == service.id && service.id != nil }
    }

    /// The plan's resources as a collection Bundle, each with its full URL under `base`.
    static func bundle(_ source: Source, base: String, now: Date) -> JSONValue {
        let resources = resources(source)
        return ["resourceType": "Bundle", "id": .string(id(source.record.plan.id!.text, "bundle")), "type": "collection", "timestamp": .string(dateTime(now)),
                "entry": .array(resources.map { r in ["fullUrl": .string("\(base)/\(r["resourceType"]?.stringValue ?? "")/\(r["id"]?.stringValue ?? "")"), "resource": r] })]
    }

    static func signer(_ s: PlanSignature, patient: JSONValue, circle: [CircleMember], coordinator: User?) -> JSONValue {
        let role = SignerRole(rawValue: s.role)
        let party: JSONValue
        switch role {
        case .person?: party = patient
        case .coordinator?: party = coordinator.flatMap { c in c.id.map { ref("Practitioner", $0.text, s.signerName) } } ?? ["display": .string(s.signerName)]
        case .provider?, .regionalCenter?: party = s.organizationID.map { ref("Organization", $0.text, s.signerName) } ?? ["display": .string(s.signerName)]
        default: party = s.circleMemberID.map { ref("RelatedPerson", $0.text, s.signerName) } ?? ["display": .string(s.signerName)]
        }
        let type: (String, String) = switch role {
        case .person?: ("PAT", "Patient")
        case .guardian?: ("GUARD", "Guardian")
        case .parent?: ("PRN", "Parent")
        case .coordinator?: ("AUT", "Author")
        default: ("PROV", "Healthcare provider")
        }
        return ["type": ["system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": .string(type.0), "display": .string(type.1)],
                "party": party,
                "signature": [["type": [["system": "urn:iso-astm:E1762-95:2013", "code": "1.2.840.10065.1.12.1.7", "display": "Consent Signature"]],
                               "when": .string(dateTime(s.signedAt!)), "who": party,
                               "data": .string(Data("Signed by \(s.signerName)\(s.onBehalfOf.map { " for \($0)" } ?? "") on \(dateTime(s.signedAt!))".utf8).base64EncodedString())]]]
    }

    static func roleCode(_ r: Relationship) -> JSONValue {
        let (code, display): (String, String) = switch r {
        case .guardian: ("GUARD", "guardian")
        case .parent: ("PRN", "parent")
        case .family: ("FAMMEMB", "family member")
        case .friend, .peer: ("FRND", "unrelated friend")
        case .advocate: ("NOK", "next of kin")
        default: ("O", "Other")
        }
        let system = code == "O" ? "http://terminology.hl7.org/CodeSystem/v2-0131" : "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
        return ["coding": [["system": .string(system), "code": .string(code), "display": .string(display)]], "text": .string(r.label)]
    }

    static func carePlanStatus(_ s: PlanStatus) -> String {
        switch s {
        case .draft, .awaitingSignatures: "draft"
        case .active: "active"
        case .superseded: "revoked"
        case .ended: "completed"
        }
    }
    static func requestStatus(_ s: PlanStatus) -> String {
        switch s {
        case .draft, .awaitingSignatures: "draft"
        case .active: "active"
        case .superseded: "revoked"
        case .ended: "completed"
        }
    }
    static func lifecycle(_ s: OutcomeStatus) -> String {
        switch s {
        case .notStarted: "planned"
        case .inProgress: "active"
        case .achieved: "completed"
        case .changed: "cancelled"
        case .discontinued: "cancelled"
        }
    }
    static func activityStatus(_ s: OutcomeStatus) -> String {
        switch s {
        case .notStarted: "not-started"
        case .inProgress: "in-progress"
        case .achieved: "completed"
        case .changed, .discontinued: "stopped"
        }
    }

    /// UTC to the second, "2026-11-18T11:06:40Z" (a format style, not a new formatter for each date).
    static func dateTime(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

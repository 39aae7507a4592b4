import Foundation
import LanternDomain

/// Reads an eLTSS Bundle back into Lantern's shapes: the person, their circle, a draft plan and its
/// sections, with a report of what was taken and what could not be mapped. Pure: nothing is written
/// here (see `PersonRecords.importFHIR`). Lantern's own extensions, when present, give back exactly
/// what Lantern exported; other systems' bundles are read from the standard elements.
enum FHIRImport {
    struct Report: Sendable, Codable {
        var taken: [String] = []
        var notMapped: [String] = []
    }

    struct Parsed: Sendable {
        var person: [String: JSONValue] = [:]
        var circle: [(fhirID: String, input: [String: JSONValue])] = []
        var plan: [String: JSONValue] = [:]
        /// Section contents; circle members are named "fhir-rp:<RelatedPerson id>" until they exist.
        var sections: [String: SectionContent] = [:]
        var report = Report()
    }

    static let circlePrefix = "fhir-rp:"

    // MARK: Reading values

    static func ext(_ r: [String: JSONValue], _ name: String) -> JSONValue? {
        for e in r["extension"]?.arrayValue ?? [] where e["url"]?.stringValue == FHIRExport.lantern + name {
            for (key, value) in e.objectValue where key.hasPrefix("value") { return value }
        }
        return nil
    }
    static func extText(_ r: [String: JSONValue], _ name: String) -> String? { ext(r, name)?.stringValue }
    static func extBool(_ r: [String: JSONValue], _ name: String) -> Bool? { if case let .bool(b)? = ext(r, name) { return b }; return nil }
    static func text(_ concept: JSONValue?) -> String? {
        guard let c = concept?.objectValue, !c.isEmpty else { return nil }
        return c["text"]?.stringValue ?? c["coding"]?.arrayValue.first?["display"]?.stringValue ?? c["coding"]?.arrayValue.first?["code"]?.stringValue
    }
    static func refID(_ reference: JSONValue?, _ type: String) -> String? {
        guard let r = reference?["reference"]?.stringValue, r.hasPrefix(type + "/") else { return nil }
        return String(r.dropFirst(type.count + 1))
    }
    static func notes(_ r: [String: JSONValue]) -> [String] { (r["note"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue } }
    static func note(_ r: [String: JSONValue], prefix: String) -> String? {
        notes(r).first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }
    static func byLabel<V: Vocabulary>(_ type: V.Type, _ label: String?) -> V? {
        guard let label else { return nil }
        return V(rawValue: label) ?? V.allCases.first { $0.label.caseInsensitiveCompare(label) == .orderedSame }
    }
    static func string(_ v: String?) -> JSONValue? { v.map(JSONValue.string) }

    // MARK: The bundle

    /// Checks the bundle's shape; any problem here refuses the whole import, and nothing is written.
    static func resources(of body: [String: JSONValue]) throws -> [[String: JSONValue]] {
        var errors: [FieldError] = []
        if body["resourceType"]?.stringValue != "Bundle" { errors.append(FieldError("resourceType", "Send a FHIR Bundle: resourceType must be \"Bundle\".")) }
        guard case let .array(entries)? = body["entry"] else {
            throw Problem.invalid(errors + [FieldError("entry", "The Bundle has no entries: send the resources of one plan in entry[].resource.")])
        }
        var resources: [[String: JSONValue]] = []
        for (index, entry) in entries.enumerated() {
            guard case let .object(resource)? = entry["resource"], let type = resource["resourceType"]?.stringValue, !type.isEmpty else {
                errors.append(FieldError("entry.\(index).resource", "Entry \(index) has no resource with a resourceType."))
                continue
            }
            resources.append(resource)
        }
        let patients = resources.filter { $0["resourceType"] == "Patient" }
        if patients.count != 1 { errors.append(FieldError("entry", "The Bundle must hold exactly one Patient (it holds \(patients.count)).")) }
        if !resources.contains(where: { $0["resourceType"] == "CarePlan" && $0["partOf"] == nil }) {
            errors.append(FieldError("entry", "The Bundle holds no CarePlan: there is no plan to import."))
        }
        if let patient = patients.first, patient["birthDate"]?.stringValue.flatMap(CalendarDate.init) == nil {
            errors.append(FieldError("Patient.birthDate", "The Patient needs a birthDate written as YYYY-MM-DD."))
        }
        if let patient = patients.first, (patient["name"]?.arrayValue ?? []).isEmpty {
            errors.append(FieldError("Patient.name", "The Patient needs a name."))
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
        return resources
    }

    static func parse(_ body: [String: JSONValue], providers: [Organization], today: CalendarDate) throws -> Parsed {
        let all = try resources(of: body)
        var p = Parsed()
        func of(_ type: String) -> [[String: JSONValue]] { all.filter { $0["resourceType"]?.stringValue == type } }
        let mains = of("CarePlan").filter { $0["partOf"] == nil }
        let care = mains.first { $0["status"] == "active" } ?? mains[0]
        let careID = care["id"]?.stringValue ?? ""
        if mains.count > 1 { p.report.notMapped.append("\(mains.count - 1) other CarePlans: one plan is imported at a time (the one in effect, else the first)") }
        // Only what belongs to the plan imported: resources the chosen CarePlan points at, or that point at it.
        let pointed = Set(FHIRExportReferences.all(in: .object(care)))
        func belongs(_ r: [String: JSONValue]) -> Bool {
            pointed.contains("\(r["resourceType"]?.stringValue ?? "")/\(r["id"]?.stringValue ?? "")")
                || FHIRExportReferences.all(in: .object(r)).contains("CarePlan/\(careID)")
        }

        // The person.
        let patient = of("Patient")[0]
        let names = patient["name"]?.arrayValue ?? []
        let official = names.first { $0["use"] == "official" } ?? names[0]
        p.person["legalFamilyName"] = official["family"] ?? string(official["text"]?.stringValue?.components(separatedBy: " ").last)
        p.person["legalGivenName"] = official["given"]?.arrayValue.first ?? string(official["text"]?.stringValue?.components(separatedBy: " ").first)
        if let usual = names.first(where: { $0["use"] == "usual" })?["given"]?.arrayValue.first { p.person["preferredName"] = usual }
        p.person["birthDate"] = patient["birthDate"]
        let communication = patient["communication"]?.arrayValue ?? []
        let language = text((communication.first { $0["preferred"] == true } ?? communication.first)?["language"])
        p.person["primaryLanguage"] = .string(language ?? "Not recorded")
        if language == nil { p.report.notMapped.append("Patient.communication: no language; recorded as \"Not recorded\"") }
        let birth = CalendarDate(patient["birthDate"]?.stringValue ?? "")!
        if let legal = extText(patient, "legal-status") { p.person["legalStatus"] = .string(legal) } else {
            let guess = birth.years(until: today) < 18 ? LegalStatus.minorWithParent : .selfDetermining
            p.person["legalStatus"] = .string(guess.rawValue)
            p.report.notMapped.append("legal status is not in FHIR: set to \"\(guess.label)\"; check it")
        }
        if let residence = extText(patient, "residence-type") { p.person["residenceType"] = .string(residence) } else {
            p.person["residenceType"] = .string(ResidenceType.other.rawValue)
            p.report.notMapped.append("where the person lives is not in FHIR: set to \"Other\"; check it")
        }
        if let interpreter = ext(patient, "interpreter-needed") { p.person["interpreterNeeded"] = interpreter }
        for identifier in patient["identifier"]?.arrayValue ?? [] {
            let system = identifier["system"]?.stringValue ?? "", kind = text(identifier["type"]) ?? ""
            if system == "urn:lantern:medicaid-id" || kind.localizedCaseInsensitiveContains("medicaid") { p.person["medicaidId"] = identifier["value"] }
            else if system == "urn:lantern:state-id" || kind.localizedCaseInsensitiveContains("state") { p.person["stateId"] = identifier["value"] }
        }
        if let address = patient["address"]?.arrayValue.first {
            p.person["addressLine"] = address["line"]?.arrayValue.first; p.person["city"] = address["city"]; p.person["county"] = address["district"]
            p.person["region"] = address["state"]; p.person["postalCode"] = address["postalCode"]
            for key in ["addressLine", "city", "county", "region", "postalCode"] where p.person[key] == nil { p.person.removeValue(forKey: key) }
        }
        p.report.taken.append("Patient: \(p.person["legalGivenName"]?.stringValue ?? "") \(p.person["legalFamilyName"]?.stringValue ?? "")")

        // The circle of support.
        for related in of("RelatedPerson") {
            guard let fhirID = related["id"]?.stringValue else { continue }
            let name = related["name"]?.arrayValue.first.flatMap { n in n["text"]?.stringValue ?? ((n["given"]?.arrayValue.compactMap(\.stringValue) ?? []) + [n["family"]?.stringValue].compactMap { $0 }).joined(separator: " ") }
            let concept = related["relationship"]?.arrayValue.first
            let code = concept?["coding"]?.arrayValue.first?["code"]?.stringValue
            let relationship = byLabel(Relationship.self, concept?["text"]?.stringValue)
                ?? ["GUARD": .guardian, "PRN": .parent, "MTH": .parent, "FTH": .parent, "FAMMEMB": .family, "FRND": .friend, "NOK": .family][code ?? ""] ?? .other
            var input: [String: JSONValue] = ["name": .string(name ?? "Unnamed"), "relationship": .string(relationship.rawValue)]
            for t in related["telecom"]?.arrayValue ?? [] {
                if t["system"] == "phone" { input["phone"] = t["value"] }
                if t["system"] == "email" { input["email"] = t["value"] }
            }
            if let paid = ext(related, "paid") { input["isPaid"] = paid }
            if let chosen = ext(related, "chosen-by-person") { input["chosenByPerson"] = chosen }
            if let copy = ext(related, "receives-plan-copy") { input["receivesPlanCopy"] = copy }
            if let scope = extText(related, "legal-authority") { input["hasLegalAuthority"] = true; input["authorityScope"] = .string(scope) }
            else if relationship == .guardian {
                input["hasLegalAuthority"] = true; input["authorityScope"] = "Guardian (scope not given in the imported plan)"
                p.report.notMapped.append("RelatedPerson \(name ?? fhirID): the scope of the guardian's authority is not in FHIR; check it")
            }
            p.circle.append((fhirID, input))
        }
        if !p.circle.isEmpty { p.report.taken.append("\(p.circle.count) RelatedPersons as the circle of support") }

        // The plan.
        let type = extText(care, "plan-type").flatMap(PlanType.init) ?? byLabel(PlanType.self, text(care["category"]?.arrayValue.first)) ?? {
            p.report.notMapped.append("CarePlan: the plan type is not given; imported as \(PlanType.federalHCBS.label)")
            return .federalHCBS
        }()
        p.plan["planType"] = .string(type.rawValue)
        p.plan["planKind"] = string(extText(care, "plan-kind") ?? PlanKind.initial.rawValue)
        p.plan["effectiveStart"] = care["period"]?["start"]
        p.plan["effectiveEnd"] = ext(care, "plan-end") ?? care["period"]?["end"]
        for (key, name) in [("meetingDate", "meeting-date"), ("planningLanguage", "planning-language"), ("implementationDate", "implementation-date"), ("nextReviewDate", "next-review-date")] {
            if let v = ext(care, name) { p.plan[key] = v }
        }
        for key in Array(p.plan.keys) where p.plan[key] == .null { p.plan.removeValue(forKey: key) }
        p.report.taken.append("CarePlan \(careID) as a draft \(type.shortLabel); its status, signatures and authorizations are not imported: the team reviews and signs it")
        if let goals = care["description"]?.stringValue { p.sections["life-goals", default: [:]]["lifeGoals"] = .string(goals) }

        // Needs.
        var needIDs: [String: String] = [:]
        var needs: [JSONValue] = []
        for condition in of("Condition") where belongs(condition) {
            guard let need = text(condition["code"]), let fid = condition["id"]?.stringValue else { continue }
            let id = UUID().uuidString.lowercased()
            needIDs[fid] = id
            var entry: [String: JSONValue] = ["id": .string(id), "need": .string(need)]
            let area = extText(condition, "need-area") ?? ["Health": "health", "Safety": "safety", "Other assessed need": "other"][text(condition["category"]?.arrayValue.first) ?? ""]
            entry["area"] = string(area)
            entry["supporterRole"] = ext(condition, "supporter-role") ?? string(note(condition, prefix: "What the supporter does: "))
            needs.append(.object(entry.filter { $0.value != .null }))
        }
        if !needs.isEmpty { p.sections["important-for", default: [:]]["needs"] = .array(needs); p.report.taken.append("\(needs.count) Conditions as needs") }

        // Strengths and what is important to the person.
        var strengths: [JSONValue] = [], statements: [JSONValue] = [], skipped = 0
        for observation in of("Observation") where belongs(observation) {
            guard let value = observation["valueString"]?.stringValue else { skipped += 1; continue }
            let code = text(observation["code"]) ?? ""
            let kind = extText(observation, "observation-kind") ?? (code.hasPrefix("Strength") ? "strength" : code == "What is important to the person" ? "important-to" : "")
            let whose = extText(observation, "whose") ?? note(observation, prefix: "Whose view: ")
            switch kind {
            case "strength":
                let strengthKind = extText(observation, "strength-kind") ?? (code.hasPrefix("Strength: ") ? String(code.dropFirst("Strength: ".count)) : "strength")
                strengths.append(.object(["kind": .string(strengthKind), "description": .string(value), "whose": string(whose) ?? .null].filter { $0.value != .null }))
            case "important-to":
                statements.append(.object(["statement": .string(value), "whose": .string(whose ?? "other")]))
            default: skipped += 1
            }
        }
        if !strengths.isEmpty { p.sections["strengths", default: [:]]["items"] = .array(strengths) }
        if !statements.isEmpty { p.sections["important-to", default: [:]]["statements"] = .array(statements) }
        if strengths.count + statements.count > 0 { p.report.taken.append("\(strengths.count + statements.count) Observations as strengths and what is important to the person") }
        if skipped > 0 { p.report.notMapped.append("\(skipped) Observations that are neither a strength nor what is important to the person") }

        // Risks, and the backup and crisis plans.
        var risks: [JSONValue] = []
        for assessment in of("RiskAssessment") where belongs(assessment) {
            let mitigations = (assessment["mitigation"]?.stringValue ?? "").components(separatedBy: "\n")
            for prediction in assessment["prediction"]?.arrayValue ?? [] {
                let pr = prediction.objectValue
                guard let risk = text(pr["outcome"]) else { continue }
                var entry: [String: JSONValue] = ["risk": .string(risk), "kind": string(extText(pr, "risk-kind") ?? "other") ?? "other"]
                entry["level"] = ext(pr, "risk-level") ?? string(text(pr["qualitativeRisk"]).map { $0.lowercased() })
                entry["responsible"] = ext(pr, "responsible")
                entry["mitigation"] = ext(pr, "mitigation") ?? string(mitigations.first { $0.hasPrefix(risk + ": ") }.map { String($0.dropFirst(risk.count + 2)) })
                risks.append(.object(entry.compactMapValues { $0 == .null ? nil : $0 }))
            }
        }
        if !risks.isEmpty { p.sections["risks", default: [:]]["risks"] = .array(risks); p.report.taken.append("\(risks.count) risks from the RiskAssessment") }
        for backup in of("CarePlan") where refID(backup["partOf"]?.arrayValue.first, "CarePlan") == careID {
            for line in (backup["description"]?.stringValue ?? "").components(separatedBy: "\n") {
                if line.hasPrefix("Backup plan: ") { p.sections["risks", default: [:]]["backupPlan"] = .string(String(line.dropFirst(13))) }
                else if line.hasPrefix("Crisis plan: ") { p.sections["risks", default: [:]]["crisisPlan"] = .string(String(line.dropFirst(13))) }
                else if !line.isEmpty { p.sections["risks", default: [:]]["backupPlan"] = .string(line) }
            }
            p.report.taken.append("the backup CarePlan as the backup and crisis plans")
        }

        // Outcomes and their steps.
        var goalIDs: [String: String] = [:], outcomes: [JSONValue] = [], steps: [JSONValue] = []
        for goal in of("Goal") where belongs(goal) {
            guard let text_ = text(goal["description"]), let fid = goal["id"]?.stringValue else { continue }
            let id = UUID().uuidString.lowercased()
            goalIDs[fid] = id
            let target = goal["target"]?.arrayValue.first?.objectValue ?? [:]
            let status = extText(goal, "outcome-status") ?? ["planned": "not_started", "proposed": "not_started", "active": "in_progress", "completed": "achieved", "cancelled": "discontinued"][goal["lifecycleStatus"]?.stringValue ?? ""]
            let entry: [String: JSONValue?] = [
                "id": .string(id), "outcome": .string(text_), "inOwnWords": ext(goal, "in-own-words") ?? .bool(notes(goal).contains("In the person's own words.")),
                "lifeDomain": ext(goal, "life-domain") ?? string(byLabel(LifeDomain.self, text(goal["category"]?.arrayValue.first))?.rawValue),
                "measure": target["detailString"], "startDate": goal["startDate"], "targetDate": target["dueDate"], "status": string(status),
                "statusReason": ext(goal, "status-reason") ?? string(note(goal, prefix: "Status: ")),
            ]
            outcomes.append(.object(entry.compactMapValues { $0 }))
        }
        for activity in care["activity"]?.arrayValue ?? [] {
            guard let detail = activity["detail"]?.objectValue, let step = detail["description"]?.stringValue else { continue }
            guard let outcome = refID(detail["goal"]?.arrayValue.first, "Goal").flatMap({ goalIDs[$0] }) else {
                p.report.notMapped.append("activity \"\(step)\": not linked to a Goal of the plan"); continue
            }
            var entry: [String: JSONValue] = ["id": .string(UUID().uuidString.lowercased()), "outcomeId": .string(outcome), "step": .string(step)]
            let performer = detail["performer"]?.arrayValue.first
            if refID(performer, "Patient") != nil { entry["responsibleKind"] = "person" }
            else if let rp = refID(performer, "RelatedPerson") { entry["responsibleKind"] = "circle"; entry["circleMemberId"] = .string(circlePrefix + rp) }
            else if let org = refID(performer, "Organization"), providers.contains(where: { $0.id?.text == org }) { entry["responsibleKind"] = "provider"; entry["organizationId"] = .string(org) }
            else { entry["responsibleKind"] = "provider"; p.report.notMapped.append("step \"\(step)\": its performer is not a provider in Lantern") }
            entry["frequency"] = ext(detail, "step-frequency"); entry["schedule"] = ext(detail, "step-schedule"); entry["byDate"] = ext(detail, "step-by")
            entry["progressMeasure"] = ext(detail, "step-measure") ?? "narrative"; entry["target"] = ext(detail, "step-target"); entry["paid"] = ext(detail, "step-paid")
            if ext(detail, "step-frequency") == nil && ext(detail, "step-schedule") == nil, let when = detail["scheduledString"]?.stringValue { entry["schedule"] = .string(when) }
            steps.append(.object(entry))
        }
        if !outcomes.isEmpty {
            p.sections["outcomes", default: [:]]["outcomes"] = .array(outcomes)
            if !steps.isEmpty { p.sections["outcomes", default: [:]]["steps"] = .array(steps) }
            p.report.taken.append("\(outcomes.count) Goals as outcomes, \(steps.count) activities as action steps")
        }

        // Services.
        let coverages = Dictionary(of("Coverage").compactMap { c in c["id"]?.stringValue.map { ($0, c) } }, uniquingKeysWith: { a, _ in a })
        var services: [JSONValue] = []
        for request in of("ServiceRequest") where belongs(request) {
            guard let name = text(request["code"]) else { continue }
            var e: [String: JSONValue] = ["service": .string(name), "funding": .string(extBool(request, "paid") == false ? "unpaid" : "paid")]
            if let coding = request["code"]?["coding"]?.arrayValue.first { e["serviceCode"] = coding["code"] }
            let performer = request["performer"]?.arrayValue.first
            if let org = refID(performer, "Organization"), providers.contains(where: { $0.id?.text == org }) { e["providerId"] = .string(org) }
            else if let display = performer?["display"]?.stringValue { e["provider"] = .string(display) }
            if let goal = refID(ext(request, "outcome"), "Goal").flatMap({ goalIDs[$0] }) { e["outcomeId"] = .string(goal) }
            if let need = refID(request["reasonReference"]?.arrayValue.first, "Condition").flatMap({ needIDs[$0] }) { e["needId"] = .string(need) }
            e["units"] = request["quantityQuantity"]?["value"]
            let repeat_ = request["occurrenceTiming"]?["repeat"]?.objectValue ?? [:]
            e["interval"] = ext(request, "interval") ?? string(["d": "day", "wk": "week", "mo": "month", "a": "year"][repeat_["periodUnit"]?.stringValue ?? ""])
            if let days = repeat_["dayOfWeek"]?.arrayValue, !days.isEmpty { e["days"] = .array(days) }
            if let time = repeat_["timeOfDay"]?.arrayValue.first?.stringValue, let from = TimeOfDay.minutes(String(time.prefix(5))) {
                e["fromTime"] = .string(TimeOfDay.text(from))
                if let duration = repeat_["duration"]?.numberValue, repeat_["durationUnit"] == "min" { e["untilTime"] = .string(TimeOfDay.text(from + Int(duration))) }
            }
            e["startDate"] = ext(request, "start-date"); e["endDate"] = ext(request, "end-date")
            e["location"] = string(text(request["locationCode"]?.arrayValue.first))
            if let coverage = refID(request["insurance"]?.arrayValue.first, "Coverage").flatMap({ coverages[$0] }) ?? nil {
                e["fundingSource"] = string(byLabel(FundingSource.self, text(coverage["type"]))?.rawValue)
            }
            e["program"] = ext(request, "program") ?? string(note(request, prefix: "Program: "))
            if request["extension"]?.arrayValue.contains(where: { $0["url"]?.stringValue == FHIRExport.directedBy }) == true { e["selfDirected"] = true }
            e["waiting"] = ext(request, "waiting"); e["waitingSince"] = ext(request, "waiting-since")
            e["frequency"] = ext(request, "frequency"); e["optionsOffered"] = ext(request, "options-offered")
            services.append(.object(e.filter { $0.value != .null }))
        }
        if !services.isEmpty { p.sections["services", default: [:]]["services"] = .array(services); p.report.taken.append("\(services.count) ServiceRequests as services") }
        for (type, count) in Dictionary(grouping: all.compactMap { $0["resourceType"]?.stringValue }.filter {
            ["Contract", "Claim", "EpisodeOfCare", "Practitioner", "PractitionerRole"].contains($0) }, by: { $0 }).mapValues(\.count).sorted(by: { $0.key < $1.key }) {
            p.report.notMapped.append("\(count) \(type): " + (["Contract": "signatures belong to the version that was signed; the imported draft is signed again",
                                                               "Claim": "costs come from Lantern's catalogue",
                                                               "EpisodeOfCare": "the coordinator is the one who imports", "Practitioner": "the coordinator is the one who imports",
                                                               "PractitionerRole": "the coordinator is the one who imports"][type] ?? ""))
        }
        let known: Set<String> = ["Patient", "RelatedPerson", "CarePlan", "Goal", "Condition", "Observation", "RiskAssessment", "ServiceRequest", "Coverage", "Organization",
                                  "Contract", "Claim", "EpisodeOfCare", "Practitioner", "PractitionerRole"]
        for (type, count) in Dictionary(grouping: all.compactMap { $0["resourceType"]?.stringValue }.filter { !known.contains($0) }, by: { $0 }).mapValues(\.count) {
            p.report.notMapped.append("\(count) \(type): Lantern does not read this resource type")
        }
        return p
    }
}

/// The references ("Type/id") anywhere in a resource.
enum FHIRExportReferences {
    static func all(in value: JSONValue) -> [String] {
        switch value {
        case let .object(o):
            return (o["reference"]?.stringValue.map { [$0] } ?? []) + o.filter { $0.key != "reference" }.values.flatMap(all)
        case let .array(a): return a.flatMap(all)
        default: return []
        }
    }
}

import Fluent
import Vapor

/// Addresses of the plan pages, in one place.
enum PlanPaths {
    static func overview(_ planID: String) -> String { "/plans/\(planID)" }
    static func details(_ planID: String) -> String { "/plans/\(planID)/details" }
    static func section(_ planID: String, _ key: String) -> String { "/plans/\(planID)/sections/\(key)" }

    /// The page and field where a finding is fixed.
    static func fix(planID: String, finding: Finding) -> String {
        let page = finding.section.map { section(planID, $0) } ?? details(planID)
        return page + (finding.field.map { "#" + Form.fieldID($0) } ?? "")
    }
}

/// The plan pages: start a plan, the overview with progress and findings, the plan's own details, and
/// the editor that walks through the sections one at a time, saving each on its own.
enum PlanPages {
    static func register(_ web: any RoutesBuilder) {
        web.get("people", ":personID", "plans", "new", use: newForm)
        web.post("people", ":personID", "plans", use: create)
        web.get("plans", ":planID", use: overview)
        web.get("plans", ":planID", "details", use: detailsForm)
        web.post("plans", ":planID", "details", use: saveDetails)
        web.get("plans", ":planID", "sections", ":sectionKey", use: sectionPage)
        web.post("plans", ":planID", "sections", ":sectionKey", use: saveSection)
        web.get("plans", ":planID", "compare", use: comparePage)
        web.post("plans", ":planID", "submit", use: submit)
        web.post("plans", ":planID", "withdraw", use: withdraw)
        web.post("plans", ":planID", "versions", use: newVersion)
        web.post("plans", ":planID", "signatures", ":signatureID", "sign", use: sign)
        web.post("plans", ":planID", "signatures", ":signatureID", "decline", use: decline)
    }

    static let detailFields: Set<String> = PlanFields.allowed

    // MARK: Starting a plan and its details

    static func newForm(req: Request) async throws -> HTML {
        let records = try req.records()
        let personID = try req.uuidParameter("personID", what: "person")
        let person = try await records.change(personID, .writePlan, .plan, action: .view) { person, _ in (person, "new plan form") }
        return Layout.page(req, title: "Start a plan for \(person.displayName)", main: PlanViews.detailsForm(req, person: person, plan: nil, errors: [], echo: nil))
    }

    static func create(req: Request) async throws -> Response {
        let records = try req.records()
        let personID = try req.uuidParameter("personID", what: "person")
        let body = try FormBody(req)
        do {
            let plan = try await records.createPlan(for: personID, body.asJSON(fields: detailFields))
            return req.redirect(to: PlanPaths.overview(plan.id!.text) + "?saved=1", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity {
            let person = try await records.read(personID, .plan, detail: "new plan form after refusal") { person, _ in person }
            let page = Layout.page(req, title: "Start a plan for \(person.displayName)", main: PlanViews.detailsForm(req, person: person, plan: nil, errors: problem.errors, echo: body))
            return try await PeoplePages.respond(page, status: .unprocessableEntity, req: req)
        }
    }

    static func detailsForm(req: Request) async throws -> HTML {
        let record = try await req.records().planRecord(try req.uuidParameter("planID", what: "plan"), note: "plan details form", permission: .writePlan)
        return Layout.page(req, title: "Plan details", main: PlanViews.detailsForm(req, person: record.person, plan: record.plan, errors: [], echo: nil))
    }

    static func saveDetails(req: Request) async throws -> Response {
        let records = try req.records()
        let planID = try req.uuidParameter("planID", what: "plan")
        let body = try FormBody(req)
        let version = ETag.of(version: Int(body.first("version") ?? "") ?? -1)
        do {
            _ = try await records.updatePlan(planID, body.asJSON(fields: detailFields.subtracting(["planType"])), ifMatch: version)
            return req.redirect(to: PlanPaths.overview(planID.text) + "?saved=1", redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity || problem.status == .preconditionFailed {
            let stale = problem.status == .preconditionFailed
            let record = try await records.planRecord(planID, note: "plan details form after refusal")
            let errors = stale ? [FieldError("version", "Someone else saved the plan details while you were editing. Your changes were not saved; the form shows the latest version.")] : problem.errors
            let page = Layout.page(req, title: "Plan details", main: PlanViews.detailsForm(req, person: record.person, plan: record.plan, errors: errors, echo: stale ? nil : body))
            return try await PeoplePages.respond(page, status: stale ? .conflict : .unprocessableEntity, req: req)
        }
    }

    // MARK: Overview

    static func overview(req: Request) async throws -> HTML {
        // After "Save and go to the overview" from the last section, `saved` names that section.
        let page = try await overviewPage(req, planID: try req.uuidParameter("planID", what: "plan"), refusal: nil)
        return page
    }

    /// The overview, with everything it shows read in one unit of work; after a refused step, the
    /// refusal is shown at the top.
    static func overviewPage(_ req: Request, planID: UUID, refusal: Problem?) async throws -> HTML {
        let records = try req.records()
        let now = req.now
        let (record, signatures, versions, changes, copies, requests) = try await records.withPlan(planID, .view, action: .view) { plan, person, db in
            let record = try await PersonRecords.load(plan, person, on: db)
            let signatures = try await PlanSignature.query(on: db).filter(\.$plan.$id == planID).sort(\.$createdAt).sort(\.$id).all()
            let versions = try await Plan.query(on: db).filter(\.$seriesID == plan.seriesID).sort(\.$versionNumber, .descending).all()
            var changes: (Plan, [PlanComparison.SectionChange])?
            if let base = PersonRecords.lastSigned(before: plan, in: versions) {
                changes = (base, try await PersonRecords.changes(from: base, to: plan, on: db))
            }
            let copies = try await PlanDistribution.query(on: db).filter(\.$plan.$id == planID).sort(\.$sentOn).sort(\.$createdAt).all()
            let requests = try await ReviewRequest.query(on: db).filter(\.$plan.$id ~~ versions.compactMap(\.id)).sort(\.$requestedOn, .descending).all()
            let seen = try await records.markViewed(signatures, of: plan, at: now, on: db)
            return ((record, signatures, versions, changes, copies, requests), "plan overview with findings, signatures, versions, changes and copies" + seen)
        }
        let context = PlanViews.OverviewContext(findings: try record.findings(), signatures: signatures, versions: versions, changes: changes,
                                                copies: copies, reviewRequests: requests,
                                                mayWrite: records.policy.roleAllows(.writePlan), maySign: records.maySignOwn, refusal: refusal,
                                                today: records.today)
        let flash: String? = req.query[String.self, at: "saved"].map { _ in "Saved." } ?? req.query[String.self, at: "done"].flatMap { doneMessages[$0] }
        return Layout.page(req, title: "\(record.person.displayName): \(record.plan.type.shortLabel)", main: PlanViews.overview(req, record, context), flash: flash)
    }

    /// Runs a step of the plan's life from a form; a refusal (409, 422, 403) comes back as the overview
    /// with the reason at the top.
    static func comparePage(req: Request) async throws -> HTML {
        let planID = try req.uuidParameter("planID", what: "plan")
        let other = req.query[String.self, at: "with"].flatMap(UUID.init(uuidString:))
        let records = try req.records()
        let (plan, base, changes) = try await records.comparison(planID, with: other)
        return Layout.page(req, title: "What changed in version \(plan.versionNumber)", main: PlanViews.comparison(plan, base: base, changes: changes))
    }

    /// What a finished step says; the address carries only the key, never the words.
    static let doneMessages: [String: String] = [
        "submitted": "Sent for signatures. Each signer can now sign.",
        "withdrawn": "Taken back to draft. The signature requests were withdrawn.",
        "version": "New version started as a draft. The version in effect stays in effect until this one is signed.",
        "signed": "Signature recorded.",
        "declined": "Recorded that the plan was not signed.",
        "copy": "Copy recorded.",
        "review": "Review request recorded, with its due date.",
        "ended": "The plan has ended.",
    ]

    static func step(_ req: Request, done: String, _ body: (PersonRecords, UUID, FormBody) async throws -> UUID) async throws -> Response {
        let records = try req.records()
        let planID = try req.uuidParameter("planID", what: "plan")
        let form = try FormBody(req)
        do {
            let target = try await body(records, planID, form)
            return req.redirect(to: PlanPaths.overview(target.text) + "?done=" + done, redirectType: .normal)
        } catch let problem as Problem where [.conflict, .unprocessableEntity].contains(problem.status) {
            let page = try await overviewPage(req, planID: planID, refusal: problem)
            return try await PeoplePages.respond(page, status: problem.status, req: req)
        }
    }

    static func submit(req: Request) async throws -> Response {
        try await step(req, done: "submitted") { records, planID, _ in
            try await records.submitForSignatures(planID).0.id!
        }
    }

    static func withdraw(req: Request) async throws -> Response {
        try await step(req, done: "withdrawn") { records, planID, _ in
            try await records.withdrawFromSigning(planID).id!
        }
    }

    static func newVersion(req: Request) async throws -> Response {
        try await step(req, done: "version") { records, planID, form in
            try await records.startNewVersion(from: planID, form.asJSON(fields: ["reason", "planKind"])).id!
        }
    }

    static func signatureID(_ req: Request) throws -> UUID { try req.uuidParameter("signatureID", what: "signature request") }

    static func sign(req: Request) async throws -> Response {
        let id = try signatureID(req)
        return try await step(req, done: "signed") { records, planID, form in
            var input = form.asJSON(fields: ["method", "onBehalfOf", "hadSupport", "supportBy"], checkboxes: ["hadSupport"])
            if case .string("")? = input["onBehalfOf"] { input["onBehalfOf"] = nil }
            _ = try await records.sign(planID, signature: id, input)
            return planID
        }
    }

    static func decline(req: Request) async throws -> Response {
        let id = try signatureID(req)
        return try await step(req, done: "declined") { records, planID, form in
            _ = try await records.decline(planID, signature: id, reason: form.first("reason"))
            return planID
        }
    }

    // MARK: Sections

    static func sectionPage(req: Request) async throws -> HTML {
        let records = try req.records()
        let planID = try req.uuidParameter("planID", what: "plan")
        let (record, spec) = try await records.section(req.parameters.get("sectionKey") ?? "", of: planID, choices: true)
        let mayWrite = records.policy.roleAllows(.writePlan) && record.plan.frozenAt == nil && record.plan.planStatus == .draft
        return Layout.page(req, title: "\(spec.title) · \(record.person.displayName)'s plan",
                           main: PlanViews.section(req, record, spec: spec, findings: try record.findings(), mayWrite: mayWrite, errors: [], echo: nil),
                           flash: req.query[String.self, at: "saved"].map { saved in PlanSections.spec(saved).map { "Saved \($0.title)." } ?? "Saved." })
    }

    static func saveSection(req: Request) async throws -> Response {
        let records = try req.records()
        let planID = try req.uuidParameter("planID", what: "plan")
        let key = req.parameters.get("sectionKey") ?? ""
        guard let spec = PlanSections.spec(key) else { throw Problem.notFound("plan section") }
        let body = try FormBody(req)
        let submitted = SectionForm.content(from: body, spec: spec)
        let version = ETag.of(version: Int(body.first("version") ?? "") ?? -1)
        do {
            let (_, type) = try await records.saveSection(key, of: planID, SectionForm.removingDeleted(submitted, body: body, spec: spec), ifMatch: version)
            let order = PlanSections.sections(for: type).map(\.key)
            if body.first("then") == "next", let i = order.firstIndex(of: key) {
                let next = i + 1 < order.count ? PlanPaths.section(planID.text, order[i + 1]) : PlanPaths.overview(planID.text)
                return req.redirect(to: next + "?saved=" + key, redirectType: .normal)
            }
            return req.redirect(to: PlanPaths.section(planID.text, key) + "?saved=" + key, redirectType: .normal)
        } catch let problem as Problem where problem.status == .unprocessableEntity || problem.status == .preconditionFailed {
            let stale = problem.status == .preconditionFailed
            let (record, _) = try await records.section(key, of: planID, choices: true)
            let errors = stale ? [FieldError("version", "Someone else saved this section while you were editing. Your changes were not saved; the form shows the latest version.")] : problem.errors
            let page = Layout.page(req, title: "\(spec.title) · \(record.person.displayName)'s plan",
                                   main: PlanViews.section(req, record, spec: spec, findings: try record.findings(), mayWrite: true, errors: errors,
                                                           echo: stale ? nil : SectionForm.removingDeleted(submitted, body: body, spec: spec)))
            return try await PeoplePages.respond(page, status: stale ? .conflict : .unprocessableEntity, req: req)
        }
    }

    // MARK: The list on the person's page

    static func planList(_ plans: [Plan], personID: String, mayWrite: Bool) -> HTML {
        let rows = plans.map { plan -> HTML in
            """
            <tr><td><a href="\(PlanPaths.overview(plan.id!.text))">\(plan.type.label)</a></td><td>\(plan.kind.label)</td>
            <td>\(plan.planStatus.label)</td><td>\(plan.meetingDate ?? "Not set")</td>
            <td>\(plan.effectiveStart ?? "?") to \(plan.effectiveEnd ?? "?")</td></tr>
            """
        }
        return """
        <section aria-labelledby="plans">
        <h2 id="plans">Support plans</h2>
        \(plans.isEmpty ? HTML("<p>No plan has been started yet.</p>") : """
        <div class="table-wrap"><table>
        <caption>Plans, newest first</caption>
        <thead><tr><th scope="col">Plan</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Planning meeting</th><th scope="col">Plan period</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table></div>
        """)
        \(mayWrite ? HTML("<p><a class=\"button secondary\" href=\"/people/\(personID)/plans/new\">Start a plan</a></p>") : .empty)
        </section>
        """
    }
}

/// Turns the section form back into section content. Fields are named by path: `backupPlan` at the
/// top, `risks.0.mitigation` in the first entry of a list.
enum SectionForm {
    static func content(from body: FormBody, spec: SectionSpec) -> SectionContent {
        var content: SectionContent = [:]
        for field in spec.fields {
            if field.isList {
                var entries: [JSONValue] = []
                for index in indices(of: field.key, in: body) {
                    var entry: SectionContent = [:]
                    for sub in field.entryFields {
                        let name = "\(field.key).\(index).\(sub.key)"
                        if case .weekdays = sub.kind {
                            // One value per ticked day; none ticked sends nothing, which clears the days.
                            entry[sub.key] = .string(body.all(name).joined(separator: ","))
                        } else if let value = body.first(name) { entry[sub.key] = .string(value) }
                    }
                    if body.first("\(field.key).\(index)._remove") == "true" { entry["_remove"] = .bool(true) }
                    entries.append(.object(entry))
                }
                content[field.key] = .array(entries)
            } else if let value = body.first(field.key) {
                content[field.key] = .string(value)
            }
        }
        return content
    }

    /// The entry positions a form sent for a list, in order.
    static func indices(of list: String, in body: FormBody) -> [Int] {
        let prefix = list + "."
        var seen = Set<Int>()
        for (name, _) in body.pairs where name.hasPrefix(prefix) {
            if let part = name.dropFirst(prefix.count).split(separator: ".").first, let index = Int(part) { seen.insert(index) }
        }
        return seen.sorted()
    }

    /// Drops the entries the person ticked "Remove", so the saved list and any error positions agree.
    static func removingDeleted(_ content: SectionContent, body: FormBody, spec: SectionSpec) -> SectionContent {
        var result = content
        for field in spec.fields where field.isList {
            let kept = content.entries(field.key).filter { $0["_remove"] == nil }
            result[field.key] = .array(kept.map(JSONValue.object))
        }
        return result
    }
}

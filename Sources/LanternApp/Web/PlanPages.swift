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
            let plan = try await records.createPlan(for: personID, body.asJSON(fields: detailFields.subtracting(["status"])))
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
        let records = try req.records()
        let record = try await records.planRecord(try req.uuidParameter("planID", what: "plan"), note: "plan overview with findings")
        let findings = try record.findings()
        return Layout.page(req, title: "\(record.person.displayName): \(record.plan.type.shortLabel)",
                           main: PlanViews.overview(req, record, findings: findings, mayWrite: records.policy.roleAllows(.writePlan)),
                           flash: req.query[String.self, at: "saved"].map { _ in "Saved." })
    }

    // MARK: Sections

    static func sectionPage(req: Request) async throws -> HTML {
        let records = try req.records()
        let planID = try req.uuidParameter("planID", what: "plan")
        let (record, spec) = try await records.section(req.parameters.get("sectionKey") ?? "", of: planID)
        let mayWrite = records.policy.roleAllows(.writePlan) && record.plan.frozenAt == nil
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
            let (record, _) = try await records.section(key, of: planID)
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
                        if let value = body.first("\(field.key).\(index).\(sub.key)") { entry[sub.key] = .string(value) }
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

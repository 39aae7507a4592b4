import Vapor

/// How the plan pages look: the overview, the plan details form, and each section as an editor (for
/// those who write the plan) or as a read-only page (for everyone else who may see it).
enum PlanViews {
    // MARK: Plan details

    static func detailsForm(_ req: Request, person: Person, plan: Plan?, errors: [FieldError], echo: FormBody?) -> HTML {
        let creating = plan == nil
        func v(_ name: String, _ model: String?) -> String? { echo?.first(name) ?? model }
        let action = plan.map { PlanPaths.details($0.id!.text) } ?? "/people/\(person.id!.text)/plans"
        let cancel = plan.map { PlanPaths.overview($0.id!.text) } ?? "/people/\(person.id!.text)#plans"
        let typeField: HTML = creating
            ? Form.select("planType", "Plan type", PlanType.self, value: v("planType", nil), errors: errors,
                          hint: "Missouri ISP, the federal HCBS plan, a California IPP, or an Early Start IFSP for a child under 3.", required: true)
            : "<p><strong>Plan type:</strong> \(plan!.type.label)</p>"
        return """
        <h1>\(creating ? "Start a plan for \(person.displayName)" : "Plan details for \(person.displayName)")</h1>
        \(Form.editorStart(req, action: action, version: plan?.version, errors: errors))
        \(typeField)
        \(Form.select("planKind", "Kind of plan", PlanKind.self, value: v("planKind", plan?.planKind), errors: errors, required: true))
        \(Form.text("meetingDate", "Date of the planning meeting", value: v("meetingDate", plan?.meetingDate), errors: errors, hint: "Ages in the rules are counted on this day.", type: "date"))
        \(Form.text("effectiveStart", "Plan starts", value: v("effectiveStart", plan?.effectiveStart), errors: errors, type: "date"))
        \(Form.text("effectiveEnd", "Plan ends", value: v("effectiveEnd", plan?.effectiveEnd), errors: errors, hint: "At most 12 months after the start for an ISP, an HCBS plan or an IFSP; 3 years for an IPP.", type: "date"))
        \(Form.text("implementationDate", "Date of implementation", value: v("implementationDate", plan?.implementationDate), errors: errors, type: "date"))
        \(Form.text("nextReviewDate", "Next review", value: v("nextReviewDate", plan?.nextReviewDate), errors: errors, hint: "An IFSP is reviewed at least every 6 months.", type: "date"))
        \(Form.text("planningLanguage", "Language the plan was written in", value: v("planningLanguage", plan?.planningLanguage ?? (creating ? person.primaryLanguage : nil)), errors: errors))
        <div class="actions">
        <button type="submit">\(creating ? "Start the plan" : "Save plan details")</button>
        <a href="\(cancel)">Cancel</a>
        </div>
        </form>
        """
    }

    // MARK: Overview

    /// What the overview shows besides the plan itself.
    struct OverviewContext {
        var findings: [Finding]
        var signatures: [PlanSignature]
        var versions: [Plan]
        /// The last signed version before this one, and what changed since.
        var changes: (Plan, [PlanComparison.SectionChange])?
        var copies: [PlanDistribution]
        var reviewRequests: [ReviewRequest]
        var mayWrite: Bool
        var maySign: (PlanSignature) -> Bool
        var refusal: Problem?
        var today: CalendarDate
    }

    static func overview(_ req: Request, _ record: PlanRecord, _ context: OverviewContext) -> HTML {
        let findings = context.findings, mayWrite = context.mayWrite
        let plan = record.plan, person = record.person, id = plan.id!.text
        let isDraft = plan.planStatus == .draft && plan.frozenAt == nil
        let specs = record.specs
        let completeKeys = record.completeSections(findings)
        let done = completeKeys.count
        let required = findings.filter { $0.severity == .required }.count
        let bySection = Dictionary(grouping: findings) { $0.section ?? "" }
        let groups: [HTML] = ([""] + specs.map(\.key)).compactMap { key in
            guard let items = bySection[key] else { return nil }
            let title = key.isEmpty ? "Plan details" : (PlanSections.spec(key)?.title ?? key)
            return """
            <h3>\(title)</h3>
            <ul class="findings">\(items.map { findingItem($0, planID: id, mayWrite: mayWrite && isDraft) })</ul>
            """
        }
        let sectionItems = specs.enumerated().map { index, spec -> HTML in
            let row = record.sections[spec.key]
            let state: HTML = completeKeys.contains(spec.key) ? "<span class=\"status done\">Complete</span>"
                : spec.isComplete(row?.content) ? "<span class=\"status todo\">Written, but the rules ask for more</span>"
                : row == nil ? "<span class=\"status todo\">Not started</span>" : "<span class=\"status todo\">Started, not finished</span>"
            return "<li><a href=\"\(PlanPaths.section(id, spec.key))\">\(index + 1). \(spec.title)</a>: \(state)</li>"
        }
        let missing = required == 0 && findings.isEmpty
            ? HTML("<p>Nothing is missing: every rule of the \(plan.type.shortLabel) pack is met.</p>")
            : HTML("<p>\(required) required \(required == 1 ? "item is" : "items are") missing, and \(findings.count - required) recommended. Each links to where to fix it.</p>\(groups)")
        let refusal: HTML = context.refusal.map { problem in
            """
            <div class="error-summary" role="alert" tabindex="-1" id="error-summary">
            <h2>\(problem.title)</h2>
            <p>\(problem.detail)</p>
            \(problem.errors.isEmpty ? HTML.empty : HTML("<ul>\(problem.errors.map { HTML("<li>\($0.message)</li>") })</ul>"))
            </div>
            """
        } ?? .empty
        return """
        \(refusal)
        <h1>\(person.displayName): \(plan.type.label)</h1>
        <p><a href="/people/\(person.id!.text)#plans">Back to \(person.displayName)'s page</a></p>
        <section aria-labelledby="details">
        <h2 id="details">Plan details</h2>
        <dl class="facts">
        \(Views.fact("Kind", plan.kind.label))
        \(Views.fact("Status", plan.planStatus.label + (plan.frozenAt != nil ? " (frozen: this version can no longer change)" : "")))
        \(plan.endedOn.map { Views.fact("Ended", "\($0)" + (plan.endReason.map { ": " + $0 } ?? "")) } ?? .empty)
        \(Views.fact("Planning meeting", plan.meetingDate))
        \(Views.fact("Plan period", plan.effectiveStart.map { "\($0) to \(plan.effectiveEnd ?? "not set")" }))
        \(Views.fact("Date of implementation", plan.implementationDate))
        \(Views.fact("Next review", plan.nextReviewDate))
        \(Views.fact("Language of the plan", plan.planningLanguage))
        \(Views.fact("Version", "\(plan.versionNumber)" + (plan.changeReason.map { " (why: \($0))" } ?? "")))
        </dl>
        \(mayWrite && isDraft ? HTML("<p><a class=\"button secondary\" href=\"\(PlanPaths.details(id))\">Edit plan details</a></p>") : .empty)
        <p><a href="\(ServicePaths.budget(id))">Budget: \(Money.text(record.budget.total)) for paid services</a></p>
        </section>
        \(lifecycle(req, record, context))
        \(PlanFollowUpViews.documents(plan, mayWrite: mayWrite))
        \(plan.planStatus == .draft ? HTML.empty : PlanFollowUpViews.copies(req, plan, copies: context.copies,
                                                                       owed: PersonRecords.copiesOwed(plan, signatures: context.signatures, circle: record.circle, copies: context.copies),
                                                                       mayWrite: mayWrite, today: context.today))
        \(PlanFollowUpViews.reviews(req, plan, requests: context.reviewRequests, mayWrite: mayWrite, today: context.today))
        <section aria-labelledby="progress">
        <h2 id="progress">Progress</h2>
        <p id="progress-text">\(done) of \(specs.count) sections complete.</p>
        <progress max="\(specs.count)" value="\(done)" aria-labelledby="progress-text">\(done) of \(specs.count)</progress>
        </section>
        <section aria-labelledby="missing">
        <h2 id="missing">What is missing</h2>
        \(missing)
        </section>
        <section aria-labelledby="sections">
        <h2 id="sections">Sections</h2>
        <ol class="section-list" role="list">\(sectionItems)</ol>
        </section>
        """
    }

    // MARK: Signatures and versions

    static func lifecycle(_ req: Request, _ record: PlanRecord, _ c: OverviewContext) -> HTML {
        let plan = record.plan, id = plan.id!.text
        let required = c.findings.filter { $0.severity == .required }.count
        var actions: [HTML] = []
        if c.mayWrite {
            switch plan.planStatus {
            case .draft:
                actions.append("""
                <form method="post" action="/plans/\(id)/submit" class="actions">\(Form.csrf(req))
                <button type="submit">Send for signatures</button>
                \(required > 0 ? HTML("<span class=\"hint\">\(required) required \(required == 1 ? "item is" : "items are") still missing; fix them first.</span>") : .empty)
                </form>
                """)
            case .awaitingSignatures:
                actions.append("""
                <form method="post" action="/plans/\(id)/withdraw" class="actions">\(Form.csrf(req))
                <button type="submit" class="secondary">Take back to draft to change it</button>
                <span class="hint">The signature requests are withdrawn; signatures already given no longer count.</span>
                </form>
                """)
            case .active, .ended:
                if let open = c.versions.first(where: { [.draft, .awaitingSignatures].contains($0.planStatus) }) {
                    actions.append("<p>Version \(open.versionNumber) is \(open.planStatus.label.lowercased()): <a href=\"\(PlanPaths.overview(open.id!.text))\">open version \(open.versionNumber)</a>.</p>")
                    break
                }
                actions.append("""
                <form method="post" action="/plans/\(id)/versions" novalidate>\(Form.csrf(req))
                <h3>Start a new version</h3>
                <p class="hint">For an amendment when life changes, a review the person asked for, or next year's plan. It starts as a copy of this version; this version stays in effect until the new one is signed.</p>
                \(Form.text("reason", "Why a new version (required)", value: nil, errors: [], multiline: true))
                \(Form.select("planKind", "Kind of plan", PlanKind.self, value: PlanKind.update.rawValue, errors: [], hint: "Choose Annual for next year's plan: its review of the past year starts from this year's outcomes and progress.", includeBlank: false))
                <div class="actions"><button type="submit">Start a new version</button></div>
                </form>
                """)
                if plan.planStatus == .active { actions.append(PlanFollowUpViews.endForm(req, plan, today: c.today)) }
            case .superseded:
                break
            }
        }
        let rows = c.signatures.map { s -> HTML in
            var details: [String] = []
            if let at = s.signedAt { details.append("Signed \(CalendarDate(at)) " + (s.method.flatMap { SignatureMethod(rawValue: $0)?.label.lowercased() } ?? "")) }
            if let behalf = s.onBehalfOf { details.append("on behalf of \(behalf)") }
            if s.hadSupport == true { details.append("with support from \(s.supportBy ?? "someone")") }
            if let why = s.declineReason { details.append("Reason: \(why)") }
            return "<tr><td>\(s.signerName)</td><td>\(s.signerRole.label)</td><td>\(s.signatureStatus.label)</td><td>\(details.joined(separator: "; "))</td></tr>"
        }
        let open = plan.planStatus == .awaitingSignatures ? c.signatures.filter { [.requested, .viewed].contains($0.signatureStatus) } : []
        let forms = open.compactMap { s -> HTML? in signatureForms(req, plan: id, s, own: c.maySign(s), mayRecord: c.mayWrite) }
        let table: HTML = c.signatures.isEmpty ? HTML("<p>This version has not been sent for signatures.</p>") : """
        <div class="table-wrap"><table>
        <caption>Who signs version \(plan.versionNumber)</caption>
        <thead><tr><th scope="col">Signer</th><th scope="col">Signs as</th><th scope="col">Status</th><th scope="col">Details</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table></div>
        \(plan.contentDigest.map { HTML("<p class=\"hint\">Every signature is tied to this exact version by its SHA-256 digest: <code>\($0)</code></p>") } ?? .empty)
        """
        let versionItems = c.versions.map { v -> HTML in
            let current: HTML = v.id == plan.id ? " (this version)" : .empty
            return "<li><a href=\"\(PlanPaths.overview(v.id!.text))\">Version \(v.versionNumber)</a>\(current): \(v.planStatus.label)\(v.changeReason.map { " · why: " + $0 } ?? "")</li>"
        }
        let changeSummary: HTML = c.changes.map { base, changes in
            let items = changes.map { HTML("<li>\($0.title): \(changeWord($0.change))\($0.fields.isEmpty ? "" : " (\($0.fields.count) \($0.fields.count == 1 ? "change" : "changes"))")</li>") }
            return """
            <h3>Changes since version \(base.versionNumber), the last signed version</h3>
            \(changes.isEmpty ? HTML("<p>Nothing has changed yet.</p>") : HTML("<ul>\(items)</ul>"))
            <p><a href="\(PlanPaths.overview(id))/compare?with=\(base.id!.text)">See exactly what changed<span class="visually-hidden"> since version \(base.versionNumber)</span></a></p>
            """
        } ?? .empty
        return """
        <section aria-labelledby="signing">
        <h2 id="signing">Signatures</h2>
        \(table)
        \(forms)
        \(actions)
        </section>
        <section aria-labelledby="versions">
        <h2 id="versions">Versions</h2>
        <ul>\(versionItems)</ul>
        \(changeSummary)
        </section>
        """
    }

    static func changeWord(_ change: PlanComparison.Change) -> String {
        switch change {
        case .added: "added"
        case .removed: "removed"
        case .changed: "changed"
        }
    }

    /// What changed between two versions, section by section. Changed words are marked with ins and
    /// del, and also said in words, since screen readers do not announce those elements by default.
    static func comparison(_ plan: Plan, base: Plan?, changes: [PlanComparison.SectionChange]) -> HTML {
        let id = plan.id!.text
        guard let base else {
            return """
            <h1>What changed in version \(plan.versionNumber)</h1>
            <p>There is no earlier signed version to compare with.</p>
            <p><a href="\(PlanPaths.overview(id))">Back to the plan</a></p>
            """
        }
        let sections = changes.map { section -> HTML in
            let fields = section.fields.map { f -> HTML in
                let words = f.words.map { run -> HTML in
                    switch run.kind {
                    case .same: return "\(run.text) "
                    case .added: return "<ins><span class=\"visually-hidden\">[added: </span>\(run.text)<span class=\"visually-hidden\">]</span></ins> "
                    case .removed: return "<del><span class=\"visually-hidden\">[removed: </span>\(run.text)<span class=\"visually-hidden\">]</span></del> "
                    }
                }
                return "<li><strong>\(f.label)</strong> (\(changeWord(f.change))): \(words)</li>"
            }
            return """
            <section aria-labelledby="change-\(section.key)">
            <h2 id="change-\(section.key)">\(section.title): \(changeWord(section.change))</h2>
            <ul class="changes">\(fields)</ul>
            </section>
            """
        }
        return """
        <h1>What changed in version \(plan.versionNumber)</h1>
        <p>Compared with version \(base.versionNumber) (\(base.planStatus.label.lowercased())). <a href="\(PlanPaths.overview(id))">Back to version \(plan.versionNumber)</a></p>
        \(changes.isEmpty ? HTML("<p>The two versions say the same.</p>") : HTML.join(sections))
        """
    }

    /// Forms to answer one open signature request: sign or decline with one's own account, or (for the
    /// coordinator) record a signature given in person or on paper.
    static func signatureForms(_ req: Request, plan: String, _ s: PlanSignature, own: Bool, mayRecord: Bool) -> HTML? {
        guard own || mayRecord else { return nil }
        let sid = s.id!.text
        let base = "/plans/\(plan)/signatures/\(sid)"
        func supportFields(_ prefix: String) -> HTML {
            """
            <fieldset class="field"><legend>Support to sign</legend>
            <div class="checkbox"><input id="\(prefix)-hadSupport" name="hadSupport" type="checkbox" value="true"><label for="\(prefix)-hadSupport">Had support to understand and sign</label></div>
            </fieldset>
            <div class="field"><label for="\(prefix)-supportBy">Who helped (if someone did)</label><input id="\(prefix)-supportBy" name="supportBy" type="text"></div>
            """
        }
        let signForm: HTML = own ? """
        <form method="post" action="\(base)/sign" class="card">\(Form.csrf(req))
        <h3>Sign as \(s.signerName)</h3>
        <p>By signing you agree to this version of the plan. \(s.reason) <span class="citation">Source: \(s.citation)</span></p>
        <input type="hidden" name="method" value="own_account">
        \(supportFields("own-\(sid)"))
        <div class="actions"><button type="submit">Sign this plan</button></div>
        </form>
        """ : """
        <details class="card"><summary>Record the signature of \(s.signerName) (\(s.signerRole.label))</summary>
        <form method="post" action="\(base)/sign">\(Form.csrf(req))
        <div class="field"><label for="rec-\(sid)-method">How they signed</label>
        <select id="rec-\(sid)-method" name="method"><option value="in_person">\(SignatureMethod.inPerson.label)</option><option value="paper_scanned">\(SignatureMethod.paperScanned.label)</option></select></div>
        <div class="field"><label for="rec-\(sid)-onBehalfOf">On whose behalf (if they sign for someone)</label><input id="rec-\(sid)-onBehalfOf" name="onBehalfOf" type="text"></div>
        \(supportFields("rec-\(sid)"))
        <div class="actions"><button type="submit">Record signature</button></div>
        </form>
        </details>
        """
        let declineForm: HTML = """
        <details class="card"><summary>\(own ? "Do not sign" : "Record that \(s.signerName) does not sign")</summary>
        <form method="post" action="\(base)/decline">\(Form.csrf(req))
        <div class="field"><label for="dec-\(sid)-reason">Why not (required)</label><textarea id="dec-\(sid)-reason" name="reason" rows="3"></textarea></div>
        <div class="actions"><button type="submit" class="secondary">\(own ? "Decline to sign" : "Record that they decline")</button></div>
        </form>
        </details>
        """
        return "\(signForm)\(declineForm)"
    }

    static func findingItem(_ f: Finding, planID: String, mayWrite: Bool) -> HTML {
        let severity: HTML = f.severity == .required ? "<span class=\"severity required\">Required</span> " : "<span class=\"severity recommended\">Recommended</span> "
        let fix: HTML = mayWrite ? " <a href=\"\(PlanPaths.fix(planID: planID, finding: f))\">Fix this<span class=\"visually-hidden\">: \(f.message)</span></a>" : .empty
        return "<li>\(severity)\(f.message)\(fix) <span class=\"citation\">Source: \(f.citation)</span></li>"
    }

    // MARK: One section

    static func section(_ req: Request, _ record: PlanRecord, spec: SectionSpec, findings: [Finding], mayWrite: Bool,
                        errors: [FieldError], echo: SectionContent?) -> HTML {
        let plan = record.plan, id = plan.id!.text
        let order = record.specs
        let position = (order.firstIndex { $0.key == spec.key } ?? 0)
        let row = record.sections[spec.key]
        let content = echo ?? row?.content ?? [:]
        let here = findings.filter { $0.section == spec.key }
        let previous: HTML = position > 0
            ? "<a href=\"\(PlanPaths.section(id, order[position - 1].key))\">Previous: \(order[position - 1].title)</a>" : "<span></span>"
        let next: HTML = position + 1 < order.count
            ? "<a href=\"\(PlanPaths.section(id, order[position + 1].key))\">Next: \(order[position + 1].title)</a>" : "<a href=\"\(PlanPaths.overview(id))\">Back to the plan overview</a>"
        let findingList: HTML = here.isEmpty ? .empty : """
        <div class="card" role="region" aria-labelledby="section-findings">
        <h2 id="section-findings">What the rules still need here</h2>
        <ul class="findings">\(here.map { findingItem($0, planID: id, mayWrite: false) })</ul>
        </div>
        """
        let fromRecord: HTML = spec.key == "legal" ? legalFacts(record) : .empty
        let body: HTML = mayWrite ? editor(req, record, spec: spec, content: content, version: row?.version ?? 0, errors: errors, isLast: position + 1 == order.count)
            : readOnly(spec, content: content, names: record.names)
        return """
        <p><a href="\(PlanPaths.overview(id))">\(record.person.displayName)'s \(plan.type.shortLabel)</a>: section \(position + 1) of \(order.count). \(record.completeSections(findings).count) of \(order.count) sections complete.</p>
        <h1>\(spec.title)</h1>
        <p class="purpose">\(spec.purpose)</p>
        \(findingList)
        \(fromRecord)
        \(body)
        <nav class="section-nav" aria-label="Sections">\(previous)\(next)</nav>
        """
    }

    /// Legal status, court restrictions and representatives come from the person's record, so the plan
    /// always shows what the record says; the team confirms they reviewed it.
    static func legalFacts(_ record: PlanRecord) -> HTML {
        let p = record.person
        let representatives = record.circle.filter(\.hasLegalAuthority)
            .map { "\($0.name) (\(Views.label(Relationship.self, $0.relationship))\($0.authorityScope.map { ": " + $0 } ?? ""))" }
        return """
        <div class="card">
        <h2>From \(p.displayName)'s record</h2>
        <dl class="facts">
        \(Views.fact("Legal status", Views.label(LegalStatus.self, p.legalStatus)))
        \(Views.fact("Court restrictions", p.courtRestrictions ?? "None recorded"))
        \(Views.fact("Legal representative", representatives.isEmpty ? "None" : representatives.joined(separator: "; ")))
        </dl>
        <p><a href="/people/\(p.id!.text)">Change these on \(p.displayName)'s page</a></p>
        </div>
        """
    }

    static func editor(_ req: Request, _ record: PlanRecord, spec: SectionSpec, content: SectionContent, version: Int, errors: [FieldError], isLast: Bool) -> HTML {
        let id = record.plan.id!.text
        let options = EditorOptions(record, editing: content)
        let fields = spec.fields.map { field -> HTML in
            if field.isList { return listEditor(field, entries: content.entries(field.key), options: options, errors: errors) }
            return control(field, path: field.key, value: content[field.key], options: options, errors: errors, topLevel: true)
        }
        return """
        \(Form.editorStart(req, action: PlanPaths.section(id, spec.key), version: version, errors: errors))
        \(fields)
        <div class="actions">
        <button type="submit" name="then" value="stay">Save</button>
        <button type="submit" name="then" value="next" class="secondary">\(isLast ? "Save and go to the overview" : "Save and go to the next section")</button>
        </div>
        </form>
        """
    }

    /// A list: each entry in its own fieldset, then one empty entry to add another.
    /// The choices of the fields that point at something: circle members, providers, the plan's outcomes.
    struct EditorOptions {
        var circle: [(String, String)]
        var organizations: [(String, String)]
        /// Entries another field may point at, by list: the plan's outcomes and needs.
        var references: [String: [(String, String)]] = [:]
        var catalogue: [(String, String)]
        init(_ record: PlanRecord, editing content: SectionContent) {
            circle = record.circle.map { ($0.id!.text, "\($0.name) (\(Views.label(Relationship.self, $0.relationship)))") }
            organizations = record.organizations.map { ($0.id!.text, $0.name) }
            catalogue = record.catalogueNames.map { ($0.code, "\($0.name) (\($0.code))") }
            func short(_ text: String) -> String { text.count > 90 ? String(text.prefix(89)) + "…" : text }
            // In the section that holds a list, the choices are the entries on the form; elsewhere, the plan's.
            for (section, list, textKey) in [("outcomes", "outcomes", "outcome"), ("important-for", "needs", "need")] {
                let source = content[list] != nil ? content : record.content(section)
                references[list] = source.entries(list).compactMap { e in
                    guard let id = e.text("id"), let text = e.text(textKey) else { return nil }
                    return (id, short(text))
                }
            }
        }
    }

    static func listEditor(_ field: FieldSpec, entries: [SectionContent], options: EditorOptions, errors: [FieldError]) -> HTML {
        var rows = entries.filter { $0["_remove"] == nil }
        if rows.last.map({ !$0.isEmpty && $0.values.contains { $0 != .string("") } }) ?? true { rows.append([:]) }
        let listError = errors.first { $0.field == field.key }?.message
        let fieldsets = rows.enumerated().map { index, entry -> HTML in
            let path = "\(field.key).\(index)"
            let isBlank = entry.values.allSatisfy { $0 == .string("") }
            let legend = isBlank ? "New entry in \(field.label)" : "\(field.label): entry \(index + 1)"
            let controls = field.entryFields.map { sub in control(sub, path: "\(path).\(sub.key)", value: entry[sub.key], options: options, errors: errors, topLevel: false) }
            let remove: HTML = isBlank ? .empty : """
            <div class="checkbox"><input id="\(Form.fieldID(path))-remove" name="\(path)._remove" type="checkbox" value="true"><label for="\(Form.fieldID(path))-remove">Remove this entry when saving</label></div>
            """
            return """
            <fieldset class="entry" id="\(Form.fieldID(path))">
            <legend>\(legend)</legend>
            \(controls)
            \(remove)
            </fieldset>
            """
        }
        return """
        <div class="list-field" id="\(Form.fieldID(field.key))">
        <h2>\(field.label)\(field.required ? " (needed)" : "")</h2>
        \(listError.map { HTML("<p class=\"field-error\"><span class=\"visually-hidden\">Error: </span>\($0)</p>") } ?? .empty)
        <p class="hint">Fill in the empty entry to add one. After saving, a new empty entry appears.</p>
        \(fieldsets)
        </div>
        """
    }

    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case let .string(s)?: return s
        case let .bool(b)?: return b ? "true" : "false"
        case let .number(n)?: return SectionSpec.plain(n)
        default: return nil
        }
    }

    /// One field of a section, by kind. `topLevel` fields marked required are needed for the section to
    /// count as written; entry fields marked required are needed for the entry to be saved.
    static func control(_ field: FieldSpec, path: String, value: JSONValue?, options: EditorOptions, errors: [FieldError], topLevel: Bool) -> HTML {
        let label = field.label + (field.required ? (topLevel ? " (needed)" : " (required)") : "")
        let current = text(value)
        switch field.kind {
        case .line:
            return Form.text(path, label, value: current, errors: errors, hint: field.hint)
        case .paragraph:
            return Form.text(path, label, value: current, errors: errors, hint: field.hint, multiline: true)
        case .date:
            return Form.text(path, label, value: current, errors: errors, hint: field.hint ?? "For example 2026-03-14.", type: "date")
        case .yesNo:
            return yesNo(path, label, value: current, errors: errors, hint: field.hint)
        case let .choice(choices):
            return choose(path, label, options: choices.map { ($0.value, $0.label) }, value: current, errors: errors, hint: field.hint)
        case .circleMember:
            return choose(path, label, options: options.circle, value: current, errors: errors,
                          hint: options.circle.isEmpty ? "No one is in the circle of support yet. Add people on the person's page first." : field.hint)
        case .organization:
            return choose(path, label, options: options.organizations, value: current, errors: errors,
                          hint: options.organizations.isEmpty ? "No provider organisation is in Lantern yet. An administrator adds them." : field.hint)
        case let .reference(list):
            return choose(path, label, options: options.references[list] ?? [], value: current, errors: errors,
                          hint: field.hint ?? "A new entry can be chosen here once it is saved.")
        case .catalogued:
            return choose(path, label, options: options.catalogue, value: current, errors: errors,
                          hint: options.catalogue.isEmpty ? "The service catalogue is empty. An administrator adds services to it." : field.hint)
        case .weekdays:
            return weekdays(path, label, value: current, errors: errors, hint: field.hint)
        case .time:
            return Form.text(path, label, value: current, errors: errors, hint: field.hint ?? "For example 09:30.", type: "time")
        case .entryID:
            // Kept with the entry so its history (progress recorded against it) follows it.
            return current.map { "<input type=\"hidden\" name=\"\(path)\" value=\"\($0)\">" } ?? .empty
        case .number:
            return Form.text(path, label, value: current, errors: errors, hint: field.hint, inputMode: "decimal")
        case .list:
            return .empty
        }
    }

    static func choose(_ name: String, _ label: String, options: [(String, String)], value: String?, errors: [FieldError], hint: String?) -> HTML {
        let error = errors.first { $0.field == name }?.message
        let described = [hint.map { _ in Form.fieldID(name) + "-hint" }, error.map { _ in Form.fieldID(name) + "-error" }].compactMap { $0 }
        let items: [HTML] = [HTML("<option value=\"\">Choose…</option>")] + options.map { option in
            "<option value=\"\(option.0)\"\(option.0 == value ? HTML(unsafeRaw: " selected") : .empty)>\(option.1)</option>"
        }
        return """
        <div class="field\(error != nil ? HTML(unsafeRaw: " has-error") : .empty)">
        <label for="\(Form.fieldID(name))">\(label)</label>
        \(hint.map { HTML("<p class=\"hint\" id=\"\(Form.fieldID(name))-hint\">\($0)</p>") } ?? .empty)
        \(error.map { HTML("<p class=\"field-error\" id=\"\(Form.fieldID(name))-error\"><span class=\"visually-hidden\">Error: </span>\($0)</p>") } ?? .empty)
        <select id="\(Form.fieldID(name))" name="\(name)"\(error != nil ? HTML(unsafeRaw: " aria-invalid=\"true\"") : .empty)\(described.isEmpty ? HTML.empty : " aria-describedby=\"\(described.joined(separator: " "))\"")>\(items)</select>
        </div>
        """
    }

    /// Days of the week as checkboxes in a fieldset; the form sends each ticked day under the same name.
    static func weekdays(_ name: String, _ label: String, value: String?, errors: [FieldError], hint: String?) -> HTML {
        let error = errors.first { $0.field == name }?.message
        let base = Form.fieldID(name)
        let ticked = value.flatMap(Weekday.parse) ?? []
        let boxes = Weekday.allCases.map { day -> HTML in
            "<div class=\"checkbox\"><input id=\"\(base)-\(day.rawValue)\" name=\"\(name)\" type=\"checkbox\" value=\"\(day.rawValue)\"\(ticked.contains(day) ? HTML(unsafeRaw: " checked") : .empty)><label for=\"\(base)-\(day.rawValue)\">\(day.label)</label></div>"
        }
        return """
        <fieldset class="field days\(error != nil ? HTML(unsafeRaw: " has-error") : .empty)" id="\(base)">
        <legend>\(label)</legend>
        \(hint.map { HTML("<p class=\"hint\">\($0)</p>") } ?? .empty)
        \(error.map { HTML("<p class=\"field-error\"><span class=\"visually-hidden\">Error: </span>\($0)</p>") } ?? .empty)
        \(boxes)
        </fieldset>
        """
    }

    /// Yes, no, or not answered yet: radios in a fieldset, so a screen reader hears the question first.
    static func yesNo(_ name: String, _ label: String, value: String?, errors: [FieldError], hint: String?) -> HTML {
        let error = errors.first { $0.field == name }?.message
        let base = Form.fieldID(name)
        func radio(_ v: String, _ text: String) -> HTML {
            "<div class=\"checkbox\"><input id=\"\(base)-\(v)\" name=\"\(name)\" type=\"radio\" value=\"\(v)\"\(value == v ? HTML(unsafeRaw: " checked") : .empty)><label for=\"\(base)-\(v)\">\(text)</label></div>"
        }
        return """
        <fieldset class="field\(error != nil ? HTML(unsafeRaw: " has-error") : .empty)" id="\(base)">
        <legend>\(label)</legend>
        \(hint.map { HTML("<p class=\"hint\">\($0)</p>") } ?? .empty)
        \(error.map { HTML("<p class=\"field-error\"><span class=\"visually-hidden\">Error: </span>\($0)</p>") } ?? .empty)
        \(radio("true", "Yes"))
        \(radio("false", "No"))
        </fieldset>
        """
    }

    // MARK: Read-only

    static func readOnly(_ spec: SectionSpec, content: SectionContent, names: [String: String], headingLevel: Int = 2) -> HTML {
        if content.isEmpty { return "<p>This section has not been written yet.</p>" }
        let shown = PlanComparison.Display(names: names)
        let parts = spec.fields.map { field -> HTML in
            if field.isList {
                let entries = content.entries(field.key)
                let items = entries.map { entry -> HTML in
                    "<li><dl class=\"facts\">\(field.entryFields.compactMap { sub in shown(sub, entry[sub.key]).map { Views.fact(sub.label, $0) } })</dl></li>"
                }
                return "<h\(headingLevel)>\(field.label)</h\(headingLevel)>\(entries.isEmpty ? HTML("<p>None recorded.</p>") : HTML("<ul>\(items)</ul>"))"
            }
            return "<dl class=\"facts\">\(Views.fact(field.label, shown(field, content[field.key])))</dl>"
        }
        return HTML.join(parts)
    }
}

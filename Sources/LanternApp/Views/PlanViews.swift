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
        let statusField: HTML = creating ? .empty
            : Form.select("status", "Status", PlanStatus.self, value: v("status", plan!.status), errors: errors, includeBlank: false)
        return """
        <h1>\(creating ? "Start a plan for \(person.displayName)" : "Plan details for \(person.displayName)")</h1>
        \(Form.editorStart(req, action: action, version: plan?.version, errors: errors))
        \(typeField)
        \(Form.select("planKind", "Kind of plan", PlanKind.self, value: v("planKind", plan?.planKind), errors: errors, required: true))
        \(statusField)
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

    static func overview(_ req: Request, _ record: PlanRecord, findings: [Finding], mayWrite: Bool) -> HTML {
        let plan = record.plan, person = record.person, id = plan.id!.text
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
            <ul class="findings">\(items.map { findingItem($0, planID: id, mayWrite: mayWrite) })</ul>
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
        return """
        <h1>\(person.displayName): \(plan.type.label)</h1>
        <p><a href="/people/\(person.id!.text)#plans">Back to \(person.displayName)'s page</a></p>
        <section aria-labelledby="details">
        <h2 id="details">Plan details</h2>
        <dl class="facts">
        \(Views.fact("Kind", plan.kind.label))
        \(Views.fact("Status", plan.planStatus.label + (plan.frozenAt != nil ? " (frozen: this version can no longer change)" : "")))
        \(Views.fact("Planning meeting", plan.meetingDate))
        \(Views.fact("Plan period", plan.effectiveStart.map { "\($0) to \(plan.effectiveEnd ?? "not set")" }))
        \(Views.fact("Date of implementation", plan.implementationDate))
        \(Views.fact("Next review", plan.nextReviewDate))
        \(Views.fact("Language of the plan", plan.planningLanguage))
        \(Views.fact("Version", "\(plan.versionNumber)"))
        </dl>
        \(mayWrite && plan.frozenAt == nil ? HTML("<p><a class=\"button secondary\" href=\"\(PlanPaths.details(id))\">Edit plan details</a></p>") : .empty)
        </section>
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
            : readOnly(spec, content: content, circle: record.circle)
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
        let fields = spec.fields.map { field -> HTML in
            if field.isList { return listEditor(field, entries: content.entries(field.key), circle: record.circle, errors: errors) }
            return control(field, path: field.key, value: content[field.key], circle: record.circle, errors: errors, topLevel: true)
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
    static func listEditor(_ field: FieldSpec, entries: [SectionContent], circle: [CircleMember], errors: [FieldError]) -> HTML {
        var rows = entries.filter { $0["_remove"] == nil }
        if rows.last.map({ !$0.isEmpty && $0.values.contains { $0 != .string("") } }) ?? true { rows.append([:]) }
        let listError = errors.first { $0.field == field.key }?.message
        let fieldsets = rows.enumerated().map { index, entry -> HTML in
            let path = "\(field.key).\(index)"
            let isBlank = entry.values.allSatisfy { $0 == .string("") }
            let legend = isBlank ? "New entry in \(field.label)" : "\(field.label): entry \(index + 1)"
            let controls = field.entryFields.map { sub in control(sub, path: "\(path).\(sub.key)", value: entry[sub.key], circle: circle, errors: errors, topLevel: false) }
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
        default: return nil
        }
    }

    /// One field of a section, by kind. `topLevel` fields marked required are needed for the section to
    /// count as written; entry fields marked required are needed for the entry to be saved.
    static func control(_ field: FieldSpec, path: String, value: JSONValue?, circle: [CircleMember], errors: [FieldError], topLevel: Bool) -> HTML {
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
            let options = circle.map { ($0.id!.text, "\($0.name) (\(Views.label(Relationship.self, $0.relationship)))") }
            return choose(path, label, options: options, value: current, errors: errors,
                          hint: field.hint ?? (circle.isEmpty ? "No one is in the circle of support yet. Add people on the person's page first." : nil))
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

    static func readOnly(_ spec: SectionSpec, content: SectionContent, circle: [CircleMember]) -> HTML {
        if content.isEmpty { return "<p>This section has not been written yet.</p>" }
        let names = Dictionary(circle.map { ($0.id!.text, $0.name) }, uniquingKeysWith: { a, _ in a })
        func shown(_ field: FieldSpec, _ value: JSONValue?) -> String? {
            guard let raw = text(value), !raw.isEmpty else { return nil }
            switch field.kind {
            case .yesNo: return raw == "true" ? "Yes" : "No"
            case let .choice(choices): return choices.first { $0.value == raw }?.label ?? raw
            case .circleMember: return names[raw] ?? "Someone no longer in the circle"
            default: return raw
            }
        }
        let parts = spec.fields.map { field -> HTML in
            if field.isList {
                let entries = content.entries(field.key)
                let items = entries.map { entry -> HTML in
                    "<li><dl class=\"facts\">\(field.entryFields.compactMap { sub in shown(sub, entry[sub.key]).map { Views.fact(sub.label, $0) } })</dl></li>"
                }
                return "<h2>\(field.label)</h2>\(entries.isEmpty ? HTML("<p>None recorded.</p>") : HTML("<ul>\(items)</ul>"))"
            }
            return "<dl class=\"facts\">\(Views.fact(field.label, shown(field, content[field.key])))</dl>"
        }
        return HTML.join(parts)
    }
}

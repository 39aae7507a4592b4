import LanternDomain
import Vapor

/// How a person's page and the person form look.
enum PersonView {
    static func page(_ req: Request, _ d: PeoplePages.Detail, records: PersonRecords) -> HTML {
        let p = d.person
        let today = records.today
        let policy = records.policy
        let id = p.id!.text
        let methods = p.communicationMethods.map { Views.label(CommunicationMethod.self, $0) }.joined(separator: ", ")
        let age = p.age(on: today).map { "\($0) (\(p.ageGroup(on: today)?.label ?? ""))" }
        let address = [p.addressLine, p.city, p.region, p.postalCode].compactMap { $0 }.joined(separator: ", ")
        let circleRows = d.members.map { m -> HTML in
            let contact = [m.phone, m.email].compactMap { $0 }.joined(separator: " · ")
            let edit: HTML = policy.roleAllows(.manageCircle)
                ? "<td><a href=\"/people/\(id)/circle/\(m.id)/edit\">Edit<span class=\"visually-hidden\"> \(m.name)</span></a></td>" : .empty
            return """
            <tr><th scope="row">\(m.name)</th><td>\(Views.label(Relationship.self, m.relationship))</td>
            <td>\(m.isPaid ? "Paid" : "Unpaid")</td><td>\(Views.yesNo(m.chosenByPerson))</td>
            <td>\(m.hasLegalAuthority ? "Yes: \(m.authorityScope ?? "")" : "No")</td>
            <td>\(contact.isEmpty ? "Not recorded" : contact)</td><td>\(Views.yesNo(m.receivesPlanCopy))</td>\(edit)</tr>
            """
        }
        let assignmentRows = d.assignments.map { a -> HTML in
            "<tr><td>\(a.coordinator.displayName)</td><td>\(a.startsOn)</td><td>\(a.endsOn ?? "Now")</td><td>\(a.reason)</td></tr>"
        }
        let mayLink = !d.providerChoices.isEmpty
        let providerItems = d.providers.map { l -> HTML in
            let unlink: HTML = mayLink ? """
             <form method="post" action="/people/\(id)/providers/\(l.$organization.id.text)/unlink" class="inline">\(Form.csrf(req))<button type="submit" class="secondary">Unlink<span class="visually-hidden"> \(l.organization.name)</span></button></form>
            """ : .empty
            return "<li>\(l.organization.name) (since \(l.since))\(unlink)</li>"
        }
        let linked = Set(d.providers.map { $0.$organization.id })
        let linkable = d.providerChoices.filter { !linked.contains($0.id!) }
        let linkForm: HTML = linkable.isEmpty ? .empty : """
        <form method="post" action="/people/\(id)/providers" class="card">
        <h3>Link a provider agency</h3>
        <p class="hint">Its staff will be able to see this person's record.</p>
        \(Form.csrf(req))
        <div class="field"><label for="field-organizationId">Provider agency</label>
        <select id="field-organizationId" name="organizationId">\(linkable.map { o -> HTML in "<option value=\"\(o.id)\">\(o.name)</option>" })</select></div>
        \(Form.text("linkFirewall", "If the person's coordinator works for this provider: the firewall", value: nil, errors: [],
                    hint: "Only when it is the only willing and qualified provider in the area: how coordination is kept apart from its services.", multiline: true))
        <button type="submit">Link provider</button>
        </form>
        """
        let assignForm: HTML = d.coordinatorChoices.isEmpty ? .empty : {
            let options = d.coordinatorChoices.map { u -> HTML in
                "<option value=\"\(u.id)\"\(u.id == p.currentCoordinatorID ? HTML(unsafeRaw: " selected") : .empty)>\(u.displayName)</option>"
            }
            return """
            <form method="post" action="/people/\(id)/coordinator" class="card">
            <h3>Change the coordinator</h3>
            \(Form.csrf(req))
            <div class="field"><label for="field-coordinatorId">New coordinator</label>
            <select id="field-coordinatorId" name="coordinatorId">\(options)</select></div>
            \(Form.text("reason", "Why is the coordinator changing?", value: nil, errors: [], required: true))
            \(Form.choiceGroup("optionsOffered", "Coordinators offered to \(p.displayName)", options: d.coordinatorChoices.map { ($0.id!.text, $0.displayName) }, selected: [], errors: [],
                                hint: "The person chooses their coordinator among those offered. Tick each one offered, the new coordinator included."))
            \(Form.choiceGroup("chosenBy", "Who chose", options: CoordinatorChooser.allCases.map { ($0.rawValue, $0.label) }, selected: [], errors: [], single: true))
            \(Form.text("overLimitReason", "If this takes the coordinator over their caseload limit: why", value: nil, errors: [],
                        hint: "Only needed when the new coordinator's weighted caseload would go over its limit.", multiline: true))
            \(Form.text("conflictFirewall", "If the coordinator works for one of this person's providers: the firewall", value: nil, errors: [],
                        hint: "Only when that provider is the only willing and qualified one in the area: how coordination is kept apart from its services.", multiline: true))
            <button type="submit">Change coordinator</button>
            </form>
            \(p.selfCoordinatedSince == nil ? HTML("""
            <form method="post" action="/people/\(id)/self-coordination" class="card">
            <h3>The person directs their own coordination</h3>
            \(Form.csrf(req))
            <p>When \(p.displayName) chooses to coordinate their own services, the coordinator's assignment ends. An administrator oversees people who direct their own coordination.</p>
            \(Form.text("selfReason", "What the person decided, in their words", value: nil, errors: [], multiline: true))
            <button type="submit" class="secondary">Record self-directed coordination</button>
            </form>
            """) : .empty)
            """
        }()
        return """
        <h1>\(p.displayName)</h1>
        <div class="actions">
        \(policy.roleAllows(.update) ? HTML("<a class=\"button\" href=\"/people/\(id)/edit\">Edit details</a>") : .empty)
        \(policy.roleAllows(.manageCircle) ? HTML("<a class=\"button secondary\" href=\"/people/\(id)/circle/new\">Add someone to the circle</a>") : .empty)
        </div>
        <section aria-labelledby="about">
        <h2 id="about">About</h2>
        <dl class="facts">
        \(Views.fact("Legal name", p.legalName))
        \(Views.fact("Preferred name", p.preferredName))
        \(Views.fact("Pronouns", p.pronouns))
        \(Views.fact("Date of birth", p.birthDate))
        \(Views.fact("Age", age))
        \(Views.fact("Status", Views.label(PersonStatus.self, p.status) + (p.exitDate.map { " on \($0)" } ?? "") + (p.exitReason.map { ": \($0)" } ?? "")))
        \(Views.fact("Lives in", Views.label(ResidenceType.self, p.residenceType)))
        \(Views.fact("Intensity of coordination", p.coordinationIntensity.label))
        \(Views.fact("Legal status", Views.label(LegalStatus.self, p.legalStatus)))
        \(Views.fact("Court-ordered restrictions", p.courtRestrictions))
        </dl>
        </section>
        <section aria-labelledby="communication">
        <h2 id="communication">Language and communication</h2>
        <dl class="facts">
        \(Views.fact("Primary language", p.primaryLanguage))
        \(Views.fact("Needs an interpreter", Views.yesNo(p.interpreterNeeded)))
        \(Views.fact("Ways of communicating", methods))
        \(Views.fact("How to communicate with me", p.communicationProfile))
        </dl>
        </section>
        <section aria-labelledby="ids">
        <h2 id="ids">Identifiers and address</h2>
        <dl class="facts">
        \(Views.fact("State ID number", p.stateID))
        \(Views.fact("Medicaid number", p.medicaidID))
        \(Views.fact("Medicare number", p.medicareID))
        \(Views.fact("Other insurance", p.insurance))
        \(Views.fact("Address", address))
        \(Views.fact("County", p.county))
        </dl>
        </section>
        \(PlanPages.planList(d.plans, personID: id, mayWrite: policy.roleAllows(.writePlan)))
        <section aria-labelledby="outcomes">
        <h2 id="outcomes">Outcomes and progress</h2>
        <p><a href="\(OutcomePaths.summary(id))">\(p.displayName)'s outcomes and how they are going</a></p>
        </section>
        <section aria-labelledby="coordination-links">
        <h2 id="coordination-links">Intake, meetings and decisions</h2>
        <ul>
        <li><a href="/people/\(id)/intake">Intake: referrals and eligibility</a></li>
        <li><a href="/people/\(id)/meetings">Planning meetings</a></li>
        <li><a href="/people/\(id)/satisfaction">How satisfied \(p.displayName) is</a></li>
        <li><a href="/people/\(id)/decisions">\(p.displayName) decides: reviews, saying no to a service, leaving services</a></li>
        </ul>
        \(policy.roleAllows(.manageCircle) ? HTML("""
        <form method="post" action="/people/\(id)/invitations" class="card" novalidate>
        <h3>Invite \(p.displayName) or their family to Lantern</h3>
        \(Form.csrf(req))
        <div class="field"><label for="field-circleMemberId">Who</label><select id="field-circleMemberId" name="circleMemberId">
        <option value="">\(p.displayName) (their own account)</option>
        \(d.members.filter { $0.userID == nil && $0.isPaid == false }.map { HTML("<option value=\"\($0.id!.text)\">\($0.name) (\(Relationship(rawValue: $0.relationship)?.label.lowercased() ?? $0.relationship))</option>") })
        </select></div>
        \(Form.text("email", "Their email", value: nil, errors: [], required: true, type: "email", autocomplete: "off"))
        \(Form.choiceGroup("language", "Language of the invitation and their pages", options: PortalLanguage.allCases.map { ($0.rawValue, $0.name) },
                           selected: [PortalLanguage.matching(p.primaryLanguage).rawValue], errors: [], single: true))
        <p class="hint">The link works once, for \(PersonRecords.invitationDays) days. They choose their own password.</p>
        <button type="submit" class="secondary">Send the invitation</button>
        </form>
        """) : .empty)
        </section>
        <section aria-labelledby="monitoring">
        <h2 id="monitoring">Monitoring</h2>
        <p>Contact: \(p.contactFrequency.flatMap(ContactFrequency.init)?.label.lowercased() ?? "no frequency set"). <a href="/people/\(id)/contacts">Monitoring contacts with \(p.displayName)</a></p>
        </section>
        <section aria-labelledby="services-delivered">
        <h2 id="services-delivered">Services delivered</h2>
        <p><a href="/people/\(id)/authorizations">\(p.displayName)'s authorizations and the units delivered</a></p>
        </section>
        <section aria-labelledby="circle">
        <h2 id="circle">Circle of support</h2>
        \(d.members.isEmpty ? HTML("<p>No one is in the circle of support yet.</p>") : """
        <div class="table-wrap"><table>
        <caption>People in \(p.displayName)'s circle of support</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Relationship</th><th scope="col">Paid or unpaid</th><th scope="col">Chosen by the person</th><th scope="col">Legal authority</th><th scope="col">Contact</th><th scope="col">Gets a copy of the plan</th>\(policy.roleAllows(.manageCircle) ? HTML("<th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th>") : .empty)</tr></thead>
        <tbody>\(circleRows)</tbody>
        </table></div>
        """)
        </section>
        <section aria-labelledby="coordination">
        <h2 id="coordination">Support coordination</h2>
        \(p.selfCoordinatedSince.map { HTML("<p><strong>\(p.displayName) has directed their own coordination since \($0).</strong></p>") } ?? .empty)
        \(d.assignments.isEmpty ? HTML("<p>No coordinator has been assigned yet.</p>") : """
        <div class="table-wrap"><table>
        <caption>Coordinators, newest first</caption>
        <thead><tr><th scope="col">Coordinator</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Reason</th></tr></thead>
        <tbody>\(assignmentRows)</tbody>
        </table></div>
        """)
        \(conflictNotice(req, d, mayDocument: policy.roleAllows(.assignCoordinator)))
        \(assignForm)
        <h3>Provider agencies serving this person</h3>
        \(d.providers.isEmpty ? HTML("<p>None linked.</p>") : HTML("<ul class=\"providers\">\(providerItems)</ul>"))
        \(linkForm)
        </section>
        """
    }

    /// A coordinator who works for one of the person's providers: the exception when documented, or
    /// what must happen, with the form a supervisor uses to document it.
    static func conflictNotice(_ req: Request, _ d: PeoplePages.Detail, mayDocument: Bool) -> HTML {
        guard let c = d.conflict else { return .empty }
        let id = d.person.id!.text
        if let e = c.exception {
            return """
            <div class="notice"><p><strong>Conflict of interest, exception documented on \(e.recordedOn).</strong> \(c.coordinator.displayName) works for \(c.organization.name), which provides services to \(d.person.displayName); it is the only willing and qualified provider in the area. The firewall: \(e.firewall)</p></div>
            """
        }
        let form: HTML = mayDocument ? """
        <form method="post" action="/people/\(id)/conflict-exception" class="card">
        <h4>Document the exception</h4>
        \(Form.csrf(req))
        <input type="hidden" name="organizationId" value="\(c.organization.id!.text)">
        \(Form.text("exceptionFirewall", "How coordination is kept apart from the services of \(c.organization.name)", value: nil, errors: [],
                    hint: "Only when \(c.organization.name) is the only willing and qualified provider in the area.", required: true, multiline: true))
        <button type="submit">Document the exception</button>
        </form>
        """ : .empty
        return """
        <div class="error-summary" role="note"><h3>Conflict of interest</h3>
        <p>\(c.coordinator.displayName) works for \(c.organization.name), which provides services to \(d.person.displayName). Coordination must be independent of the providers (42 CFR 441.301(c)(1)(vi)): assign another coordinator or choose another provider, or document why there is no other choice.</p></div>
        \(form)
        """
    }

    static func coordinatorSelect(_ coordinators: [User], selected: String?, errors: [FieldError]) -> HTML {
        let error = errors.first { $0.field == "coordinatorId" }?.message
        let options = [HTML("<option value=\"\">Choose…</option>")] + coordinators.map { u -> HTML in
            "<option value=\"\(u.id)\"\(u.id?.text == selected ? HTML(unsafeRaw: " selected") : .empty)>\(u.displayName)</option>"
        }
        let described: HTML = error != nil ? " aria-describedby=\"field-coordinatorId-error\" aria-invalid=\"true\"" : .empty
        return """
        <div class="field\(error != nil ? HTML(unsafeRaw: " has-error") : .empty)">
        <label for="field-coordinatorId">Support coordinator</label>
        \(error.map { HTML("<p class=\"field-error\" id=\"field-coordinatorId-error\"><span class=\"visually-hidden\">Error: </span>\($0)</p>") } ?? .empty)
        <select id="field-coordinatorId" name="coordinatorId"\(described)>\(options)</select>
        </div>
        """
    }

    static func form(_ req: Request, person p: Person, errors: [FieldError], creating: Bool, echo: FormBody? = nil, coordinators: [User] = []) -> HTML {
        func v(_ name: String, _ model: String?) -> String? { echo?.first(name) ?? model }
        let action = creating ? "/people" : "/people/\(p.id!.text)/edit"
        let methods = echo.map { $0.all("communicationMethods") } ?? p.communicationMethods
        let interpreter = echo.map { $0.first("interpreterNeeded") == "true" } ?? p.interpreterNeeded
        return """
        <h1>\(creating ? "Add a person" : "Edit \(p.displayName)")</h1>
        \(Form.editorStart(req, action: action, version: creating ? nil : p.version, errors: errors))
        <fieldset><legend>Name</legend>
        \(Form.text("legalGivenName", "Legal first name", value: v("legalGivenName", creating ? nil : p.legalGivenName), errors: errors, required: true))
        \(Form.text("legalFamilyName", "Legal last name", value: v("legalFamilyName", creating ? nil : p.legalFamilyName), errors: errors, required: true))
        \(Form.text("preferredName", "Preferred name", value: v("preferredName", p.preferredName), errors: errors, hint: "The name the person likes to be called, if different"))
        \(Form.text("pronouns", "Pronouns", value: v("pronouns", p.pronouns), errors: errors, hint: "For example: she/her, he/him, they/them"))
        </fieldset>
        \(creating && !coordinators.isEmpty ? coordinatorSelect(coordinators, selected: echo?.first("coordinatorId"), errors: errors) : .empty)
        \(Form.text("birthDate", "Date of birth", value: v("birthDate", creating ? nil : p.birthDate), errors: errors, hint: "Year-month-day, for example 2001-04-27", required: true, type: "date"))
        <fieldset><legend>Language and communication</legend>
        \(Form.text("primaryLanguage", "Primary language", value: v("primaryLanguage", creating ? "English" : p.primaryLanguage), errors: errors, required: true))
        \(Form.checkbox("interpreterNeeded", "Needs an interpreter", checked: interpreter, errors: errors))
        \(Form.checkboxGroup("communicationMethods", "How the person communicates", CommunicationMethod.self, selected: methods, errors: errors))
        \(Form.text("communicationProfile", "How to communicate with the person", value: v("communicationProfile", p.communicationProfile), errors: errors, hint: "In plain words: what helps, what to avoid", multiline: true))
        </fieldset>
        <fieldset><legend>Home and legal status</legend>
        \(Form.select("residenceType", "Where the person lives", ResidenceType.self, value: v("residenceType", creating ? nil : p.residenceType), errors: errors, required: true))
        \(Form.select("legalStatus", "Legal status", LegalStatus.self, value: v("legalStatus", creating ? nil : p.legalStatus), errors: errors, required: true))
        \(Form.text("courtRestrictions", "Court-ordered restrictions", value: v("courtRestrictions", p.courtRestrictions), errors: errors, multiline: true))
        \(Form.select("intensity", "Intensity of coordination", Intensity.self, value: v("intensity", p.coordinationIntensity.rawValue), errors: errors, includeBlank: false))
        \(Form.select("contactFrequency", "How often the coordinator is in contact", ContactFrequency.self, value: v("contactFrequency", p.contactFrequency), errors: errors))
        \(Form.select("status", "Status", PersonStatus.self, value: v("status", p.status), errors: errors, required: true, includeBlank: false))
        \(Form.text("exitDate", "Date services ended", value: v("exitDate", p.exitDate), errors: errors, hint: "Only when the status is 'Left services'", type: "date"))
        \(Form.text("exitReason", "Why services ended", value: v("exitReason", p.exitReason), errors: errors))
        </fieldset>
        <fieldset><legend>Identifiers</legend>
        \(Form.text("stateId", "State ID number", value: v("stateId", p.stateID), errors: errors))
        \(Form.text("medicaidId", "Medicaid number", value: v("medicaidId", p.medicaidID), errors: errors))
        \(Form.text("medicareId", "Medicare number", value: v("medicareId", p.medicareID), errors: errors))
        \(Form.text("insurance", "Other insurance", value: v("insurance", p.insurance), errors: errors))
        </fieldset>
        <fieldset><legend>Address</legend>
        \(Form.text("addressLine", "Street address", value: v("addressLine", p.addressLine), errors: errors, autocomplete: "off"))
        \(Form.text("city", "City", value: v("city", p.city), errors: errors))
        \(Form.text("region", "State", value: v("region", p.region), errors: errors))
        \(Form.text("postalCode", "ZIP code", value: v("postalCode", p.postalCode), errors: errors))
        \(Form.text("county", "County", value: v("county", p.county), errors: errors))
        </fieldset>
        <div class="actions">
        <button type="submit">\(creating ? "Add person" : "Save changes")</button>
        <a href="\(creating ? "/people" : "/people/\(p.id!.text)")">Cancel</a>
        </div>
        </form>
        """
    }
}

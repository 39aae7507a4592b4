import LanternDomain
import Vapor

/// Dollars as people read them: "$1,234.50".
enum Money {
    static func text(_ dollars: Double) -> String {
        let cents = Int((abs(dollars) * 100).rounded())
        var whole = String(cents / 100)
        var groups: [String] = []
        while whole.count > 3 { groups.insert(String(whole.suffix(3)), at: 0); whole = String(whole.dropLast(3)) }
        groups.insert(whole, at: 0)
        return (dollars < 0 ? "−$" : "$") + groups.joined(separator: ",") + String(format: ".%02d", cents % 100)
    }
}

enum ServicePaths {
    static func budget(_ planID: String) -> String { "/plans/\(planID)/budget" }
    static func authorization(_ id: String) -> String { "/authorizations/\(id)" }
}

/// The budget page, the authorization pages, the catalogue and the waiting list.
enum ServiceViews {
    static func units(_ n: Double) -> String { SectionSpec.plain((n * 100).rounded() / 100) }

    // MARK: Budget

    static func budget(_ record: PlanRecord, spending: PersonRecords.Spending) -> HTML {
        let budget = record.budget, names = record.names, plan = record.plan, person = record.person
        let delivered = spending.hasAuthorizations
        let period = plan.effectiveStart.map { "from \($0) to \(plan.effectiveEnd ?? "an end not set yet")" } ?? "whose dates are not set yet"
        let payers: HTML = budget.byFunding.isEmpty ? "<p>No paid service has a cost yet.</p>" : """
        <div class="table-wrap"><table>
        <caption>Who pays</caption>
        <thead><tr><th scope="col">Who pays</th><th scope="col" class="number">Cost</th></tr></thead>
        <tbody>\(budget.byFunding.map { "<tr><th scope=\"row\">\($0.source?.label ?? "Not given yet")</th><td class=\"number\">\(Money.text($0.cost))</td></tr>" as HTML })</tbody>
        <tfoot><tr><th scope="row">Total</th><td class="number">\(Money.text(budget.total))</td></tr></tfoot>
        </table></div>
        """
        let rows = budget.lines.map { line -> HTML in
            let s = line.service
            let amount = s.units.map { n in "\(line.catalogue?.unit.amount(n) ?? units(n) + " units") \(s.interval?.phrase ?? "")" } ?? "Not given"
            let dates = line.period.map { "\($0.lowerBound) to \($0.upperBound)" } ?? "Not set"
            let rates = line.rates.map { "\(Money.text($0.perUnit)) a unit from \($0.from) to \($0.to)" }.joined(separator: "; ")
            return """
            <tr><th scope="row">\(s.name)\(s.code.map { HTML(" <span class=\"code\">(\($0))</span>") } ?? .empty)\(s.selfDirected ? HTML("<br><span class=\"tag\">Self-directed</span>") : .empty)</th>
            <td>\(s.provider(names) ?? "Not chosen")</td><td>\(s.fundingSource?.label ?? "Not given")</td><td>\(amount)<br>\(dates)</td>
            <td class="number">\(units(line.units))</td><td>\(rates.isEmpty ? "None" : rates)</td>
            \(delivered ? HTML("<td class=\"number\">\(units(spending.units(s.id))) units, \(Money.text(spending.cost(s.id)))</td>") : .empty)
            <td class="number">\(line.problem == nil ? Money.text(line.cost) : (line.cost > 0 ? Money.text(line.cost) + " (part)" : "Not counted"))\(line.problem.map { HTML("<br><span class=\"field-error\">\($0)</span>") } ?? .empty)</td></tr>
            """
        }
        let services: HTML = budget.lines.isEmpty ? "<p>The plan has no paid services yet.</p>" : """
        <div class="table-wrap"><table>
        <caption>Each paid service</caption>
        <thead><tr><th scope="col">Service</th><th scope="col">Provider</th><th scope="col">Who pays</th><th scope="col">How much and when</th>
        <th scope="col" class="number">Units in all</th><th scope="col">Rate</th>\(delivered ? HTML("<th scope=\"col\" class=\"number\">Delivered so far</th>") : .empty)<th scope="col" class="number">Cost</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table></div>
        """
        let months: HTML = budget.byMonth.isEmpty ? "<p>No cost to show by month.</p>" : """
        <div class="table-wrap"><table>
        <caption>Cost by month</caption>
        <thead><tr><th scope="col">Month</th><th scope="col" class="number">Units</th><th scope="col" class="number">Cost</th></tr></thead>
        <tbody>\(budget.byMonth.map { "<tr><th scope=\"row\">\($0.month.words)</th><td class=\"number\">\(units($0.units))</td><td class=\"number\">\(Money.text($0.cost))</td></tr>" as HTML })</tbody>
        </table></div>
        """
        let selfDirected: HTML
        if let individual = budget.individualBudget {
            let left = individual - budget.selfDirectedCost
            let spent = budget.lines.filter(\.service.selfDirected).reduce(0) { $0 + spending.cost($1.service.id) }
            selfDirected = """
            <section aria-labelledby="self-directed"><h2 id="self-directed">Your individual budget</h2>
            <p>\(person.displayName) directs \(Money.text(budget.selfDirectedCost)) of services, from an individual budget of \(Money.text(individual)).
            \(left >= 0 ? "\(Money.text(left)) is not planned yet." : "That is \(Money.text(-left)) more than the individual budget: the plan must change before it is signed.")</p>
            \(delivered ? HTML("<p>Spent so far on self-directed services: \(Money.text(spent)), which leaves \(Money.text(individual - spent)) of the individual budget.</p>") : .empty)
            </section>
            """
        } else if budget.selfDirectedCost > 0 {
            selfDirected = "<p>Self-directed services: \(Money.text(budget.selfDirectedCost)).</p>"
        } else { selfDirected = .empty }
        let unpaid: HTML = budget.unpaid.isEmpty ? "<p>No unpaid support is written in the services.</p>"
            : "<ul>\(budget.unpaid.map { "<li>\($0.name)\($0.provider(names).map { HTML(", given by \($0)") } ?? .empty)</li>" as HTML })</ul>"
        return """
        <h1>\(person.displayName)'s budget</h1>
        <p><a href="\(PlanPaths.overview(plan.id!.text))">Back to the \(plan.type.shortLabel)</a></p>
        <p class="lead">This is what the services in \(person.displayName)'s plan cost, \(period), and who pays for them. The person and their guardian get a copy.</p>
        <p class="total">Paid services in all: <strong>\(Money.text(budget.total))</strong>.</p>
        \(payers)
        \(selfDirected)
        <section aria-labelledby="each"><h2 id="each">Each service</h2>
        <p>The cost is the units planned for each day of the service's dates, times the rate on that day.</p>
        \(services)
        </section>
        <section aria-labelledby="by-month"><h2 id="by-month">By month</h2>\(BudgetChart.figure(budget.byMonth))\(months)</section>
        <section aria-labelledby="unpaid"><h2 id="unpaid">Unpaid supports</h2>
        <p>People and places that support \(person.displayName) without pay. They are part of the plan too.</p>
        \(unpaid)
        </section>
        """
    }

    // MARK: Authorizations

    static func usageText(_ u: AuthorizationUsage) -> String {
        "\(units(u.delivered)) of \(u.authorization.units) units used (\(Int((u.share * 100).rounded()))%)"
    }

    static func alertBadge(_ alert: UtilisationAlert?) -> HTML {
        switch alert {
        case .overAuthorized?: return "<span class=\"status todo\">Over the authorization</span>"
        case .nearlyUsed?: return "<span class=\"status todo\">Nearly used</span>"
        case nil: return .empty
        }
    }

    /// Says which part of a long list a page shows, with a link to the next page: nothing is cut silently.
    static func paging(_ shown: Int, of total: Int, what: String, order: String, next: String?, first: Bool, base: String) -> HTML {
        guard total > shown || !first else { return .empty }
        let joiner = base.contains("?") ? "&" : "?"
        let nextLink: HTML = next.map { HTML(" <a href=\"\(base)\(joiner)cursor=\($0)\">Next page</a>") } ?? ""
        let startLink: HTML = first ? "" : HTML(" <a href=\"\(base)\">Back to the first page</a>")
        return "<p>This page shows \(shown) of the \(total) \(what), \(order).\(nextLink)\(startLink)</p>"
    }

    static func authorizationList(_ page: ListPage<AuthorizationUsage>, first: Bool, alertsOnly: Bool, isProvider: Bool) -> HTML {
        let items = page.items
        let rows = items.map { u -> HTML in
            let a = u.authorization
            return """
            <tr><th scope="row"><a href="\(ServicePaths.authorization(a.id!.text))">\(a.serviceName) (\(a.serviceCode))</a></th>
            <td>\(u.person.displayName)</td>\(isProvider ? HTML.empty : HTML("<td>\(u.organizationName)</td>"))
            <td>\(a.startsOn) to \(a.endsOn)</td><td>\(usageText(u)) \(alertBadge(u.alert))</td></tr>
            """
        }
        let filter: HTML = alertsOnly ? "<p>Showing only authorizations with an alert. <a href=\"/authorizations\">Show all</a></p>"
            : "<p><a href=\"/authorizations?alerts=true\">Show only those with an alert</a> (90% or more used, or over).</p>"
        return """
        <h1>Authorizations</h1>
        <p class="lead">\(isProvider ? "The services your organisation is authorized to give, and the units delivered so far." : "The services authorized for the people you support, and the units delivered so far.")</p>
        \(filter)
        \(paging(page.checked, of: page.total, what: "authorizations in effect" + (alertsOnly ? " (those with an alert are listed)" : ""), order: "soonest ending first",
                 next: page.nextCursor, first: first, base: alertsOnly ? "/authorizations?alerts=true" : "/authorizations"))
        \(items.isEmpty ? HTML("<p>No authorization to show.</p>") : HTML("""
        <div class="table-wrap"><table>
        <caption>Authorizations in effect</caption>
        <thead><tr><th scope="col">Service</th><th scope="col">Person</th>\(isProvider ? HTML.empty : HTML("<th scope=\"col\">Provider</th>"))<th scope="col">Period</th><th scope="col">Used</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table></div>
        """))
        """
    }

    static func personAuthorizations(_ person: Person, _ items: [AuthorizationUsage]) -> HTML {
        let rows = items.map { u -> HTML in
            let a = u.authorization
            return """
            <tr><th scope="row"><a href="\(ServicePaths.authorization(a.id!.text))">\(a.serviceName) (\(a.serviceCode))</a></th><td>\(u.organizationName)</td>
            <td>\(a.startsOn) to \(a.endsOn)</td><td>\(a.authorizationStatus.label)\(a.endedOn.map { " on \($0)" } ?? "")</td><td>\(usageText(u)) \(alertBadge(u.alert))</td></tr>
            """
        }
        return """
        <h1>\(person.displayName)'s authorizations</h1>
        <p><a href="/people/\(person.id!.text)">Back to \(person.displayName)'s page</a></p>
        <p class="lead">What each provider is authorized to give \(person.displayName) under their plans, and the units delivered so far.</p>
        \(items.isEmpty ? HTML("<p>No authorization yet. They are made when a plan with paid services takes effect.</p>") : HTML("""
        <div class="table-wrap"><table>
        <caption>Authorizations, in effect first</caption>
        <thead><tr><th scope="col">Service</th><th scope="col">Provider</th><th scope="col">Period</th><th scope="col">Status</th><th scope="col">Used</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table></div>
        """))
        """
    }

    static func withdrawForm(_ req: Request, _ u: AuthorizationUsage, _ d: ServiceDelivery, reason: String, errors: [FieldError]) -> HTML {
        let a = u.authorization
        return """
        <h1>Withdraw units delivered</h1>
        <p><a href="\(ServicePaths.authorization(a.id!.text))">Back to \(a.serviceName) for \(u.person.displayName)</a></p>
        <p>\(units(d.units)) units on \(d.deliveredOn)\(d.note.map { HTML(": \($0)") } ?? .empty). A withdrawn entry stays in the record with the reason, and no longer counts.</p>
        \(Form.errorSummary(errors))
        <form method="post" action="\(ServicePaths.authorization(a.id!.text))/deliveries/\(d.id!.text)/withdraw" novalidate>
        \(Form.csrf(req))
        \(Form.text("reason", "Why is it wrong?", value: reason, errors: errors, required: true, multiline: true))
        <div class="actions"><button type="submit">Withdraw the entry</button></div>
        </form>
        """
    }

    static func authorizationDetail(_ req: Request, _ u: AuthorizationUsage, deliveries: [ServiceDelivery], mayRecord: Bool, echo: [String: String], errors: [FieldError]) -> HTML {
        let a = u.authorization, id = a.id!.text
        let alert: HTML = u.alert.map { "<div class=\"notice\" role=\"status\"><p><strong>\($0.label).</strong> \($0 == .overAuthorized ? "Tell the person's coordinator: units past the authorization are not paid unless the plan changes." : "Plan the remaining \(units(u.remaining)) units with the person and their coordinator.")</p></div>" } ?? .empty
        let form: HTML = mayRecord && a.authorizationStatus == .active ? """
        <section aria-labelledby="record"><h2 id="record">Record units delivered</h2>
        \(Form.errorSummary(errors))
        <form method="post" action="\(ServicePaths.authorization(id))/deliveries" novalidate>
        \(Form.csrf(req))
        \(Form.text("deliveredOn", "Day delivered", value: echo["deliveredOn"] ?? CalendarDate(req.now).description, errors: errors, required: true, type: "date"))
        \(Form.text("units", "Units", value: echo["units"], errors: errors, hint: "In units of \(a.serviceUnit.label.lowercased()).", required: true, inputMode: "decimal"))
        \(Form.text("note", "Note", value: echo["note"], errors: errors, hint: "Anything the coordinator should know.", multiline: true))
        <div class="actions"><button type="submit">Save</button></div>
        </form>
        </section>
        """ : .empty
        let rows = deliveries.map { d -> HTML in
            let action: HTML = d.withdrawnAt != nil ? HTML("<span class=\"tag\">Withdrawn: \(d.withdrawnReason ?? "")</span>")
                : mayRecord ? HTML("<a href=\"\(ServicePaths.authorization(id))/deliveries/\(d.id!.text)/withdraw\">Withdraw<span class=\"visually-hidden\"> the entry of \(d.deliveredOn)</span></a>") : .empty
            return "<tr><th scope=\"row\">\(d.deliveredOn)</th><td class=\"number\">\(units(d.units))</td><td>\(d.note ?? "")</td><td>\(action)</td></tr>"
        }
        return """
        <h1>\(a.serviceName) for \(u.person.displayName)</h1>
        <p><a href="/authorizations">All authorizations</a></p>
        \(alert)
        <dl class="facts">
        \(Views.fact("Service", "\(a.serviceName) (\(a.serviceCode))"))
        \(Views.fact("Provider", u.organizationName))
        \(Views.fact("Period", "\(a.startsOn) to \(a.endsOn)"))
        \(Views.fact("Authorized", "\(a.units) units of \(a.serviceUnit.label.lowercased())"))
        \(Views.fact("Used", usageText(u)))
        \(Views.fact("Planned cost", Money.text(a.plannedCost)))
        \(Views.fact("Who pays", a.fundingSource.flatMap(FundingSource.init)?.label))
        \(Views.fact("Status", a.authorizationStatus.label + (a.endedOn.map { " on \($0)" } ?? "")))
        </dl>
        \(form)
        <section aria-labelledby="deliveries"><h2 id="deliveries">Units delivered</h2>
        \(deliveries.isEmpty ? HTML("<p>Nothing recorded yet.</p>") : HTML("""
        <div class="table-wrap"><table>
        <caption>Units delivered, newest first</caption>
        <thead><tr><th scope="col">Day</th><th scope="col" class="number">Units</th><th scope="col">Note</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>\(rows)</tbody>
        </table></div>
        """))
        </section>
        """
    }

    // MARK: Catalogue and waiting list

    static func catalogue(_ req: Request, _ items: [Catalogue.Item], providers: [(Organization, [String])], mayManage: Bool,
                          echo: [String: String], errors: [FieldError]) -> HTML {
        let rows = items.map { item -> HTML in
            let e = item.entry
            let limits = [e.maxPerDay.map { "\(units($0)) a day" }, e.maxPerWeek.map { "\(units($0)) a week" }, e.maxPerYear.map { "\(units($0)) a year" }].compactMap { $0 }
            let rate = item.domain.rate(on: CalendarDate(req.now)).map(Money.text) ?? "No rate today"
            return """
            <tr><th scope="row"><a href="/catalogue/\(e.code)">\(e.code)</a></th><td>\(e.name)</td><td>\(e.serviceUnit.label)</td><td class="number">\(rate)</td>
            <td>\(FundingSource.allCases.filter(e.sources.contains).map(\.label).joined(separator: ", "))</td>
            <td>\(limits.isEmpty ? "None" : limits.joined(separator: "; "))</td><td>\(e.equivalenceGroup ?? "")</td></tr>
            """
        }
        let sourceBoxes = FundingSource.allCases.map { s -> HTML in
            "<div class=\"checkbox\"><input id=\"field-fundingSources-\(s.rawValue)\" name=\"fundingSources\" type=\"checkbox\" value=\"\(s.rawValue)\"\((echo["fundingSources"] ?? "").split(separator: ",").contains(Substring(s.rawValue)) ? HTML(unsafeRaw: " checked") : .empty)><label for=\"field-fundingSources-\(s.rawValue)\">\(s.label)</label></div>"
        }
        let unitOptions = ServiceUnit.allCases.map { u -> HTML in "<option value=\"\(u.rawValue)\"\(echo["unit"] == u.rawValue ? HTML(unsafeRaw: " selected") : .empty)>\(u.label)</option>" }
        let fundingError = errors.first { $0.field == "fundingSources" }?.message
        let add: HTML = mayManage ? """
        <section aria-labelledby="add"><h2 id="add">Add a service</h2>
        \(Form.errorSummary(errors))
        <form method="post" action="/catalogue" novalidate>
        \(Form.csrf(req))
        \(Form.text("code", "Code", value: echo["code"], errors: errors, hint: "The HCPCS or state procedure code, for example T2015.", required: true))
        \(Form.text("name", "Name", value: echo["name"], errors: errors, required: true))
        <div class="field"><label for="field-unit">Unit</label><select id="field-unit" name="unit">\(unitOptions)</select></div>
        <fieldset class="field\(fundingError != nil ? HTML(unsafeRaw: " has-error") : .empty)" id="field-fundingSources"><legend>Who may pay for it</legend>
        \(fundingError.map { HTML("<p class=\"field-error\"><span class=\"visually-hidden\">Error: </span>\($0)</p>") } ?? .empty)
        \(sourceBoxes)</fieldset>
        \(Form.text("rate", "Rate per unit (dollars)", value: echo["rate"], errors: errors, required: true, inputMode: "decimal"))
        \(Form.text("rateFrom", "Rate applies from", value: echo["rateFrom"], errors: errors, required: true, type: "date"))
        \(Form.text("maxPerDay", "Most units a day", value: echo["maxPerDay"], errors: errors, inputMode: "decimal"))
        \(Form.text("maxPerWeek", "Most units a week", value: echo["maxPerWeek"], errors: errors, inputMode: "decimal"))
        \(Form.text("maxPerYear", "Most units a year", value: echo["maxPerYear"], errors: errors, inputMode: "decimal"))
        \(Form.text("equivalenceGroup", "Equivalent services group", value: echo["equivalenceGroup"], errors: errors,
                    hint: "Services with the same group can stand in for each other, so a plan may not have two at once."))
        <div class="actions"><button type="submit">Add the service</button></div>
        </form></section>
        """ : .empty
        return """
        <h1>Service catalogue</h1>
        <p class="lead">The services a plan can include: each one's unit, rate, who may pay for it, its limits, and the services equivalent to it.</p>
        \(items.isEmpty ? HTML("<p>The catalogue is empty.</p>") : HTML("""
        <div class="table-wrap"><table>
        <caption>Services in the catalogue</caption>
        <thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Unit</th><th scope="col" class="number">Rate today</th>
        <th scope="col">Who may pay</th><th scope="col">Limits</th><th scope="col">Equivalent group</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table></div>
        """))
        \(add)
        \(approvals(req, items, providers: providers, mayManage: mayManage))
        """
    }

    /// One service: its rates over time, and for administrators a form to add the next rate and one to
    /// change its limits and equivalence group.
    static func catalogueService(_ req: Request, _ item: Catalogue.Item, mayManage: Bool, echo: [String: String], errors: [FieldError]) -> HTML {
        let e = item.entry
        let rates = item.rates.map { r -> HTML in
            "<tr><th scope=\"row\">\(r.effectiveFrom)</th><td>\(r.effectiveTo ?? "Until a new rate")</td><td class=\"number\">\(Money.text(r.perUnit))</td></tr>"
        }
        func limit(_ v: Double?) -> String { v.map(units) ?? "" }
        let forms: HTML = mayManage ? """
        \(Form.errorSummary(errors))
        <section aria-labelledby="new-rate"><h2 id="new-rate">Add a rate</h2>
        <p>The new rate starts on a day after the latest one; the rate before it ends the day before. Budgets already counted keep their rates.</p>
        <form method="post" action="/catalogue/\(e.code)/rates" novalidate>
        \(Form.csrf(req))
        \(Form.text("perUnit", "Rate per unit (dollars)", value: echo["perUnit"], errors: errors, required: true, inputMode: "decimal"))
        \(Form.text("from", "Applies from", value: echo["from"], errors: errors, required: true, type: "date"))
        <div class="actions"><button type="submit">Add the rate</button></div>
        </form></section>
        <section aria-labelledby="limits"><h2 id="limits">Limits and equivalents</h2>
        <form method="post" action="/catalogue/\(e.code)" novalidate>
        \(Form.csrf(req))
        <input type="hidden" name="version" value="\(e.version)">
        \(Form.text("maxPerDay", "Most units a day", value: echo["maxPerDay"] ?? limit(e.maxPerDay), errors: errors, hint: "Leave blank for no limit.", inputMode: "decimal"))
        \(Form.text("maxPerWeek", "Most units a week", value: echo["maxPerWeek"] ?? limit(e.maxPerWeek), errors: errors, inputMode: "decimal"))
        \(Form.text("maxPerYear", "Most units a year", value: echo["maxPerYear"] ?? limit(e.maxPerYear), errors: errors, inputMode: "decimal"))
        \(Form.text("equivalenceGroup", "Equivalent services group", value: echo["equivalenceGroup"] ?? e.equivalenceGroup, errors: errors))
        <div class="actions"><button type="submit">Save the limits</button></div>
        </form></section>
        """ : .empty
        return """
        <h1>\(e.name) (\(e.code))</h1>
        <p><a href="/catalogue">The whole catalogue</a></p>
        <dl class="facts">
        \(Views.fact("Unit", e.serviceUnit.label))
        \(Views.fact("Who may pay", FundingSource.allCases.filter(e.sources.contains).map(\.label).joined(separator: ", ")))
        \(Views.fact("Equivalent group", e.equivalenceGroup ?? "None"))
        </dl>
        <div class="table-wrap"><table>
        <caption>Rates over time</caption>
        <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col" class="number">Per unit</th></tr></thead>
        <tbody>\(rates)</tbody>
        </table></div>
        \(forms)
        """
    }

    /// Each provider with the services it is approved for; administrators change them here.
    static func approvals(_ req: Request, _ items: [Catalogue.Item], providers: [(Organization, [String])], mayManage: Bool) -> HTML {
        let blocks = providers.map { org, codes -> HTML in
            let id = org.id!.text
            guard mayManage else {
                return "<h3>\(org.name)</h3><p>\(codes.isEmpty ? "No service approved yet." : codes.joined(separator: ", "))</p>"
            }
            let boxes = items.map { item -> HTML in
                let code = item.entry.code
                return "<div class=\"checkbox\"><input id=\"approve-\(id)-\(code)\" name=\"codes\" type=\"checkbox\" value=\"\(code)\"\(codes.contains(code) ? HTML(unsafeRaw: " checked") : .empty)><label for=\"approve-\(id)-\(code)\">\(item.entry.name) (\(code))</label></div>"
            }
            return """
            <form method="post" action="/catalogue/providers/\(id)">
            \(Form.csrf(req))
            <fieldset class="field"><legend>\(org.name) is approved for</legend>\(boxes)</fieldset>
            <div class="actions"><button type="submit" class="secondary">Save \(org.name)'s services</button></div>
            </form>
            """
        }
        return """
        <section aria-labelledby="providers"><h2 id="providers">Providers and the services they are approved for</h2>
        <p>A plan that chooses a provider for a service it is not approved for is flagged.</p>
        \(providers.isEmpty ? HTML("<p>No provider organisation yet.</p>") : HTML.join(blocks))
        </section>
        """
    }

    static func waitingList(_ page: ListPage<(WaitingListEntry, Person)>, byService: [Dashboard.Waiting], first: Bool, today: CalendarDate) -> HTML {
        let rows = page.items
        let summary = byService.sorted { $0.service < $1.service }.map { w -> HTML in
            "<tr><th scope=\"row\">\(w.service)</th><td class=\"number\">\(w.people)</td><td class=\"number\">\(w.longestSince.days(until: today))</td></tr>"
        }
        let people = rows.map { entry, person -> HTML in
            let days = CalendarDate(entry.since).map { $0.days(until: today) } ?? 0
            return "<tr><th scope=\"row\"><a href=\"/people/\(person.id!.text)\">\(person.displayName)</a></th><td>\(entry.serviceName)</td><td>\(entry.since)</td><td class=\"number\">\(days)</td></tr>"
        }
        return """
        <h1>Waiting list</h1>
        <p class="lead">People waiting for a service that no provider can give yet, from their plans in effect.</p>
        \(rows.isEmpty ? HTML("<p>No one is waiting.</p>") : HTML("""
        <div class="table-wrap"><table>
        <caption>By service</caption>
        <thead><tr><th scope="col">Service</th><th scope="col" class="number">People waiting</th><th scope="col" class="number">Longest wait (days)</th></tr></thead>
        <tbody>\(summary)</tbody>
        </table></div>
        \(paging(page.checked, of: page.total, what: "entries on the waiting list", order: "longest waiting first", next: page.nextCursor, first: first, base: "/waiting-list"))
        <div class="table-wrap"><table>
        <caption>Everyone waiting, longest first</caption>
        <thead><tr><th scope="col">Person</th><th scope="col">Service</th><th scope="col">Waiting since</th><th scope="col" class="number">Days</th></tr></thead>
        <tbody>\(people)</tbody>
        </table></div>
        """))
        """
    }
}

/// Cost by month as bars, drawn on the server. The table beside it has the same numbers; the caption
/// says in words what the chart shows.
enum BudgetChart {
    static func figure(_ months: [MonthAmount]) -> HTML {
        guard months.count > 1, let top = months.map(\.cost).max(), top > 0 else { return .empty }
        let width = 640.0, height = 220.0, left = 70.0, bottom = 30.0, gap = 4.0
        let barWidth = (width - left) / Double(months.count) - gap
        let bars = months.enumerated().map { index, m -> HTML in
            let h = (height - bottom - 10) * m.cost / top
            let x = left + Double(index) * (barWidth + gap)
            return "<rect x=\"\(format(x))\" y=\"\(format(height - bottom - h))\" width=\"\(format(barWidth))\" height=\"\(format(h))\" fill=\"#0b4f6c\"></rect>"
        }
        let labels = months.enumerated().compactMap { index, m -> HTML? in
            guard index == 0 || index == months.count - 1 || m.month.month == 1 else { return nil }
            let x = left + Double(index) * (barWidth + gap) + barWidth / 2
            return "<text \(font) x=\"\(format(x))\" y=\"\(format(height - 10))\" text-anchor=\"middle\">\(m.month.description)</text>"
        }
        let highest = months.max { $0.cost < $1.cost }!, lowest = months.min { $0.cost < $1.cost }!
        let sentence = "Cost by month from \(months.first!.month.words) to \(months.last!.month.words): the highest is \(highest.month.words) at \(Money.text(highest.cost)), the lowest \(lowest.month.words) at \(Money.text(lowest.cost)). Shorter months and partial months cost less."
        return """
        <figure class="chart">
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(format(width)) \(format(height))" role="img" aria-labelledby="budget-chart-caption" focusable="false">
        <line x1="\(format(left))" y1="\(format(height - bottom))" x2="\(format(width))" y2="\(format(height - bottom))" stroke="#1b1b1b"></line>
        <text \(font) x="\(format(left - 6))" y="20" text-anchor="end">\(Money.text(top))</text>
        <text \(font) x="\(format(left - 6))" y="\(format(height - bottom))" text-anchor="end">$0</text>
        \(HTML.join(bars))\(HTML.join(labels))
        </svg>
        <figcaption id="budget-chart-caption">\(sentence)</figcaption>
        </figure>
        """
    }

    static func format(_ n: Double) -> String { String(format: "%.1f", n) }
    static let font = HTML(unsafeRaw: "font-family=\"system-ui, sans-serif\" font-size=\"13\" fill=\"#1b1b1b\"")
}

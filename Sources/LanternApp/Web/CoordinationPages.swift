import LanternDomain
import Vapor

/// The supervisor's view of caseloads against their limits and of conflicts of interest.
enum CoordinationPages {
    static func register(_ web: any RoutesBuilder) {
        web.get("caseloads", use: caseloads)
    }

    static func caseloads(req: Request) async throws -> HTML {
        let (loads, conflicts) = try await req.records().caseloadsAndConflicts()
        let rules = req.application.lantern.settings.caseloadRules
        return Layout.page(req, title: "Caseloads", main: CoordinationViews.caseloads(loads, conflicts: conflicts, rules: rules))
    }
}

enum CoordinationViews {
    static func caseloads(_ loads: [(User, Caseload)], conflicts: [ConflictRow], rules: CaseloadRules) -> HTML {
        let over = loads.filter { $0.1.isOver }
        let rows = loads.map { user, load -> HTML in
            """
            <tr><th scope="row">\(user.displayName)</th><td class="number">\(load.people)</td><td class="number">\(load.high)</td>
            <td class="number">\(SectionSpec.plain(load.weighted))</td><td class="number">\(SectionSpec.plain(load.limit))</td>
            <td>\(load.isOver ? HTML("<span class=\"status todo\">Over by \(SectionSpec.plain(load.weighted - load.limit))</span>") : HTML("<span class=\"status done\">Within</span>"))</td></tr>
            """
        }
        let conflictRows = conflicts.map { c -> HTML in
            """
            <tr><th scope="row"><a href="/people/\(c.person.id!.text)#coordination">\(c.person.displayName)</a></th><td>\(c.coordinator.displayName)</td><td>\(c.organization.name)</td>
            <td>\(c.exception.map { HTML("Exception documented on \($0.recordedOn)") } ?? HTML("<span class=\"status todo\">No exception: act now</span>"))</td></tr>
            """
        }
        return """
        <h1>Caseloads</h1>
        <p class="lead">Each coordinator's people, weighted by intensity (standard counts \(SectionSpec.plain(rules.standardWeight)), high counts \(SectionSpec.plain(rules.highWeight))), against their limit (\(SectionSpec.plain(rules.defaultLimit)) unless set for them).</p>
        <p>\(over.isEmpty ? "No coordinator is over their limit." : "\(over.count) \(over.count == 1 ? "coordinator is" : "coordinators are") over their limit: \(over.map(\.0.displayName).joined(separator: ", ")).")</p>
        \(loads.isEmpty ? HTML("<p>No coordinator to show.</p>") : HTML("""
        <div class="table-wrap"><table>
        <caption>Caseloads</caption>
        <thead><tr><th scope="col">Coordinator</th><th scope="col" class="number">People</th><th scope="col" class="number">High intensity</th>
        <th scope="col" class="number">Weighted</th><th scope="col" class="number">Limit</th><th scope="col">Against the limit</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table></div>
        """))
        <section aria-labelledby="conflicts"><h2 id="conflicts">Conflicts of interest</h2>
        <p>People whose coordinator works for an organisation that provides them services (42 CFR 441.301(c)(1)(vi)). Each needs another coordinator or provider, or a documented exception.</p>
        \(conflicts.isEmpty ? HTML("<p>None.</p>") : HTML("""
        <div class="table-wrap"><table>
        <caption>Conflicts of interest, those needing action first</caption>
        <thead><tr><th scope="col">Person</th><th scope="col">Coordinator</th><th scope="col">Works for</th><th scope="col">Exception</th></tr></thead>
        <tbody>\(conflictRows)</tbody>
        </table></div>
        """))
        </section>
        """
    }
}

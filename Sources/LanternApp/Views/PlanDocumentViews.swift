import Foundation

/// The two documents made from a plan version: the whole plan for paper (or "Save as PDF"), and the
/// one-page profile the person reads. Both are whole HTML documents of their own, without the site's
/// navigation, and depend only on what they are given, so the same plan always gives the same page.
enum PlanDocumentViews {
    // MARK: The whole plan, for print

    /// - Parameter printedOn: the day the copy is made; it shows on every page.
    static func printPage(_ d: PlanDocument, printedOn: CalendarDate) -> HTML {
        let plan = d.record.plan, person = d.record.person, id = plan.id!.text
        let period = "\(plan.effectiveStart ?? "start not set") to \(plan.effectiveEnd ?? "end not set")"
        let notFinal: HTML = [.draft, .awaitingSignatures].contains(plan.planStatus)
            ? "<p class=\"not-final\"><strong>\(plan.planStatus == .draft ? "Draft" : "Waiting for signatures"): this version is not in effect.</strong></p>"
            : .empty
        let sections = d.record.specs.enumerated().map { index, spec -> HTML in
            """
            <section class="sheet" aria-labelledby="s-\(spec.key)">
            <h2 id="s-\(spec.key)">\(index + 1). \(spec.title)</h2>
            \(PlanViews.readOnly(spec, content: d.record.content(spec.key), names: d.record.names, headingLevel: 3))
            </section>
            """
        }
        return """
        \(Layout.documentStart(title: "\(person.displayName): \(plan.type.label), version \(plan.versionNumber)", stylesheet: "/assets/document.css"))
        <body class="print-copy">
        <header class="running">\(person.legalName) · born \(person.birthDate) · \(plan.type.shortLabel) version \(plan.versionNumber) · plan period \(period) · printed \(printedOn.description)</header>
        <nav class="screen-only" aria-label="Plan">
        <p><a href="\(PlanPaths.overview(id))">Back to the plan</a> · To print or save as PDF, use your browser's Print command (Ctrl+P, or Cmd+P on a Mac).</p>
        </nav>
        <main id="main">
        <section class="sheet cover" aria-labelledby="title">
        <h1 id="title">\(person.displayName): \(plan.type.label)</h1>
        \(notFinal)
        <dl class="facts">
        \(Views.fact("Legal name", person.legalName))
        \(Views.fact("Date of birth", person.birthDate))
        \(Views.fact("Kind of plan", plan.kind.label))
        \(Views.fact("Status", plan.planStatus.label + (plan.endedOn.map { " on \($0)" } ?? "")))
        \(Views.fact("Version", "\(plan.versionNumber)" + (plan.changeReason.map { " (why: \($0))" } ?? "")))
        \(Views.fact("Planning meeting", plan.meetingDate))
        \(Views.fact("Plan period", period))
        \(Views.fact("Date of implementation", plan.implementationDate))
        \(Views.fact("Next review", plan.nextReviewDate))
        \(Views.fact("Language of the plan", plan.planningLanguage))
        \(Views.fact("SHA-256 digest of this version", plan.contentDigest ?? "Taken when the version is sent for signatures"))
        </dl>
        <h2>Contents</h2>
        <ol class="contents">\(d.record.specs.map { HTML("<li><a href=\"#s-\($0.key)\">\($0.title)</a></li>") })<li><a href="#signatures">Signatures</a></li><li><a href="#copies">Copies given</a></li></ol>
        </section>
        \(sections)
        \(signaturePage(d))
        </main>
        </body>
        </html>
        """
    }

    static func signaturePage(_ d: PlanDocument) -> HTML {
        let plan = d.record.plan
        let rows = d.signatures.filter { $0.signatureStatus != .withdrawn }.map { s -> HTML in
            let when = s.signedAt.map { CalendarDate($0).description }
            var how: [String] = []
            if let m = s.method.flatMap(SignatureMethod.init(rawValue:)) { how.append(m.label) }
            if let behalf = s.onBehalfOf { how.append("on behalf of \(behalf)") }
            if s.hadSupport == true { how.append("with support from \(s.supportBy ?? "someone")") }
            if let why = s.declineReason { how.append("reason: \(why)") }
            let mark: HTML = s.signatureStatus == .signed
                ? "Signed \(when ?? "")"
                : "<span class=\"sign-line\" aria-hidden=\"true\"></span><span class=\"visually-hidden\">Not signed yet: </span>\(s.signatureStatus.label)"
            return "<tr><td>\(s.signerName)</td><td>\(s.signerRole.label)</td><td>\(mark)</td><td>\(how.joined(separator: "; "))</td></tr>"
        }
        let copies = d.copies.map { c -> HTML in
            "<tr><td>\(c.recipientName)</td><td>\(c.role.label)</td><td>\(c.sentOn)</td><td>\(c.distributionMethod.label)</td><td>\(Views.yesNo(c.includesBudget))</td></tr>"
        }
        return """
        <section class="sheet" aria-labelledby="signatures">
        <h2 id="signatures">Signatures</h2>
        \(rows.isEmpty ? HTML("<p>This version has not been sent for signatures.</p>") : """
        <p>By signing, each person agrees to version \(plan.versionNumber) of this plan\(plan.contentDigest.map { ", whose SHA-256 digest is \($0)" } ?? "").</p>
        <table>
        <caption>Who signs version \(plan.versionNumber)</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Signs as</th><th scope="col">Signature and date</th><th scope="col">How</th></tr></thead>
        <tbody>\(rows)</tbody>
        </table>
        """)
        <h2 id="copies">Copies given</h2>
        \(copies.isEmpty ? HTML("<p>No copy of this version has been recorded as given yet.</p>") : """
        <table>
        <caption>Who received a copy of version \(plan.versionNumber)</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Who they are</th><th scope="col">Date</th><th scope="col">How</th><th scope="col">With the budget</th></tr></thead>
        <tbody>\(copies)</tbody>
        </table>
        """)
        </section>
        """
    }

    // MARK: The one-page profile

    /// A simple picture for each part, beside its heading; decorative, so hidden from screen readers.
    static func picture(_ part: String) -> HTML {
        let shape: String
        switch part {
        case "admired": shape = "<path d=\"M24 4l6 13 14 1-11 9 4 14-13-8-13 8 4-14L4 18l14-1z\"/>"
        case "important-to": shape = "<path d=\"M24 42S6 30 6 17a9 9 0 0 1 18-3 9 9 0 0 1 18 3c0 13-18 25-18 25z\"/>"
        case "support": shape = "<path d=\"M6 30c6-2 10 0 14 3h8a3 3 0 0 1 0 6H18m-12 0h30l8-8a3 3 0 0 0-4-4l-7 5\"/><circle cx=\"24\" cy=\"14\" r=\"7\"/>"
        case "not-working": shape = "<circle cx=\"24\" cy=\"24\" r=\"18\"/><path d=\"M11 11l26 26\"/>"
        case "people": shape = "<circle cx=\"16\" cy=\"16\" r=\"6\"/><circle cx=\"32\" cy=\"16\" r=\"6\"/><path d=\"M4 40c0-8 6-13 12-13s12 5 12 13M20 40c0-8 6-13 12-13s12 5 12 13\"/>"
        default: shape = "<path d=\"M12 44V6m0 2h24l-6 8 6 8H12\"/>"
        }
        return HTML(unsafeRaw: "<svg class=\"picture\" viewBox=\"0 0 48 48\" width=\"48\" height=\"48\" aria-hidden=\"true\" focusable=\"false\">\(shape)</svg>")
    }

    /// The profile in large type, in the language asked for where a translation is recorded (each
    /// translated text carries its own `lang`, so a screen reader speaks it in that language).
    static func profilePage(_ d: PlanDocument) -> HTML {
        let plan = d.record.plan, person = d.record.person, id = plan.id!.text
        func words(_ text: String) -> HTML {
            let (shown, lang) = d.translated(text)
            return lang.map { HTML("<span lang=\"\($0)\">\(shown)</span>") } ?? HTML("\(shown)")
        }
        let newCount = d.profile.parts.flatMap(\.items).filter(\.isNew).count
        let parts = d.profile.parts.map { part -> HTML in
            let items = part.items.map { item -> HTML in
                let new: HTML = item.isNew ? HTML("<strong class=\"new\">\(words(PlanProfile.newLabel))<span class=\"visually-hidden\">:</span></strong> ") : .empty
                return "<li\(item.isNew ? HTML(unsafeRaw: " class=\"is-new\"") : .empty)>\(new)\(words(item.text))</li>"
            }
            return """
            <section class="part" aria-labelledby="p-\(part.key)">
            <h2 id="p-\(part.key)">\(picture(part.key))\(words(part.heading))</h2>
            <ul>\(items)</ul>
            </section>
            """
        }
        let languageLinks: [HTML] = [HTML("<li><a href=\"\(PlanPaths.overview(id))/profile\" hreflang=\"en\"\(d.language == nil ? HTML(unsafeRaw: " aria-current=\"page\"") : .empty)>English</a></li>")]
            + d.languages.map { l in
                HTML("<li><a href=\"\(PlanPaths.overview(id))/profile?lang=\(l.tag)\" lang=\"\(l.tag)\" hreflang=\"\(l.tag)\"\(d.language == l ? HTML(unsafeRaw: " aria-current=\"page\"") : .empty)>\(l.ownName)</a></li>")
            }
        let changeNote: HTML = d.base.map { base in
            newCount > 0
                ? HTML("<p class=\"since\">Things marked <strong>New</strong> are new since version \(base.versionNumber) of the plan.</p>")
                : HTML("<p class=\"since\">Nothing is new since version \(base.versionNumber) of the plan.</p>")
        } ?? .empty
        return """
        \(Layout.documentStart(title: "\(PlanProfile.title): \(person.displayName)", stylesheet: "/assets/document.css"))
        <body class="profile">
        <nav class="screen-only" aria-label="Profile">
        <ul class="links"><li><a href="\(PlanPaths.overview(id))">Back to the plan</a></li><li><a href="\(PlanPaths.overview(id))/print">The whole plan</a></li>\(d.mayChoosePhoto ? HTML("<li><a href=\"/people/\(person.id!.text)/photo/edit?plan=\(id)\">\(d.photoDescription == nil ? "Add a photo" : "Change the photo")</a></li>") : .empty)</ul>
        </nav>
        \(d.languages.isEmpty ? HTML.empty : HTML("<nav class=\"screen-only\" aria-label=\"Language\"><ul class=\"links\">\(languageLinks)</ul></nav>"))
        <main id="main">
        <h1>\(words(PlanProfile.title)): \(person.displayName)</h1>
        \(d.photoDescription.map { HTML("<img class=\"photo\" src=\"/people/\(person.id!.text)/photo\" alt=\"\($0)\">") } ?? .empty)
        <p class="from">From my \(plan.type.shortLabel), version \(plan.versionNumber), \(plan.planStatus.label.lowercased()).</p>
        \(changeNote)
        \(d.profile.parts.isEmpty ? HTML("<p>The plan does not say these things yet.</p>") : HTML.join(parts))
        </main>
        </body>
        </html>
        """
    }
}

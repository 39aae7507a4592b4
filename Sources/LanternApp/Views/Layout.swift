import Vapor

/// The frame of every page: a skip link, a header with the main navigation, one `main` landmark
/// that starts with the page's only h1, and a footer.
enum Layout {
    static func page(_ req: Request, title: String, main: HTML, flash: String? = nil) -> HTML {
        let actor = req.actor
        var nav: [HTML] = []
        if let actor {
            if [.person, .guardianFamily].contains(actor.role) {
                nav.append(link("/my", "My pages", current: false))
            }
            if AccessPolicy(actor: actor).roleAllows(.reviewProgress) {
                nav.append(link("/dashboard", "Dashboard", current: req.url.path.hasPrefix("/dashboard")))
            }
            nav.append(link("/people", "People", current: req.url.path.hasPrefix("/people")))
            if AccessPolicy(actor: actor).roleAllows(.reviewProgress) {
                nav.append(link("/tasks", "Tasks", current: req.url.path.hasPrefix("/tasks")))
                nav.append(link("/outcomes/attention", "Needs attention", current: req.url.path.hasPrefix("/outcomes")))
                nav.append(link("/waiting-list", "Waiting list", current: req.url.path.hasPrefix("/waiting-list")))
                nav.append(link("/caseloads", "Caseloads", current: req.url.path.hasPrefix("/caseloads")))
            }
            if AccessPolicy(actor: actor).roleAllows(.recordDelivery) {
                nav.append(link("/authorizations", "Authorizations", current: req.url.path.hasPrefix("/authorizations")))
                nav.append(link("/catalogue", "Catalogue", current: req.url.path.hasPrefix("/catalogue")))
            }
            nav.append(link("/tokens", "API tokens", current: req.url.path.hasPrefix("/tokens")))
            if AccessPolicy(actor: actor).mayManageAccounts {
                nav.append(link("/accounts", "Accounts", current: req.url.path.hasPrefix("/accounts")))
            }
            if AccessPolicy(actor: actor).mayReadAudit {
                nav.append(link("/audit", "Audit trail", current: req.url.path.hasPrefix("/audit")))
            }
        }
        let account: HTML = actor.map { actor in
            """
            <div class="account"><span>Signed in as <strong>\(actor.displayName)</strong> (\(actor.role.label))</span>
            <form method="post" action="/sign-out"><input type="hidden" name="\(CSRF.fieldName)" value="\(CSRF.token(for: req))">
            <button type="submit" class="button secondary">Sign out</button></form></div>
            """
        } ?? .empty
        let flashHTML: HTML = flash.map { "<div class=\"flash\" role=\"status\">\($0)</div>" } ?? .empty
        return """
        \(documentStart(title: title, stylesheet: "/assets/lantern.css"))
        <body>
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="site-header">
        <p class="brand"><a href="/">Lantern</a></p>
        \(nav.isEmpty ? HTML.empty : "<nav aria-label=\"Main\"><ul>\(nav)</ul></nav>")
        \(account)
        </header>
        <main id="main" tabindex="-1">
        \(flashHTML)
        \(main)
        </main>
        <footer class="site-footer"><p>Lantern: person-centered support planning. Only synthetic people appear in the demo.</p></footer>
        </body>
        </html>
        """
    }

    /// The opening of every HTML document Lantern serves, up to its body: its language (English unless said), a title that ends
    /// with the product's name, and one stylesheet (no inline styles: the content security policy forbids them).
    static func documentStart(title: String, stylesheet: String, lang: String = "en", script: String? = nil) -> HTML {
        """
        <!DOCTYPE html>
        <html lang="\(lang)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · Lantern</title>
        <link rel="stylesheet" href="\(stylesheet)">\(script.map { HTML("\n<script src=\"\($0)\" defer></script>") } ?? .empty)
        </head>
        """
    }

    static func link(_ href: String, _ text: String, current: Bool) -> HTML {
        "<li><a href=\"\(href)\"\(current ? HTML(unsafeRaw: " aria-current=\"page\"") : .empty)>\(text)</a></li>"
    }
}

/// The few words a form adds around its fields, in the page's language.
struct FormWords: Sendable {
    var required = "(required)"
    var errorPrefix = "Error:"
    static let english = FormWords()
}

/// Pieces of forms that every page uses the same way: a label tied to each field, the hint and the
/// error message tied by aria-describedby, and a summary of errors at the top that links to each field.
enum Form {
    static func csrf(_ req: Request) -> HTML {
        "<input type=\"hidden\" name=\"\(CSRF.fieldName)\" value=\"\(CSRF.token(for: req))\">"
    }

    /// The list of problems at the top of a form. Each links to its field; `linkable` names the fields
    /// the page has, so a problem with something else (a page cursor) is listed without a dead link.
    static func errorSummary(_ errors: [FieldError], linkable: Set<String>? = nil) -> HTML {
        guard !errors.isEmpty else { return .empty }
        let items = errors.map { e -> HTML in
            linkable.map { $0.contains(e.field) } ?? true
                ? "<li><a href=\"#\(fieldID(e.field))\">\(e.message)</a></li>"
                : "<li>\(e.message)</li>"
        }
        return """
        <div class="error-summary" role="alert" tabindex="-1" id="error-summary">
        <h2>Please fix \(errors.count == 1 ? "this" : "these") before saving</h2>
        <ul>\(items)</ul>
        </div>
        """
    }

    /// The top of an edit form after a refusal: either "someone else saved first" (a field-less
    /// `version` problem) or the summary of fields to fix.
    static func problems(_ errors: [FieldError]) -> HTML {
        if let conflict = errors.first(where: { $0.field == "version" }) {
            return "<div class=\"error-summary\" role=\"alert\" id=\"field-version\"><p>\(conflict.message)</p></div>"
        }
        return errorSummary(errors)
    }

    /// The opening of an add-or-edit form: what went wrong last time, the form tag, the CSRF token,
    /// and, when editing, the version the form was filled from (so a stale save is refused).
    static func editorStart(_ req: Request, action: String, version: Int?, errors: [FieldError]) -> HTML {
        """
        \(problems(errors))
        <form method="post" action="\(action)" novalidate>
        \(csrf(req))
        \(version.map { HTML("<input type=\"hidden\" name=\"version\" value=\"\($0)\">") } ?? .empty)
        """
    }

    static func fieldID(_ name: String) -> String { "field-" + name }

    private static func describedBy(_ name: String, hint: String?, error: String?) -> HTML {
        var ids: [String] = []
        if hint != nil { ids.append(fieldID(name) + "-hint") }
        if error != nil { ids.append(fieldID(name) + "-error") }
        return ids.isEmpty ? .empty : " aria-describedby=\"\(ids.joined(separator: " "))\""
    }

    private static func hintAndError(_ name: String, hint: String?, error: String?, words: FormWords = .english) -> HTML {
        var html: [HTML] = []
        if let hint { html.append("<p class=\"hint\" id=\"\(fieldID(name))-hint\">\(hint)</p>") }
        if let error { html.append("<p class=\"field-error\" id=\"\(fieldID(name))-error\"><span class=\"visually-hidden\">\(words.errorPrefix) </span>\(error)</p>") }
        return html.joined
    }

    static func text(_ name: String, _ label: String, value: String?, errors: [FieldError], hint: String? = nil, required: Bool = false,
                     type: String = "text", autocomplete: String? = nil, multiline: Bool = false, inputMode: String? = nil, words: FormWords = .english) -> HTML {
        let error = errors.first { $0.field == name }?.message
        let req: HTML = required ? " required aria-required=\"true\"" : .empty
        let invalid: HTML = error != nil ? " aria-invalid=\"true\"" : .empty
        let auto: HTML = "\(autocomplete.map { HTML(" autocomplete=\"\($0)\"") } ?? .empty)\(inputMode.map { HTML(" inputmode=\"\($0)\"") } ?? .empty)"
        let marker: HTML = required ? " <span class=\"required\">\(words.required)</span>" : .empty
        let control: HTML = multiline
            ? "<textarea id=\"\(fieldID(name))\" name=\"\(name)\" rows=\"4\"\(req)\(invalid)\(describedBy(name, hint: hint, error: error))>\(value)</textarea>"
            : "<input id=\"\(fieldID(name))\" name=\"\(name)\" type=\"\(type)\" value=\"\(value)\"\(req)\(invalid)\(auto)\(describedBy(name, hint: hint, error: error))>"
        return """
        <div class="field\(error != nil ? HTML(unsafeRaw: " has-error") : .empty)">
        <label for="\(fieldID(name))">\(label)\(marker)</label>
        \(hintAndError(name, hint: hint, error: error, words: words))
        \(control)
        </div>
        """
    }

    static func select<V: Vocabulary>(_ name: String, _ label: String, _ type: V.Type, value: String?, errors: [FieldError],
                                      hint: String? = nil, required: Bool = false, includeBlank: Bool = true) -> HTML {
        let error = errors.first { $0.field == name }?.message
        var options: [HTML] = includeBlank ? ["<option value=\"\">Choose…</option>"] : []
        for option in V.allCases {
            options.append("<option value=\"\(option.rawValue)\"\(option.rawValue == value ? HTML(unsafeRaw: " selected") : .empty)>\(option.label)</option>")
        }
        let marker: HTML = required ? " <span class=\"required\">(required)</span>" : .empty
        return """
        <div class="field\(error != nil ? HTML(unsafeRaw: " has-error") : .empty)">
        <label for="\(fieldID(name))">\(label)\(marker)</label>
        \(hintAndError(name, hint: hint, error: error))
        <select id="\(fieldID(name))" name="\(name)"\(required ? HTML(unsafeRaw: " required aria-required=\"true\"") : .empty)\(error != nil ? HTML(unsafeRaw: " aria-invalid=\"true\"") : .empty)\(describedBy(name, hint: hint, error: error))>\(options)</select>
        </div>
        """
    }

    static func checkbox(_ name: String, _ label: String, checked: Bool, errors: [FieldError], hint: String? = nil) -> HTML {
        let error = errors.first { $0.field == name }?.message
        return """
        <div class="field checkbox\(error != nil ? HTML(unsafeRaw: " has-error") : .empty)">
        \(hintAndError(name, hint: hint, error: error))
        <input id="\(fieldID(name))" name="\(name)" type="checkbox" value="true"\(checked ? HTML(unsafeRaw: " checked") : .empty)\(describedBy(name, hint: hint, error: error))>
        <label for="\(fieldID(name))">\(label)</label>
        </div>
        """
    }

    static func checkboxGroup<V: Vocabulary>(_ name: String, _ legend: String, _ type: V.Type, selected: [String], errors: [FieldError], hint: String? = nil) -> HTML {
        choiceGroup(name, legend, options: V.allCases.map { ($0.rawValue, $0.label) }, selected: selected, errors: errors, hint: hint)
    }

    /// A group of checkboxes (or radio buttons, when only one may be chosen) in a fieldset with its
    /// legend, hint and error. Each control's id is `field-<name>-<value>`.
    static func choiceGroup(_ name: String, _ legend: String, options: [(value: String, label: String)], selected: [String], errors: [FieldError],
                            hint: String? = nil, single: Bool = false, required: Bool = false, words: FormWords = .english) -> HTML {
        let error = errors.first { $0.field == name }?.message
        let boxes = options.map { option -> HTML in
            let id = fieldID(name) + "-" + option.value
            return "<div class=\"checkbox\"><input id=\"\(id)\" name=\"\(name)\" type=\"\(single ? "radio" : "checkbox")\" value=\"\(option.value)\"\(selected.contains(option.value) ? HTML(unsafeRaw: " checked") : .empty)\(describedBy(name, hint: hint, error: error))\(error != nil ? HTML(unsafeRaw: " aria-invalid=\"true\"") : .empty)><label for=\"\(id)\">\(option.label)</label></div>"
        }
        return """
        <fieldset class="field\(error != nil ? HTML(unsafeRaw: " has-error") : .empty)" id="\(fieldID(name))">
        <legend>\(legend)\(required ? HTML(" <span class=\"required\">\(words.required)</span>") : .empty)</legend>
        \(hintAndError(name, hint: hint, error: error, words: words))
        \(boxes)
        </fieldset>
        """
    }
}

/// The one stylesheet. Colours meet WCAG AA contrast; focus is always visible; sizes are in rem so
/// text scales to 200% without loss; targets are at least 44 px.
enum Stylesheet {
    static let css = """
    :root { --ink: #1b1b1b; --muted: #4a4a4a; --brand: #0b4f6c; --accent: #8a3b00; --error: #b00020; --bg: #ffffff; --panel: #f3f5f7; --focus: #ffbf47; }
    * { box-sizing: border-box; }
    html { font-size: 100%; }
    body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); background: var(--bg); line-height: 1.5; font-size: 1.0625rem; }
    a { color: var(--brand); text-underline-offset: 0.15em; }
    a:hover { color: #062f40; }
    :focus-visible { outline: 3px solid var(--ink); outline-offset: 2px; box-shadow: 0 0 0 6px var(--focus); }
    .skip-link { position: absolute; left: -999px; top: 0; background: var(--focus); color: var(--ink); padding: 0.75rem 1rem; z-index: 10; }
    .skip-link:focus { left: 0.5rem; }
    .site-header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; padding: 0.75rem 1.5rem; background: var(--brand); color: #fff; }
    .site-header a { color: #fff; }
    .brand { margin: 0; font-weight: 700; font-size: 1.35rem; }
    .site-header nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; margin: 0; padding: 0; }
    .site-header nav a { display: inline-block; padding: 0.6rem 0.25rem; min-height: 44px; }
    .site-header nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
    .account { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }
    .account form { margin: 0; }
    main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
    main:focus { outline: none; }
    h1 { font-size: 2rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
    h2 { font-size: 1.5rem; margin-top: 2rem; }
    .site-footer { border-top: 1px solid #d0d4d8; padding: 1rem 1.5rem; color: var(--muted); font-size: 0.95rem; }
    .button, button { display: inline-block; min-height: 44px; padding: 0.6rem 1.1rem; border: 2px solid var(--brand); background: var(--brand); color: #fff; border-radius: 4px; font: inherit; font-weight: 600; cursor: pointer; text-decoration: none; }
    .button.secondary, button.secondary { background: #fff; color: var(--brand); }
    .button.danger, button.danger { background: var(--error); border-color: var(--error); color: #fff; }
    .field { margin: 0 0 1.25rem; }
    label, legend { display: block; font-weight: 600; margin-bottom: 0.25rem; }
    .required { font-weight: 400; color: var(--muted); }
    input[type=text], input[type=email], input[type=password], input[type=date], input[type=search], input[type=number], select, textarea { width: 100%; max-width: 36rem; min-height: 44px; padding: 0.5rem; border: 2px solid #5a5a5a; border-radius: 4px; font: inherit; background: #fff; color: var(--ink); }
    .checkbox { display: flex; align-items: center; gap: 0.6rem; margin: 0.4rem 0; }
    .checkbox input { width: 1.5rem; height: 1.5rem; }
    .checkbox label { font-weight: 400; margin: 0; }
    .rating-scale { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; }
    .rating-scale legend { width: 100%; }
    .rating { display: flex; align-items: center; gap: 0.5rem; min-height: 3rem; }
    .rating input { width: 1.75rem; height: 1.75rem; }
    .rating label { font-weight: 400; margin: 0; display: flex; align-items: center; gap: 0.4rem; }
    .rating .face { font-size: 2rem; line-height: 1; }
    fieldset { border: 1px solid #c4c8cc; padding: 0.75rem 1rem; max-width: 40rem; }
    .hint { color: var(--muted); margin: 0 0 0.35rem; }
    .field-error { color: var(--error); font-weight: 600; margin: 0 0 0.35rem; }
    .has-error input, .has-error select, .has-error textarea { border-color: var(--error); border-width: 3px; }
    .error-summary { border: 4px solid var(--error); padding: 1rem 1.25rem; margin-bottom: 1.5rem; }
    .error-summary h2 { margin-top: 0; font-size: 1.25rem; }
    .error-summary a { color: var(--error); font-weight: 600; }
    .flash { border-left: 6px solid #1d6b35; background: #eaf6ee; padding: 0.75rem 1rem; margin-bottom: 1rem; }
    .visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
    caption { text-align: left; font-weight: 600; padding-bottom: 0.5rem; }
    th, td { text-align: left; padding: 0.6rem 0.5rem; border-bottom: 1px solid #c4c8cc; vertical-align: top; }
    th { background: var(--panel); }
    .table-wrap { position: relative; overflow-x: auto; }
    .filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-end; background: var(--panel); padding: 1rem; border-radius: 4px; }
    .filters .field { margin: 0; min-width: 12rem; }
    dl.facts { display: grid; grid-template-columns: minmax(10rem, 16rem) 1fr; gap: 0.4rem 1rem; }
    dl.facts dt { font-weight: 600; }
    dl.facts dd { margin: 0; }
    .actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin: 1rem 0; }
    .actions form { margin: 0; }
    .card { background: var(--panel); padding: 1rem 1.25rem; border-radius: 4px; margin: 1rem 0; }
    .secret { font-family: ui-monospace, monospace; font-size: 1.1rem; word-break: break-all; background: #fff; border: 2px dashed var(--brand); padding: 0.75rem; }
    form.inline { display: inline; margin-left: 0.75rem; }
    ul.providers li { margin: 0.4rem 0; }
    .pagination { display: flex; gap: 1rem; margin: 1rem 0; }
    .entry { margin: 0 0 1rem; }
    .entry legend { font-size: 1.1rem; }
    .list-field > h2, .list-field > h3 { margin-bottom: 0.25rem; }
    .findings li { margin: 0.5rem 0; }
    .severity { display: inline-block; font-weight: 700; padding: 0 0.4rem; border-radius: 3px; margin-right: 0.4rem; }
    .severity.required { background: #fbe9eb; color: var(--error); border: 1px solid var(--error); }
    .severity.recommended { background: #fff4e5; color: var(--accent); border: 1px solid var(--accent); }
    .citation { color: var(--muted); font-size: 0.95rem; }
    .section-list li { margin: 0.35rem 0; }
    .status { font-weight: 600; }
    .status.done { color: #1d6b35; }
    .status.todo { color: var(--accent); }
    progress { width: 100%; max-width: 24rem; height: 1.25rem; }
    .section-nav { display: flex; flex-wrap: wrap; gap: 1rem; justify-content: space-between; margin: 1.5rem 0; }
    .purpose { font-size: 1.1rem; max-width: 48rem; }
    ins { background: #e6f4ea; color: #0b3d1a; text-decoration: underline; }
    del { background: #fdecea; color: #6b1010; text-decoration: line-through; }
    ul.changes li { margin: 0.5rem 0; }
    .profile-photo { display: block; max-width: 16rem; max-height: 16rem; border-radius: 8px; object-fit: cover; }
    figure.chart { margin: 1rem 0; max-width: 42rem; }
    figure.chart svg { width: 100%; height: auto; }
    figure.chart figcaption { margin-top: 0.5rem; }
    .own-view { display: flex; gap: 0.75rem; align-items: center; }
    .face { flex: none; }
    .flag { color: var(--error); }
    .attention { border-left: 6px solid var(--accent); }
    .step-name { font-size: 1.2rem; font-weight: 600; }
    .big-choices .choice-row { display: flex; flex-wrap: wrap; gap: 0.75rem; }
    .big-choice { position: relative; }
    .big-choice input { position: absolute; opacity: 0; width: 1px; height: 1px; }
    .big-choice label { display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 0.25rem; min-width: 5.5rem; min-height: 3.5rem; padding: 0.6rem 1rem; border: 2px solid var(--muted); border-radius: 8px; font-size: 1.15rem; font-weight: 600; cursor: pointer; background: #fff; }
    .big-choice input:checked + label { border-color: var(--brand); background: #e8f0fb; box-shadow: inset 0 0 0 2px var(--brand); }
    .big-choice input:focus-visible + label { outline: 3px solid var(--ink); outline-offset: 2px; box-shadow: 0 0 0 6px var(--focus); }
    form.quick input, form.quick textarea { font-size: 1.15rem; }
    form.quick button[type=submit] { min-height: 3rem; min-width: 10rem; font-size: 1.15rem; }
    @media (max-width: 40rem) { dl.facts { grid-template-columns: 1fr; } main { padding: 1rem; } h1 { font-size: 1.6rem; } }
    .portal { font-size: 1.125rem; }
    .portal main { max-width: 56rem; }
    .whose { color: var(--muted); margin: 0 0 0.5rem; }
    .big-links { list-style: none; padding: 0; display: flex; flex-direction: column; gap: 0.75rem; }
    a.big-link { display: inline-block; min-height: 48px; padding: 0.75rem 1rem; border: 2px solid var(--brand); border-radius: 8px; font-weight: 600; font-size: 1.15rem; }
    ul.plain { list-style: none; padding: 0; }
    .language-switch { margin: 0; }
    .portal .part h3 { display: flex; align-items: center; gap: 0.6rem; }
    .portal .picture { width: 40px; height: 40px; fill: none; stroke: currentColor; stroke-width: 2.5; flex: none; }
    .portal .total { font-size: 1.3rem; font-weight: 700; }
    .portal details summary { min-height: 44px; padding: 0.6rem 0; cursor: pointer; font-weight: 600; }
    @media print { .site-header nav, .account, .skip-link, .actions, .screen-only { display: none; } }
    """
}

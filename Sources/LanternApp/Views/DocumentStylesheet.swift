/// The stylesheet of the plan's documents: the printed plan (a section per sheet, the person's name and
/// plan dates on every page, a signature page) and the one-page profile (large type, short lines).
enum DocumentStylesheet {
    static let css = """
    :root { --ink: #1b1b1b; --muted: #4a4a4a; --brand: #0b4f6c; --new: #1d6b35; --focus: #ffbf47; }
    * { box-sizing: border-box; }
    body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); background: #fff; line-height: 1.5; }
    a { color: var(--brand); }
    :focus-visible { outline: 3px solid var(--ink); outline-offset: 2px; box-shadow: 0 0 0 6px var(--focus); }
    main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
    nav.screen-only { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 0; }
    .visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
    caption { text-align: left; font-weight: 600; padding-bottom: 0.5rem; }
    th, td { text-align: left; padding: 0.5rem; border: 1px solid #8a8f94; vertical-align: top; }
    dl.facts { display: grid; grid-template-columns: minmax(10rem, 16rem) 1fr; gap: 0.3rem 1rem; }
    dl.facts dt { font-weight: 600; }
    dl.facts dd { margin: 0; overflow-wrap: anywhere; }

    /* The printed plan */
    .print-copy { font-size: 1rem; }
    .print-copy .running { background: #f3f5f7; border-bottom: 1px solid #8a8f94; padding: 0.5rem 1.5rem; font-size: 0.9rem; }
    .print-copy h1 { font-size: 1.8rem; }
    .print-copy h2 { font-size: 1.4rem; border-bottom: 2px solid var(--brand); padding-bottom: 0.2rem; }
    .print-copy h3 { font-size: 1.15rem; }
    .not-final { border: 3px solid #8a3b00; padding: 0.5rem 1rem; color: #8a3b00; }
    .sign-line { display: inline-block; width: 12rem; border-bottom: 1px solid var(--ink); height: 1.5rem; margin-right: 0.5rem; vertical-align: bottom; }

    /* The one-page profile: large type, a picture beside each heading, what is new marked in words */
    .profile { font-size: 1.375rem; line-height: 1.6; }
    .profile h1 { font-size: 2.4rem; line-height: 1.2; }
    .profile h2 { font-size: 1.75rem; display: flex; align-items: center; gap: 0.75rem; margin: 2rem 0 0.5rem; }
    .profile .picture { flex: none; width: 3rem; height: 3rem; fill: none; stroke: var(--brand); stroke-width: 3; stroke-linecap: round; stroke-linejoin: round; }
    .profile .part ul { padding-left: 1.5rem; }
    .profile .part li { margin: 0.5rem 0; max-width: 40em; }
    .profile .new { display: inline-block; background: #e6f4ea; color: #0b3d1a; border: 2px solid var(--new); border-radius: 4px; padding: 0 0.4rem; font-size: 1.1rem; }
    .profile .from, .profile .since { color: var(--muted); }
    .profile .photo { display: block; max-width: 16rem; max-height: 16rem; border-radius: 8px; margin: 0 0 1rem; object-fit: cover; }
    ul.links { list-style: none; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; padding: 0; margin: 0 0 0.5rem; }
    ul.links a { display: inline-block; min-height: 44px; padding: 0.5rem 0; }
    ul.links a[aria-current="page"] { font-weight: 700; }

    @media print {
      .screen-only { display: none; }
      @page { size: auto; margin: 2.2cm 1.6cm 1.8cm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
      main { max-width: none; padding: 0; }
      /* Repeated at the top of every printed page; the page margin leaves it room. */
      .print-copy .running { position: fixed; top: -1.6cm; left: 0; right: 0; background: none; padding: 0; font-size: 9pt; }
      .print-copy .sheet + .sheet { break-before: page; }
      .print-copy h2, .print-copy h3 { break-after: avoid; }
      .print-copy tr, .print-copy dl.facts > * { break-inside: avoid; }
      .print-copy a { color: var(--ink); text-decoration: none; }
      .profile { font-size: 14pt; }
      .profile h2 { margin-top: 1rem; }
    }
    """
}

"""Browser tests for the outcome pages: a person's outcomes with the steps that need attention, one
outcome with its charts (each a picture with a sentence and the numbers in a table), and the forms made
for a phone to record progress, review an outcome and say how it is going, with what provider staff
and the person may see and do.

Run against a server started with the demo data, like test_lantern.py:

    LANTERN_URL=http://127.0.0.1:8080 python3 -m pytest Tests/browser/test_outcomes.py -v

The outcome pages' axe-core scans are entries of test_lantern.py's AXE_PAGES (registered below with
@axe_page, names starting "outcome-"), so they run as test_lantern.py::test_axe_no_serious_violations:

    python3 -m pytest Tests/browser/test_lantern.py -k "axe and outcome"

Each test signs in itself and finds what it needs by its content (a person whose plan in effect has
outcomes, a step measured one way), so tests can run alone or in any order. They only add to what is
recorded (progress entries, reviews, what the person said), which is kept apart from the plans, and
find what they added by a random tag; no plan is changed.
"""

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from test_lantern import (
    COORDINATOR,
    assert_no_alert,
    assert_no_scripts,
    axe_page,
    click_and_wait,
    error_summary_messages,
    h1_text,
    main_form,
    path_of,
    set_date,
    sign_in,
    submit_button,
    text_content,
    wait,
    wait_for_load,
)
from test_plans import (
    PROBE,
    PROVIDER_STAFF,
    UUID,
    assert_field_error,
    flash,
    people_urls,
    press_and_wait,
    response_status,
    signed_in_name,
    tab_to,
    unique,
)

PERSON = "person1@family.example"
MAPLE_STREET = "Maple Street Supports"

PERCENTAGE = "Percentage of opportunities"
RATING = "Rating from 1 to 5"
YES_NO = "Yes or no"
FACES = {"going_well": "Going well", "okay": "Okay", "not_going_well": "Not going well"}

PHONE = (390, 844)


# MARK: helpers


def outcome_path(person_url, outcome_id=None):
    path = urlparse(person_url).path.split("#")[0].rstrip("/") + "/outcomes"
    return path + f"/{outcome_id}" if outcome_id else path


def outcome_links(driver):
    """The outcomes listed on the summary shown: (outcome text, URL) from each section's h2 link."""
    return [(text_content(a), a.get_attribute("href"))
            for a in driver.find_elements(By.CSS_SELECTOR, "main section.outcome > h2 > a")]


def step_rows(driver):
    """Every action step on the summary shown, as dicts: outcome, outcome_url, step, who, often, measured,
    latest, record (the Record link's URL or None) and record_text (the link's whole text)."""
    return driver.execute_script("""
        const squeeze = t => (t || '').replace(/\\s+/g, ' ').trim();
        const rows = [];
        for (const section of document.querySelectorAll('main section.outcome')) {
            const heading = section.querySelector('h2 > a');
            for (const tr of section.querySelectorAll('table tbody tr')) {
                const cells = tr.querySelectorAll('td');
                const link = cells[5] ? cells[5].querySelector('a') : null;
                rows.push({outcome: squeeze(heading.textContent), outcome_url: heading.href,
                           caption: squeeze(section.querySelector('table caption').textContent),
                           step: squeeze(cells[0].textContent), who: squeeze(cells[1].textContent),
                           often: squeeze(cells[2].textContent), measured: squeeze(cells[3].textContent),
                           latest: squeeze(cells[4].textContent),
                           record: link ? link.href : null, record_text: link ? squeeze(link.textContent) : null});
            }
        }
        return rows;""")


def summaries_with_outcomes(driver, base_url):
    """For each person in the signed-in account's list whose summary lists outcomes, in list order:
    (person URL, summary URL), with the browser on that summary."""
    for url in people_urls(driver, base_url):
        summary = base_url + outcome_path(url)
        driver.get(summary)
        wait_for_load(driver)
        if response_status(driver) == 200 and outcome_links(driver):
            yield url, summary


def find_step(driver, base_url, measures, who=None):
    """The first step of the signed-in account's people that it may record on, measured by one of
    `measures` (and done by `who`, when given): its summary row plus person_url and summary_url."""
    for person_url, summary in summaries_with_outcomes(driver, base_url):
        for row in step_rows(driver):
            if row["record"] and row["measured"].split(";")[0] in measures and (who is None or row["who"] == who):
                return dict(row, person_url=person_url, summary_url=summary)
    pytest.fail(f"no step measured by {measures} that the account signed in may record on")


def outcome_with_everything(driver, base_url):
    """A summary (with the browser on it) of a person with outcomes, preferring one with steps that need
    attention and a view of their own: (person URL, summary URL)."""
    first = None
    for person_url, summary in summaries_with_outcomes(driver, base_url):
        first = first or (person_url, summary)
        if driver.find_elements(By.CSS_SELECTOR, "main section.attention") and driver.find_elements(By.CSS_SELECTOR, "main p.own-view"):
            return person_url, summary
    if not first:
        pytest.fail("no one in the list has a plan in effect with outcomes")
    driver.get(first[1])
    wait_for_load(driver)
    return first


def facts(container):
    """{term: value} of the first dl.facts in `container`."""
    return {text_content(dt): text_content(dt.find_element(By.XPATH, "following-sibling::dd[1]"))
            for dt in container.find_elements(By.CSS_SELECTOR, "dl.facts:first-of-type > dt")}


def step_sections(driver):
    """The step sections of the outcome page shown: [(heading text, section element)]."""
    return [(text_content(s.find_element(By.TAG_NAME, "h2")), s)
            for s in driver.find_elements(By.CSS_SELECTOR, "main section.step")]


def step_section(driver, step_text):
    found = [s for heading, s in step_sections(driver) if re.sub(r"^Step \d+: ", "", heading) == step_text]
    assert len(found) == 1, f"expected one section for the step {step_text!r}, found {len(found)}"
    return found[0]


def latest_entries(section):
    """The rows of a step's "Latest entries" table: [[date, value, note, recorded by]], newest first
    (the last column, the link to withdraw an entry, is left out)."""
    tables = [t for t in section.find_elements(By.TAG_NAME, "table")
              if text_content(t.find_element(By.TAG_NAME, "caption")).startswith("Latest entries for step ")]
    assert len(tables) == 1, "the step has no table of its latest entries"
    return [[text_content(c) for c in row.find_elements(By.TAG_NAME, "td")][:4]
            for row in tables[0].find_elements(By.CSS_SELECTOR, "tbody tr")]


def phone_sized(driver):
    driver.set_window_size(*PHONE)
    width = driver.execute_script("return window.innerWidth")
    assert width <= PHONE[0], f"the window is {width} px wide, not a phone's {PHONE[0]}"


def assert_no_sideways_scrolling(driver):
    """WCAG 1.4.10 Reflow: the page fits the width of the screen (tables may scroll inside their wrapper)."""
    sizes = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sizes[0] <= sizes[1] + 1, f"{driver.current_url} is {sizes[0]} px wide on a {sizes[1]} px screen: it scrolls sideways"


def server_today_of_form(driver, name="date"):
    """Today's date for the server, from a form's date field that it fills with today."""
    value = driver.find_element(By.ID, f"field-{name}").get_property("value")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", value), f"the {name} field is not filled with today: {value!r}"
    return value


def open_outcome(driver, base_url, outcome_url):
    driver.get(outcome_url)
    wait_for_load(driver)
    assert response_status(driver) == 200, f"{outcome_url} answered {response_status(driver)}"


def big_choice_label(driver, name, value):
    return driver.find_element(By.CSS_SELECTOR, f"label[for='field-{name}-{value}']")


def assert_big_target(element, what):
    """Big enough to hit with a thumb (WCAG 2.5.5 asks for 44 by 44 CSS pixels)."""
    size = element.size
    assert size["width"] >= 44 and size["height"] >= 44, f"{what} is only {size['width']}×{size['height']} px"


# MARK: 1. the summary and one outcome


def test_summary_and_outcome_with_charts(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    person_url, summary = outcome_with_everything(driver, base_url)

    # The person's page links to the summary, in a section of its own.
    driver.get(person_url)
    wait_for_load(driver)
    name = h1_text(driver)
    section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='outcomes']")
    assert text_content(section.find_element(By.ID, "outcomes")) == "Outcomes and progress"
    click_and_wait(driver, section.find_element(By.CSS_SELECTOR, f"a[href='{urlparse(summary).path}']"))
    assert driver.current_url == summary
    assert response_status(driver) == 200
    assert h1_text(driver) == f"{name}'s outcomes"
    assert driver.find_elements(By.CSS_SELECTOR, f"main a[href='{urlparse(person_url).path}']"), "no way back to the person"
    assert driver.find_elements(By.CSS_SELECTOR, "main a[href^='/plans/']"), "the summary does not link the plan in effect"

    # One section per outcome: a heading linking the outcome, its facts, its steps in a table.
    outcomes = outcome_links(driver)
    for text, href in outcomes:
        assert text, "an outcome heading is empty"
        assert re.fullmatch(re.escape(urlparse(summary).path) + f"/{UUID}", urlparse(href).path), href
    for element in driver.find_elements(By.CSS_SELECTOR, "main section.outcome"):
        heading = element.find_element(By.TAG_NAME, "h2")
        assert element.get_attribute("aria-labelledby") == heading.get_attribute("id")
        assert list(facts(element)) == ["Life area", "Status", "Target date"], facts(element)
        caption = text_content(element.find_element(By.CSS_SELECTOR, "table caption"))
        assert caption == f"Action steps for: {text_content(heading)}"
        headers = [text_content(th) for th in element.find_elements(By.CSS_SELECTOR, "table thead th")]
        assert headers == ["Step", "Who", "How often", "Measured by", "Latest", "Actions"], headers
        for view in element.find_elements(By.CSS_SELECTOR, "p.own-view"):
            face = view.find_element(By.CSS_SELECTOR, "svg.face")
            assert face.get_attribute("aria-hidden") == "true", "the face is not hidden from screen readers"
            assert text_content(view.find_element(By.TAG_NAME, "strong")) in FACES.values(), text_content(view)
    rows = step_rows(driver)
    assert rows, "no action steps listed"
    for row in rows:
        assert row["step"] and row["who"] and row["measured"], row
        # The coordinator may record on every step; each link says which step.
        assert row["record"], f"the coordinator cannot record on {row}"
        assert row["record_text"] == f"Record progress on: {row['step']}", row["record_text"]
        assert re.fullmatch(re.escape(urlparse(row["outcome_url"]).path) + f"/steps/{UUID}/record", urlparse(row["record"]).path), row
        assert driver.find_element(By.CSS_SELECTOR, f"main a[href='{urlparse(row['record']).path}'] .visually-hidden").get_property("textContent") == f" progress on: {row['step']}"

    # Steps that need attention, if any, are listed at the top with why.
    for attention in driver.find_elements(By.CSS_SELECTOR, "main section.attention"):
        assert attention.get_attribute("aria-labelledby") == "attention"
        assert text_content(attention.find_element(By.ID, "attention")) == "Needs attention"
        items = attention.find_elements(By.CSS_SELECTOR, "li")
        assert items
        for item in items:
            reason = text_content(item.find_element(By.TAG_NAME, "strong"))
            assert re.fullmatch(r"(Nothing recorded for (1[5-9]|[2-9]\d|\d{3,}) days\.|The latest entries move away from the target\.)"
                                r"( The latest entries move away from the target\.)?", reason), reason
            assert urlparse(item.find_element(By.TAG_NAME, "a").get_attribute("href")).path in [urlparse(h).path for _, h in outcomes]

    # One outcome: its text as the heading, a section per step with a chart.
    text, href = outcomes[0]
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, f"main section.outcome h2 a[href='{urlparse(href).path}']"))
    assert driver.current_url == href
    assert h1_text(driver) == text
    assert driver.find_element(By.CSS_SELECTOR, f"main a[href='{urlparse(summary).path}']")
    page_facts = facts(driver.find_element(By.TAG_NAME, "main"))
    assert {"Life area", "Status", "Target date"} <= set(page_facts), page_facts
    steps_on_summary = [r for r in rows if r["outcome_url"] == href]
    sections = step_sections(driver)
    assert [h for h, _ in sections] == [f"Step {i + 1}: {r['step']}" for i, r in enumerate(steps_on_summary)]
    charted = 0
    for index, (heading, element) in enumerate(sections, start=1):
        assert element.get_attribute("aria-labelledby") == element.find_element(By.TAG_NAME, "h2").get_attribute("id")
        step_facts = facts(element)
        assert {"Who does it", "How progress is measured", "Latest"} <= set(step_facts), step_facts
        record = element.find_element(By.CSS_SELECTOR, "a.button[href$='/record']")
        assert text_content(record) == f"Record progress on step {index}"
        assert urlparse(record.get_attribute("href")).path == urlparse(steps_on_summary[index - 1]["record"]).path
        figures = element.find_elements(By.CSS_SELECTOR, "figure.chart")
        if not figures:
            continue
        charted += 1
        svg = figures[0].find_element(By.CSS_SELECTOR, "svg")
        assert svg.get_attribute("role") == "img"
        caption = text_content(figures[0].find_element(By.TAG_NAME, "figcaption"))
        assert re.match(r"(1 entry|\d+ entries) from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d[.:] ", caption), caption
        if step_facts.get("Target") and step_facts["Target"] != "Not recorded":
            assert "The target" in caption, caption
        desc_id = [i for i in svg.get_attribute("aria-labelledby").split() if i.endswith("-desc")][0]
        assert text_content(driver.find_element(By.ID, desc_id)) == caption, "the chart's description is not the sentence under it"
        # The numbers, in a table behind a summary, closed at first.
        details = element.find_element(By.CSS_SELECTOR, "figure.chart + details")
        assert text_content(details.find_element(By.TAG_NAME, "summary")) == "The numbers in the chart"
        table = details.find_element(By.TAG_NAME, "table")
        assert not table.is_displayed(), "the numbers are shown before they are asked for"
        details.find_element(By.TAG_NAME, "summary").click()
        wait(driver).until(lambda d: table.is_displayed(), "the numbers did not open")
        table_caption = text_content(table.find_element(By.TAG_NAME, "caption"))
        assert re.fullmatch(rf"(Each entry|Weekly average|Weekly share of yes) for step {index}", table_caption), table_caption
        numbers = [[text_content(c) for c in r.find_elements(By.TAG_NAME, "td")] for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
        assert numbers and all(len(r) == 2 and r[0] and r[1] for r in numbers), numbers
        if table_caption.startswith("Each entry"):
            assert caption.startswith(f"{len(numbers)} entries") or (len(numbers) == 1 and caption.startswith("1 entry")), \
                f"the table has {len(numbers)} entries, the sentence says {caption!r}"
            # The latest value in the sentence is the last entry of the table.
            assert f"The latest is {numbers[-1][1]}" in caption, (caption, numbers[-1])
        entries = latest_entries(element)
        assert 0 < len(entries) <= 10
        dates = [e[0] for e in entries]
        assert dates == sorted(dates, reverse=True), f"the latest entries of step {index} are not newest first: {dates}"
    assert charted, "no step of the outcome has a chart"

    # Every chart on the page is a described picture.
    charts = driver.find_elements(By.CSS_SELECTOR, "main svg.progress-chart")
    assert len(charts) == charted
    for svg in charts:
        assert svg.get_attribute("role") == "img"
        titles = svg.find_elements(By.CSS_SELECTOR, ":scope > title")
        descs = svg.find_elements(By.CSS_SELECTOR, ":scope > desc")
        assert len(titles) == 1 and len(descs) == 1, "a chart lacks its <title> or <desc>"
        title, desc = text_content(titles[0]), text_content(descs[0])
        assert title.startswith("Step ") and desc, (title, desc)
        assert svg.get_attribute("aria-labelledby").split() == [titles[0].get_attribute("id"), descs[0].get_attribute("id")]
        assert svg.get_property("clientWidth") > 0
    ids = driver.execute_script("return Array.from(document.querySelectorAll('[id]')).map(e => e.id)")
    assert len(ids) == len(set(ids)), f"ids used twice: {sorted({i for i in ids if ids.count(i) > 1})}"

    # The team's sections: what the person said, the services, the reviews.
    headings = {s.get_attribute("aria-labelledby"): text_content(s.find_element(By.TAG_NAME, "h2"))
                for s in driver.find_elements(By.CSS_SELECTOR, "main > section[aria-labelledby]")}
    assert headings.get("own-view") == f"How it is going, in {name}'s words", headings
    assert headings.get("services") == "Services that support it", headings
    assert headings.get("reviews") == "Reviews by the coordinator", headings
    assert urlparse(driver.find_element(By.LINK_TEXT, "Say how it is going").get_attribute("href")).path == urlparse(href).path + "/how-it-is-going"
    assert urlparse(driver.find_element(By.LINK_TEXT, "Review this outcome").get_attribute("href")).path == urlparse(href).path + "/review"


def test_person_without_plan_has_no_outcomes(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    for url in people_urls(driver, base_url):
        driver.get(base_url + outcome_path(url))
        wait_for_load(driver)
        main = text_content(driver.find_element(By.TAG_NAME, "main"))
        if "has no plan in effect" in main:
            assert response_status(driver) == 200
            assert h1_text(driver).endswith("'s outcomes")
            assert not outcome_links(driver)
            assert not driver.find_elements(By.CSS_SELECTOR, "main table, main section.attention")
            return
    pytest.skip("everyone in the caseload has a plan in effect")


# MARK: 2. recording progress on a phone


def test_record_progress_on_a_phone_with_the_keyboard(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    step = find_step(driver, base_url, [PERCENTAGE])
    phone_sized(driver)
    open_outcome(driver, base_url, step["outcome_url"])
    record_path = urlparse(step["record"]).path

    # From the outcome page to the form with Tab and Enter.
    tab_to(driver, lambda e: e.tag_name == "a" and urlparse(e.get_attribute("href") or "").path == record_path, most=300)
    press_and_wait(driver, Keys.ENTER)
    assert path_of(driver) == record_path
    assert h1_text(driver) == "Record progress"
    assert text_content(driver.find_element(By.CSS_SELECTOR, "main p.step-name")) == step["step"]
    assert_no_sideways_scrolling(driver)
    form = main_form(driver, record_path)
    today = server_today_of_form(driver)
    date = form.find_element(By.NAME, "date")
    assert date.get_attribute("type") == "date"
    value = form.find_element(By.NAME, "value")
    assert value.get_attribute("inputmode") == "decimal"
    assert value.get_attribute("type") == "text"
    label = text_content(driver.find_element(By.CSS_SELECTOR, "label[for='field-value']"))
    assert label == "Percentage of opportunities (required)", label
    assert form.find_element(By.NAME, "note").tag_name == "textarea"
    save = submit_button(form)
    assert text_content(save) == "Save"
    assert_big_target(save, "The Save button")

    # Tab to the value, type it, Tab to the note, type, Tab to Save, Enter.
    tab_to(driver, lambda e: e.get_attribute("id") == "field-value")
    percent = 40 + int(unique("")[-4:], 16) % 40
    ActionChains(driver).send_keys(str(percent)).perform()
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.switch_to.active_element.get_attribute("id") == "field-note", "Tab from the value did not go to the note"
    note = unique("Did the feeding round with one prompt")
    ActionChains(driver).send_keys(note).perform()
    tab_to(driver, lambda e: e.tag_name == "button" and e.get_attribute("type") == "submit", most=5)
    press_and_wait(driver, Keys.ENTER)

    assert path_of(driver) == urlparse(step["outcome_url"]).path, f"{driver.current_url}: {error_summary_messages(driver)}"
    assert parse_qs(urlparse(driver.current_url).query).get("saved") == ["entry"]
    assert flash(driver) == "Progress saved."
    section = step_section(driver, step["step"])
    entries = latest_entries(section)
    assert entries[0] == [today, f"{percent}%", note, signed_in_name(driver)], f"the new entry is not first: {entries}"
    assert [e for e in entries if e[2] == note] == entries[:1], "the entry was saved twice"
    assert facts(section).get("Latest") == f"{percent}% on {today}", facts(section)
    assert today in text_content(section.find_element(By.TAG_NAME, "figcaption")), "the chart does not reach today's entry"

    # A percentage over 100 is refused beside the field; what was typed stays.
    click_and_wait(driver, section.find_element(By.CSS_SELECTOR, f"a[href='{record_path}']"))
    refused_note = unique("Typed before a mistake")
    tab_to(driver, lambda e: e.get_attribute("id") == "field-value")
    ActionChains(driver).send_keys("150").perform()
    ActionChains(driver).send_keys(Keys.TAB).send_keys(refused_note).perform()
    tab_to(driver, lambda e: e.tag_name == "button" and e.get_attribute("type") == "submit", most=5)
    press_and_wait(driver, Keys.ENTER)
    assert path_of(driver) == record_path
    assert response_status(driver) == 422
    assert_field_error(driver, "value", "The percentage must be from 0 to 100.")
    assert len(error_summary_messages(driver)) == 1, error_summary_messages(driver)
    assert driver.find_element(By.ID, "field-value").get_property("value") == "150"
    assert driver.find_element(By.ID, "field-note").get_property("value") == refused_note, "the note typed was lost"
    assert driver.find_element(By.ID, "field-date").get_property("value") == today
    assert_no_sideways_scrolling(driver)

    # A date after tomorrow (a day's slack allows for a provider's evening in another time zone) and no
    # value: both said, each beside its field.
    form = main_form(driver, record_path)
    date = form.find_element(By.NAME, "date")
    date.clear()
    later = (datetime.date.fromisoformat(today) + datetime.timedelta(days=2)).isoformat()
    set_date(date, later)
    form.find_element(By.NAME, "value").clear()
    click_and_wait(driver, submit_button(form))
    assert response_status(driver) == 422
    tomorrow = (datetime.date.fromisoformat(today) + datetime.timedelta(days=1)).isoformat()
    assert_field_error(driver, "date", f"The date cannot be after {tomorrow} (today is {today}; one day is allowed for time zones).")
    assert_field_error(driver, "value", "Give the percentage for this step.")
    assert driver.find_element(By.ID, "field-date").get_property("value") == later
    assert driver.find_element(By.ID, "field-note").get_property("value") == refused_note

    # Nothing refused was saved.
    open_outcome(driver, base_url, step["outcome_url"])
    assert not [e for e in latest_entries(step_section(driver, step["step"])) if e[2] == refused_note]


def test_outcome_pages_fit_a_phone(driver, base_url):
    """At a phone's width every outcome page reflows: nothing but a table's own scroller moves sideways."""
    sign_in(driver, base_url, COORDINATOR)
    step = find_step(driver, base_url, [PERCENTAGE])
    phone_sized(driver)
    wide = []
    for url in (step["summary_url"], step["outcome_url"], step["record"], step["outcome_url"] + "/review",
                step["outcome_url"] + "/how-it-is-going"):
        driver.get(url)
        wait_for_load(driver)
        assert response_status(driver) == 200, f"{url} answered {response_status(driver)}"
        width, screen, culprits = driver.execute_script("""
            const screen = document.documentElement.clientWidth;
            const culprits = Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > screen + 1 && getComputedStyle(e).position === 'absolute')
                .slice(0, 3).map(e => e.outerHTML.slice(0, 90));
            return [document.documentElement.scrollWidth, screen, culprits];""")
        if width > screen + 1:
            wide.append(f"{urlparse(url).path} is {width} px wide on a {screen} px screen; positioned outside the "
                        f"screen: {culprits}")
    assert not wide, "outcome pages that scroll sideways on a phone:\n" + "\n".join(wide)


def test_choice_hint_and_error_are_tied_to_the_question(driver, base_url):
    """Like every text field's, a group of big buttons is described by its hint and, once refused, its
    error (aria-describedby on the fieldset), so a screen reader says them when the group is reached."""
    sign_in(driver, base_url, COORDINATOR)
    driver.get(find_step(driver, base_url, [RATING])["record"])
    wait_for_load(driver)
    click_and_wait(driver, submit_button(main_form(driver)))
    assert response_status(driver) == 422
    group = driver.find_element(By.CSS_SELECTOR, "fieldset#field-value")
    described = [i for i in (group.get_attribute("aria-describedby") or "").split()]
    texts = [text_content(driver.find_element(By.ID, i)) for i in described if driver.find_elements(By.ID, i)]
    hint = text_content(group.find_element(By.CSS_SELECTOR, ".hint"))
    error = text_content(group.find_element(By.CSS_SELECTOR, ".field-error"))
    assert hint in texts and error in texts, (
        f"the rating's fieldset is described by {described or 'nothing'}; its hint {hint!r} and error {error!r} "
        f"(<p class=\"hint\"> and <p class=\"field-error\"> without ids) are not tied to it")


# MARK: 3. a choice of big buttons


def test_record_a_rating_or_yes_no_by_its_big_button(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    step = find_step(driver, base_url, [RATING, YES_NO])
    phone_sized(driver)
    driver.get(step["record"])
    wait_for_load(driver)
    assert h1_text(driver) == "Record progress"
    rating = step["measured"].startswith(RATING)
    choices = ["1", "2", "3", "4", "5"] if rating else ["yes", "no"]
    group = driver.find_element(By.CSS_SELECTOR, "fieldset#field-value")
    assert text_content(group.find_element(By.TAG_NAME, "legend")) == ("Rating" if rating else "Did it happen?")
    radios = group.find_elements(By.CSS_SELECTOR, "input[type='radio'][name='value']")
    assert [r.get_attribute("value") for r in radios] == choices
    for choice in choices:
        label = big_choice_label(driver, "value", choice)
        assert label.is_displayed()
        assert_big_target(label, f"The choice {choice!r}")
        assert text_content(label) == ({"yes": "Yes", "no": "No"}.get(choice, choice))
        assert not driver.find_element(By.ID, f"field-value-{choice}").is_selected()
    assert_no_sideways_scrolling(driver)

    # Nothing chosen: refused, with the question marked.
    click_and_wait(driver, submit_button(main_form(driver)))
    assert response_status(driver) == 422
    message = f"Give the {'rating' if rating else 'answer'} for this step."
    assert error_summary_messages(driver) == {"field-value": message}, error_summary_messages(driver)
    group = driver.find_element(By.CSS_SELECTOR, "fieldset#field-value")
    assert "has-error" in group.get_attribute("class").split()
    assert text_content(group.find_element(By.CSS_SELECTOR, ".field-error")) == "Error: " + message

    # The hidden radios are reached with Tab, and the focused choice is outlined.
    tab_to(driver, lambda e: e.get_attribute("name") == "value" and e.get_attribute("type") == "radio")
    focused = driver.switch_to.active_element.get_attribute("id")
    outline = driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle",
                                    driver.find_element(By.CSS_SELECTOR, f"label[for='{focused}']"))
    assert outline not in ("none", ""), "the choice that has keyboard focus is not outlined"

    # Choose by clicking the big label (the radio itself is hidden); it is checked and shows it.
    choice = "4" if rating else "yes"
    label = big_choice_label(driver, "value", choice)
    label.click()
    radio = driver.find_element(By.ID, f"field-value-{choice}")
    assert radio.is_selected()
    border = driver.execute_script("return getComputedStyle(arguments[0]).borderColor", label)
    other = driver.execute_script("return getComputedStyle(arguments[0]).borderColor",
                                  big_choice_label(driver, "value", choices[0]))
    assert border != other, "the chosen button does not look chosen"
    # The arrow keys move the choice, as in any group of radio buttons.
    ActionChains(driver).send_keys(Keys.ARROW_LEFT).perform()
    moved = choices[choices.index(choice) - 1]
    assert driver.find_element(By.ID, f"field-value-{moved}").is_selected(), "the arrow key did not move the choice"
    label.click()
    assert radio.is_selected()
    # The note carries markup, which must come back as text.
    note = unique(f"Chosen with the big button {PROBE}")
    driver.find_element(By.ID, "field-note").send_keys(note)
    click_and_wait(driver, submit_button(main_form(driver)))
    assert path_of(driver) == urlparse(step["outcome_url"]).path, error_summary_messages(driver)
    assert flash(driver) == "Progress saved."
    assert_no_alert(driver)
    assert_no_scripts(driver)
    entries = latest_entries(step_section(driver, step["step"]))
    assert entries[0][1:3] == [("4 out of 5" if rating else "yes"), note], f"the new entry is not first: {entries}"
    assert len([e for e in entries if e[2] == note]) == 1, entries


# MARK: 4. provider staff


def test_provider_staff_see_only_their_steps(driver, base_url):
    sign_in(driver, base_url, PROVIDER_STAFF)
    candidates = []
    for person_url, summary in summaries_with_outcomes(driver, base_url):
        # Provider staff are not shown the steps that need attention.
        assert not driver.find_elements(By.CSS_SELECTOR, "main section.attention"), f"{summary} shows provider staff what needs attention"
        rows = step_rows(driver)
        assert rows and all(r["who"] == MAPLE_STREET for r in rows), f"provider staff see others' steps on {summary}: {rows}"
        assert not driver.find_elements(By.CSS_SELECTOR, "main p.own-view"), "provider staff see what the person said"
        if any(r["record"] for r in rows):
            candidates.append((person_url, rows[0]["outcome_url"]))
        if len(candidates) >= 12:
            break
    assert candidates, "no person served by Maple Street has a step for it"

    # The coordinator sees the whole outcome of one of those people.
    sign_in(driver, base_url, COORDINATOR)
    for person_url, outcome_url in candidates:
        driver.get(outcome_url)
        wait_for_load(driver)
        if response_status(driver) == 200:
            break
    else:
        pytest.fail(f"none of the people checked ({[p for p, _ in candidates]}) is in {COORDINATOR}'s caseload")
    whole = [(heading, facts(section)["Who does it"]) for heading, section in step_sections(driver)]
    others = [who for _, who in whole if who != MAPLE_STREET]
    assert others, f"every step of {outcome_url} is Maple Street's: {whole}"
    assert driver.find_elements(By.CSS_SELECTOR, "main section[aria-labelledby='reviews']")

    sign_in(driver, base_url, PROVIDER_STAFF)
    open_outcome(driver, base_url, outcome_url)
    sections = step_sections(driver)
    assert 0 < len(sections) < len(whole), f"provider staff see {len(sections)} steps, the coordinator {len(whole)}"
    assert [facts(s)["Who does it"] for _, s in sections] == [MAPLE_STREET] * len(sections)
    ours = [re.sub(r"^Step \d+: ", "", h) for h, _ in sections]
    assert set(ours) <= {re.sub(r"^Step \d+: ", "", h) for h, _ in whole}
    for _, section in sections:
        assert section.find_elements(By.CSS_SELECTOR, "a.button[href$='/record']"), "provider staff cannot record on their step"
    for hidden in ("own-view", "services", "reviews", "attention"):
        assert not driver.find_elements(By.CSS_SELECTOR, f"main section[aria-labelledby='{hidden}']"), f"provider staff see the {hidden} section"
    assert not driver.find_elements(By.LINK_TEXT, "Say how it is going")
    assert not driver.find_elements(By.LINK_TEXT, "Review this outcome")
    assert not driver.find_elements(By.CSS_SELECTOR, "main p.own-view")

    # Their step's form opens; the own-view and review forms are refused.
    driver.get(sections[0][1].find_element(By.CSS_SELECTOR, "a.button[href$='/record']").get_attribute("href"))
    wait_for_load(driver)
    assert response_status(driver) == 200 and h1_text(driver) == "Record progress"
    for form in ("/how-it-is-going", "/review"):
        driver.get(outcome_url + form)
        wait_for_load(driver)
        assert response_status(driver) == 403, f"GET {form} answered {response_status(driver)} to provider staff"
        assert h1_text(driver) == "Not allowed"
        assert not driver.find_elements(By.CSS_SELECTOR, "main form")


# MARK: 5. a review by the coordinator


def test_coordinator_reviews_an_outcome(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    _, summary = outcome_with_everything(driver, base_url)
    text, outcome_url = outcome_links(driver)[0]
    open_outcome(driver, base_url, outcome_url)
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Review this outcome"))
    review_path = urlparse(outcome_url).path + "/review"
    assert path_of(driver) == review_path
    assert h1_text(driver) == f"Review: {text}"
    form = main_form(driver, review_path)
    today = server_today_of_form(driver, "reviewedOn")
    assert form.find_element(By.NAME, "reviewedOn").get_attribute("type") == "date"
    for name in ("working", "notWorking", "nextSteps"):
        field = form.find_element(By.NAME, name)
        assert field.tag_name == "textarea" and field.get_attribute("aria-required") == "true", name
    assert text_content(submit_button(form)) == "Save the review"

    # Only what is working: the other two are asked for.
    working = unique(f"Goes to every shift {PROBE}")
    form.find_element(By.NAME, "working").send_keys(working)
    click_and_wait(driver, submit_button(form))
    assert path_of(driver) == review_path
    assert response_status(driver) == 422
    assert_field_error(driver, "notWorking", "What is not working is required.")
    assert_field_error(driver, "nextSteps", "Next steps is required.")
    assert set(error_summary_messages(driver)) == {"field-notWorking", "field-nextSteps"}
    assert driver.find_element(By.ID, "field-working").get_property("value") == working
    assert driver.find_element(By.ID, "field-reviewedOn").get_property("value") == today

    form = main_form(driver, review_path)
    not_working = unique("Mornings are rushed")
    next_steps = unique("Start the shift at ten; the job coach checks in weekly")
    form.find_element(By.NAME, "notWorking").send_keys(not_working)
    form.find_element(By.NAME, "nextSteps").send_keys(next_steps)
    click_and_wait(driver, submit_button(form))
    assert path_of(driver) == urlparse(outcome_url).path, error_summary_messages(driver)
    assert parse_qs(urlparse(driver.current_url).query).get("saved") == ["review"]
    assert flash(driver) == "Review saved."
    assert_no_alert(driver)
    assert_no_scripts(driver)
    all_cards = driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='reviews'] .card")
    cards = [c for c in all_cards if facts(c).get("What is working") == working]
    assert len(cards) == 1, "the review saved is not shown once"
    assert all_cards[0] == cards[0], "the newest review is not first"
    assert text_content(cards[0].find_element(By.TAG_NAME, "h3")) == f"Review of {today}"
    assert facts(cards[0]) == {"What is working": working, "What is not working": not_working, "Next steps": next_steps,
                               "By": signed_in_name(driver)}, facts(cards[0])


# MARK: 6. the person says how it is going


def test_person_says_how_it_is_going_with_a_face(driver, base_url):
    sign_in(driver, base_url, PERSON)
    people = people_urls(driver, base_url)
    assert len(people) == 1, f"{PERSON} should see only their own record, sees {len(people)}"
    driver.get(people[0])
    wait_for_load(driver)
    name = h1_text(driver)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='outcomes'] a"))
    assert h1_text(driver) == f"{name}'s outcomes"
    if "has no plan in effect" in text_content(driver.find_element(By.TAG_NAME, "main")):
        pytest.skip(f"{name} has no plan in effect")
    outcomes = outcome_links(driver)
    if not outcomes:
        pytest.skip(f"{name}'s plan in effect has no outcomes")
    # The person records only on the steps they do themselves.
    for row in step_rows(driver):
        assert bool(row["record"]) == (row["who"] == "The person"), row

    text, outcome_url = outcomes[0]
    open_outcome(driver, base_url, outcome_url)
    assert not driver.find_elements(By.LINK_TEXT, "Review this outcome"), "the person is offered the coordinator's review"
    driver.get(outcome_url + "/review")
    wait_for_load(driver)
    assert response_status(driver) == 403, f"the review form answered {response_status(driver)} to the person"
    open_outcome(driver, base_url, outcome_url)
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Say how it is going"))
    path = urlparse(outcome_url).path + "/how-it-is-going"
    assert path_of(driver) == path
    assert h1_text(driver) == "How is it going?"
    group = driver.find_element(By.CSS_SELECTOR, "fieldset#field-feeling")
    assert text_content(group.find_element(By.TAG_NAME, "legend")) == "How is it going?"
    assert [r.get_attribute("value") for r in group.find_elements(By.CSS_SELECTOR, "input[type='radio'][name='feeling']")] == list(FACES)
    for value, words in FACES.items():
        label = big_choice_label(driver, "feeling", value)
        assert text_content(label) == words
        face = label.find_element(By.CSS_SELECTOR, "svg.face")
        assert face.get_attribute("aria-hidden") == "true" and face.is_displayed()
        assert_big_target(label, f"The face {words!r}")

    # Saying something without choosing a face: asked to choose, what was typed kept.
    comment = unique("I fed the cats on my own")
    driver.find_element(By.ID, "field-comment").send_keys(comment)
    click_and_wait(driver, submit_button(main_form(driver, path)))
    assert response_status(driver) == 422
    messages = error_summary_messages(driver)
    assert messages == {"field-feeling": "How it is going is required."}, messages
    group = driver.find_element(By.CSS_SELECTOR, "fieldset#field-feeling")
    assert "has-error" in group.get_attribute("class").split()
    assert text_content(group.find_element(By.CSS_SELECTOR, ".field-error")) == "Error: How it is going is required."
    assert driver.find_element(By.ID, "field-comment").get_property("value") == comment

    big_choice_label(driver, "feeling", "going_well").click()
    assert driver.find_element(By.ID, "field-feeling-going_well").is_selected()
    click_and_wait(driver, submit_button(main_form(driver, path)))
    assert path_of(driver) == urlparse(outcome_url).path, error_summary_messages(driver)
    assert parse_qs(urlparse(driver.current_url).query).get("saved") == ["view"]
    assert flash(driver) == "Thank you. What you said is saved."
    said = [text_content(p) for p in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='own-view'] p.own-view")]
    assert said and comment in said[0], f"what was said is not shown first: {said}"
    assert len([s for s in said if comment in s]) == 1, said
    assert re.fullmatch(rf"Going well \(said on \d{{4}}-\d\d-\d\d\): “{re.escape(comment)}”", said[0]), said[0]
    # The summary shows it as the latest thing said about the outcome.
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, f"All of {name}'s outcomes"))
    section = driver.find_element(By.XPATH, f"//main//section[contains(@class, 'outcome')][.//h2/a[@href='{urlparse(outcome_url).path}']]")
    assert comment in text_content(section.find_element(By.CSS_SELECTOR, "p.own-view")), "the summary does not show the latest view"


# MARK: 7. accessibility: the outcome pages scanned by test_lantern.py::test_axe_no_serious_violations


def _coordinator_outcome(driver, base_url):
    """Signs in as the coordinator and opens the first outcome of a person with outcomes: its URL."""
    sign_in(driver, base_url, COORDINATOR)
    outcome_with_everything(driver, base_url)
    _, outcome_url = outcome_links(driver)[0]
    open_outcome(driver, base_url, outcome_url)
    return outcome_url


def test_coordinator_sees_what_needs_attention_across_the_caseload(driver, base_url):
    """The demo builds plans whose provider stopped recording: the coordinator's list shows them, each
    row linking the person's outcomes and the outcome; provider staff have no such list."""
    sign_in(driver, base_url, COORDINATOR)
    nav = driver.find_element(By.CSS_SELECTOR, "header nav")
    click_and_wait(driver, nav.find_element(By.LINK_TEXT, "Needs attention"))
    assert urlparse(driver.current_url).path == "/outcomes/attention"
    assert h1_text(driver) == "Outcomes that need attention"
    table = driver.find_element(By.CSS_SELECTOR, "main table")
    caption = text_content(table.find_element(By.TAG_NAME, "caption"))
    assert re.fullmatch(r"\d+ steps? for \d+ (person|people)", caption), caption
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert rows
    reasons = [text_content(r.find_elements(By.TAG_NAME, "td")[2]) for r in rows]
    assert any(re.search(r"Nothing recorded for \d+ days\.", why) for why in reasons), reasons
    person_link = rows[0].find_element(By.CSS_SELECTOR, "th a")
    outcome_href = rows[0].find_element(By.CSS_SELECTOR, "td a").get_attribute("href")
    click_and_wait(driver, person_link)
    assert h1_text(driver).endswith("'s outcomes")
    assert driver.find_elements(By.CSS_SELECTOR, "section.attention"), "the person's summary shows the same flags"
    driver.get(outcome_href)
    wait_for_load(driver)
    assert response_status(driver) == 200

    sign_in(driver, base_url, PROVIDER_STAFF)
    assert not driver.find_elements(By.LINK_TEXT, "Needs attention")
    driver.get(base_url + "/outcomes/attention")
    wait_for_load(driver)
    assert response_status(driver) == 403


@axe_page("outcome-attention")
def page_outcome_attention(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(base_url + "/outcomes/attention")
    wait_for_load(driver)
    assert driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")


def _withdraw_link(driver):
    """The first "Withdraw" link in an outcome's latest entries."""
    links = driver.find_elements(By.XPATH, "//main//table//a[starts-with(normalize-space(.), 'Withdraw')]")
    assert links, "the coordinator cannot withdraw any entry"
    return links[0]


def test_a_wrong_entry_is_withdrawn_with_a_reason(driver, base_url):
    outcome_url = _coordinator_outcome(driver, base_url)
    link = _withdraw_link(driver)
    hidden = text_content(link.find_element(By.CSS_SELECTOR, ".visually-hidden"))
    assert re.fullmatch(r"the entry of \d{4}-\d{2}-\d{2}", hidden.strip()), hidden
    click_and_wait(driver, link)
    assert h1_text(driver) == "Withdraw an entry"
    form = main_form(driver, urlparse(driver.current_url).path)
    click_and_wait(driver, submit_button(form))
    assert response_status(driver) == 422
    assert_field_error(driver, "reason", "Why the entry is withdrawn is required.")
    form = main_form(driver, urlparse(driver.current_url).path)
    form.find_element(By.NAME, "reason").send_keys("Recorded for the wrong day <b>")
    click_and_wait(driver, submit_button(form))
    assert urlparse(driver.current_url).path == urlparse(outcome_url).path
    assert flash(driver) == "The entry is withdrawn."


@axe_page("outcome-withdraw")
def page_outcome_withdraw(driver, base_url):
    _coordinator_outcome(driver, base_url)
    click_and_wait(driver, _withdraw_link(driver))
    assert h1_text(driver) == "Withdraw an entry"


@axe_page("outcome-summary")
def page_outcome_summary(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    outcome_with_everything(driver, base_url)
    assert h1_text(driver).endswith("'s outcomes")
    assert driver.find_elements(By.CSS_SELECTOR, "main section.outcome table")


@axe_page("outcome-summary-provider")
def page_outcome_summary_provider(driver, base_url):
    sign_in(driver, base_url, PROVIDER_STAFF)
    next(summaries_with_outcomes(driver, base_url), None)
    assert outcome_links(driver), "provider staff see no one with outcomes"


@axe_page("outcome-detail")
def page_outcome_detail(driver, base_url):
    """One outcome, with the numbers of every chart opened (what is hidden is not scanned)."""
    _coordinator_outcome(driver, base_url)
    assert driver.find_elements(By.CSS_SELECTOR, "main figure.chart svg[role='img']")
    for details in driver.find_elements(By.CSS_SELECTOR, "main details"):
        if not details.get_property("open"):
            details.find_element(By.TAG_NAME, "summary").click()
    wait(driver).until(lambda d: d.execute_script("return Array.from(document.querySelectorAll('main details')).every(x => x.open)"))


@axe_page("outcome-record")
def page_outcome_record(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(find_step(driver, base_url, [PERCENTAGE])["record"])
    assert h1_text(driver) == "Record progress"


@axe_page("outcome-record-with-errors")
def page_outcome_record_errors(driver, base_url):
    page_outcome_record(driver, base_url)
    form = main_form(driver)
    form.find_element(By.NAME, "value").send_keys("150")
    date = form.find_element(By.NAME, "date")
    later = (datetime.date.fromisoformat(date.get_property("value")) + datetime.timedelta(days=2)).isoformat()
    date.clear()
    set_date(date, later)
    click_and_wait(driver, submit_button(form))
    assert response_status(driver) == 422
    assert len(error_summary_messages(driver)) == 2, error_summary_messages(driver)


@axe_page("outcome-record-choice-with-errors")
def page_outcome_record_choice_errors(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(find_step(driver, base_url, [RATING, YES_NO])["record"])
    click_and_wait(driver, submit_button(main_form(driver)))
    assert response_status(driver) == 422
    assert driver.find_element(By.CSS_SELECTOR, "fieldset.big-choices.has-error")


@axe_page("outcome-review")
def page_outcome_review(driver, base_url):
    outcome_url = _coordinator_outcome(driver, base_url)
    driver.get(outcome_url + "/review")
    assert h1_text(driver).startswith("Review: ")


@axe_page("outcome-review-with-errors")
def page_outcome_review_errors(driver, base_url):
    page_outcome_review(driver, base_url)
    click_and_wait(driver, submit_button(main_form(driver)))
    assert response_status(driver) == 422


@axe_page("outcome-own-view")
def page_outcome_own_view(driver, base_url):
    outcome_url = _coordinator_outcome(driver, base_url)
    driver.get(outcome_url + "/how-it-is-going")
    assert h1_text(driver) == "How is it going?"
    assert driver.find_elements(By.CSS_SELECTOR, "fieldset#field-feeling svg.face")


@axe_page("outcome-own-view-with-errors")
def page_outcome_own_view_errors(driver, base_url):
    page_outcome_own_view(driver, base_url)
    click_and_wait(driver, submit_button(main_form(driver)))
    assert response_status(driver) == 422

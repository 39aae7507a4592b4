"""Browser tests for the support plan pages: starting a plan, the overview with its progress and
findings, the section editor, the plan details form, escaping of what people type, read-only views,
the plan pages' accessibility, signing and new versions, and what follows once a version is sent out:
the whole plan to print (and as PDF), the one-page profile and its translations, copies given,
reviews asked for and ending a plan.

Run against a server started with the demo data, like test_lantern.py:

    LANTERN_URL=http://127.0.0.1:8080 python3 -m pytest Tests/browser/test_plans.py -v

The plan pages' axe-core scans are entries of test_lantern.py's AXE_PAGES (registered below with
@axe_page, names starting "plan-"), so they run as test_lantern.py::test_axe_no_serious_violations:

    python3 -m pytest Tests/browser/test_lantern.py -k "axe and plan"

Each test signs in itself and starts the plans it writes to, or finds what it only reads by its
content, so tests can run alone or in any order; they never depend on what an earlier run wrote.
Plans in effect are shared: a test that starts a new version of one signs it again (so a plan in
effect is left), and the test that ends a plan takes the last one of the second coordinator's caseload,
which no other test uses.
"""

import base64
import datetime
import re
import secrets
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.print_page_options import PrintOptions
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from test_lantern import (
    COORDINATOR,
    add_circle_member,
    assert_no_alert,
    assert_no_scripts,
    axe_page,
    caseload,
    click_and_wait,
    error_summary_messages,
    field_error,
    h1_text,
    main_form,
    path_of,
    plain_person,
    set_date,
    sign_in,
    submit_button,
    text_content,
    wait,
    wait_for_load,
    wait_for_new_page,
)

PROVIDER_STAFF = "staff1@maplestreet.example"
GUARDIAN = "guardian1@family.example"

ISP = "missouri_isp"
ISP_LABEL = "Missouri Individual Support Plan (ISP)"
RISKS = "Risks, backup and crisis plans"
SUPPORT_NEEDS = "How to support the person"
RISK_CITATION = "42 CFR 441.301(c)(2)(vi)"

PROBE = "Probe \"'<>& <script>alert(1)</script>"

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def unique(text):
    """Text with a random tag, so a test finds what it wrote and nothing an earlier run wrote."""
    return f"{text} {secrets.token_hex(3)}"


def plan_dates(days_ahead=14):
    """A year-long plan starting soon: meeting, start, end as ISO dates."""
    meeting = datetime.date.today() + datetime.timedelta(days=days_ahead)
    start = meeting + datetime.timedelta(days=14)
    end = start.replace(year=start.year + 1) - datetime.timedelta(days=1)
    return meeting.isoformat(), start.isoformat(), end.isoformat()


# MARK: helpers


def response_status(driver):
    """The HTTP status of the page now shown (Chromium reports it in the navigation timing entry)."""
    return driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : null;")


def press_and_wait(driver, key=Keys.ENTER):
    """Presses a key on whatever has focus, expecting it to load a new page (a keyboard submit)."""
    before = driver.current_url
    focused = driver.execute_script("document.lanternOldPage = true; const e = document.activeElement;"
                                    "return e.outerHTML.slice(0, 120);")
    ActionChains(driver).send_keys(key).perform()
    wait_for_new_page(driver, f"{key!r} pressed on {focused}", before)


def tab_to(driver, matches, most=60):
    """Presses Tab until the focused element satisfies `matches` (a function of the element)."""
    for _ in range(most):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if matches(driver.switch_to.active_element):
            return driver.switch_to.active_element
    pytest.fail(f"{most} presses of Tab never reached the element wanted on {driver.current_url}")


def fill_plan_form(form, plan_type=ISP, kind="annual", dates=None, language=None, implementation=None):
    if plan_type is not None:
        Select(form.find_element(By.NAME, "planType")).select_by_value(plan_type)
    Select(form.find_element(By.NAME, "planKind")).select_by_value(kind)
    meeting, start, end = dates or plan_dates()
    set_date(form.find_element(By.NAME, "meetingDate"), meeting)
    set_date(form.find_element(By.NAME, "effectiveStart"), start)
    set_date(form.find_element(By.NAME, "effectiveEnd"), end)
    if implementation:
        set_date(form.find_element(By.NAME, "implementationDate"), implementation)
    if language is not None:
        field = form.find_element(By.NAME, "planningLanguage")
        field.clear()
        field.send_keys(language)


def start_plan(driver, person_url, plan_type=ISP, kind="annual", dates=None):
    """Starts a plan through the new plan form; returns the new plan's overview URL (no query)."""
    driver.get(person_url.split("#")[0] + "/plans/new")
    form = main_form(driver)
    fill_plan_form(form, plan_type, kind, dates)
    click_and_wait(driver, submit_button(form))
    assert re.fullmatch(f"/plans/{UUID}", path_of(driver)), \
        f"starting a plan did not open its overview: {driver.current_url} {error_summary_messages(driver)}"
    return driver.current_url.split("?")[0]


def coordinator_plan(driver, base_url):
    """Signs in as the coordinator and starts a Missouri ISP for one of their people: (name, plan URL)."""
    sign_in(driver, base_url, COORDINATOR)
    name, person_url = plain_person(driver, base_url)
    return name, start_plan(driver, person_url)


def open_section(driver, plan_url, key):
    driver.get(f"{plan_url}/sections/{key}")
    wait_for_load(driver)
    assert response_status(driver) == 200, f"{driver.current_url} answered {response_status(driver)}"


def save_section(driver, then="stay"):
    """Presses Save (then=stay) or "Save and go to the next section" (then=next) on the section editor."""
    click_and_wait(driver, main_form(driver).find_element(By.CSS_SELECTOR, f"button[name='then'][value='{then}']"))


def fill(form, name, value):
    field = form.find_element(By.NAME, name)
    if field.tag_name == "select":
        Select(field).select_by_value(value)
    else:
        field.clear()
        field.send_keys(value)


def flash(driver):
    found = driver.find_elements(By.CSS_SELECTOR, "main .flash[role='status']")
    return text_content(found[0]) if found else None


def plan_facts(driver):
    """{term: value} from the plan details list on the overview."""
    return {text_content(dt): text_content(dt.find_element(By.XPATH, "following-sibling::dd[1]"))
            for dt in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='details'] dt")}


def findings(driver, container="section[aria-labelledby='missing']"):
    """The findings listed in `container`, each as a dict: section (the h3 above it, if any), severity,
    message, fix (the Fix this link's URL or None), fix_text, citation (without "Source: ")."""
    return driver.execute_script("""
        return Array.from(document.querySelectorAll(arguments[0] + ' ul.findings > li')).map(li => {
            const squeeze = t => (t || '').replace(/\\s+/g, ' ').trim();
            const list = li.closest('ul');
            let heading = list.previousElementSibling;
            const rest = li.cloneNode(true);
            rest.querySelectorAll('.severity, a, .citation').forEach(e => e.remove());
            const fix = li.querySelector('a');
            const severity = li.querySelector('.severity');
            const citation = li.querySelector('.citation');
            return {
                section: heading && heading.tagName === 'H3' ? squeeze(heading.textContent) : null,
                severity: severity ? squeeze(severity.textContent) : null,
                message: squeeze(rest.textContent),
                fix: fix ? fix.href : null,
                fix_text: fix ? squeeze(fix.textContent) : null,
                citation: citation ? squeeze(citation.textContent).replace(/^Source: /, '') : null,
                citation_text: citation ? squeeze(citation.textContent) : null,
            };
        });""", container)


def missing_counts(driver):
    """(required, recommended) from "N required items are missing, and M recommended.", (0, 0) when complete."""
    text = text_content(driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='missing'] p"))
    if text.startswith("Nothing is missing"):
        return 0, 0
    match = re.fullmatch(r"(\d+) required items? (?:is|are) missing, and (\d+) recommended\. Each links to where to fix it\.", text)
    assert match, f"unexpected summary of findings: {text!r}"
    return int(match.group(1)), int(match.group(2))


def progress(driver):
    """(written, total) from the Progress section, checked against its <progress> element."""
    text = text_content(driver.find_element(By.ID, "progress-text"))
    match = re.fullmatch(r"(\d+) of (\d+) sections complete\.", text)
    assert match, f"unexpected progress text {text!r}"
    written, total = int(match.group(1)), int(match.group(2))
    bar = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='progress'] progress")
    assert (bar.get_attribute("value"), bar.get_attribute("max")) == (str(written), str(total)), \
        f"<progress> says {bar.get_attribute('value')} of {bar.get_attribute('max')}, the text {text!r}"
    assert len(section_list(driver)) == total, "the progress total is not the number of sections listed"
    return written, total


def section_list(driver):
    """The overview's ordered list of sections: {title: (status, URL)}."""
    result = {}
    for item in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='sections'] ol.section-list > li"):
        link = item.find_element(By.TAG_NAME, "a")
        title = re.sub(r"^\d+\. ", "", text_content(link))
        result[title] = (text_content(item.find_element(By.CSS_SELECTOR, ".status")), link.get_attribute("href"))
    return result


def finding_with(items, text):
    match = [f for f in items if text in f["message"]]
    assert len(match) == 1, f"expected one finding about {text!r}, found {len(match)} in {[f['message'] for f in items]}"
    return match[0]


def assert_field_error(driver, name, message):
    """The message is in the summary (linking to the field) and beside the field, which is marked invalid."""
    assert driver.find_element(By.ID, "error-summary").is_displayed()
    assert error_summary_messages(driver).get(f"field-{name}") == message, error_summary_messages(driver)
    error = field_error(driver, name)
    assert error.is_displayed()
    assert text_content(error) == f"Error: {message}"
    control = driver.find_element(By.ID, f"field-{name}")
    assert control.get_attribute("aria-invalid") == "true", f"{name} is not marked aria-invalid"
    assert f"field-{name}-error" in (control.get_attribute("aria-describedby") or "").split(), \
        f"{name} is not described by its error message"
    group = error.find_element(By.XPATH, "./ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' field ')][1]")
    assert group.find_elements(By.ID, f"field-{name}"), f"the error for {name} is not in the field's group"
    assert "has-error" in group.get_attribute("class").split()


def people_urls(driver, base_url):
    """Every person the signed-in account sees, across the pages of the list."""
    urls, url = [], None
    for _ in range(40):
        urls += [href for _, href in caseload(driver, base_url, url)]
        following = driver.find_elements(By.LINK_TEXT, "Next page")
        if not following:
            return urls
        url = following[0].get_attribute("href")
    return urls


def shared_person(driver, base_url, reader):
    """A person that both `reader` and the coordinator may see (the coordinator can start their plans).
    Returns the person's URL, with the browser signed in as the coordinator."""
    sign_in(driver, base_url, reader)
    urls = people_urls(driver, base_url)
    sign_in(driver, base_url, COORDINATOR)
    for url in urls:
        driver.get(url)
        wait_for_load(driver)
        if response_status(driver) == 200 and driver.find_elements(By.LINK_TEXT, "Start a plan"):
            return url
    pytest.fail(f"no person seen by {reader} is in {COORDINATOR}'s caseload")


def plan_links(driver):
    """The plans listed on the person page shown."""
    return {a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='plans'] table a[href^='/plans/']")}


def a_plan_of(driver, base_url):
    """The first plan of the first person (in the signed-in account's list) who has one: its overview URL."""
    for url in people_urls(driver, base_url):
        driver.get(url)
        wait_for_load(driver)
        links = driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='plans'] table a[href^='/plans/']")
        if links:
            return links[0].get_attribute("href")
    pytest.fail("no person in the list has a plan")


# MARK: 1. a coordinator's journey


def test_coordinator_writes_a_plan(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    name, person_url = plain_person(driver, base_url)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, f"main table a[href='{urlparse(person_url).path}']"))
    assert h1_text(driver) == name

    # The person's page has a "Support plans" section with a way to start one.
    plans = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='plans']")
    assert text_content(plans.find_element(By.ID, "plans")) == "Support plans"
    click_and_wait(driver, plans.find_element(By.LINK_TEXT, "Start a plan"))
    assert path_of(driver) == urlparse(person_url).path + "/plans/new"
    assert h1_text(driver) == f"Start a plan for {name}"

    meeting, start, end = plan_dates()
    form = main_form(driver)
    fill_plan_form(form, ISP, "annual", (meeting, start, end), language="English")
    assert text_content(submit_button(form)) == "Start the plan"
    click_and_wait(driver, submit_button(form))

    # The overview of the new plan.
    assert re.fullmatch(f"/plans/{UUID}", path_of(driver)), f"{driver.current_url}: {error_summary_messages(driver)}"
    assert parse_qs(urlparse(driver.current_url).query).get("saved") == ["1"]
    plan_url = driver.current_url.split("?")[0]
    assert flash(driver) == "Saved."
    assert h1_text(driver) == f"{name}: {ISP_LABEL}"
    facts = plan_facts(driver)
    assert facts.get("Kind") == "Annual plan", facts
    assert facts.get("Status") == "Draft: being written", facts
    assert facts.get("Planning meeting") == meeting, facts
    assert facts.get("Plan period") == f"{start} to {end}", facts

    written, total = progress(driver)
    assert written == 0 and total > 0
    sections = section_list(driver)
    assert set(s for s, _ in sections.values()) == {"Not started"}, sections
    required, _ = missing_counts(driver)
    items = findings(driver)
    assert required > 0 and required == sum(f["severity"] == "Required" for f in items)
    for f in items:
        assert f["severity"] in ("Required", "Recommended"), f
        assert f["message"] and f["citation"], f
        assert f["citation_text"] == f"Source: {f['citation']}", f
        assert f["fix_text"] == f"Fix this: {f['message']}", f"the Fix this link does not say what it fixes: {f}"
        fix = urlparse(f["fix"])
        assert re.fullmatch(re.escape(urlparse(plan_url).path) + r"/(details|sections/[a-z-]+)", fix.path), f
        assert fix.fragment.startswith("field-"), f
        # Grouped under the heading of the section the link goes to.
        if "/sections/" in fix.path:
            assert sections[f["section"]][1].endswith(fix.path), f"{f} is grouped under another section's heading"
        else:
            assert f["section"] == "Plan details", f
    risk_finding = finding_with(items, "Record the risks to the person")
    assert risk_finding["severity"] == "Required"
    assert risk_finding["citation"] == RISK_CITATION
    assert risk_finding["section"] == RISKS

    # The person's page lists the plan.
    driver.get(person_url)
    row = driver.find_element(By.CSS_SELECTOR, f"section[aria-labelledby='plans'] table a[href='{urlparse(plan_url).path}']")
    cells = [text_content(c) for c in row.find_elements(By.XPATH, "./ancestor::tr[1]/td")]
    assert cells == [ISP_LABEL, "Annual plan", "Draft: being written", meeting, f"{start} to {end}"], cells
    click_and_wait(driver, row)
    assert driver.current_url == plan_url

    # Fix this: to the risks section, at the list of risks.
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, f"section[aria-labelledby='missing'] a[href='{urlparse(risk_finding['fix']).path}#{urlparse(risk_finding['fix']).fragment}']"))
    assert path_of(driver) == urlparse(plan_url).path + "/sections/risks"
    assert driver.find_element(By.ID, urlparse(driver.current_url).fragment)
    assert h1_text(driver) == RISKS
    assert text_content(driver.find_element(By.CSS_SELECTOR, "fieldset#field-risks\\.0 legend")) == "New entry in Risks"
    # Its own findings are listed, without links (the fields are on this page).
    here = findings(driver, "main [role='region']")
    assert any(RISK_CITATION == f["citation"] for f in here), here

    # Add a risk with only what it is and its kind.
    risk = unique("Falls on the stairs at home")
    form = main_form(driver)
    fill(form, "risks.0.risk", risk)
    fill(form, "risks.0.kind", "safety")
    save_section(driver)
    assert path_of(driver) == urlparse(plan_url).path + "/sections/risks"
    assert parse_qs(urlparse(driver.current_url).query).get("saved") == ["risks"]
    assert flash(driver) == f"Saved {RISKS}."
    form = main_form(driver)
    assert form.find_element(By.NAME, "risks.0.risk").get_property("value") == risk
    assert Select(form.find_element(By.NAME, "risks.0.kind")).first_selected_option.get_attribute("value") == "safety"
    assert text_content(driver.find_element(By.CSS_SELECTOR, "fieldset#field-risks\\.0 legend")) == "Risks: entry 1"
    assert form.find_element(By.NAME, "risks.0._remove").get_attribute("type") == "checkbox"
    assert text_content(driver.find_element(By.CSS_SELECTOR, "fieldset#field-risks\\.1 legend")) == "New entry in Risks"
    assert form.find_element(By.NAME, "risks.1.risk").get_property("value") == ""

    # The overview now asks how that risk is reduced and who is responsible.
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, f"main a[href='{urlparse(plan_url).path}']"))
    message = f"The risk “{risk}” needs how it is reduced and who is responsible."
    items = findings(driver)
    unmitigated = finding_with(items, f"The risk “{risk}”")
    assert unmitigated["message"] == message
    assert unmitigated["severity"] == "Required"
    assert unmitigated["citation"] == RISK_CITATION
    assert unmitigated["section"] == RISKS
    assert urlparse(unmitigated["fix"]).path == urlparse(plan_url).path + "/sections/risks"
    assert urlparse(unmitigated["fix"]).fragment == "field-risks.0.mitigation"
    assert not [f for f in items if "Record the risks to the person" in f["message"]]
    required_with_risk, _ = missing_counts(driver)
    assert required_with_risk == required, "adding a risk without its measures should swap one finding for another"
    written_with_risk, _ = progress(driver)
    assert written_with_risk == written, "a section a required rule still points at is not complete"
    assert section_list(driver)[RISKS][0] == "Written, but the rules ask for more"

    # Fix it, with the keyboard only once on the page: type, Tab to the next field, Tab to Save, Enter.
    driver.get(unmitigated["fix"])
    wait_for_load(driver)
    mitigation = driver.find_element(By.ID, "field-risks.0.mitigation")
    assert mitigation.get_attribute("name") == "risks.0.mitigation"
    mitigation.send_keys("Handrails on both sides; someone walks beside on the stairs")
    assert driver.switch_to.active_element == mitigation
    ActionChains(driver).send_keys(Keys.TAB).perform()
    responsible = driver.switch_to.active_element
    assert responsible.get_attribute("name") == "risks.0.responsible", \
        f"Tab from the mitigation went to {responsible.get_attribute('name')!r}, not who is responsible"
    ActionChains(driver).send_keys("Residential staff").perform()
    save = tab_to(driver, lambda e: e.tag_name == "button" and e.get_attribute("value") == "stay")
    assert text_content(save) == "Save"
    press_and_wait(driver, Keys.ENTER)
    assert path_of(driver) == urlparse(plan_url).path + "/sections/risks", error_summary_messages(driver)
    assert flash(driver) == f"Saved {RISKS}."
    form = main_form(driver)
    assert form.find_element(By.NAME, "risks.0.mitigation").get_property("value") == "Handrails on both sides; someone walks beside on the stairs"
    assert form.find_element(By.NAME, "risks.0.responsible").get_property("value") == "Residential staff"
    assert not [f for f in findings(driver, "main [role='region']") if risk in f["message"]]

    # The finding is gone; the risks section is now complete.
    driver.get(plan_url)
    wait_for_load(driver)
    items = findings(driver)
    assert not [f for f in items if risk in f["message"]], "the finding about the fixed risk is still listed"
    required_fixed, _ = missing_counts(driver)
    assert required_fixed == required - 1
    assert progress(driver)[0] == written + 1
    assert section_list(driver)[RISKS][0] == "Complete"

    # Write one more section; progress goes up again.
    open_section(driver, plan_url, "support-needs")
    form = main_form(driver)
    for field in ("howToSupport", "whatWorks", "whatDoesNotWork"):
        fill(form, field, f"{field}: one step at a time")
    save_section(driver, "stay")
    assert flash(driver) == f"Saved {SUPPORT_NEEDS}."
    driver.get(plan_url)
    wait_for_load(driver)
    assert progress(driver)[0] == written + 2
    assert section_list(driver)[SUPPORT_NEEDS][0] == "Complete"
    assert missing_counts(driver)[0] == required - 2


def test_save_and_go_to_next_section(driver, base_url):
    """"Save and go to the next section" saves, then opens the next section; the message names what was saved."""
    _, plan_url = coordinator_plan(driver, base_url)
    sections = section_list(driver)
    titles = list(sections)
    index = titles.index(SUPPORT_NEEDS)
    following = titles[index + 1]

    open_section(driver, plan_url, "support-needs")
    form = main_form(driver)
    for field in ("howToSupport", "whatWorks", "whatDoesNotWork"):
        fill(form, field, f"{field}: calm voice")
    next_button = form.find_element(By.CSS_SELECTOR, "button[name='then'][value='next']")
    assert text_content(next_button) == "Save and go to the next section"
    save_section(driver, "next")
    assert driver.current_url.split("?")[0] == sections[following][1], "did not go to the next section"
    assert h1_text(driver) == following
    assert parse_qs(urlparse(driver.current_url).query).get("saved") == ["support-needs"]
    message = flash(driver)

    driver.get(plan_url)
    wait_for_load(driver)
    assert section_list(driver)[SUPPORT_NEEDS][0] == "Complete"

    # From the last section, the same button goes to the overview.
    last = titles[-1]
    driver.get(sections[last][1])
    wait_for_load(driver)
    assert h1_text(driver) == last
    button = main_form(driver).find_element(By.CSS_SELECTOR, "button[name='then'][value='next']")
    assert text_content(button) == "Save and go to the overview"
    assert text_content(driver.find_element(By.CSS_SELECTOR, "nav.section-nav a:last-child")) == "Back to the plan overview"

    # The message shown after moving on names the section saved (or no section), not the one opened.
    assert message == f"Saved {SUPPORT_NEEDS}.", \
        f"after saving “{SUPPORT_NEEDS}” with “Save and go to the next section”, the page of “{following}” " \
        f"says {message!r}: it names a section that was not saved"


def test_overview_links_reach_their_fields(driver, base_url):
    """Every Fix this link opens the right page at an element with the linked id; every section link opens that section."""
    _, plan_url = coordinator_plan(driver, base_url)
    items = findings(driver)
    sections = section_list(driver)
    assert items and sections
    broken = []
    for f in items:
        driver.get(f["fix"])
        wait_for_load(driver)
        target = urlparse(f["fix"]).fragment
        status = response_status(driver)
        if status != 200 or not driver.find_elements(By.ID, target):
            broken.append(f"{f['fix']} (status {status}) for {f['message']!r}")
    for title, (_, href) in sections.items():
        driver.get(href)
        wait_for_load(driver)
        if response_status(driver) != 200 or h1_text(driver) != title:
            broken.append(f"{href} (status {response_status(driver)}, heading {h1_text(driver)!r}) for section {title!r}")
    assert not broken, "links from the overview that do not reach their target:\n" + "\n".join(broken)


# MARK: 2. validation


def person_aged_at_least(driver, base_url, years):
    """A person of the coordinator's caseload with a plain name who is at least `years` old: (name, URL)."""
    url = None
    for _ in range(40):
        driver.get(url or base_url + "/people")
        wait_for_load(driver)
        for row in driver.find_elements(By.CSS_SELECTOR, "main table tbody tr"):
            link = row.find_element(By.CSS_SELECTOR, "th[scope='row'] a")
            age = text_content(row.find_elements(By.TAG_NAME, "td")[0])
            if age.isdigit() and int(age) >= years and re.fullmatch(r"[A-Za-z]+( [A-Za-z]+)+", text_content(link)):
                return text_content(link), link.get_attribute("href")
        following = driver.find_elements(By.LINK_TEXT, "Next page")
        if not following:
            break
        url = following[0].get_attribute("href")
    pytest.fail(f"no one aged {years} or more in the caseload")


def test_new_plan_form_errors(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    name, person_url = person_aged_at_least(driver, base_url, 4)
    driver.get(person_url)
    wait_for_load(driver)
    before = plan_links(driver)
    driver.get(person_url + "/plans/new")
    form = main_form(driver)

    # Nothing chosen.
    click_and_wait(driver, submit_button(form))
    assert response_status(driver) == 422
    assert h1_text(driver) == f"Start a plan for {name}"
    assert driver.find_element(By.ID, "error-summary").get_attribute("role") == "alert"
    assert_field_error(driver, "planType", "Plan type is required.")
    assert_field_error(driver, "planKind", "Kind of plan is required.")

    # An IFSP for someone 3 or older, ending before it starts.
    meeting, start, _ = plan_dates()
    too_early = (datetime.date.fromisoformat(start) - datetime.timedelta(days=1)).isoformat()
    language = unique("Spanish")
    form = main_form(driver)
    fill_plan_form(form, "california_ifsp", "initial", (meeting, start, too_early), language=language)
    click_and_wait(driver, submit_button(form))
    assert response_status(driver) == 422
    errors = error_summary_messages(driver)
    assert set(errors) == {"field-effectiveEnd", "field-meetingDate"}, errors
    assert_field_error(driver, "effectiveEnd", f"The plan must end on or after the day it starts ({start}).")
    ifsp = errors["field-meetingDate"]
    assert ifsp.startswith("An IFSP is for a child under 3") and name in ifsp, ifsp
    assert_field_error(driver, "meetingDate", ifsp)
    assert not driver.find_elements(By.ID, "field-planType-error")

    # What was typed and chosen is kept.
    form = main_form(driver)
    assert Select(form.find_element(By.NAME, "planType")).first_selected_option.get_attribute("value") == "california_ifsp"
    assert Select(form.find_element(By.NAME, "planKind")).first_selected_option.get_attribute("value") == "initial"
    for field, value in (("meetingDate", meeting), ("effectiveStart", start), ("effectiveEnd", too_early), ("planningLanguage", language)):
        assert form.find_element(By.NAME, field).get_property("value") == value, field

    # The summary's links lead to the fields.
    link = driver.find_element(By.CSS_SELECTOR, "#error-summary a[href='#field-effectiveEnd']")
    link.click()
    wait(driver).until(lambda d: d.switch_to.active_element.get_attribute("id") == "field-effectiveEnd")

    # Nothing was started by the refused forms.
    driver.get(person_url)
    wait_for_load(driver)
    assert plan_links(driver) == before, "a refused form started a plan"

    # Corrected, it starts the plan.
    driver.get(person_url + "/plans/new")
    form = main_form(driver)
    fill_plan_form(form, ISP, "annual", plan_dates(), language=language)
    click_and_wait(driver, submit_button(form))
    assert re.fullmatch(f"/plans/{UUID}", path_of(driver)), error_summary_messages(driver)
    assert h1_text(driver) == f"{name}: {ISP_LABEL}"
    assert "Language of the plan" in driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='details']").text
    assert language in driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='details']").text


def test_plan_details_form(driver, base_url):
    name, plan_url = coordinator_plan(driver, base_url)
    header = finding_with(findings(driver), "date of implementation")
    assert urlparse(header["fix"]).path == urlparse(plan_url).path + "/details"
    assert urlparse(header["fix"]).fragment == "field-implementationDate"
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Edit plan details"))
    assert path_of(driver) == urlparse(plan_url).path + "/details"
    assert h1_text(driver) == f"Plan details for {name}"
    form = main_form(driver)
    assert not form.find_elements(By.NAME, "planType"), "the plan type cannot change, so it is no field"
    start = form.find_element(By.NAME, "effectiveStart").get_property("value")
    assert start

    # An end before the start is refused; what was typed stays.
    too_early = (datetime.date.fromisoformat(start) - datetime.timedelta(days=3)).isoformat()
    form.find_element(By.NAME, "effectiveEnd").clear()
    set_date(form.find_element(By.NAME, "effectiveEnd"), too_early)
    set_date(form.find_element(By.NAME, "implementationDate"), start)
    fill(form, "planningLanguage", "Tagalog")
    assert text_content(submit_button(form)) == "Save plan details"
    click_and_wait(driver, submit_button(form))
    assert response_status(driver) == 422
    assert_field_error(driver, "effectiveEnd", f"The plan must end on or after the day it starts ({start}).")
    form = main_form(driver)
    assert form.find_element(By.NAME, "effectiveEnd").get_property("value") == too_early
    assert form.find_element(By.NAME, "implementationDate").get_property("value") == start
    assert form.find_element(By.NAME, "planningLanguage").get_property("value") == "Tagalog"

    # Corrected: saved, and the header finding is gone.
    end = (datetime.date.fromisoformat(start) + datetime.timedelta(days=300)).isoformat()
    form.find_element(By.NAME, "effectiveEnd").clear()
    set_date(form.find_element(By.NAME, "effectiveEnd"), end)
    click_and_wait(driver, submit_button(form))
    assert driver.current_url.split("?")[0] == plan_url, error_summary_messages(driver)
    assert flash(driver) == "Saved."
    details = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='details']").text
    assert f"{start} to {end}" in details and "Tagalog" in details
    assert not [f for f in findings(driver) if "date of implementation" in f["message"]]


def test_section_editor_errors(driver, base_url):
    _, plan_url = coordinator_plan(driver, base_url)
    open_section(driver, plan_url, "risks")
    risk = unique("Wanders from home at night")
    backup = unique("The neighbour steps in")
    form = main_form(driver)
    fill(form, "risks.0.risk", risk)
    fill(form, "risks.0.responsible", "x" * 201)
    fill(form, "backupPlan", backup)
    save_section(driver)

    assert response_status(driver) == 422
    assert h1_text(driver) == RISKS
    assert driver.find_element(By.ID, "error-summary").get_attribute("role") == "alert"
    errors = error_summary_messages(driver)
    assert set(errors) == {"field-risks.0.kind", "field-risks.0.responsible"}, errors
    assert_field_error(driver, "risks.0.kind", "Kind of risk is needed for each entry in Risks.")
    assert_field_error(driver, "risks.0.responsible", "Who is responsible is too long: use at most 200 characters (it has 201).")
    form = main_form(driver)
    assert form.find_element(By.NAME, "risks.0.risk").get_property("value") == risk
    assert form.find_element(By.NAME, "risks.0.responsible").get_property("value") == "x" * 201
    assert form.find_element(By.NAME, "backupPlan").get_property("value") == backup
    assert not flash(driver)

    # The summary links to the select in the entry.
    driver.find_element(By.CSS_SELECTOR, "#error-summary a[href='#field-risks.0.kind']").click()
    wait(driver).until(lambda d: d.switch_to.active_element.get_attribute("name") == "risks.0.kind")

    # Nothing was saved.
    open_section(driver, plan_url, "risks")
    form = main_form(driver)
    assert form.find_element(By.NAME, "risks.0.risk").get_property("value") == ""
    assert form.find_element(By.NAME, "backupPlan").get_property("value") == ""
    driver.get(plan_url)
    wait_for_load(driver)
    assert section_list(driver)[RISKS][0] == "Not started"


def test_list_entry_removed(driver, base_url):
    _, plan_url = coordinator_plan(driver, base_url)
    open_section(driver, plan_url, "risks")
    first, second = unique("Choking on food"), unique("Sunburn")
    form = main_form(driver)
    fill(form, "risks.0.risk", first)
    fill(form, "risks.0.kind", "health")
    save_section(driver)
    form = main_form(driver)
    fill(form, "risks.1.risk", second)
    fill(form, "risks.1.kind", "other")
    save_section(driver)
    form = main_form(driver)
    assert [form.find_element(By.NAME, f"risks.{i}.risk").get_property("value") for i in range(3)] == [first, second, ""]

    remove = form.find_element(By.NAME, "risks.0._remove")
    label = driver.find_element(By.CSS_SELECTOR, f"label[for='{remove.get_attribute('id')}']")
    assert text_content(label) == "Remove this entry when saving"
    label.click()
    assert remove.is_selected()
    save_section(driver)
    assert flash(driver) == f"Saved {RISKS}."
    form = main_form(driver)
    assert form.find_element(By.NAME, "risks.0.risk").get_property("value") == second
    assert form.find_element(By.NAME, "risks.1.risk").get_property("value") == ""
    assert not form.find_elements(By.NAME, "risks.2.risk")
    assert first not in driver.find_element(By.TAG_NAME, "main").get_property("textContent")


def test_stale_section_save_is_refused(driver, base_url):
    _, plan_url = coordinator_plan(driver, base_url)
    open_section(driver, plan_url, "support-needs")
    first_tab = driver.current_window_handle
    driver.switch_to.new_window("tab")
    open_section(driver, plan_url, "support-needs")
    theirs = unique("Written in the other tab")
    fill(main_form(driver), "howToSupport", theirs)
    save_section(driver)
    assert flash(driver) == f"Saved {SUPPORT_NEEDS}."
    driver.close()
    driver.switch_to.window(first_tab)

    fill(main_form(driver), "howToSupport", unique("Written in the first tab"))
    save_section(driver)
    assert response_status(driver) == 409
    conflict = driver.find_element(By.ID, "field-version")
    assert conflict.get_attribute("role") == "alert"
    assert text_content(conflict).startswith("Someone else saved this section while you were editing.")
    assert main_form(driver).find_element(By.NAME, "howToSupport").get_property("value") == theirs


# MARK: 3. escaping what people type


def save_probe(driver):
    """Saves a section holding the probe text: no alert may open and no script element may appear."""
    save_section(driver)
    assert_no_alert(driver)
    assert_no_scripts(driver)


def test_section_text_escapes_markup(driver, base_url):
    _, plan_url = coordinator_plan(driver, base_url)

    # A top-level field.
    open_section(driver, plan_url, "support-needs")
    form = main_form(driver)
    for field in ("howToSupport", "whatWorks", "whatDoesNotWork"):
        fill(form, field, PROBE)
    save_probe(driver)
    assert flash(driver) == f"Saved {SUPPORT_NEEDS}."
    form = main_form(driver)
    for field in ("howToSupport", "whatWorks", "whatDoesNotWork"):
        assert form.find_element(By.NAME, field).get_property("value") == PROBE, field

    # A list entry, refused first (no kind): the form echoes it unchanged.
    open_section(driver, plan_url, "risks")
    form = main_form(driver)
    fill(form, "risks.0.risk", PROBE)
    fill(form, "risks.0.responsible", PROBE)
    fill(form, "backupPlan", PROBE)
    save_probe(driver)
    assert response_status(driver) == 422
    form = main_form(driver)
    for field in ("risks.0.risk", "risks.0.responsible", "backupPlan"):
        assert form.find_element(By.NAME, field).get_property("value") == PROBE, f"{field} was echoed differently"
    fill(form, "risks.0.kind", "other")
    save_probe(driver)
    assert flash(driver) == f"Saved {RISKS}."
    form = main_form(driver)
    for field in ("risks.0.risk", "risks.0.responsible", "backupPlan"):
        assert form.find_element(By.NAME, field).get_property("value") == PROBE, field
        assert form.find_element(By.NAME, field).get_attribute("value") == PROBE, field
    # The finding quotes the risk, as text (in the section's own list too). Who is responsible is given.
    message = f"The risk “{PROBE}” needs how it is reduced."
    assert finding_with(findings(driver, "main [role='region']"), "The risk “")["message"] == message

    # The overview shows it as text: in the finding, and in the Fix this link's words.
    driver.get(plan_url)
    wait_for_load(driver)
    assert_no_alert(driver)
    assert_no_scripts(driver)
    quoted = finding_with(findings(driver), "The risk “")
    assert quoted["message"] == message
    assert quoted["fix_text"] == f"Fix this: {message}"
    assert PROBE in driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='missing']").text, \
        "the probe is not visible as text"


# MARK: 4. read-only views


def test_provider_staff_read_plan_without_forms(driver, base_url):
    person_url = shared_person(driver, base_url, PROVIDER_STAFF)
    plan_url = start_plan(driver, person_url)

    # The coordinator writes two sections, one with the person's circle.
    open_section(driver, plan_url, "who-is-important")
    who = Select(main_form(driver).find_element(By.NAME, "people.0.circleMemberId"))
    if len(who.options) < 2:
        add_circle_member(driver, person_url, "Avery Planfriend", "friend")
        open_section(driver, plan_url, "who-is-important")
        who = Select(main_form(driver).find_element(By.NAME, "people.0.circleMemberId"))
    assert who.options[0].get_attribute("value") == ""
    who.select_by_index(1)
    member = re.sub(r" \([^()]*\)$", "", text_content(who.first_selected_option))
    fill(main_form(driver), "people.0.whatTheyMean", PROBE)
    save_section(driver)
    assert flash(driver) == "Saved Who is important to the person.", error_summary_messages(driver)
    open_section(driver, plan_url, "risks")
    form = main_form(driver)
    fill(form, "risks.0.risk", PROBE)
    fill(form, "risks.0.kind", "financial")
    fill(form, "backupPlan", PROBE)
    save_section(driver)
    assert flash(driver) == f"Saved {RISKS}."

    sign_in(driver, base_url, PROVIDER_STAFF)
    # The person's page lists the plan, with no way to start one.
    driver.get(person_url)
    wait_for_load(driver)
    assert driver.find_elements(By.CSS_SELECTOR, f"section[aria-labelledby='plans'] a[href='{urlparse(plan_url).path}']")
    assert not driver.find_elements(By.LINK_TEXT, "Start a plan")

    # The overview: findings without Fix this links, no way to edit the details.
    driver.get(plan_url)
    wait_for_load(driver)
    assert response_status(driver) == 200
    items = findings(driver)
    assert items, "the draft's findings are not shown to provider staff"
    assert all(f["fix"] is None for f in items), "provider staff are offered Fix this links"
    assert not driver.find_elements(By.LINK_TEXT, "Edit plan details")
    assert_no_alert(driver)
    assert_no_scripts(driver)

    # The sections: no form, what was written shown as text.
    open_section(driver, plan_url, "risks")
    assert h1_text(driver) == RISKS
    assert not driver.find_elements(By.CSS_SELECTOR, "main form"), "provider staff get an editing form"
    assert not driver.find_elements(By.CSS_SELECTOR, "main input, main textarea, main select, main button")
    facts = driver.execute_script(
        "return Array.from(document.querySelectorAll('main dl.facts dt')).map(dt => [dt.textContent.trim(), dt.nextElementSibling.textContent]);")
    assert ["Risk", PROBE] in facts, facts
    assert ["Kind of risk", "Financial"] in facts, facts
    assert ["Backup plan", PROBE] in facts, facts
    assert_no_alert(driver)
    assert_no_scripts(driver)
    open_section(driver, plan_url, "who-is-important")
    assert not driver.find_elements(By.CSS_SELECTOR, "main form")
    facts = driver.execute_script(
        "return Array.from(document.querySelectorAll('main dl.facts dt')).map(dt => [dt.textContent.trim(), dt.nextElementSibling.textContent]);")
    assert ["Who", member] in facts, facts
    assert ["What they mean to the person", PROBE] in facts, facts
    assert_no_scripts(driver)
    open_section(driver, plan_url, "funds")
    assert text_content(driver.find_element(By.CSS_SELECTOR, "main")).count("This section has not been written yet.") == 1

    # The details form is closed to them, and so is saving a section (a form made in the page, with
    # the page's own CSRF token, so only the permission can refuse it).
    driver.get(plan_url + "/details")
    wait_for_load(driver)
    assert response_status(driver) == 403
    open_section(driver, plan_url, "risks")
    token = driver.find_element(By.CSS_SELECTOR, "form[action='/sign-out'] input[name='_csrf']").get_attribute("value")
    before = driver.current_url
    driver.execute_script("""
        const form = document.createElement('form');
        form.method = 'post'; form.action = location.pathname;
        for (const [name, value] of [['_csrf', arguments[0]], ['version', '1'], ['backupPlan', 'Written by provider staff'], ['then', 'stay']]) {
            const input = document.createElement('input');
            input.type = 'hidden'; input.name = name; input.value = value; form.appendChild(input);
        }
        document.body.appendChild(form);
        document.lanternOldPage = true;
        form.submit();""", token)
    wait_for_new_page(driver, "POST of the risks section by provider staff", before)
    assert response_status(driver) == 403
    open_section(driver, plan_url, "risks")
    assert "Written by provider staff" not in driver.find_element(By.TAG_NAME, "main").text


def test_guardian_reads_plan_without_forms(driver, base_url):
    sign_in(driver, base_url, GUARDIAN)
    plan_url = a_plan_of(driver, base_url)
    driver.get(plan_url)
    wait_for_load(driver)
    assert response_status(driver) == 200
    assert ": " in h1_text(driver)
    progress(driver)
    assert not driver.find_elements(By.LINK_TEXT, "Edit plan details")
    assert not driver.find_elements(By.PARTIAL_LINK_TEXT, "Fix this")
    for title, (_, href) in list(section_list(driver).items())[:5]:
        driver.get(href)
        wait_for_load(driver)
        assert response_status(driver) == 200
        assert h1_text(driver) == title
        assert not driver.find_elements(By.CSS_SELECTOR, "main form"), f"the guardian gets a form on {href}"
    driver.get(plan_url + "/details")
    wait_for_load(driver)
    assert response_status(driver) == 403


# MARK: 5. accessibility: the plan pages scanned by test_lantern.py::test_axe_no_serious_violations


@axe_page("plan-new")
def page_plan_new(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    name, person_url = plain_person(driver, base_url)
    driver.get(person_url + "/plans/new")
    assert h1_text(driver) == f"Start a plan for {name}"


@axe_page("plan-new-with-errors")
def page_plan_new_errors(driver, base_url):
    page_plan_new(driver, base_url)
    form = main_form(driver)
    Select(form.find_element(By.NAME, "planType")).select_by_value(ISP)
    meeting, start, _ = plan_dates()
    set_date(form.find_element(By.NAME, "effectiveStart"), start)
    set_date(form.find_element(By.NAME, "effectiveEnd"), meeting)
    click_and_wait(driver, submit_button(form))
    wait(driver).until(EC.visibility_of_element_located((By.ID, "error-summary")))
    assert driver.find_elements(By.CSS_SELECTOR, ".field-error")


@axe_page("plan-overview-draft")
def page_plan_overview(driver, base_url):
    _, plan_url = coordinator_plan(driver, base_url)
    driver.get(plan_url)
    assert findings(driver), "a new plan should have findings"


@axe_page("plan-details")
def page_plan_details(driver, base_url):
    name, plan_url = coordinator_plan(driver, base_url)
    driver.get(plan_url + "/details")
    assert h1_text(driver) == f"Plan details for {name}"


@axe_page("plan-section-with-list")
def page_plan_section_list(driver, base_url):
    """The risks editor with one saved entry (its Remove checkbox) and the empty entry to add another."""
    _, plan_url = coordinator_plan(driver, base_url)
    open_section(driver, plan_url, "risks")
    form = main_form(driver)
    fill(form, "risks.0.risk", "Falls in the shower")
    fill(form, "risks.0.kind", "safety")
    save_section(driver)
    assert main_form(driver).find_elements(By.NAME, "risks.0._remove")
    assert main_form(driver).find_elements(By.NAME, "risks.1.risk")


@axe_page("plan-section-yes-no")
def page_plan_section_rights(driver, base_url):
    """The rights editor: yes/no radios and a list of limits on rights."""
    _, plan_url = coordinator_plan(driver, base_url)
    open_section(driver, plan_url, "rights")
    assert main_form(driver).find_elements(By.CSS_SELECTOR, "input[type='radio'][name='rightsExplained']")


@axe_page("plan-section-with-errors")
def page_plan_section_errors(driver, base_url):
    _, plan_url = coordinator_plan(driver, base_url)
    open_section(driver, plan_url, "risks")
    fill(main_form(driver), "risks.0.risk", "Falls in the shower")
    save_section(driver)
    wait(driver).until(EC.visibility_of_element_located((By.ID, "error-summary")))
    assert driver.find_elements(By.ID, "field-risks.0.kind-error")


@axe_page("plan-overview-read-only")
def page_plan_overview_read_only(driver, base_url):
    sign_in(driver, base_url, GUARDIAN)
    driver.get(a_plan_of(driver, base_url))
    assert driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='progress'] progress")


@axe_page("plan-section-read-only")
def page_plan_section_read_only(driver, base_url):
    sign_in(driver, base_url, GUARDIAN)
    plan_url = a_plan_of(driver, base_url)
    open_section(driver, plan_url, "who-is-important")
    assert not driver.find_elements(By.CSS_SELECTOR, "main form")


# MARK: 6. the living plan: a new version, signatures, in effect


def an_active_plan(driver, base_url):
    """A plan in effect in the coordinator's caseload with no newer version open: its overview URL."""
    for url in people_urls(driver, base_url):
        driver.get(url)
        wait_for_load(driver)
        # Read every row before opening any plan: the rows go stale once the browser leaves the page.
        hrefs = []
        for row in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='plans'] tbody tr"):
            cells = row.find_elements(By.TAG_NAME, "td")
            if len(cells) > 2 and text_content(cells[2]) == "In effect":
                hrefs.append(cells[0].find_element(By.TAG_NAME, "a").get_attribute("href"))
        for href in hrefs:
            driver.get(href)
            wait_for_load(driver)
            if driver.find_elements(By.CSS_SELECTOR, "form[action$='/versions']"):
                return href
    pytest.fail("no plan in effect without an open newer version in the coordinator's caseload")


def signature_rows(driver):
    """{signer name: status} from the signatures table."""
    rows = driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='signing'] tbody tr")
    return {text_content(r.find_elements(By.TAG_NAME, "td")[0]): text_content(r.find_elements(By.TAG_NAME, "td")[2]) for r in rows}


def signed_in_name(driver):
    """The name of the account signed in, as the page header shows it ("Signed in as NAME")."""
    return text_content(driver.find_element(By.CSS_SELECTOR, "header .account strong"))


def new_version_sent_for_signatures(driver, base_url, reason):
    """Starts a new version of a plan in effect and sends it for signatures; returns (old URL, new URL)."""
    sign_in(driver, base_url, COORDINATOR)
    old_url = an_active_plan(driver, base_url)
    form = driver.find_element(By.CSS_SELECTOR, "form[action$='/versions']")
    form.find_element(By.NAME, "reason").send_keys(reason)
    click_and_wait(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    new_url = driver.current_url.split("?")[0]
    assert new_url != old_url
    assert flash(driver).startswith("New version started as a draft.")
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Send for signatures']"))
    assert flash(driver) == "Sent for signatures. Each signer can now sign.", error_summary_messages(driver)
    return old_url, new_url


def test_a_new_version_is_signed_and_takes_effect(driver, base_url):
    old_url, new_url = new_version_sent_for_signatures(driver, base_url, unique("Moved to a new home"))
    facts = plan_facts(driver)
    assert facts["Status"].startswith("Waiting for signatures")
    assert not driver.find_elements(By.LINK_TEXT, "Edit plan details"), "a version sent for signatures cannot be edited"
    signers = signature_rows(driver)
    # The coordinator, a signer, has just opened the version, so their own request shows they have seen it.
    # (On a California IPP the coordinator signs for the regional center.)
    me = signed_in_name(driver)
    mine = me if me in signers else next((name for name in signers if name.startswith("Regional center")), me)
    assert signers.get(mine) == "Has seen the plan", signers
    assert {status for name, status in signers.items() if name != mine} == {"Asked to sign"}, signers
    assert "SHA-256" in text_content(driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='signing']"))

    # The coordinator records the signatures given at the meeting, then signs with their own account.
    for _ in range(len(signers)):
        recorders = driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='signing'] details form[action$='/sign']")
        if recorders:
            details = recorders[0].find_element(By.XPATH, "..")
            details.find_element(By.TAG_NAME, "summary").click()
            click_and_wait(driver, recorders[0].find_element(By.CSS_SELECTOR, "button[type=submit]"))
        else:
            own = driver.find_element(By.XPATH, "//button[normalize-space()='Sign this plan']")
            click_and_wait(driver, own)
        assert flash(driver) == "Signature recorded.", error_summary_messages(driver)
    assert set(signature_rows(driver).values()) == {"Signed"}
    facts = plan_facts(driver)
    assert facts["Status"].startswith("In effect")
    versions = [text_content(li) for li in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='versions'] li")]
    assert "(this version): In effect" in versions[0], versions
    assert "Replaced by a newer version" in versions[1], versions
    driver.get(old_url)
    wait_for_load(driver)
    assert not driver.find_elements(By.CSS_SELECTOR, "form[action$='/versions']"), "a replaced version starts nothing new"


def test_sending_an_unfinished_plan_is_refused_with_the_reason(driver, base_url):
    _, plan_url = coordinator_plan(driver, base_url)
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Send for signatures']"))
    assert response_status(driver) == 409
    summary = driver.find_element(By.ID, "error-summary")
    assert "required items are still missing" in text_content(summary)
    facts = plan_facts(driver)
    assert facts["Status"] == "Draft: being written"


@axe_page("plan-overview-awaiting-signatures")
def page_plan_awaiting_signatures(driver, base_url):
    new_version_sent_for_signatures(driver, base_url, unique("Axe scan of the signing page"))
    assert driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='signing'] details")


def new_version_with_a_change(driver, base_url, text):
    """Starts a new version of a plan in effect and rewrites how to support the person; returns the new version's URL."""
    sign_in(driver, base_url, COORDINATOR)
    an_active_plan(driver, base_url)
    form = driver.find_element(By.CSS_SELECTOR, "form[action$='/versions']")
    form.find_element(By.NAME, "reason").send_keys(unique("Life changed"))
    click_and_wait(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    plan_url = driver.current_url.split("?")[0]
    open_section(driver, plan_url, "support-needs")
    fill(main_form(driver), "howToSupport", text)
    save_section(driver, "stay")
    driver.get(plan_url)
    wait_for_load(driver)
    return plan_url


def test_what_changed_since_the_last_signed_version(driver, base_url):
    text = unique("Give one step at a time, with a picture and a calm voice")
    new_version_with_a_change(driver, base_url, text)
    versions = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='versions']")
    assert "the last signed version" in text_content(versions)
    items = [text_content(li) for li in versions.find_elements(By.CSS_SELECTOR, "h3 + ul li")]
    assert items == [f"{SUPPORT_NEEDS}: changed (1 change)"], items
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "See exactly what changed"))
    assert h1_text(driver).startswith("What changed in version")
    added = " ".join(text_content(e) for e in driver.find_elements(By.CSS_SELECTOR, "main ins"))
    assert text.split()[-1] in added, added
    assert driver.find_elements(By.CSS_SELECTOR, "main del"), "the words replaced are marked too"


@axe_page("plan-comparison")
def page_plan_comparison(driver, base_url):
    new_version_with_a_change(driver, base_url, unique("Axe scan of what changed"))
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "See exactly what changed"))
    assert driver.find_elements(By.CSS_SELECTOR, "main ins")


# MARK: 7. once a version is sent out: the printed plan, the profile, copies, reviews, ending, translations


COORDINATOR2 = "coordinator2@riverbend.example"

PROFILE_PARTS = ["p-admired", "p-important-to", "p-support", "p-not-working", "p-people", "p-outcomes"]
COPY_ROLES = ["person", "guardian", "parent", "provider", "regional_center", "family", "other"]
COPY_METHODS = ["portal", "print", "mail", "email"]
REVIEW_ROLES = ["person", "guardian", "parent", "family"]
REVIEW_DAYS = 30  # every demo plan type's rule pack gives 30 days for a review the person asks for


def plan_in_effect(driver, base_url, last=False, endable=False):
    """A plan in effect in the signed-in account's caseload: its overview URL, with the browser on it.

    Reading is all most tests do with it, so any version in effect will do (even one with a newer
    version open). With endable, only one that offers "End this plan" (no newer version open); with
    last, the last such plan of the list, so a test that ends it leaves the first ones to the others."""
    urls = people_urls(driver, base_url)
    for url in (reversed(urls) if last else urls):
        driver.get(url)
        wait_for_load(driver)
        found = []
        for row in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='plans'] tbody tr"):
            cells = row.find_elements(By.TAG_NAME, "td")
            if len(cells) > 2 and text_content(cells[2]) == "In effect":
                found.append(cells[0].find_element(By.TAG_NAME, "a").get_attribute("href"))
        for href in (reversed(found) if last else found):
            driver.get(href)
            wait_for_load(driver)
            if not endable or driver.find_elements(By.CSS_SELECTOR, "form[action$='/end']"):
                return href
    pytest.fail(f"no plan in effect{' that can be ended' if endable else ''} in the caseload of the account signed in")


def click_to_document(driver, element):
    """Clicks a link or button that leads to the printed plan or the profile. These are documents of
    their own, without the site's footer, so click_and_wait (which expects it) cannot wait for them."""
    what = driver.execute_script("document.lanternOldPage = true; return arguments[0].outerHTML.slice(0, 120);", element)
    element.click()
    wait(driver).until(lambda d: d.execute_script("return !document.lanternOldPage && document.readyState === 'complete'"),
                       f"no page loaded after clicking {what}")
    assert response_status(driver) == 200, f"{driver.current_url} answered {response_status(driver)}"


def follow_to_document(driver, link):
    href = link.get_attribute("href")
    click_to_document(driver, link)
    assert driver.current_url == href


def person_of_plan(driver):
    """The person's page URL (no fragment), from the overview's "Back to …'s page" link."""
    back = driver.find_element(By.CSS_SELECTOR, "main a[href^='/people/'][href$='#plans']")
    return back.get_attribute("href").split("#")[0]


def person_facts(driver, person_url):
    driver.get(person_url)
    wait_for_load(driver)
    return {text_content(dt): text_content(dt.find_element(By.XPATH, "following-sibling::dd[1]"))
            for dt in driver.find_elements(By.CSS_SELECTOR, "main dl.facts dt")}


def open_details(driver, summary, container="main"):
    """Opens the <details> in `container` whose summary says `summary` (a click, as a person would)."""
    for details in driver.find_elements(By.CSS_SELECTOR, f"{container} details"):
        toggle = details.find_element(By.TAG_NAME, "summary")
        if text_content(toggle) == summary:
            if not details.get_property("open"):
                toggle.click()
            wait(driver).until(lambda d: details.get_property("open"), f"“{summary}” did not open")
            return details
    pytest.fail(f"no <details> “{summary}” in {container} on {driver.current_url}")


def options_of(select):
    return [o.get_attribute("value") for o in Select(select).options]


def server_today(driver):
    """The server's date, read from a date field of the overview that defaults to today (and may not be later)."""
    field = driver.find_element(By.CSS_SELECTOR, "input[type='date'][max]")
    assert field.get_property("value") == field.get_attribute("max")
    return field.get_property("value")


def utc_today():
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def days_after(iso, days):
    return (datetime.date.fromisoformat(iso) + datetime.timedelta(days=days)).isoformat()


def copy_rows(driver):
    """The table of copies given on the overview: one list of cell texts per copy."""
    return [[text_content(c) for c in row.find_elements(By.TAG_NAME, "td")]
            for row in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='copies'] tbody tr")]


def copies_owed(driver):
    """The "Still to receive a copy:" paragraph of the overview, or "" when no one is owed a copy."""
    for p in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='copies'] p"):
        if text_content(p).startswith("Still to receive a copy:"):
            return text_content(p)
    return ""


def record_copy(driver, name, role, method="print", budget=True, purpose=None, sent_on=None):
    """Fills and sends "Record a copy given" on the overview shown."""
    open_details(driver, "Record a copy given", "section[aria-labelledby='copies']")
    driver.find_element(By.ID, "copy-recipientName").send_keys(name)
    Select(driver.find_element(By.ID, "copy-recipientRole")).select_by_value(role)
    Select(driver.find_element(By.ID, "copy-method")).select_by_value(method)
    if sent_on:
        field = driver.find_element(By.ID, "copy-sentOn")
        field.clear()
        set_date(field, sent_on)
    budget_box = driver.find_element(By.ID, "copy-includesBudget")
    if budget_box.is_selected() != budget:
        driver.find_element(By.CSS_SELECTOR, "label[for='copy-includesBudget']").click()
    assert budget_box.is_selected() == budget
    if purpose:
        driver.find_element(By.ID, "copy-purpose").send_keys(purpose)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/distributions'] button[type='submit']"))


def record_every_signature(driver):
    """Signs the version shown: the coordinator's own signature with their account, every other one
    recorded as given in person or on paper. The version then takes effect."""
    for _ in range(len(signature_rows(driver))):
        recorders = driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='signing'] details form[action$='/sign']")
        if recorders:
            recorders[0].find_element(By.XPATH, "..").find_element(By.TAG_NAME, "summary").click()
            click_and_wait(driver, recorders[0].find_element(By.CSS_SELECTOR, "button[type=submit]"))
        else:
            click_and_wait(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Sign this plan']"))
        assert flash(driver) == "Signature recorded.", error_summary_messages(driver)
    assert set(signature_rows(driver).values()) == {"Signed"}, signature_rows(driver)
    assert plan_facts(driver)["Status"].startswith("In effect"), plan_facts(driver)


def test_overview_links_to_the_plan_to_read_and_print(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    plan_url = plan_in_effect(driver, base_url)
    path = urlparse(plan_url).path
    documents = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='documents']")
    assert text_content(documents.find_element(By.ID, "documents")) == "The plan to read and print"
    links = [urlparse(a.get_attribute("href")).path for a in documents.find_elements(By.TAG_NAME, "a")]
    assert links == [f"{path}/print", f"{path}/profile", f"{path}/profile/translate"], links

    # A guardian reads both documents, but is offered no translation (and cannot save one).
    sign_in(driver, base_url, GUARDIAN)
    plan_url = a_plan_of(driver, base_url)
    path = urlparse(plan_url).path
    driver.get(plan_url)
    wait_for_load(driver)
    documents = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='documents']")
    links = [urlparse(a.get_attribute("href")).path for a in documents.find_elements(By.TAG_NAME, "a")]
    assert links == [f"{path}/print", f"{path}/profile"], links
    for link in links:
        driver.get(base_url + link)
        wait_for_load(driver)
        assert response_status(driver) == 200, f"{link} answered {response_status(driver)} to the guardian"
        assert driver.find_element(By.CSS_SELECTOR, "main h1").text.strip()
    driver.get(plan_url)
    wait_for_load(driver)
    assert not driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='copies'] form, section[aria-labelledby='reviews'] form")
    # Saving a translation anyway (a form made in the page, with its own CSRF token) is refused.
    token = driver.find_element(By.CSS_SELECTOR, "form[action='/sign-out'] input[name='_csrf']").get_attribute("value")
    words = unique("Sobre mí, escrito por el tutor")
    driver.execute_script("""
        const form = document.createElement('form');
        form.method = 'post'; form.action = arguments[1];
        for (const [name, value] of [['_csrf', arguments[0]], ['language', 'es'], ['count', '1'], ['s.0', 'About me'], ['t.0', arguments[2]]]) {
            const input = document.createElement('input');
            input.type = 'hidden'; input.name = name; input.value = value; form.appendChild(input);
        }
        document.body.appendChild(form);
        document.lanternOldPage = true;
        form.submit();""", token, f"{path}/profile/translate", words)
    wait_for_new_page(driver, "POST of a translation by a guardian", plan_url)
    assert response_status(driver) == 403
    driver.get(f"{plan_url}/profile?lang=es")
    wait_for_load(driver)
    assert words not in driver.find_element(By.TAG_NAME, "main").get_property("textContent")


def test_whole_plan_to_print(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    plan_url = plan_in_effect(driver, base_url)
    path = urlparse(plan_url).path
    heading = h1_text(driver)
    facts = plan_facts(driver)
    sections = list(section_list(driver))
    short_label = re.fullmatch(r".+: (.+) · Lantern", driver.title).group(1)
    version = re.match(r"\d+", facts["Version"]).group(0)
    today = server_today(driver)
    person = person_facts(driver, person_of_plan(driver))

    driver.get(plan_url)
    wait_for_load(driver)
    follow_to_document(driver, driver.find_element(By.CSS_SELECTOR, f"section[aria-labelledby='documents'] a[href='{path}/print']"))
    assert_no_scripts(driver)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert not driver.find_elements(By.CSS_SELECTOR, "footer.site-footer, header.site-header"), "the printed plan carries the site's navigation"

    # The running header: who, which plan, which period, and when it was printed.
    running = text_content(driver.find_element(By.CSS_SELECTOR, "header.running"))
    expected = (f"{person['Legal name']} · born {person['Date of birth']} · {short_label} version {version} · "
                f"plan period {facts['Plan period']} · printed ")
    assert running.startswith(expected), f"running header {running!r}, expected it to start {expected!r}"
    assert running[len(expected):] in {today, utc_today()}, running

    # A cover, one sheet per section in the overview's order, then the signature page.
    sheets = driver.find_elements(By.CSS_SELECTOR, "main section.sheet")
    assert len(sheets) == len(sections) + 2, f"{len(sheets)} sheets for {len(sections)} sections"
    assert "cover" in sheets[0].get_attribute("class").split()
    assert text_content(sheets[0].find_element(By.CSS_SELECTOR, "h1")) == heading
    cover = {text_content(dt): text_content(dt.find_element(By.XPATH, "following-sibling::dd[1]"))
             for dt in sheets[0].find_elements(By.CSS_SELECTOR, "dl.facts dt")}
    assert cover["Legal name"] == person["Legal name"] and cover["Plan period"] == facts["Plan period"], cover
    assert cover["Status"] == "In effect", cover
    assert re.fullmatch(r"[0-9a-f]{64}", cover["SHA-256 digest of this version"]), cover
    titles = [re.sub(r"^\d+\. ", "", text_content(s.find_element(By.TAG_NAME, "h2"))) for s in sheets[1:-1]]
    assert titles == sections
    numbers = [text_content(s.find_element(By.TAG_NAME, "h2")).split(".")[0] for s in sheets[1:-1]]
    assert numbers == [str(i) for i in range(1, len(sections) + 1)]
    last = sheets[-1]
    assert text_content(last.find_element(By.CSS_SELECTOR, "h2#signatures")) == "Signatures"
    assert text_content(last.find_element(By.CSS_SELECTOR, "h2#copies")) == "Copies given"
    assert last.find_elements(By.CSS_SELECTOR, "table tbody tr"), "the signatures of a plan in effect are listed"
    # Every entry of the contents leads to its sheet.
    contents = driver.find_elements(By.CSS_SELECTOR, "ol.contents a")
    assert len(contents) == len(sections) + 2
    for a in contents:
        target = urlparse(a.get_attribute("href")).fragment
        assert driver.find_elements(By.ID, target), f"the contents link to #{target} leads nowhere"
    back = driver.find_element(By.LINK_TEXT, "Back to the plan")
    assert urlparse(back.get_attribute("href")).path == path


def test_whole_plan_saves_as_pdf(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    plan_url = plan_in_effect(driver, base_url)
    driver.get(plan_url + "/print")
    wait_for_load(driver)
    assert response_status(driver) == 200
    options = PrintOptions()
    options.background = False
    pdf = base64.b64decode(driver.print_page(options), validate=True)
    assert pdf.startswith(b"%PDF"), pdf[:20]
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages > 5, f"the whole plan printed on {pages} page(s); each section should start a new sheet"


def test_one_page_profile(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    plan_url = plan_in_effect(driver, base_url)
    path = urlparse(plan_url).path
    name = re.fullmatch(r"(.+): .+ · Lantern", driver.title).group(1)
    version = re.match(r"\d+", plan_facts(driver)["Version"]).group(0)
    follow_to_document(driver, driver.find_element(By.CSS_SELECTOR, f"section[aria-labelledby='documents'] a[href='{path}/profile']"))
    assert_no_scripts(driver)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    h1 = text_content(driver.find_element(By.CSS_SELECTOR, "main h1"))
    assert h1.startswith("About me"), h1
    assert h1.endswith(f": {name}"), h1
    assert re.fullmatch(rf"From my .+, version {version}, in effect\.", text_content(driver.find_element(By.CSS_SELECTOR, "main p.from")))

    # Its parts, in order, each headed by what it is about (with a picture screen readers skip).
    parts = driver.find_elements(By.CSS_SELECTOR, "main section.part")
    ids = [p.find_element(By.TAG_NAME, "h2").get_attribute("id") for p in parts]
    assert ids and ids == [i for i in PROFILE_PARTS if i in ids], f"unexpected or misordered parts {ids}"
    assert {"p-important-to", "p-support"} <= set(ids), f"a plan in effect says what is important and how to support: {ids}"
    for part in parts:
        heading = part.find_element(By.TAG_NAME, "h2")
        assert part.get_attribute("aria-labelledby") == heading.get_attribute("id")
        assert text_content(heading)
        picture = heading.find_element(By.CSS_SELECTOR, "svg")
        assert picture.get_attribute("aria-hidden") == "true"
        assert part.find_elements(By.CSS_SELECTOR, "ul > li"), f"{heading.get_attribute('id')} is empty"

    # Large type.
    size = driver.execute_script("return parseFloat(getComputedStyle(document.querySelector('main li')).fontSize)")
    assert size >= 20, f"the profile's text is {size}px"
    links = {text_content(a): urlparse(a.get_attribute("href")).path for a in driver.find_elements(By.CSS_SELECTOR, "nav a")}
    assert links.get("Back to the plan") == path and links.get("The whole plan") == f"{path}/print", links


def test_profile_marks_what_is_new(driver, base_url):
    """A new version's profile marks what changed since the last signed version with the word New.
    The version is then signed, so a plan in effect is left for other tests, as at the start."""
    text = unique("Offer a choice of two things, then wait for the answer")
    plan_url = new_version_with_a_change(driver, base_url, text)
    driver.get(plan_url + "/profile")
    wait_for_load(driver)
    assert response_status(driver) == 200
    new = driver.find_elements(By.CSS_SELECTOR, "main section.part li.is-new")
    changed = [li for li in new if text in text_content(li)]
    assert len(changed) == 1, f"the changed text is not marked new: {[text_content(li) for li in new]}"
    mark = changed[0].find_element(By.CSS_SELECTOR, "strong.new")
    assert changed[0].text.startswith("New"), changed[0].text
    assert text_content(mark) in ("New", "New:"), text_content(mark)
    part = changed[0].find_element(By.XPATH, "./ancestor::section[1]")
    assert part.get_attribute("aria-labelledby") == "p-support"
    unchanged = driver.find_elements(By.CSS_SELECTOR, "main section.part li:not(.is-new)")
    assert unchanged, "only what changed is marked new"
    assert not any(li.find_elements(By.CSS_SELECTOR, "strong.new") for li in unchanged)
    since = text_content(driver.find_element(By.CSS_SELECTOR, "main p.since"))
    assert re.fullmatch(r"Things marked New are new since version \d+ of the plan\.", since), since

    driver.get(plan_url)
    wait_for_load(driver)
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Send for signatures']"))
    assert flash(driver) == "Sent for signatures. Each signer can now sign.", error_summary_messages(driver)
    record_every_signature(driver)


def test_a_signer_who_opens_the_version_has_seen_it(driver, base_url):
    """The coordinator signs too: opening the version sent for signatures marks their request as seen,
    and only theirs. Signed from there, the version takes effect (so a plan in effect is left for others)."""
    _, new_url = new_version_sent_for_signatures(driver, base_url, unique("Who has seen it"))
    me = signed_in_name(driver)
    signers = signature_rows(driver)
    assert me in signers, f"{me} is not asked to sign: {signers}"
    assert signers[me] == "Has seen the plan", signers
    others = {name: status for name, status in signers.items() if name != me}
    assert others and set(others.values()) == {"Asked to sign"}, others
    # Opened again, it stays seen; the printed plan says not signed yet.
    driver.get(new_url + "/print")
    wait_for_load(driver)
    assert "Has seen the plan" in text_content(driver.find_element(By.CSS_SELECTOR, "section.sheet:last-child table"))
    driver.get(new_url)
    wait_for_load(driver)
    assert signature_rows(driver)[me] == "Has seen the plan"
    # A signer who has seen the plan can still sign it.
    assert driver.find_element(By.XPATH, "//button[normalize-space()='Sign this plan']")
    record_every_signature(driver)


def test_copies_given(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    plan_url = plan_in_effect(driver, base_url)
    # Someone in the circle who gets a copy of the plan is owed one until it is recorded.
    member = unique("Jordan Copyholder")
    add_circle_member(driver, person_of_plan(driver), member, "friend", receivesPlanCopy=True)
    driver.get(plan_url)
    wait_for_load(driver)
    section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='copies']")
    assert text_content(section.find_element(By.ID, "copies")) == "Copies given"
    owed = copies_owed(driver)
    assert f"{member} (family member)" in owed, owed
    assert f"{member} (family member, with the budget)" not in owed, owed

    # The form: who, how, when (today unless changed), with the budget unless unticked.
    details = open_details(driver, "Record a copy given", "section[aria-labelledby='copies']")
    form = details.find_element(By.CSS_SELECTOR, "form")
    assert urlparse(form.get_attribute("action")).path == urlparse(plan_url).path + "/distributions"
    assert options_of(driver.find_element(By.ID, "copy-recipientRole")) == COPY_ROLES
    assert options_of(driver.find_element(By.ID, "copy-method")) == COPY_METHODS
    sent_on = driver.find_element(By.ID, "copy-sentOn")
    today = sent_on.get_property("value")
    assert today and today == sent_on.get_attribute("max"), "the date given defaults to today"
    assert today in {utc_today(), days_after(utc_today(), -1)}, today
    assert driver.find_element(By.ID, "copy-includesBudget").is_selected(), "the budget is included by default"
    for field in ("copy-recipientName", "copy-purpose"):
        label = driver.find_element(By.CSS_SELECTOR, f"label[for='{field}']")
        assert text_content(label), f"{field} has no label"

    # The person and their guardian always receive the budget: a copy without it is refused.
    before = copy_rows(driver)
    for role, who in (("guardian", "Guardian or legal representative"), ("person", "The person")):
        refused = unique("Refused Copy")
        record_copy(driver, refused, role, "mail", budget=False)
        assert response_status(driver) == 422, f"a {role}'s copy without the budget answered {response_status(driver)}"
        summary = text_content(driver.find_element(By.CSS_SELECTOR, ".error-summary"))
        assert f"{who} always receives the budget" in summary, summary
        assert not flash(driver)
        assert copy_rows(driver) == before, "a refused copy was recorded"

    # Anyone else may be given the plan without the budget.
    purpose = unique("So the day program knows the plan")
    record_copy(driver, member, "family", "email", budget=False, purpose=purpose)
    assert flash(driver) == "Copy recorded.", error_summary_messages(driver)
    assert driver.current_url.split("?")[0] == plan_url
    rows = copy_rows(driver)
    assert len(rows) == len(before) + 1, rows
    assert [member, "Family member", today, "Email", "No", purpose] in rows, rows
    assert member not in copies_owed(driver), copies_owed(driver)
    # A guardian's copy with the budget is recorded too.
    guardian = unique("Gale Guardian")
    record_copy(driver, guardian, "guardian", "mail")
    assert flash(driver) == "Copy recorded.", error_summary_messages(driver)
    assert [guardian, "Guardian or legal representative", today, "Printed copy, by post", "Yes", ""] in copy_rows(driver)

    # The printed plan lists the copies given.
    driver.get(plan_url + "/print")
    wait_for_load(driver)
    printed = text_content(driver.find_element(By.XPATH, "//h2[@id='copies']/following-sibling::table[1]"))
    assert member in printed and guardian in printed, printed


def test_review_requested_with_its_due_date(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    plan_url = plan_in_effect(driver, base_url)
    section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='reviews']")
    assert text_content(section.find_element(By.ID, "reviews")) == "Reviews asked for"
    details = open_details(driver, "Record that the person or their family asked for a review", "section[aria-labelledby='reviews']")
    form = details.find_element(By.CSS_SELECTOR, "form")
    assert urlparse(form.get_attribute("action")).path == urlparse(plan_url).path + "/review-requests"
    assert options_of(driver.find_element(By.ID, "review-requestedByRole")) == REVIEW_ROLES
    asked_field = driver.find_element(By.ID, "review-requestedOn")
    today = asked_field.get_property("value")
    assert today and today == asked_field.get_attribute("max"), "the date asked defaults to today"

    # Only spaces for who asked: refused, nothing recorded.
    driver.find_element(By.ID, "review-requestedBy").send_keys("   ")
    click_and_wait(driver, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
    assert response_status(driver) == 422
    assert "Who asked is required." in text_content(driver.find_element(By.CSS_SELECTOR, ".error-summary"))
    assert not flash(driver)

    # Asked three days ago by the guardian, with a reason holding markup (shown as text).
    who, asked = unique("Rosa Asker"), days_after(today, -3)
    reason = f"{unique('Wants more hours at the day program')} {PROBE}"
    open_details(driver, "Record that the person or their family asked for a review", "section[aria-labelledby='reviews']")
    driver.find_element(By.ID, "review-requestedBy").send_keys(who)
    Select(driver.find_element(By.ID, "review-requestedByRole")).select_by_value("guardian")
    asked_field = driver.find_element(By.ID, "review-requestedOn")
    asked_field.clear()
    set_date(asked_field, asked)
    driver.find_element(By.ID, "review-reason").send_keys(reason)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/review-requests'] button[type='submit']"))
    assert_no_alert(driver)
    assert_no_scripts(driver)
    assert flash(driver) == "Review request recorded, with its due date.", error_summary_messages(driver)
    assert driver.current_url.split("?")[0] == plan_url
    items = [text_content(li) for li in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='reviews'] ul > li")]
    mine = [item for item in items if who in item]
    assert len(mine) == 1, items
    due = days_after(asked, REVIEW_DAYS)
    assert mine[0].startswith(f"{who} (guardian or legal representative) asked on {asked}: “{reason}”."), mine[0]
    assert f"due by {due}" in mine[0], f"expected due by {due} ({REVIEW_DAYS} days after {asked}): {mine[0]}"
    # A newer version still being written answers the request at once; one already sent for
    # signatures cannot take it in, so the request waits.
    open_version = driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='signing'] a[href^='/plans/']")
    signing = text_content(driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='signing']"))
    expected = "Review started" if open_version and "is draft" in signing.lower() else "Waiting for a review"
    assert "Overdue" not in mine[0] and expected in mine[0], mine[0]


def test_ending_a_plan(driver, base_url):
    """Ends a plan of the second coordinator's caseload (the last one found), which no other test uses."""
    sign_in(driver, base_url, COORDINATOR2)
    plan_url = plan_in_effect(driver, base_url, last=True, endable=True)
    details = open_details(driver, "End this plan", "section[aria-labelledby='signing']")
    form = details.find_element(By.CSS_SELECTOR, "form")
    assert urlparse(form.get_attribute("action")).path == urlparse(plan_url).path + "/end"
    reason_field = driver.find_element(By.ID, "end-reason")
    ended_on = driver.find_element(By.ID, "end-endedOn").get_property("value")
    assert ended_on and ended_on == driver.find_element(By.ID, "end-endedOn").get_attribute("max")
    assert reason_field.get_attribute("required") is not None

    # An empty reason: the browser holds the form back (the field is required)…
    form.find_element(By.CSS_SELECTOR, "button[type='submit']").click()
    assert driver.execute_script("return arguments[0].validity.valueMissing", reason_field)
    assert driver.current_url == plan_url
    # …and a reason of only spaces is refused by the server; the plan stays in effect.
    reason_field.send_keys("   ")
    click_and_wait(driver, form.find_element(By.CSS_SELECTOR, "button[type='submit']"))
    assert response_status(driver) == 422
    assert "Say why the plan ends" in text_content(driver.find_element(By.CSS_SELECTOR, ".error-summary"))
    assert plan_facts(driver)["Status"].startswith("In effect"), plan_facts(driver)
    assert "Ended" not in plan_facts(driver)

    reason = unique("Moved out of state")
    open_details(driver, "End this plan", "section[aria-labelledby='signing']")
    driver.find_element(By.ID, "end-reason").send_keys(reason)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/end'] button[type='submit']"))
    assert flash(driver) == "The plan has ended.", error_summary_messages(driver)
    assert driver.current_url.split("?")[0] == plan_url
    facts = plan_facts(driver)
    assert facts["Status"].startswith("Ended"), facts
    assert facts.get("Ended") == f"{ended_on}: {reason}", facts
    assert not driver.find_elements(By.CSS_SELECTOR, "form[action$='/end']"), "an ended plan offers to end it again"
    assert not driver.find_elements(By.CSS_SELECTOR, "form[action$='/review-requests']"), "a review is asked of a plan in effect"
    versions = [text_content(li) for li in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='versions'] li")]
    assert any("(this version): Ended" in v for v in versions), versions
    # The person's page lists it as ended.
    driver.get(person_of_plan(driver))
    wait_for_load(driver)
    row = driver.find_element(By.CSS_SELECTOR, f"section[aria-labelledby='plans'] a[href='{urlparse(plan_url).path}']")
    cells = [text_content(c) for c in row.find_elements(By.XPATH, "./ancestor::tr[1]/td")]
    assert cells[2] == "Ended", cells


def spanish_profile(driver, base_url):
    """The profile of a plan in effect that can be read in Spanish (demo Spanish speakers have their
    profile's headings translated): its URL, with the browser on it."""
    for url in people_urls(driver, base_url):
        driver.get(url)
        wait_for_load(driver)
        hrefs = [row.find_element(By.CSS_SELECTOR, "td a").get_attribute("href")
                 for row in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='plans'] tbody tr")
                 if text_content(row.find_elements(By.TAG_NAME, "td")[2]) == "In effect"]
        for href in hrefs:
            driver.get(href + "/profile")
            wait_for_load(driver)
            if driver.find_elements(By.CSS_SELECTOR, "a[hreflang='es']"):
                return href + "/profile"
    pytest.fail("no plan in effect has a profile recorded in Spanish")


def test_profile_in_spanish(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    profile_url = spanish_profile(driver, base_url)
    english = driver.find_element(By.LINK_TEXT, "English")
    assert english.get_attribute("aria-current") == "page"
    spanish = driver.find_element(By.CSS_SELECTOR, "a[hreflang='es']")
    assert text_content(spanish) == "español", "the language is named in itself"
    assert spanish.get_attribute("lang") == "es"
    follow_to_document(driver, spanish)
    assert driver.current_url == profile_url + "?lang=es"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    translated = driver.find_element(By.CSS_SELECTOR, "main h1 span[lang='es']")
    assert text_content(translated) and text_content(translated) != "About me"
    assert driver.find_element(By.CSS_SELECTOR, "a[hreflang='es']").get_attribute("aria-current") == "page"
    assert driver.find_element(By.LINK_TEXT, "English").get_attribute("aria-current") is None
    # Each translated text says its language; what is not translated stays in English, without one.
    assert driver.find_elements(By.CSS_SELECTOR, "main section.part li"), "the profile has no items"
    for span in driver.find_elements(By.CSS_SELECTOR, "main [lang]"):
        assert span.get_attribute("lang") == "es"


def translation_form(driver, plan_path):
    """The form that saves translations (the page has another, which only picks the language shown)."""
    return wait(driver).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"main form[method='post'][action='{plan_path}/profile/translate']")))


def test_translating_the_profile(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    plan_url = plan_in_effect(driver, base_url)
    path = urlparse(plan_url).path
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, f"section[aria-labelledby='documents'] a[href='{path}/profile/translate']"))
    assert path_of(driver) == f"{path}/profile/translate"
    assert h1_text(driver).startswith("Translate ") and h1_text(driver).endswith("'s profile")
    form = translation_form(driver, path)
    texts = form.find_elements(By.CSS_SELECTOR, "textarea[id^='field-t-']")
    assert len(texts) > 2, "a plan in effect has more to translate than the title and the word New"
    sources = []
    for i, area in enumerate(texts):
        assert area.get_attribute("id") == f"field-t-{i}"
        label = text_content(driver.find_element(By.CSS_SELECTOR, f"label[for='field-t-{i}']"))
        assert label.startswith("Translation of: "), label
        sources.append(label.removeprefix("Translation of: "))
    assert sources[:2] == ["About me", "New"], sources[:2]
    heading = next(s for s in sources if s in ("What is important to me", "What is important to our family"))

    # A language that is not a tag is refused; the page says why.
    fill(form, "language", "spanish!")
    fill(form, "translatedBy", "Demo interpreter")
    click_and_wait(driver, submit_button(form))
    assert response_status(driver) == 422
    assert driver.find_element(By.CSS_SELECTOR, ".error-summary").is_displayed()
    assert_field_error(driver, "language", "Give the language as a tag such as es (Spanish), vi (Vietnamese) or zh-Hant (Chinese, traditional).")
    form = translation_form(driver, path)
    assert form.find_element(By.NAME, "language").get_property("value") == "spanish!"
    assert form.find_element(By.NAME, "translatedBy").get_property("value") == "Demo interpreter"

    # Spanish: start from what is recorded already, so only the two texts written here change.
    driver.get(f"{base_url}{path}/profile/translate?lang=es")
    form = translation_form(driver, path)
    assert form.find_element(By.NAME, "language").get_property("value") == "es"
    title, part = unique("Sobre mí"), unique("Lo que es importante para mí")
    fill(form, "t.0", title)
    fill(form, f"t.{sources.index(heading)}", part)
    fill(form, "translatedBy", "Demo interpreter")
    click_to_document(driver, submit_button(form))
    assert path_of(driver) == f"{path}/profile", error_summary_messages(driver)
    assert parse_qs(urlparse(driver.current_url).query).get("lang") == ["es"]
    assert text_content(driver.find_element(By.CSS_SELECTOR, "main h1 span[lang='es']")) == title
    assert text_content(driver.find_element(By.CSS_SELECTOR, "#p-important-to span[lang='es']")) == part
    assert driver.find_element(By.CSS_SELECTOR, "a[hreflang='es']").get_attribute("aria-current") == "page"
    # In English, nothing changed.
    driver.get(f"{base_url}{path}/profile")
    wait_for_load(driver)
    assert text_content(driver.find_element(By.CSS_SELECTOR, "main h1")).startswith("About me: ")
    assert not driver.find_elements(By.CSS_SELECTOR, "main [lang]")
    # The form shows the translation recorded.
    driver.get(f"{base_url}{path}/profile/translate?lang=es")
    assert translation_form(driver, path).find_element(By.NAME, "t.0").get_property("value") == title


# The new pages' axe-core scans (run by test_lantern.py::test_axe_no_serious_violations).


@axe_page("plan-overview-in-effect")
def page_plan_overview_in_effect(driver, base_url):
    """The overview of a plan in effect with every form on it opened: a copy, a review, ending the plan."""
    sign_in(driver, base_url, COORDINATOR)
    plan_in_effect(driver, base_url)
    for summary in ("Record a copy given", "Record that the person or their family asked for a review"):
        open_details(driver, summary)
    assert driver.find_element(By.ID, "copy-recipientName").is_displayed()


@axe_page("plan-overview-copy-refused")
def page_plan_overview_copy_refused(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    plan_in_effect(driver, base_url)
    record_copy(driver, "Axe Scan", "guardian", budget=False)
    assert driver.find_element(By.CSS_SELECTOR, ".error-summary").is_displayed()


@axe_page("plan-print")
def page_plan_print(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(plan_in_effect(driver, base_url) + "/print")
    wait_for_load(driver)
    assert driver.find_elements(By.CSS_SELECTOR, "main section.sheet h2#signatures")


@axe_page("plan-profile")
def page_plan_profile(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(plan_in_effect(driver, base_url) + "/profile")
    wait_for_load(driver)
    assert driver.find_elements(By.CSS_SELECTOR, "main section.part")


@axe_page("plan-profile-spanish")
def page_plan_profile_spanish(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(spanish_profile(driver, base_url) + "?lang=es")
    wait_for_load(driver)
    assert driver.find_elements(By.CSS_SELECTOR, "main h1 span[lang='es']")


@axe_page("plan-profile-translate")
def page_plan_profile_translate(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(plan_in_effect(driver, base_url) + "/profile/translate?lang=es")
    assert h1_text(driver).endswith("'s profile")
    assert driver.find_elements(By.ID, "field-t-0")


@axe_page("plan-profile-translate-with-errors")
def page_plan_profile_translate_errors(driver, base_url):
    page_plan_profile_translate(driver, base_url)
    form = translation_form(driver, urlparse(driver.current_url).path.removesuffix("/profile/translate"))
    fill(form, "language", "spanish!")
    click_and_wait(driver, submit_button(form))
    wait(driver).until(EC.visibility_of_element_located((By.ID, "error-summary")))


# MARK: The profile photo

def tiny_png(path):
    """Writes a real 2×2 PNG (so the browser can draw it) and returns its path."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes([30, 120, 200]) * 2 for _ in range(2))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(png)
    return path


def photo_form(driver, base_url):
    """Signs in as the coordinator and opens the photo form from a profile; returns (profile path, form)."""
    sign_in(driver, base_url, COORDINATOR)
    profile = urlparse(plan_in_effect(driver, base_url)).path + "/profile"
    driver.get(base_url + profile)
    wait_for_load(driver)
    link = driver.find_element(By.CSS_SELECTOR, "nav a[href*='/photo/edit']")
    assert text_content(link) in ("Add a photo", "Change the photo")
    click_and_wait(driver, link)
    return profile, driver.find_element(By.CSS_SELECTOR, "form[enctype='multipart/form-data']")


def test_profile_photo_is_chosen_and_described(driver, base_url, tmp_path):
    profile, form = photo_form(driver, base_url)
    # Not a photo: refused by what the file is, whatever it is called.
    fake = tmp_path / "holiday.png"
    fake.write_text("<script>alert('not a photo')</script>")
    form.find_element(By.ID, "field-photo").send_keys(str(fake))
    fill(form, "description", "Smiling at the lake")
    click_and_wait(driver, submit_button(form))
    assert response_status(driver) == 422
    summary = driver.find_element(By.ID, "error-summary")
    assert "The file is not a JPEG, PNG or WebP photo." in text_content(summary)
    assert driver.find_element(By.ID, "field-photo").get_attribute("aria-invalid") == "true"

    form = driver.find_element(By.CSS_SELECTOR, "form[enctype='multipart/form-data']")
    form.find_element(By.ID, "field-photo").send_keys(tiny_png(str(tmp_path / "me.png")))
    fill(form, "description", "Smiling at the lake with my dog")
    click_and_wait(driver, submit_button(form))
    assert flash(driver) == "Photo saved."
    now = driver.find_element(By.CSS_SELECTOR, "main img.profile-photo")
    assert now.get_attribute("alt") == "Smiling at the lake with my dog"

    # The profile shows it, described, and the browser can draw it.
    driver.get(base_url + profile)
    wait_for_load(driver)
    photo = driver.find_element(By.CSS_SELECTOR, "main img.photo")
    assert photo.get_attribute("alt") == "Smiling at the lake with my dog"
    wait(driver).until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth === 2", photo),
                       "the photo did not load")
    assert text_content(driver.find_element(By.CSS_SELECTOR, "nav a[href*='/photo/edit']")) == "Change the photo"


@axe_page("profile-photo-form")
def page_profile_photo_form(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(plan_in_effect(driver, base_url) + "/profile")
    wait_for_load(driver)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "nav a[href*='/photo/edit']"))
    assert h1_text(driver).endswith("profile photo")

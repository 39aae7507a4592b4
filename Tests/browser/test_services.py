"""Browser tests for the service pages: authorizations and units delivered (provider staff see and
record only their own organisation's), a plan's budget, the catalogue, the waiting list, and the days
and times in the services editor. Run against a server with the demo data, like test_lantern.py.

The pages' axe-core scans are registered below with @axe_page (names starting "service-") and run as
test_lantern.py::test_axe_no_serious_violations (`-k "axe and service"`). Each test signs in itself and
finds plans and authorizations by following links; tests add units delivered, catalogue services (with
a random code) and new draft plans, and never change a plan in effect.
"""

import re
import secrets
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_lantern import (ADMIN, COORDINATOR, assert_no_alert, assert_no_scripts, axe_page, click_and_wait,
                          error_summary_messages, h1_text, main_form, path_of, set_date, sign_in, submit_button,
                          text_content)
from test_plans import (PROBE, PROVIDER_STAFF, UUID, assert_field_error, coordinator_plan, flash, open_section,
                        plan_in_effect, response_status, unique)

BRIGHT_STAFF = "staff1@brightpath.example"
BRIGHT_PATH = "Bright Path Community Services"
MAPLE_STREET = "Maple Street Supports"
UNITS_REFUSED = "Units must be a number more than 0 and at most 1000, for example 4 or 2.5."
NO_FUNDING = "Choose at least one funding source that may pay for this service."
DEMO_CATALOGUE = {"T2015": "Community integration", "T2021": "Day habilitation", "H2023": "Supported employment",
                  "S5125": "Personal assistant", "T1005": "Respite", "T2016": "Individualized supported living",
                  "A0120": "Transportation (one trip)", "G0151": "Physical therapy",
                  "T1027": "Infant development and family training"}
DAYS = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
        "sat": "Saturday", "sun": "Sunday"}


# MARK: helpers


def captions(driver):
    return [text_content(c) for c in driver.find_elements(By.CSS_SELECTOR, "main table > caption")]


def table(driver, caption):
    """The table captioned `caption`: (column headers, rows as {header: cell text, "href": first link})."""
    found = driver.execute_script("""
        const squeeze = t => (t || '').replace(/\\s+/g, ' ').trim();
        const table = Array.from(document.querySelectorAll('main table')).find(t => t.caption && squeeze(t.caption.textContent) === arguments[0]);
        if (!table) return null;
        const heads = Array.from(table.querySelectorAll('thead th')).map(th => squeeze(th.textContent));
        return [heads, Array.from(table.querySelectorAll('tbody tr')).map(tr => {
            const row = {};
            tr.querySelectorAll('th, td').forEach((c, i) => { row[heads[i]] = squeeze(c.textContent); });
            const a = tr.querySelector('a');
            row.href = a ? a.href : null;
            return row;
        })];""", caption)
    assert found, f"no table captioned {caption!r} on {driver.current_url}; captions: {captions(driver)}"
    return found


def page_facts(driver):
    return {text_content(dt): text_content(dt.find_element(By.XPATH, "following-sibling::dd[1]"))
            for dt in driver.find_elements(By.CSS_SELECTOR, "main dl.facts > dt")}


def units_used(driver):
    match = re.fullmatch(r"([\d.]+) of \d+ units used \(\d+%\)", page_facts(driver)["Used"])
    assert match, page_facts(driver)["Used"]
    return float(match.group(1))


def nav_to(driver, text, path):
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "header nav").find_element(By.LINK_TEXT, text))
    assert path_of(driver) == path and response_status(driver) == 200, f"{driver.current_url} {response_status(driver)}"


def authorization_open_today(driver, rows):
    """Opens the rows' authorizations in turn until one's period holds the server's today (the day the
    form is filled with): (row, today). Each opened is checked to be Bright Path's."""
    for row in rows:
        driver.get(row["href"])
        assert response_status(driver) == 200, f"{row['href']} answered {response_status(driver)}"
        assert page_facts(driver)["Provider"] == BRIGHT_PATH, page_facts(driver)
        assert driver.find_elements(By.ID, "field-deliveredOn"), "provider staff are not offered the form"
        today = driver.find_element(By.ID, "field-deliveredOn").get_property("value")
        start, end = page_facts(driver)["Period"].split(" to ")
        if start <= today <= end:
            return row, today
    pytest.fail(f"none of {BRIGHT_STAFF}'s authorizations runs today")


# MARK: 1. authorizations and units delivered


def test_provider_staff_record_units_on_their_own_authorizations(driver, base_url):
    # An administrator sees every provider's, with a Provider column, and can list only those with an alert.
    sign_in(driver, base_url, ADMIN)
    nav_to(driver, "Authorizations", "/authorizations")
    heads, rows = table(driver, "Authorizations in effect")
    assert heads == ["Service", "Person", "Provider", "Period", "Used"], heads
    assert {BRIGHT_PATH, MAPLE_STREET} <= {r["Provider"] for r in rows}
    maple = {r["href"] for r in rows if r["Provider"] == MAPLE_STREET}
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Show only those with an alert"))
    assert parse_qs(urlparse(driver.current_url).query).get("alerts") == ["true"]
    assert driver.find_element(By.LINK_TEXT, "Show all")
    alerts = table(driver, "Authorizations in effect")[1] if captions(driver) else []
    assert all("Nearly used" in r["Used"] or "Over the authorization" in r["Used"] for r in alerts), alerts

    # Bright Path's staff: their own only, without a Provider column.
    sign_in(driver, base_url, BRIGHT_STAFF)
    nav_to(driver, "Authorizations", "/authorizations")
    heads, rows = table(driver, "Authorizations in effect")
    assert heads == ["Service", "Person", "Period", "Used"], heads
    assert rows, f"{BRIGHT_STAFF} sees no authorization"
    assert not maple & {r["href"] for r in rows}, "Bright Path staff are listed Maple Street's authorizations"
    row, today = authorization_open_today(driver, rows)
    path = urlparse(row["href"]).path
    assert re.fullmatch(f"/authorizations/{UUID}", path), path
    assert h1_text(driver) == f"{row['Service'].rsplit(' (', 1)[0]} for {row['Person']}"
    form = main_form(driver, path + "/deliveries")
    assert form.find_element(By.NAME, "deliveredOn").get_attribute("type") == "date"
    before = units_used(driver)

    # Refused: no units, then none at all; what was typed comes back.
    note = unique(f"At the shelter {PROBE}")
    form.find_element(By.NAME, "note").send_keys(note)
    for typed in ("0", ""):
        form = main_form(driver, path + "/deliveries")
        form.find_element(By.NAME, "units").clear()
        form.find_element(By.NAME, "units").send_keys(typed)
        click_and_wait(driver, submit_button(form))
        assert response_status(driver) == 422
        assert driver.find_element(By.ID, "error-summary").get_attribute("role") == "alert"
        assert error_summary_messages(driver) == {"field-units": UNITS_REFUSED}
        assert_field_error(driver, "units", UNITS_REFUSED)
        assert driver.find_element(By.ID, "field-units").get_property("value") == typed
        assert driver.find_element(By.ID, "field-note").get_property("value") == note
        assert driver.find_element(By.ID, "field-deliveredOn").get_property("value") == today
        assert_no_alert(driver)
        assert_no_scripts(driver)

    form = main_form(driver, path + "/deliveries")
    form.find_element(By.NAME, "units").clear()
    form.find_element(By.NAME, "units").send_keys("2.5")
    click_and_wait(driver, submit_button(form))
    assert path_of(driver) == path, error_summary_messages(driver)
    assert parse_qs(urlparse(driver.current_url).query).get("saved") == ["delivery"]
    assert flash(driver) == "Units delivered saved."
    assert_no_alert(driver)
    assert_no_scripts(driver)
    heads, delivered = table(driver, "Units delivered, newest first")
    assert heads == ["Day", "Units", "Note", "Actions"], heads
    assert {k: delivered[0][k] for k in heads[:3]} == {"Day": today, "Units": "2.5", "Note": note}, delivered[0]
    assert abs(units_used(driver) - before - 2.5) < 0.02, "the units used did not grow by 2.5"

    # A wrong entry is withdrawn with a reason: it stays listed, marked, and stops counting.
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main table tbody tr:first-child a"))
    assert h1_text(driver) == "Withdraw units delivered"
    withdraw = driver.current_url
    click_and_wait(driver, submit_button(main_form(driver)))
    assert response_status(driver) == 422
    assert "field-reason" in error_summary_messages(driver)
    main_form(driver).find_element(By.NAME, "reason").send_keys("Recorded on the wrong person")
    click_and_wait(driver, submit_button(main_form(driver)))
    assert path_of(driver) == path, error_summary_messages(driver)
    assert flash(driver) == "The entry is withdrawn. It no longer counts."
    assert "Withdrawn: Recorded on the wrong person" in table(driver, "Units delivered, newest first")[1][0]["Actions"]
    assert abs(units_used(driver) - before) < 0.02, "the withdrawn units still count"
    driver.get(withdraw)
    assert response_status(driver) == 404, "an entry is withdrawn once"

    # Another provider's authorization is not found, as if it did not exist.
    driver.get(sorted(maple)[0])
    assert response_status(driver) == 404
    assert h1_text(driver) == "Not found"
    assert not driver.find_elements(By.CSS_SELECTOR, "main form")


# MARK: 2. the budget


def test_budget_reached_from_the_plan_overview(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    plan_url = plan_in_effect(driver, base_url)
    name = h1_text(driver).split(": ")[0]
    link = driver.find_element(By.XPATH, "//main//a[starts-with(normalize-space(.), 'Budget:')]")
    match = re.fullmatch(r"Budget: (\$[\d,]+\.\d\d) for paid services", text_content(link))
    assert match, text_content(link)
    total = match.group(1)
    click_and_wait(driver, link)
    assert path_of(driver) == urlparse(plan_url).path + "/budget"
    assert response_status(driver) == 200
    assert h1_text(driver) == f"{name}'s budget"
    assert driver.find_elements(By.CSS_SELECTOR, f"main a[href='{urlparse(plan_url).path}']"), "no way back to the plan"
    assert text_content(driver.find_element(By.CSS_SELECTOR, "main p.total")) == f"Paid services in all: {total}."
    assert captions(driver) == ["Who pays", "Each paid service", "Cost by month"], captions(driver)

    heads, payers = table(driver, "Who pays")
    assert heads == ["Who pays", "Cost"] and payers
    assert text_content(driver.find_element(By.CSS_SELECTOR, "main table tfoot td")) == total
    money = lambda text: float(text.replace("$", "").replace(",", ""))  # noqa: E731
    assert abs(sum(money(r["Cost"]) for r in payers) - money(total)) <= 0.01 * len(payers)
    heads, lines = table(driver, "Each paid service")
    # A plan in effect also shows what was delivered so far under its authorizations.
    assert heads in (["Service", "Provider", "Who pays", "How much and when", "Units in all", "Rate", "Cost"],
                     ["Service", "Provider", "Who pays", "How much and when", "Units in all", "Rate", "Delivered so far", "Cost"]), heads
    chart = driver.find_element(By.CSS_SELECTOR, "main section[aria-labelledby='by-month'] figure.chart")
    assert chart.find_element(By.TAG_NAME, "svg").get_attribute("role") == "img"
    assert text_content(chart.find_element(By.TAG_NAME, "figcaption")).startswith("Cost by month from ")
    assert lines and all(re.match(r"(\$[\d,]+\.\d\d|Not counted)", r["Cost"]) for r in lines), lines
    heads, months = table(driver, "Cost by month")
    assert heads == ["Month", "Units", "Cost"] and months
    unpaid = driver.find_element(By.CSS_SELECTOR, "main section[aria-labelledby='unpaid']")
    assert text_content(unpaid.find_element(By.TAG_NAME, "h2")) == "Unpaid supports"


# MARK: 3. the catalogue


def test_administrator_adds_a_catalogue_service(driver, base_url):
    sign_in(driver, base_url, ADMIN)
    nav_to(driver, "Catalogue", "/catalogue")
    assert h1_text(driver) == "Service catalogue"
    heads, rows = table(driver, "Services in the catalogue")
    assert heads == ["Code", "Name", "Unit", "Rate today", "Who may pay", "Limits", "Equivalent group"], heads
    names = {r["Code"]: r["Name"] for r in rows}
    assert {code: names.get(code) for code in DEMO_CATALOGUE} == DEMO_CATALOGUE

    code, name = f"Z{secrets.randbelow(10 ** 6):06d}", unique("Music therapy")
    form = main_form(driver, "/catalogue")
    form.find_element(By.NAME, "code").send_keys(code)
    form.find_element(By.NAME, "name").send_keys(name)
    Select(form.find_element(By.NAME, "unit")).select_by_value("hour")
    form.find_element(By.NAME, "rate").send_keys("7.25")
    set_date(form.find_element(By.NAME, "rateFrom"), "2020-01-01")
    form.find_element(By.NAME, "maxPerWeek").send_keys("40")
    click_and_wait(driver, submit_button(form))
    assert response_status(driver) == 422
    assert error_summary_messages(driver) == {"field-fundingSources": NO_FUNDING}
    group = driver.find_element(By.CSS_SELECTOR, "fieldset#field-fundingSources")
    assert "has-error" in group.get_attribute("class").split()
    assert text_content(group.find_element(By.CSS_SELECTOR, ".field-error")) == f"Error: {NO_FUNDING}"
    form = main_form(driver, "/catalogue")
    assert [form.find_element(By.NAME, n).get_property("value") for n in ("code", "name", "rate", "rateFrom", "maxPerWeek")] \
        == [code, name, "7.25", "2020-01-01", "40"]

    for source in ("medicaid_waiver", "state_funds"):
        form.find_element(By.CSS_SELECTOR, f"label[for='field-fundingSources-{source}']").click()
    click_and_wait(driver, submit_button(form))
    assert path_of(driver) == "/catalogue", error_summary_messages(driver)
    assert parse_qs(urlparse(driver.current_url).query).get("saved") == ["service"]
    assert flash(driver) == "Service added to the catalogue."
    added = [r for r in table(driver, "Services in the catalogue")[1] if r["Code"] == code]
    assert len(added) == 1
    assert {k: added[0][k] for k in heads} == {"Code": code, "Name": name, "Unit": "Hour", "Rate today": "$7.25",
                                             "Who may pay": "Medicaid waiver, State funds", "Limits": "40 a week",
                                             "Equivalent group": ""}, added[0]

    # Its own page: the rates over time, then the next rate.
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, code))
    assert path_of(driver) == f"/catalogue/{code}" and h1_text(driver) == f"{name} ({code})"
    heads, rates = table(driver, "Rates over time")
    assert heads == ["From", "To", "Per unit"] and [r["From"] for r in rates] == ["2020-01-01"], rates
    form = main_form(driver, f"/catalogue/{code}/rates")
    form.find_element(By.NAME, "perUnit").send_keys("7.75")
    set_date(form.find_element(By.NAME, "from"), "2030-01-01")
    click_and_wait(driver, submit_button(form))
    assert flash(driver) == "Rate added."
    rates = table(driver, "Rates over time")[1]
    assert [(r["From"], r["To"], r["Per unit"]) for r in rates] == [("2020-01-01", "2029-12-31", "$7.25"), ("2030-01-01", "Until a new rate", "$7.75")], rates


def test_providers_approved_services_and_a_persons_authorizations(driver, base_url):
    sign_in(driver, base_url, ADMIN)
    driver.get(base_url + "/catalogue")
    section = driver.find_element(By.CSS_SELECTOR, "main section[aria-labelledby='providers']")
    legends = [text_content(l) for l in section.find_elements(By.TAG_NAME, "legend")]
    assert f"{BRIGHT_PATH} is approved for" in legends and f"{MAPLE_STREET} is approved for" in legends, legends
    form = [f for f in section.find_elements(By.TAG_NAME, "form") if BRIGHT_PATH in text_content(f)][0]
    ticked = {b.get_attribute("value") for b in form.find_elements(By.CSS_SELECTOR, "input[type='checkbox']") if b.is_selected()}
    assert {"H2023", "G0151", "T1027"} <= ticked, ticked
    click_and_wait(driver, submit_button(form))
    assert path_of(driver) == "/catalogue"
    assert flash(driver) == "The provider's approved services are saved."

    # A person's page leads to their authorizations, in effect first.
    sign_in(driver, base_url, COORDINATOR)
    plan_in_effect(driver, base_url)
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Back to"))
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "authorizations and the units delivered"))
    assert re.fullmatch(f"/people/{UUID}/authorizations", path_of(driver)), driver.current_url
    assert h1_text(driver).endswith("'s authorizations")
    if captions(driver):
        heads, rows = table(driver, "Authorizations, in effect first")
        assert heads == ["Service", "Provider", "Period", "Status", "Used"], heads


# MARK: 4. the waiting list


def test_waiting_list(driver, base_url):
    sign_in(driver, base_url, ADMIN)
    nav_to(driver, "Waiting list", "/waiting-list")
    assert h1_text(driver) == "Waiting list"
    if not captions(driver):
        assert "No one is waiting." in text_content(driver.find_element(By.TAG_NAME, "main"))
    else:
        assert captions(driver) == ["By service", "Everyone waiting, longest first"], captions(driver)
        heads, services = table(driver, "By service")
        assert heads == ["Service", "People waiting", "Longest wait (days)"], heads
        heads, people = table(driver, "Everyone waiting, longest first")
        assert heads == ["Person", "Service", "Waiting since", "Days"], heads
        assert "Respite for the family" in {r["Service"] for r in services}
        assert sum(int(r["People waiting"]) for r in services) == len(people)
        days = [int(r["Days"]) for r in people]
        assert days == sorted(days, reverse=True), "the longest wait is not first"
        for row in people:
            assert re.fullmatch(f"/people/{UUID}", urlparse(row["href"]).path) and re.fullmatch(r"\d{4}-\d\d-\d\d", row["Waiting since"])

    sign_in(driver, base_url, PROVIDER_STAFF)
    assert not driver.find_elements(By.CSS_SELECTOR, "header nav a[href='/waiting-list']")
    driver.get(base_url + "/waiting-list")
    assert response_status(driver) == 403
    assert h1_text(driver) == "Not allowed"


# MARK: 5. days and times in the services editor


def test_services_editor_days_and_times(driver, base_url):
    _, plan_url = coordinator_plan(driver, base_url)
    open_section(driver, plan_url, "services")
    blank = [f for f in driver.find_elements(By.CSS_SELECTOR, "main fieldset.entry")
             if text_content(f.find_element(By.TAG_NAME, "legend")) == "New entry in Services"]
    assert len(blank) == 1, "no empty entry to add a service"
    entry = blank[0].get_attribute("id").removeprefix("field-")
    days = driver.find_element(By.ID, f"field-{entry}.days")
    assert days.tag_name == "fieldset" and text_content(days.find_element(By.TAG_NAME, "legend")) == "Days"
    boxes = days.find_elements(By.CSS_SELECTOR, "input[type='checkbox']")
    assert [b.get_attribute("id") for b in boxes] == [f"field-{entry}.days-{d}" for d in DAYS]
    for box, label in zip(boxes, DAYS.values()):
        assert box.get_attribute("name") == f"{entry}.days"
        assert text_content(days.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']")) == label
    for key, label in (("fromTime", "From"), ("untilTime", "Until")):
        field = driver.find_element(By.ID, f"field-{entry}.{key}")
        assert field.get_attribute("type") == "time"
        assert text_content(driver.find_element(By.CSS_SELECTOR, f"label[for='field-{entry}.{key}']")) == label
        assert f"field-{entry}.{key}-hint" in field.get_attribute("aria-describedby").split()
    catalogue = driver.find_element(By.ID, f"field-{entry}.serviceCode")
    assert text_content(driver.find_element(By.CSS_SELECTOR, f"label[for='field-{entry}.serviceCode']")) == "Service in the catalogue"
    offered = {o.get_attribute("value"): text_content(o) for o in Select(catalogue).options}
    assert {c: offered.get(c) for c in DEMO_CATALOGUE} == {c: f"{n} ({c})" for c, n in DEMO_CATALOGUE.items()}


# MARK: 6. accessibility: the service pages scanned by test_lantern.py::test_axe_no_serious_violations


@axe_page("service-authorizations")
def page_service_authorizations(driver, base_url):
    sign_in(driver, base_url, ADMIN)
    driver.get(base_url + "/authorizations")
    assert table(driver, "Authorizations in effect")[1]


@axe_page("service-authorization")
def page_service_authorization(driver, base_url):
    sign_in(driver, base_url, BRIGHT_STAFF)
    driver.get(base_url + "/authorizations")
    driver.get(table(driver, "Authorizations in effect")[1][0]["href"])
    assert h1_text(driver) and main_form(driver)


@axe_page("service-authorization-with-errors")
def page_service_authorization_errors(driver, base_url):
    page_service_authorization(driver, base_url)
    click_and_wait(driver, submit_button(main_form(driver)))
    assert response_status(driver) == 422 and "field-units" in error_summary_messages(driver)


@axe_page("service-budget")
def page_service_budget(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    plan_in_effect(driver, base_url)
    click_and_wait(driver, driver.find_element(By.XPATH, "//main//a[starts-with(normalize-space(.), 'Budget:')]"))
    assert h1_text(driver).endswith("'s budget")


@axe_page("service-catalogue")
def page_service_catalogue(driver, base_url):
    sign_in(driver, base_url, ADMIN)
    driver.get(base_url + "/catalogue")
    assert main_form(driver, "/catalogue")


@axe_page("service-catalogue-with-errors")
def page_service_catalogue_errors(driver, base_url):
    page_service_catalogue(driver, base_url)
    click_and_wait(driver, submit_button(main_form(driver, "/catalogue")))
    assert response_status(driver) == 422


@axe_page("service-waiting-list")
def page_service_waiting_list(driver, base_url):
    sign_in(driver, base_url, ADMIN)
    driver.get(base_url + "/waiting-list")
    assert h1_text(driver) == "Waiting list"


@axe_page("service-plan-section-services")
def page_service_plan_section(driver, base_url):
    _, plan_url = coordinator_plan(driver, base_url)
    open_section(driver, plan_url, "services")
    assert driver.find_elements(By.CSS_SELECTOR, "main fieldset.days input[type='checkbox']")


@axe_page("service-person-authorizations")
def page_service_person_authorizations(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    plan_in_effect(driver, base_url)
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Back to"))
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "authorizations and the units delivered"))
    assert h1_text(driver).endswith("'s authorizations")


@axe_page("service-withdraw-delivery")
def page_service_withdraw_delivery(driver, base_url):
    page_service_authorization(driver, base_url)
    links = driver.find_elements(By.XPATH, "//main//table//a[starts-with(normalize-space(.), 'Withdraw')]")
    if not links:
        form = main_form(driver)
        form.find_element(By.NAME, "units").send_keys("1")
        click_and_wait(driver, submit_button(form))
        links = driver.find_elements(By.XPATH, "//main//table//a[starts-with(normalize-space(.), 'Withdraw')]")
    click_and_wait(driver, links[0])
    assert h1_text(driver) == "Withdraw units delivered"


@axe_page("service-catalogue-service")
def page_service_catalogue_service(driver, base_url):
    sign_in(driver, base_url, ADMIN)
    driver.get(base_url + "/catalogue/T2015")
    assert main_form(driver, "/catalogue/T2015/rates")

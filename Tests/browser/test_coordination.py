"""Browser tests for caseloads and conflicts of interest: the supervisor's caseload page (weighted
caseloads against their limits, the coordinator over theirs), the conflicts listed with and without a
documented exception, and the person's page that says so. Run against a server with the demo data.

The pages' axe-core scans are registered with @axe_page (names starting "coordination-").
"""

import re

from selenium.webdriver.common.by import By

from test_lantern import axe_page, click_and_wait, h1_text, path_of, sign_in, text_content
from test_plans import UUID, response_status
from test_services import captions, nav_to, table

SUPERVISOR = "supervisor@riverbend.example"
STAFF = "staff1@maplestreet.example"


def test_supervisor_sees_caseloads_and_conflicts(driver, base_url):
    sign_in(driver, base_url, SUPERVISOR)
    nav_to(driver, "Caseloads", "/caseloads")
    assert h1_text(driver) == "Caseloads"
    heads, rows = table(driver, "Caseloads, by coordinator's name")
    assert heads == ["Coordinator", "People", "High intensity", "Weighted", "Limit", "Against the limit"], heads
    by_name = {r["Coordinator"]: r for r in rows}
    assert {"Casey Coordinator", "Devon Coordinator", "Riley Coordinator", "Jamie Coordinator"} <= set(by_name), by_name
    for row in rows:
        people, high, weighted, limit = int(row["People"]), int(row["High intensity"]), float(row["Weighted"]), float(row["Limit"])
        assert weighted == people + high, f"standard weighs 1 and high 2: {row}"
        assert row["Against the limit"].startswith("Over by") == (weighted > limit), row
    riley = by_name["Riley Coordinator"]
    assert riley["Limit"] == "20" and riley["Against the limit"].startswith("Over by"), riley
    summary = text_content(driver.find_element(By.CSS_SELECTOR, "main p:nth-of-type(2)"))
    assert re.match(r"\d+ coordinators, \d+ people\. 1 coordinator is over their limit\.", summary), summary
    heads, over = table(driver, "Coordinators over their limit, the furthest over first")
    assert [r["Coordinator"] for r in over] == ["Riley Coordinator"], over
    assert over[0]["Against the limit"] == riley["Against the limit"], over

    reviewed = text_content(driver.find_element(By.CSS_SELECTOR, "main section[aria-labelledby='reviewed'] p"))
    assert re.match(r"\d+ of \d+ people in services \(\d+%\) have a plan that took effect in the last 12 months\. The federal target is 90%: (met|not met)\.", reviewed), reviewed

    heads, conflicts = table(driver, "Conflicts of interest, those needing action first")
    assert heads == ["Person", "Coordinator", "Works for", "Exception"], heads
    assert [c["Exception"].startswith("No exception") for c in conflicts] == [True, False], conflicts
    assert all(c["Coordinator"] == "Jamie Coordinator" and c["Works for"] == "Maple Street Supports" for c in conflicts)

    # The person without an exception: their page says what must happen and offers the form.
    driver.get(conflicts[0]["href"])
    assert re.fullmatch(f"/people/{UUID}", path_of(driver))
    notice = driver.find_element(By.XPATH, "//main//h3[normalize-space(.)='Conflict of interest']/..")
    assert "Jamie Coordinator works for Maple Street Supports" in text_content(notice)
    form = driver.find_element(By.CSS_SELECTOR, "main form[action$='/conflict-exception']")
    label = form.find_element(By.CSS_SELECTOR, "label[for='field-exceptionFirewall']")
    assert "Maple Street Supports" in text_content(label)

    # The person with one: the firewall is shown, no form.
    driver.get(conflicts[1]["href"])
    main = text_content(driver.find_element(By.TAG_NAME, "main"))
    assert "exception documented on" in main and "The firewall:" in main
    assert not driver.find_elements(By.CSS_SELECTOR, "main form[action$='/conflict-exception']")


def test_provider_staff_have_no_caseload_page(driver, base_url):
    sign_in(driver, base_url, STAFF)
    assert not driver.find_elements(By.CSS_SELECTOR, "header nav a[href='/caseloads']")
    driver.get(base_url + "/caseloads")
    assert response_status(driver) == 403


@axe_page("coordination-caseloads")
def page_coordination_caseloads(driver, base_url):
    sign_in(driver, base_url, SUPERVISOR)
    driver.get(base_url + "/caseloads")
    assert captions(driver)


@axe_page("coordination-person-with-conflict")
def page_coordination_person_conflict(driver, base_url):
    sign_in(driver, base_url, SUPERVISOR)
    driver.get(base_url + "/caseloads")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main table:last-of-type tbody tr:first-child a"))
    assert driver.find_elements(By.CSS_SELECTOR, "main form[action$='/conflict-exception']")


def test_coordinator_marks_a_task_done(driver, base_url):
    sign_in(driver, base_url, SUPERVISOR)
    nav_to(driver, "Tasks", "/tasks")
    assert h1_text(driver) == "Tasks"
    assert {"Overdue", "Due in the next 7 days", "Later", "Done in the last 30 days"} <= \
        {text_content(h) for h in driver.find_elements(By.CSS_SELECTOR, "main h2")}
    transition = [t for c in captions(driver) if c != "Done or no longer needed" for t in table(driver, c)[1]
                  if t["Task"].startswith("Tell the school district about the transition at age 3")]
    assert transition, "the demo has an Early Start child nearing 3"
    assert transition[0]["Why"] == "34 CFR 303.209(b)"
    before = len(table(driver, "Done or no longer needed")[1]) if "Done or no longer needed" in captions(driver) else 0
    button = driver.find_element(By.XPATH, "//main//table//button[starts-with(normalize-space(.), 'Mark done')]")
    title = text_content(button).split(": ", 1)[1]
    click_and_wait(driver, button)
    assert path_of(driver) == "/tasks"
    done = table(driver, "Done or no longer needed")[1]
    assert len(done) == before + 1 and title in {d["Task"] for d in done}, done


@axe_page("coordination-tasks")
def page_coordination_tasks(driver, base_url):
    sign_in(driver, base_url, SUPERVISOR)
    driver.get(base_url + "/tasks")
    assert h1_text(driver) == "Tasks"


def test_coordinator_records_a_monitoring_contact(driver, base_url):
    from test_lantern import COORDINATOR, main_form, submit_button, error_summary_messages
    from test_plans import flash, people_urls
    sign_in(driver, base_url, COORDINATOR)
    driver.get(people_urls(driver, base_url)[0])
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Monitoring contacts with"))
    assert re.fullmatch(f"/people/{UUID}/contacts", path_of(driver))
    assert h1_text(driver).startswith("Monitoring contacts with ")
    path = path_of(driver)
    click_and_wait(driver, submit_button(main_form(driver, path)))
    assert response_status(driver) == 422
    assert {"field-kind", "field-findings"} <= set(error_summary_messages(driver)), error_summary_messages(driver)
    form = main_form(driver, path)
    form.find_element(By.CSS_SELECTOR, "label[for='field-kind-phone']").click()
    form.find_element(By.NAME, "findings").send_keys("Services given as planned; asked about a new day program.")
    click_and_wait(driver, submit_button(form))
    assert path_of(driver) == path and flash(driver) == "Contact saved."
    heads, rows = table(driver, "Contacts, newest first")
    assert heads == ["Day", "How", "What was found", "What follows"], heads
    assert any(r["How"] == "Phone" and r["What was found"].startswith("Services given as planned; asked") for r in rows), rows


@axe_page("coordination-contacts")
def page_coordination_contacts(driver, base_url):
    from test_lantern import COORDINATOR
    from test_plans import people_urls
    sign_in(driver, base_url, COORDINATOR)
    driver.get(people_urls(driver, base_url)[0].rstrip("/") + "/contacts")
    assert h1_text(driver).startswith("Monitoring contacts with ")

"""Browser tests for the dashboard, intake, planning meetings, satisfaction surveys and the person's
decisions. Run against a server with the demo data.

The pages' axe-core scans are registered with @axe_page (names starting "coordination-").
"""

import datetime
import re

from selenium.webdriver.common.by import By

from test_lantern import (COORDINATOR, axe_page, click_and_wait, error_summary_messages, h1_text, main_form, path_of,
                          set_date, sign_in, submit_button, text_content)
from test_plans import UUID, fill, flash, people_urls, response_status
from test_services import captions, page_facts, table

SUPERVISOR = "supervisor@riverbend.example"
STAFF = "staff1@maplestreet.example"


def today():
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def set_value(driver, element, value):
    """Sets an input the browser draws its own control for (time), as a person's choice would."""
    driver.execute_script("arguments[0].value = arguments[1];"
                          "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, value)


# MARK: the dashboard


def test_supervisor_starts_on_the_dashboard(driver, base_url):
    sign_in(driver, base_url, SUPERVISOR)
    assert path_of(driver) == "/dashboard" and h1_text(driver) == "Dashboard"
    lead = text_content(driver.find_element(By.CSS_SELECTOR, "main p.lead"))
    assert re.match(r"\d+ tasks? (is|are) overdue, \d+ due today and \d+ in the next 7 days\.", lead), lead
    headings = {text_content(h) for h in driver.find_elements(By.CSS_SELECTOR, "main h2")}
    assert {"Overdue, today and this week", "Planning meetings in the next 14 days", "Referrals waiting for an eligibility decision",
            "Overdue monitoring contacts", "Plans due for renewal in the next 60 days", "Caseloads and reviews",
            "Satisfaction over time", "Waiting lists by service"} <= headings, headings

    # Caseloads: Riley is over the limit; the share reviewed within 12 months against the federal 90%.
    _, loads = table(driver, "Caseloads, weighted by intensity, those over their limit first")
    assert loads[0]["Against the limit"] == "Over", "those over their limit come first"
    assert {r["Coordinator"]: r["Against the limit"] for r in loads}["Riley Coordinator"] == "Over", loads
    team = text_content(driver.find_element(By.CSS_SELECTOR, "main section[aria-labelledby='team'] p"))
    assert re.match(r"\d+ of \d+ people in services \(\d+%\) have a plan that took effect in the last 12 months; the federal target is 90%", team), team

    # Satisfaction over time: a chart with a sentence, and the same figures in a table.
    chart = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='satisfaction'] figure svg[role='img']")
    caption = text_content(driver.find_element(By.ID, chart.get_attribute("aria-labelledby")))
    assert re.match(r"Satisfaction from \d{4} Q\d to \d{4} Q\d (rose|fell|stayed about the same): a mean of [\d.]+ then [\d.]+ out of 3\.", caption), caption
    heads, quarters = table(driver, "Satisfaction by quarter")
    assert heads == ["Quarter", "Surveys", "Mean (1 to 3)", "Answers “happy”"], heads
    assert len(quarters) >= 4 and all(1 <= float(q["Mean (1 to 3)"]) <= 3 for q in quarters), quarters
    means = [float(r["Mean (1 to 3)"]) for r in table(driver, "Satisfaction by coordinator, last 12 months, the lowest first")[1]]
    assert means and means == sorted(means), means

    # Waiting lists by service, the longest wait first; overdue contacts with days late.
    _, waiting = table(driver, "People waiting, by service, longest wait first")
    assert waiting and int(waiting[0]["Longest wait in days"]) > 0, waiting
    _, late = table(driver, "Monitoring contacts not made on time")
    assert late and all(int(r["Days late"]) > 0 for r in late), late


def test_provider_staff_have_no_dashboard(driver, base_url):
    sign_in(driver, base_url, STAFF)
    assert path_of(driver) == "/people", "provider staff start on their people"
    assert not driver.find_elements(By.CSS_SELECTOR, "header nav a[href='/dashboard']")
    driver.get(base_url + "/dashboard")
    assert response_status(driver) == 403


@axe_page("coordination-dashboard")
def page_coordination_dashboard(driver, base_url):
    sign_in(driver, base_url, SUPERVISOR)
    assert path_of(driver) == "/dashboard"
    assert captions(driver)


# MARK: intake


def test_coordinator_decides_eligibility_for_an_early_start_referral(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    _, referrals = table(driver, "Referrals waiting for a decision, oldest first")
    early = [r for r in referrals if r["For"] == "IFSP"]
    assert early, f"the demo has infants referred to Early Start: {referrals}"
    driver.get(early[0]["href"])
    assert re.fullmatch(f"/people/{UUID}/intake", path_of(driver)), driver.current_url
    assert h1_text(driver).startswith("Intake for ")
    deadlines = [text_content(li) for li in driver.find_elements(By.CSS_SELECTOR, "main article li")]
    assert any(re.match(r"First IFSP meeting held within 45 days of the referral: by \d{4}-\d{2}-\d{2} \(34 CFR 303\.310\(a\)", d) for d in deadlines), deadlines

    path = path_of(driver)
    form = driver.find_element(By.CSS_SELECTOR, "main form[action$='/eligibility']")
    click_and_wait(driver, submit_button(form))
    assert response_status(driver) == 422
    assert {"field-assessedOn", "field-decision"} <= set(error_summary_messages(driver)), error_summary_messages(driver)

    form = driver.find_element(By.CSS_SELECTOR, "main form[action$='/eligibility']")
    set_date(form.find_element(By.NAME, "assessedOn"), today())
    fill(form, "decision", "not_eligible")
    click_and_wait(driver, submit_button(form))
    assert response_status(driver) == 422
    assert "field-decisionBasis" in error_summary_messages(driver), error_summary_messages(driver)

    form = driver.find_element(By.CSS_SELECTOR, "main form[action$='/eligibility']")
    assert form.find_element(By.NAME, "assessedOn").get_property("value") == today(), "what was typed is kept"
    fill(form, "decision", "eligible")
    fill(form, "decisionBasis", "Evaluation at the clinic: a delay in motor and speech development.")
    click_and_wait(driver, submit_button(form))
    assert path_of(driver) == path and flash(driver) == "Decision saved."
    assert "Eligible, decided on " + today() in text_content(driver.find_element(By.TAG_NAME, "main"))


@axe_page("coordination-intake")
def page_coordination_intake(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(table(driver, "Referrals waiting for a decision, oldest first")[1][0]["href"])
    assert h1_text(driver).startswith("Intake for ")


# MARK: planning meetings and satisfaction


def test_a_meeting_the_person_plans_is_held_and_they_say_how_it_went(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(people_urls(driver, base_url)[0])
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Planning meetings"))
    assert re.fullmatch(f"/people/{UUID}/meetings", path_of(driver))
    path = path_of(driver)
    click_and_wait(driver, submit_button(main_form(driver, path)))
    assert response_status(driver) == 422
    assert {"field-meetsOn", "field-startsAt", "field-place", "field-facilitator"} <= set(error_summary_messages(driver)), error_summary_messages(driver)

    form = main_form(driver, path)
    set_date(form.find_element(By.NAME, "meetsOn"), today())
    set_value(driver, form.find_element(By.NAME, "startsAt"), "10:30")
    fill(form, "place", "The library's meeting room")
    form.find_element(By.CSS_SELECTOR, "label[for='field-chosenByPerson']").click()
    fill(form, "facilitator", "The person, with their coordinator")
    invitees = form.find_elements(By.CSS_SELECTOR, "input[name='inviteeIds']")
    assert invitees, "the circle is offered"
    form.find_element(By.CSS_SELECTOR, f"label[for='{invitees[0].get_attribute('id')}']").click()
    form.find_element(By.CSS_SELECTOR, "label[for='field-accommodations-pictures']").click()
    form.find_element(By.CSS_SELECTOR, "label[for='field-accommodations-breaks']").click()
    click_and_wait(driver, submit_button(form))
    assert re.fullmatch(f"{path}/{UUID}", path_of(driver)), driver.current_url
    assert flash(driver) == "Meeting saved."
    facts = page_facts(driver)
    assert facts["Status"] == "Planned" and facts["When"] == f"{today()} at 10:30", facts
    needs = [v for k, v in facts.items() if k.startswith("What ") and k.endswith(" needs to take part")]
    assert needs == ["Pictures and easy-read papers; Breaks when the person wants them"], facts

    # After the meeting: held, who came.
    meeting = path_of(driver)
    form = main_form(driver, meeting)
    form.find_element(By.CSS_SELECTOR, "label[for='field-status-held']").click()
    came = form.find_elements(By.CSS_SELECTOR, "input[name='attendedIds']")
    form.find_element(By.CSS_SELECTOR, f"label[for='{came[0].get_attribute('id')}']").click()
    fill(form, "notes", "The person led the part about work.")
    click_and_wait(driver, submit_button(form))
    assert path_of(driver) == meeting and page_facts(driver)["Status"] == "Held"
    assert not driver.find_elements(By.CSS_SELECTOR, f"main form[action='{meeting}']"), "recorded once"

    # The survey, with faces: the person answers two questions and skips the rest.
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Ask how the meeting went"))
    assert re.fullmatch(f"/people/{UUID}/satisfaction", path_of(driver))
    form = main_form(driver, path_of(driver))
    assert form.find_element(By.NAME, "meetingId").get_property("value") == meeting.rsplit("/", 1)[1], "the meeting is chosen"
    labels = [text_content(l) for l in form.find_elements(By.CSS_SELECTOR, "fieldset.rating-scale legend")]
    assert labels[:2] == ["I like the help I get.", "People listen to me."], labels
    form.find_element(By.CSS_SELECTOR, "label[for='answer-person-services-3']").click()
    form.find_element(By.CSS_SELECTOR, "label[for='answer-person-listened-2']").click()
    click_and_wait(driver, submit_button(form))
    assert flash(driver) == "Thank you. The answers are saved."
    _, answers = table(driver, "Answers, newest first (1 not happy, 2 okay, 3 happy)")
    assert answers[0]["Mean"] == "2.5" and answers[0]["Answers"].startswith("I like the help I get. Happy. People listen to me. Okay."), answers[0]


@axe_page("coordination-meetings")
def page_coordination_meetings(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(people_urls(driver, base_url)[0].rstrip("/") + "/meetings")
    assert h1_text(driver).startswith("Planning meetings with ")


@axe_page("coordination-meeting")
def page_coordination_meeting(driver, base_url):
    sign_in(driver, base_url, SUPERVISOR)
    rows = table(driver, "Planning meetings, soonest first")[1]
    driver.get(rows[0]["href"])
    assert h1_text(driver).startswith("Planning meeting on ")


@axe_page("coordination-satisfaction")
def page_coordination_satisfaction(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    for url in people_urls(driver, base_url):
        driver.get(url.rstrip("/") + "/satisfaction")
        if driver.find_elements(By.CSS_SELECTOR, "main figure svg"):
            return
    raise AssertionError("no one in the caseload has answered a survey")


# MARK: the person decides


def test_the_person_says_no_to_a_service(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    for url in people_urls(driver, base_url):
        driver.get(url.rstrip("/") + "/decisions")
        if driver.find_elements(By.CSS_SELECTOR, "main form[action$='/decisions/refusal']"):
            break
    else:
        raise AssertionError("no one in the caseload has a plan in effect with services")
    assert h1_text(driver).endswith(" decides")
    path = path_of(driver)
    form = driver.find_element(By.CSS_SELECTOR, "main form[action$='/decisions/refusal']")
    click_and_wait(driver, submit_button(form))
    assert response_status(driver) == 422
    assert "field-serviceEntryId" in error_summary_messages(driver), error_summary_messages(driver)
    form = driver.find_element(By.CSS_SELECTOR, "main form[action$='/decisions/refusal']")
    choice = form.find_elements(By.CSS_SELECTOR, "input[name='serviceEntryId']")[0]
    service = text_content(form.find_element(By.CSS_SELECTOR, f"label[for='{choice.get_attribute('id')}']")).split(", ")[0]
    form.find_element(By.CSS_SELECTOR, f"label[for='{choice.get_attribute('id')}']").click()
    fill(form, "reason", "I would rather spend Saturdays with my cousin.")
    click_and_wait(driver, submit_button(form))
    assert path_of(driver) == path and flash(driver) == "The refusal is recorded."
    refused = [text_content(li) for li in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='refuse'] li")]
    assert any(r.startswith(f"{service}: said no on {today()}") for r in refused), refused


@axe_page("coordination-decisions")
def page_coordination_decisions(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(people_urls(driver, base_url)[0].rstrip("/") + "/decisions")
    assert h1_text(driver).endswith(" decides")


# MARK: inviting the family


def make_invitation(driver, base_url, language="en"):
    """A coordinator invites a family member of someone in their caseload: the link shown once."""
    import uuid
    sign_in(driver, base_url, COORDINATOR)
    for url in people_urls(driver, base_url):
        driver.get(url)
        forms = driver.find_elements(By.CSS_SELECTOR, "main form[action$='/invitations']")
        if forms and len(forms[0].find_elements(By.CSS_SELECTOR, "select[name='circleMemberId'] option")) > 1:
            break
    else:
        raise AssertionError("no one in the caseload has family to invite")
    form = forms[0]
    fill(form, "circleMemberId", form.find_elements(By.CSS_SELECTOR, "select[name='circleMemberId'] option")[1].get_attribute("value"))
    fill(form, "email", f"family-{uuid.uuid4().hex[:8]}@family.example")
    # One choice per language file; the label is the language's own name.
    choice = form.find_element(By.ID, f"field-language-{language}")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", choice)
    form.find_element(By.CSS_SELECTOR, f"label[for='field-language-{language}']").click()
    assert choice.is_selected()
    click_and_wait(driver, submit_button(form))
    assert h1_text(driver) == "Invitation made"
    return driver.find_element(By.ID, "invitation-link").get_attribute("href")


def test_a_family_member_accepts_an_invitation_in_spanish(driver, base_url):
    link = make_invitation(driver, base_url, language="es")
    driver.delete_all_cookies()
    driver.get(link)
    assert h1_text(driver) == "Bienvenido a Lantern"
    assert driver.find_element(By.CSS_SELECTOR, "main div[lang='es']")
    form = main_form(driver, path_of(driver))
    form.find_element(By.NAME, "password").send_keys("river stone harbour 7")
    form.find_element(By.NAME, "confirm").send_keys("river stone harbour 8")
    click_and_wait(driver, submit_button(form))
    assert response_status(driver) == 422
    assert "field-confirm" in error_summary_messages(driver)
    form = main_form(driver, path_of(driver))
    form.find_element(By.NAME, "password").send_keys("river stone harbour 7")
    form.find_element(By.NAME, "confirm").send_keys("river stone harbour 7")
    click_and_wait(driver, submit_button(form))
    assert h1_text(driver) == "Su cuenta está lista"
    driver.get(link)
    assert response_status(driver) == 410, "a link works once"


@axe_page("portal-invitation")
def page_portal_invitation(driver, base_url):
    link = make_invitation(driver, base_url)
    driver.delete_all_cookies()
    driver.get(link)
    assert h1_text(driver) == "Welcome to Lantern"

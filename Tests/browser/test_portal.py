"""Browser tests for the door of the person and their family (/my): a demo person and the demo
guardian sign in, read, sign, ask, rate, download and see who looked, in Spanish and in English; and
a family member sees only what the person shared. Run against a server with the demo data.

The pages' axe-core scans are registered with @axe_page (names starting "portal-"), in both languages.
"""

import re
import secrets

from selenium.webdriver.common.by import By

from test_lantern import (axe_page, click_and_wait, error_summary_messages, h1_text, main_form, path_of, sign_in,
                          submit_button, text_content)
from test_plans import UUID, fill, flash, response_status

PERSON = "person1@family.example"
GUARDIAN = "guardian1@family.example"
FAMILY = "family1@family.example"

NAV_EN = {"home": "Home", "sign": "Sign my plan", "ask": "Ask for a change", "tell": "Tell how it is going",
          "budget": "My budget", "record": "My record", "who": "Who looked"}
NAV_ES = {"home": "Inicio", "sign": "Firmar mi plan", "ask": "Pedir un cambio", "tell": "Decir cómo va",
          "budget": "Mi presupuesto", "record": "Mi expediente", "who": "Quién miró"}


# MARK: helpers


def html_lang(driver):
    return driver.find_element(By.TAG_NAME, "html").get_attribute("lang")


def choose_language(driver, code):
    """The header's language button, if the page is not already in `code`."""
    if html_lang(driver) == code:
        return
    button = driver.find_element(By.CSS_SELECTOR, f"form.language-switch button[lang='{code}']")
    click_and_wait(driver, button)
    assert html_lang(driver) == code


def go(driver, text):
    """Follows a link of the portal's navigation by its words."""
    nav = driver.find_element(By.CSS_SELECTOR, "header nav")
    click_and_wait(driver, nav.find_element(By.LINK_TEXT, text))
    assert response_status(driver) == 200, f"{text}: {response_status(driver)}"


def portal_of(driver, base_url, email, language):
    """Signs in (the portal is where the person and family start) and opens the first person's home."""
    sign_in(driver, base_url, email)
    assert path_of(driver).startswith("/my"), path_of(driver)
    choose_language(driver, language)
    if not re.fullmatch(rf"/my/{UUID}", path_of(driver)):
        links = driver.find_elements(By.CSS_SELECTOR, "main a.big-link")
        assert links, "the chooser lists no one"
        click_and_wait(driver, links[0])
    return driver.current_url


def choose_radio(driver, input_id):
    """Clicks a choice's label, as a person taps a face or a word."""
    click_target = driver.find_element(By.CSS_SELECTOR, f"label[for='{input_id}']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", click_target)
    click_target.click()


def sign_the_plan(driver, words):
    """On the signing page: a submit without ticking is refused in the page's words, then a signature."""
    forms = driver.find_elements(By.CSS_SELECTOR, "main form[action*='/sign/']:not([action$='/decline']):not([action$='/agreement'])")
    assert forms, "nothing to sign: " + text_content(driver.find_element(By.TAG_NAME, "main"))[:500]
    changes = text_content(driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='changes']"))
    assert words["changed"] in changes, changes
    click_and_wait(driver, submit_button(forms[0]))
    assert response_status(driver) == 422
    assert words["tick"] in " ".join(error_summary_messages(driver).values()), error_summary_messages(driver)
    form = driver.find_elements(By.CSS_SELECTOR, "main form[action*='/sign/']:not([action$='/decline']):not([action$='/agreement'])")[0]
    form.find_element(By.NAME, "agree").click()
    click_and_wait(driver, submit_button(form))
    assert flash(driver) == words["signed"], flash(driver)


def ask_for_a_change(driver, words, text):
    form = main_form(driver)
    choose_radio(driver, "field-about-service")
    services = form.find_elements(By.CSS_SELECTOR, "input[name='serviceId']")
    assert services, "no service to choose"
    choose_radio(driver, services[0].get_attribute("id"))
    fill(form, "words", text)
    click_and_wait(driver, submit_button(form))
    assert flash(driver) == words["asked"], flash(driver)
    requests = [text_content(li) for li in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='asked'] li")]
    assert any(text in r and words["waiting"] in r for r in requests), requests


def tell_how_it_goes(driver, words):
    survey = driver.find_element(By.CSS_SELECTOR, "main form[action$='/tell/survey']")
    radios = survey.find_elements(By.CSS_SELECTOR, "input[type='radio'][value='3']")
    assert len(radios) >= 4
    for radio in radios[:2]:
        choose_radio(driver, radio.get_attribute("id"))
    click_and_wait(driver, submit_button(survey))
    assert flash(driver) == words["survey"], flash(driver)
    outcome = driver.find_elements(By.CSS_SELECTOR, "main form[action*='/tell/outcomes/']")
    assert outcome, "no goal to say how it goes"
    choose_radio(driver, outcome[0].find_element(By.CSS_SELECTOR, "input[value='going_well']").get_attribute("id"))
    click_and_wait(driver, submit_button(outcome[0]))
    assert flash(driver) == words["outcome"], flash(driver)


def download_record(driver):
    """The record's JSON file, fetched as the link's download would be, with the session."""
    link = driver.find_element(By.CSS_SELECTOR, "main a[download][href$='/record.json']")
    record = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.json()).then(done, e => done({error: String(e)}));",
        link.get_attribute("href"))
    assert "error" not in record, record
    assert record["person"]["id"] and record["plans"], record.keys()
    assert all(p["sections"] for p in record["plans"])
    return record


def who_looked_rows(driver):
    return [[text_content(td) for td in tr.find_elements(By.TAG_NAME, "td")] for tr in driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")]


ES = {"changed": "Estas partes cambiaron", "tick": "Marque la casilla", "signed": "Gracias. Su firma está guardada.",
      "asked": "Su pedido está enviado. Su coordinador ya lo tiene.", "waiting": "Esperando. Su coordinador responderá antes del",
      "survey": "Gracias por sus respuestas.", "outcome": "Gracias. Lo que dijo está guardado.", "looked": "miró"}
EN = {"changed": "These parts changed", "tick": "Tick the box", "signed": "Thank you. Your signature is saved.",
      "asked": "Your request is sent. Your coordinator has it now.", "waiting": "Waiting. Your coordinator will answer by",
      "survey": "Thank you for your answers.", "outcome": "Thank you. What you said is saved.", "looked": "looked at"}


def act(driver, words, nav, request_words):
    """Sign, ask, rate, see the budget, download and see who looked, through the navigation."""
    go(driver, nav["sign"])
    sign_the_plan(driver, words)
    go(driver, nav["ask"])
    ask_for_a_change(driver, words, request_words)
    go(driver, nav["tell"])
    tell_how_it_goes(driver, words)
    go(driver, nav["budget"])
    assert driver.find_elements(By.CSS_SELECTOR, "main table caption"), "no services listed"
    go(driver, nav["record"])
    record = download_record(driver)
    assert any(r.get("reason") == request_words for r in record["reviewRequests"]), "the request just made is not in the record"
    # Who looked: the reads just made are there.
    go(driver, nav["who"])
    rows = who_looked_rows(driver)
    assert rows and any(words["looked"] in r[2] for r in rows), rows[:5]


def whole_journey(driver, base_url, email, words, nav, title):
    home = portal_of(driver, base_url, email, "es" if words is ES else "en")
    assert html_lang(driver) == ("es" if words is ES else "en")
    assert h1_text(driver).startswith(title), h1_text(driver)
    # Read: the plan in plain words, the goals with a face or a sentence, the coordinator.
    for heading in ("plan", "outcomes", "meeting", "coordinator"):
        assert driver.find_elements(By.CSS_SELECTOR, f"main section[aria-labelledby='{heading}'] h2")
    assert driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='coordinator'] a[href^='mailto:']")
    act(driver, words, nav, f"Más horas / more hours {secrets_tag()}")
    driver.get(home)
    return home


def secrets_tag():
    """A random tag, so a test finds the request it made and nothing an earlier run made."""
    return secrets.token_hex(3)


# MARK: journeys


def test_the_guardian_does_everything_in_english_for_one_ward_and_in_spanish_for_the_other(driver, base_url):
    sign_in(driver, base_url, GUARDIAN)
    choose_language(driver, "en")
    assert path_of(driver) == "/my" and h1_text(driver) == "Whose pages?"
    wards = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "main a.big-link")]
    assert len(wards) == 2, wards
    whole_journey(driver, base_url, GUARDIAN, EN, NAV_EN, "The plan of")
    # The second ward, in Spanish.
    driver.get(wards[1])
    choose_language(driver, "es")
    assert h1_text(driver).startswith("El plan de")
    act(driver, ES, NAV_ES, f"Otro horario {secrets_tag()}")
    choose_language(driver, "en")


def test_the_person_does_everything_in_spanish_then_reads_in_english(driver, base_url):
    whole_journey(driver, base_url, PERSON, ES, NAV_ES, "Mi plan")
    # Signed: nothing waits any more, in English too.
    choose_language(driver, "en")
    assert h1_text(driver) == "My plan"
    go(driver, NAV_EN["sign"])
    assert "Nothing here waits for your signature." in text_content(driver.find_element(By.TAG_NAME, "main"))
    go(driver, NAV_EN["ask"])
    assert driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='asked'] li")
    go(driver, NAV_EN["who"])
    assert any("looked at" in r[2] for r in who_looked_rows(driver))


def test_words_typed_survive_a_lost_session(driver, base_url):
    home = portal_of(driver, base_url, PERSON, "en")
    go(driver, NAV_EN["ask"])
    ask_url = driver.current_url
    form = main_form(driver)
    form.find_element(By.NAME, "words").send_keys("I want to change my day program.")
    # The session ends (signed out elsewhere, or timed out) while the words are typed: the form is refused.
    driver.delete_cookie("lantern_session")
    choose_radio(driver, "field-about-plan")
    click_and_wait(driver, submit_button(main_form(driver)))
    assert response_status(driver) == 403
    # Signed in again, in the same tab, the words are still there.
    sign_in(driver, base_url, PERSON)
    driver.get(ask_url)
    assert main_form(driver).find_element(By.NAME, "words").get_property("value") == "I want to change my day program."
    driver.get(home)


def test_a_family_member_sees_only_what_the_person_shared(driver, base_url):
    portal_of(driver, base_url, FAMILY, "es")
    nav = {text_content(a) for a in driver.find_elements(By.CSS_SELECTOR, "header nav a")}
    assert {"Inicio", "Firmar mi plan", "Decir cómo va"} <= nav, nav
    assert not {"Mi presupuesto", "Mi expediente", "Quién miró", "Lo que ve mi familia"} & nav, nav
    assert "no compartió esta parte con usted" in text_content(driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='meeting']"))
    person = re.search(rf"/my/({UUID})", driver.current_url).group(1)
    driver.get(f"{base_url}/my/{person}/budget")
    assert response_status(driver) == 403
    assert h1_text(driver) == "Esta parte no es para usted"


# MARK: accessibility: every portal page, scanned by test_lantern.py::test_axe_no_serious_violations


def _portal_page(driver, base_url, email, language, suffix=""):
    home = portal_of(driver, base_url, email, language)
    if suffix:
        driver.get(home + suffix)
    assert response_status(driver) == 200, suffix


for _lang in ("en", "es"):
    for _suffix, _name in [("", "home"), ("/sign", "sign"), ("/ask", "ask"), ("/tell", "tell"), ("/budget", "budget"),
                           ("/record", "record"), ("/who-looked", "who-looked"), ("/sharing", "sharing")]:
        def _scan(driver, base_url, _s=_suffix, _l=_lang):
            _portal_page(driver, base_url, PERSON, _l, _s)
        axe_page(f"portal-{_name}-{_lang}")(_scan)


@axe_page("portal-chooser")
def page_portal_chooser(driver, base_url):
    sign_in(driver, base_url, GUARDIAN)
    assert h1_text(driver) in ("Whose pages?", "¿De quién son las páginas?")


@axe_page("portal-settings")
def page_portal_settings(driver, base_url):
    sign_in(driver, base_url, GUARDIAN)
    driver.get(base_url + "/my/settings")
    assert main_form(driver, "/my/settings")


@axe_page("portal-ask-errors")
def page_portal_ask_errors(driver, base_url):
    portal_of(driver, base_url, PERSON, "es")
    go(driver, NAV_ES["ask"])
    click_and_wait(driver, submit_button(main_form(driver)))
    assert response_status(driver) == 422
    choose_language(driver, "en")


@axe_page("portal-not-shared")
def page_portal_not_shared(driver, base_url):
    portal_of(driver, base_url, FAMILY, "es")
    person = re.search(rf"/my/({UUID})", driver.current_url).group(1)
    driver.get(f"{base_url}/my/{person}/record")
    assert response_status(driver) == 403

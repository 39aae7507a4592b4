"""Browser tests for Lantern's server-rendered pages: a coordinator's journey, sign-in, accessibility
(axe-core), escaping of what people type, and keyboard access.

Run against a server started with the demo data (every demo account's password is `lantern demo 2026`):

    LANTERN_URL=http://127.0.0.1:8080 python3 -m pytest Tests/browser -v

Each test starts its own browser (see conftest.py) and signs in itself, so tests can run alone or in
any order. Tests add people, circle members and tokens to the demo data; they never depend on what an
earlier run added.
"""

import os
import re
import secrets
from urllib.parse import parse_qs, urlparse

import pytest
from axe_selenium_python import Axe
from selenium.common.exceptions import NoAlertPresentException, UnexpectedAlertPresentException, WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

WAIT = 30
PASSWORD = "lantern demo 2026"
ADMIN = "admin@riverbend.example"
COORDINATOR = "coordinator1@riverbend.example"
# Used only by the wrong-password test, so the sign-in throttle (slower after 3 failures in 15 minutes)
# never touches the accounts the other tests sign in with.
WRONG_PASSWORD_ACCOUNT = "coordinator3@riverbend.example"
MISSING_PERSON = "00000000-0000-0000-0000-000000000000"

# Another axe-core build to inject instead of the one axe-selenium-python bundles (a path to axe.min.js).
AXE_SCRIPT = os.environ.get("LANTERN_AXE_SCRIPT")

PAYLOADS = ["\"'<>&", "<script>alert(1)</script>"]
PAYLOAD_IDS = ["quotes-angles-ampersand", "script-tag"]


# MARK: helpers


def wait(driver, timeout=WAIT):
    return WebDriverWait(driver, timeout)


def wait_for_load(driver):
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")


def click_and_wait(driver, element):
    """Clicks something that loads a new page, and waits until the new page has replaced the old one."""
    before = driver.current_url
    form = driver.execute_script("document.lanternOldPage = true;"
                                 "const f = arguments[0].form || arguments[0].closest('form'); "
                                 "return f ? (f.method + ' ' + f.action) : arguments[0].href;", element)
    element.click()
    wait_for_new_page(driver, form, before)


def wait_for_new_page(driver, form, before):
    """Waits until a page marked with `document.lanternOldPage = true` has been replaced by a loaded new
    one, and fails clearly when an alert opened or the server gave no page. `form` and `before` only
    describe the request in messages."""

    def new_page_loaded(d):
        # The marker lives on the old document only; probing while the page is being swapped can raise.
        try:
            return d.execute_script("return !document.lanternOldPage && document.readyState === 'complete'")
        except UnexpectedAlertPresentException as alert:
            pytest.fail(f"a JavaScript alert opened ({alert.alert_text!r}) after {form}: typed markup ran as script",
                        pytrace=False)
        except WebDriverException:
            return False

    wait(driver).until(new_page_loaded, f"no new page loaded after clicking toward {form}")
    if driver.execute_script("return document.body.classList.contains('neterror') || !document.querySelector('footer.site-footer')"):
        pytest.fail(f"Lantern gave no page in answer to {form} (from {before}): the server closed the connection "
                    f"or stopped; check its log for a crash", pytrace=False)


def path_of(driver):
    return urlparse(driver.current_url).path


def h1_text(driver):
    return wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "main h1"))).text.strip()


def text_content(element):
    """The element's text as the DOM holds it (textContent), whitespace squeezed: what the server sent as text."""
    return " ".join((element.get_property("textContent") or "").split())


def main_form(driver, action=None):
    selector = f"main form[action='{action}']" if action else "main form[method='post']"
    return wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, selector)))


def submit_button(form):
    return form.find_element(By.CSS_SELECTOR, "button[type='submit']")


def sign_in(driver, base_url, email, password=PASSWORD):
    driver.delete_all_cookies()
    driver.get(base_url + "/sign-in")
    form = main_form(driver, "/sign-in")
    form.find_element(By.NAME, "email").send_keys(email)
    form.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(driver, submit_button(form))
    if path_of(driver) == "/sign-in":
        problems = [text_content(e) for e in driver.find_elements(By.CSS_SELECTOR, ".error-summary, .field-error")]
        pytest.fail(f"could not sign in as {email}: {problems}")


def assert_no_alert(driver):
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        pytest.fail(f"a JavaScript alert opened (text {text!r}): typed markup ran as script")
    except NoAlertPresentException:
        pass


def assert_no_scripts(driver):
    """Lantern's pages carry no script at all, so any script element came from text that was not escaped."""
    count = driver.execute_script("return document.querySelectorAll('script').length")
    assert count == 0, f"{count} script element(s) on {driver.current_url}: typed markup became HTML"


def set_date(element, iso):
    """Types a date into an <input type=date> the way a person would (month, day, year in en-US)."""
    year, month, day = iso.split("-")
    element.send_keys(month + day + year)
    if element.get_property("value") != iso:
        # A browser in another locale orders the segments differently: fall back to setting the value.
        print(f"typing {month}{day}{year} into {element.get_attribute('name')} gave {element.get_property('value')!r}; setting it")
        element.parent.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, iso)
    assert element.get_property("value") == iso, f"the date input holds {element.get_property('value')!r}, not {iso}"


def caseload(driver, base_url, url=None):
    """The people on one page of the list (the first by default): (display name, absolute URL) pairs."""
    driver.get(url or base_url + "/people")
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "main table tbody tr")))
    return [(text_content(a), a.get_attribute("href"))
            for a in driver.find_elements(By.CSS_SELECTOR, "main table tbody tr th[scope='row'] a")]


def plain_person(driver, base_url):
    """A demo person whose name is plain letters (not one a test typed), as (name, URL).

    Leaves the browser on the list page where that person is (runs of the escaping tests add people
    whose names sort first, so after many runs it may be a later page)."""
    url = None
    for _ in range(40):
        for name, href in caseload(driver, base_url, url):
            if re.fullmatch(r"[A-Za-z]+( [A-Za-z]+)+", name):
                return name, href
        next_links = driver.find_elements(By.LINK_TEXT, "Next page")
        if not next_links:
            break
        url = next_links[0].get_attribute("href")
    pytest.fail("no person with a plain name in the list")


def circle_edit_links(driver):
    return [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "section a[href*='/circle/'][href$='/edit']")]


def circle_row(driver, edit_href):
    """The circle table row whose Edit link goes to edit_href, as {column header: cell text}."""
    for row in driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='circle'] table tbody tr"):
        links = row.find_elements(By.CSS_SELECTOR, "a[href$='/edit']")
        if links and links[0].get_attribute("href") == edit_href:
            headers = [text_content(th) for th in driver.find_elements(
                By.CSS_SELECTOR, "section[aria-labelledby='circle'] table thead th")]
            cells = [text_content(c) for c in row.find_elements(By.CSS_SELECTOR, "th, td")]
            return dict(zip(headers, cells))
    raise AssertionError(f"no circle row links to {edit_href}")


def add_circle_member(driver, person_url, name, relationship="friend", **fields):
    """Adds someone through the circle form; returns the new member's edit link."""
    driver.get(person_url)
    wait_for_load(driver)
    before = set(circle_edit_links(driver))
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Add someone to the circle"))
    form = main_form(driver)
    form.find_element(By.NAME, "name").send_keys(name)
    Select(form.find_element(By.NAME, "relationship")).select_by_value(relationship)
    for field, value in fields.items():
        element = form.find_element(By.NAME, field)
        if element.get_attribute("type") == "checkbox":
            if element.is_selected() != bool(value):
                element.click()
        else:
            element.send_keys(value)
    click_and_wait(driver, submit_button(form))
    assert path_of(driver) == urlparse(person_url).path, \
        f"adding {name!r} did not return to the person page: {[text_content(e) for e in driver.find_elements(By.CSS_SELECTOR, '.field-error')]}"
    new = set(circle_edit_links(driver)) - before
    assert len(new) == 1, f"expected one new circle row after adding {name!r}, found {len(new)}"
    return new.pop()


def field_error(driver, name):
    return driver.find_element(By.ID, f"field-{name}-error")


def error_summary_messages(driver):
    return {a.get_attribute("href").split("#", 1)[1]: text_content(a)
            for a in driver.find_elements(By.CSS_SELECTOR, "#error-summary li a")}


# MARK: 1. a coordinator's journey


def test_coordinator_journey(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    assert path_of(driver) == "/dashboard", "a coordinator starts on their dashboard"
    assert h1_text(driver) == "Dashboard"
    driver.get(base_url + "/people")
    assert h1_text(driver) == "My caseload"

    # Search the caseload by part of a family name taken from the list.
    name, href = plain_person(driver, base_url)
    family = name.split()[-1]
    part = family[:4] if len(family) > 4 else family[:-1] if len(family) > 2 else family
    search = driver.find_element(By.ID, "field-q")
    search.clear()
    search.send_keys(part)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form[role='search'] button[type='submit']"))
    assert parse_qs(urlparse(driver.current_url).query).get("q") == [part]
    assert driver.find_element(By.ID, "field-q").get_property("value") == part
    results = driver.find_elements(By.CSS_SELECTOR, "main table tbody tr th[scope='row'] a")
    assert results, f"searching for {part!r} found no one"
    for result in results:
        assert part.lower() in (text_content(result) + " " + text_content(result.find_element(By.XPATH, ".."))).lower(), \
            f"{text_content(result)!r} does not match the search {part!r}"
    match = [r for r in results if r.get_attribute("href") == href]
    assert match, f"searching for {part!r} did not find {name!r}"

    # Open the person.
    click_and_wait(driver, match[0])
    assert driver.current_url == href
    assert h1_text(driver) == name

    # Add someone to their circle and see them in the circle table.
    member = "Jordan Journey " + "".join(secrets.choice("abcdefghijkmnpqrstuvwxyz") for _ in range(6)).capitalize()
    edit_href = add_circle_member(driver, href, member, "friend", phone="(573) 555-0142",
                                  email="jordan.journey@example.org", receivesPlanCopy=True)
    flash = driver.find_element(By.CSS_SELECTOR, "main .flash[role='status']")
    assert text_content(flash) == "Saved."
    row = circle_row(driver, edit_href)
    assert row["Name"] == member
    assert row["Relationship"] == "Friend"
    assert row["Paid or unpaid"] == "Unpaid"
    assert row["Contact"] == "(573) 555-0142 · jordan.journey@example.org"
    assert row["Gets a copy of the plan"] == "Yes"
    assert driver.find_element(By.XPATH, f"//section[@aria-labelledby='circle']//table//th[@scope='row'][normalize-space()='{member}']").is_displayed()

    # Submit the circle form with the required name left empty.
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Add someone to the circle"))
    form = main_form(driver)
    Select(form.find_element(By.NAME, "relationship")).select_by_value("friend")
    click_and_wait(driver, submit_button(form))
    assert h1_text(driver) == f"Add someone to {name}'s circle of support"
    message = "Name is required."
    error = field_error(driver, "name")
    assert error.is_displayed()
    assert text_content(error) == f"Error: {message}"
    name_input = driver.find_element(By.ID, "field-name")
    # Beside the field: in the same field group as the input, and tied to it for screen readers.
    group = error.find_element(By.XPATH, "./ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' field ')][1]")
    assert group.find_elements(By.ID, "field-name"), "the error message is not in the name field's group"
    assert "has-error" in group.get_attribute("class").split()
    assert name_input.get_attribute("aria-invalid") == "true"
    assert "field-name-error" in (name_input.get_attribute("aria-describedby") or "").split()
    summary = driver.find_element(By.ID, "error-summary")
    assert summary.is_displayed()
    assert summary.get_attribute("role") == "alert"
    assert error_summary_messages(driver).get("field-name") == message
    # Nothing was added by the refused form.
    driver.get(href)
    wait_for_load(driver)
    assert circle_edit_links(driver).count(edit_href) == 1

    # Sign out, and the list is closed again.
    click_and_wait(driver, driver.find_element(By.XPATH, "//header//form[@action='/sign-out']//button[normalize-space()='Sign out']"))
    assert path_of(driver) == "/sign-in"
    assert not driver.find_elements(By.XPATH, "//header//button[normalize-space()='Sign out']")
    driver.get(base_url + "/people")
    wait_for_load(driver)
    assert path_of(driver) == "/sign-in", f"/people after signing out went to {driver.current_url}"
    assert parse_qs(urlparse(driver.current_url).query).get("next") == ["/people"]
    assert h1_text(driver) == "Sign in to Lantern"


# MARK: 2. wrong password


def test_wrong_password_shows_message(driver, base_url):
    driver.get(base_url + "/sign-in")
    form = main_form(driver, "/sign-in")
    form.find_element(By.NAME, "email").send_keys(WRONG_PASSWORD_ACCOUNT)
    form.find_element(By.NAME, "password").send_keys("not the right password 2026")
    click_and_wait(driver, submit_button(form))

    assert path_of(driver) == "/sign-in"
    assert h1_text(driver) == "Sign in to Lantern"
    summary = wait(driver).until(EC.visibility_of_element_located((By.ID, "error-summary")))
    refusal = "That email and password do not match an account. Check them and try again."
    messages = error_summary_messages(driver)
    # A throttled account (someone else failed here 3+ times lately) gets "Too many tries" instead.
    throttled = "Too many tries" in messages.get("field-email", "")
    assert messages.get("field-email") == refusal or throttled, messages
    assert summary.get_attribute("role") == "alert"
    assert text_content(field_error(driver, "email")) == "Error: " + messages["field-email"]
    email = driver.find_element(By.ID, "field-email")
    assert email.get_property("value") == WRONG_PASSWORD_ACCOUNT, "the email typed should be kept"
    assert email.get_attribute("aria-invalid") == "true"
    assert driver.find_element(By.ID, "field-password").get_property("value") == "", "the password must not be sent back"
    assert not driver.find_elements(By.XPATH, "//header//button[normalize-space()='Sign out']")

    # The right password still works, and clears the failure so later runs start from zero.
    if throttled:
        return
    form = main_form(driver, "/sign-in")
    form.find_element(By.NAME, "password").send_keys(PASSWORD)
    click_and_wait(driver, submit_button(form))
    assert path_of(driver) == "/dashboard"


# MARK: 3. accessibility (axe-core)


def _open_person(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    name, href = plain_person(driver, base_url)
    return name, href


def page_sign_in(driver, base_url):
    driver.get(base_url + "/sign-in")
    assert h1_text(driver) == "Sign in to Lantern"


def page_people(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    caseload(driver, base_url)
    assert h1_text(driver) == "My caseload"


def page_people_search(driver, base_url):
    name, _ = _open_person(driver, base_url)
    search = driver.find_element(By.ID, "field-q")
    search.send_keys(name.split()[-1][:3])
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form[role='search'] button[type='submit']"))
    assert "q=" in driver.current_url


def page_person(driver, base_url):
    name, href = _open_person(driver, base_url)
    driver.get(href)
    assert h1_text(driver) == name


def page_person_as_admin(driver, base_url):
    """The person page with the forms only administrators see (coordinator change, provider links)."""
    sign_in(driver, base_url, ADMIN)
    name, href = plain_person(driver, base_url)
    driver.get(href)
    assert h1_text(driver) == name
    assert driver.find_element(By.CSS_SELECTOR, "main form[action$='/coordinator']")


def page_person_new(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(base_url + "/people/new")
    assert h1_text(driver) == "Add a person"


def page_person_new_errors(driver, base_url):
    page_person_new(driver, base_url)
    click_and_wait(driver, submit_button(main_form(driver, "/people")))
    wait(driver).until(EC.visibility_of_element_located((By.ID, "error-summary")))
    assert driver.find_elements(By.CSS_SELECTOR, ".field-error")


def page_person_edit(driver, base_url):
    name, href = _open_person(driver, base_url)
    driver.get(href + "/edit")
    assert h1_text(driver) == f"Edit {name}"


def page_circle_new(driver, base_url):
    name, href = _open_person(driver, base_url)
    driver.get(href + "/circle/new")
    assert h1_text(driver) == f"Add someone to {name}'s circle of support"


def page_circle_new_errors(driver, base_url):
    page_circle_new(driver, base_url)
    click_and_wait(driver, submit_button(main_form(driver)))
    wait(driver).until(EC.visibility_of_element_located((By.ID, "error-summary")))


def page_circle_edit(driver, base_url):
    name, href = _open_person(driver, base_url)
    driver.get(href)
    links = circle_edit_links(driver)
    edit = links[0] if links else add_circle_member(driver, href, "Avery Axe", "friend")
    driver.get(edit)
    assert h1_text(driver).startswith("Edit ")
    assert h1_text(driver).endswith(f"in {name}'s circle")


def page_circle_remove(driver, base_url):
    page_circle_edit(driver, base_url)
    driver.get(driver.find_element(By.CSS_SELECTOR, "main a[href$='/remove']").get_attribute("href"))
    assert h1_text(driver).startswith("Remove ")
    assert driver.find_element(By.CSS_SELECTOR, "main form[action$='/remove'] button")


def page_tokens(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(base_url + "/tokens")
    assert h1_text(driver) == "API tokens"


def page_tokens_made(driver, base_url):
    page_tokens(driver, base_url)
    form = main_form(driver, "/tokens")
    form.find_element(By.NAME, "name").send_keys("Accessibility scan")
    expires = form.find_element(By.NAME, "expiresInDays")
    expires.clear()
    expires.send_keys("1")
    click_and_wait(driver, submit_button(form))
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "main .secret")))


def page_tokens_errors(driver, base_url):
    page_tokens(driver, base_url)
    click_and_wait(driver, submit_button(main_form(driver, "/tokens")))
    wait(driver).until(EC.visibility_of_element_located((By.ID, "error-summary")))


def page_audit(driver, base_url):
    sign_in(driver, base_url, ADMIN)
    driver.get(base_url + "/audit")
    assert h1_text(driver) == "Audit trail"


def page_accounts(driver, base_url):
    sign_in(driver, base_url, ADMIN)
    driver.get(base_url + "/accounts")
    assert h1_text(driver) == "Accounts"


def page_account_new_errors(driver, base_url):
    sign_in(driver, base_url, ADMIN)
    driver.get(base_url + "/accounts/new")
    assert h1_text(driver) == "Add an account"
    click_and_wait(driver, submit_button(main_form(driver, "/accounts")))
    wait(driver).until(EC.visibility_of_element_located((By.ID, "error-summary")))


def page_account_edit(driver, base_url):
    page_accounts(driver, base_url)
    driver.get(driver.find_element(By.CSS_SELECTOR, "main tbody a").get_attribute("href"))
    assert h1_text(driver).startswith("Edit ")


def page_not_found(driver, base_url):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(f"{base_url}/people/{MISSING_PERSON}")
    wait_for_load(driver)
    assert driver.find_element(By.CSS_SELECTOR, "main h1").text.strip(), "the error page has no heading"
    assert driver.find_element(By.CSS_SELECTOR, "main a[href='/people']")


AXE_PAGES = {
    "sign-in": page_sign_in,
    "people-list": page_people,
    "people-list-search": page_people_search,
    "person": page_person,
    "person-as-admin": page_person_as_admin,
    "person-new": page_person_new,
    "person-new-with-errors": page_person_new_errors,
    "person-edit": page_person_edit,
    "circle-new": page_circle_new,
    "circle-new-with-errors": page_circle_new_errors,
    "circle-edit": page_circle_edit,
    "circle-remove-confirm": page_circle_remove,
    "tokens": page_tokens,
    "tokens-after-making-one": page_tokens_made,
    "tokens-with-errors": page_tokens_errors,
    "audit": page_audit,
    "accounts": page_accounts,
    "account-new-with-errors": page_account_new_errors,
    "account-edit": page_account_edit,
    "not-found": page_not_found,
}


def format_violations(violations):
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v.get('help')} [{v.get('helpUrl', '')}]")
        for node in v.get("nodes", []):
            lines.append(f"    target {node.get('target')}: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " | ")
            if summary:
                lines.append(f"      {summary[:400]}")
    return "\n".join(lines)


def _version_tuple(version):
    return tuple(int(part) for part in re.findall(r"\d+", version or "0")[:3])


def _stale_autocomplete_false_positive(node):
    """autocomplete-valid findings that axe-core before 4.3 reports but the HTML standard allows and
    axe-core 4.3+ passes: autocomplete="off" on any input (axe-core 3.1 rejects it on type=tel and
    type=email), and autocomplete="username" on type=email (dequelabs/axe-core#2727, fixed by #2896)."""
    html = node.get("html", "")
    return 'autocomplete="off"' in html or ('type="email"' in html and 'autocomplete="username"' in html)


def drop_stale_engine_false_positives(violations, version):
    """Removes only the findings above, and only when the engine is older than the fix; prints what it removed."""
    if _version_tuple(version) >= (4, 3):
        return violations
    kept = []
    for v in violations:
        if v["id"] == "autocomplete-valid":
            dropped = [n for n in v.get("nodes", []) if _stale_autocomplete_false_positive(n)]
            if dropped:
                print(f"axe-core {version}: ignoring autocomplete-valid on {[n['target'] for n in dropped]}, "
                      f"a false positive fixed in axe-core 4.3 (the HTML standard allows these values)")
                v = dict(v, nodes=[n for n in v["nodes"] if n not in dropped])
                if not v["nodes"]:
                    continue
        kept.append(v)
    return kept


def axe_page(name):
    """Adds a page opener to AXE_PAGES under `name`; other test modules use it for their pages."""
    def register(opener):
        assert name not in AXE_PAGES, f"two axe pages are named {name!r}"
        AXE_PAGES[name] = opener
        return opener
    return register


def pytest_generate_tests(metafunc):
    """Scans every page in AXE_PAGES, also those other modules register (test_plans.py adds the plan
    pages, test_outcomes.py the outcome pages). They are imported here, at collection, not at the top:
    they import their helpers from this module."""
    if metafunc.definition.name == "test_axe_no_serious_violations":
        import test_plans  # noqa: F401  (registers the plan pages)
        import test_outcomes  # noqa: F401  (registers the outcome pages)
        import test_services  # noqa: F401  (registers the service pages)
        import test_coordination  # noqa: F401  (registers the caseload pages)
        import test_intake_meetings  # noqa: F401  (registers the dashboard, intake, meeting and survey pages)
        import test_portal  # noqa: F401  (registers the person's and family's pages, in both languages)
        metafunc.parametrize("page", list(AXE_PAGES), ids=list(AXE_PAGES))


def test_axe_no_serious_violations(driver, base_url, page):
    AXE_PAGES[page](driver, base_url)
    wait_for_load(driver)
    url = driver.current_url
    axe = Axe(driver, script_url=AXE_SCRIPT) if AXE_SCRIPT else Axe(driver)
    axe.inject()
    results = axe.run()
    version = results.get("testEngine", {}).get("version") or driver.execute_script("return axe.version")
    violations = drop_stale_engine_false_positives(results["violations"], version)
    serious = [v for v in violations if v.get("impact") in ("serious", "critical")]
    others = [v for v in violations if v not in serious]
    if others:
        print(f"axe: minor or moderate findings on {page} ({url}), not failing:\n{format_violations(others)}")
    if serious:
        report = format_violations(serious)
        print(f"axe: serious or critical violations on {page} ({url}):\n{report}")
        pytest.fail(f"{len(serious)} serious or critical axe violation(s) on {page} ({url}):\n{report}", pytrace=False)


# MARK: 4. escaping what people type


PERSON_TEXT_FIELDS = {"legalGivenName", "legalFamilyName", "preferredName", "pronouns", "primaryLanguage",
                      "communicationProfile", "courtRestrictions", "exitReason", "stateId", "medicaidId",
                      "medicareId", "insurance", "addressLine", "city", "region", "postalCode", "county"}


def text_fields(form):
    return [e for e in form.find_elements(By.CSS_SELECTOR, "input[type='text'], input:not([type]), textarea")]


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_person_form_escapes_text(driver, base_url, payload):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(base_url + "/people/new")
    form = main_form(driver, "/people")
    fields = text_fields(form)
    names = {f.get_attribute("name") for f in fields}
    assert PERSON_TEXT_FIELDS <= names, f"text fields missing from the form: {PERSON_TEXT_FIELDS - names}"
    for f in fields:
        f.clear()
        f.send_keys(payload)
    set_date(form.find_element(By.NAME, "birthDate"), "1990-05-01")
    Select(form.find_element(By.NAME, "residenceType")).select_by_value("own_home")
    Select(form.find_element(By.NAME, "legalStatus")).select_by_value("self")
    # "Why services ended" is a text field too; it is accepted only with the status "Left services".
    Select(form.find_element(By.NAME, "status")).select_by_value("exited")
    set_date(form.find_element(By.NAME, "exitDate"), "2020-01-02")
    click_and_wait(driver, submit_button(form))
    assert_no_alert(driver)
    assert_no_scripts(driver)

    typed = {name: payload for name in names}
    for _ in range(2):
        if not driver.find_elements(By.ID, "error-summary"):
            break
        # Refused: every value must come back exactly as typed, as the input's value, not as markup.
        form = main_form(driver, "/people")
        for f in text_fields(form):
            name = f.get_attribute("name")
            assert f.get_property("value") == typed[name], \
                f"{name} was echoed as {f.get_property('value')!r}, typed {typed[name]!r}"
        # The only acceptable refusal is a length limit (the payload is longer than a short field allows).
        errors = error_summary_messages(driver)
        for anchor, message in errors.items():
            name = anchor.removeprefix("field-")
            limit = re.search(r"too long: use at most (\d+) characters", message)
            assert limit, f"{name} was refused: {message!r}"
            typed[name] = payload[:int(limit.group(1))]
            f = form.find_element(By.NAME, name)
            f.clear()
            f.send_keys(typed[name])
        click_and_wait(driver, submit_button(form))
        assert_no_alert(driver)
        assert_no_scripts(driver)

    assert re.fullmatch(r"/people/[0-9A-Fa-f-]{36}", path_of(driver)), \
        f"saving did not open the person page: {driver.current_url} {error_summary_messages(driver)}"
    assert h1_text(driver) == f"{typed['preferredName']} {typed['legalFamilyName']}"
    assert driver.title.startswith(f"{typed['preferredName']} {typed['legalFamilyName']} ·")
    facts = driver.execute_script(
        "const out = {};"
        "document.querySelectorAll('main dl.facts dt').forEach(dt => { out[dt.textContent.trim()] = dt.nextElementSibling.textContent; });"
        "return out;")
    expected = {
        "Legal name": f"{typed['legalGivenName']} {typed['legalFamilyName']}",
        "Preferred name": typed["preferredName"],
        "Pronouns": typed["pronouns"],
        "Date of birth": "1990-05-01",
        "Status": f"Left services on 2020-01-02: {typed['exitReason']}",
        "Court-ordered restrictions": typed["courtRestrictions"],
        "Primary language": typed["primaryLanguage"],
        "How to communicate with me": typed["communicationProfile"],
        "State ID number": typed["stateId"],
        "Medicaid number": typed["medicaidId"],
        "Medicare number": typed["medicareId"],
        "Other insurance": typed["insurance"],
        "Address": ", ".join(typed[k] for k in ("addressLine", "city", "region", "postalCode")),
        "County": typed["county"],
    }
    for term, value in expected.items():
        assert facts.get(term) == value, f"{term}: page shows {facts.get(term)!r}, expected {value!r}"
    # The visible text too (what a sighted person reads), not only the DOM's text nodes.
    visible = driver.find_element(By.TAG_NAME, "main").text
    assert payload[:20] in visible
    assert_no_alert(driver)

    # The edit form puts every value back into its field unchanged.
    driver.get(driver.current_url.split("?")[0] + "/edit")
    form = main_form(driver)
    for f in text_fields(form):
        name = f.get_attribute("name")
        assert f.get_property("value") == typed[name], f"edit form {name}: {f.get_property('value')!r}"
    assert_no_alert(driver)
    assert_no_scripts(driver)


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_circle_form_escapes_text(driver, base_url, payload):
    sign_in(driver, base_url, COORDINATOR)
    _, person_url = plain_person(driver, base_url)
    driver.get(person_url)
    wait_for_load(driver)
    before = set(circle_edit_links(driver))
    driver.get(person_url + "/circle/new")
    form = main_form(driver)
    names = {f.get_attribute("name") for f in text_fields(form)}
    assert {"name", "authorityScope", "address"} <= names, names
    typed_fields = ["name", "authorityScope", "phone", "email", "address"]
    for name in typed_fields:
        form.find_element(By.NAME, name).send_keys(payload)
    Select(form.find_element(By.NAME, "relationship")).select_by_value("friend")
    authority = form.find_element(By.NAME, "hasLegalAuthority")
    if not authority.is_selected():
        authority.click()  # so the authority scope is shown on the person page
    click_and_wait(driver, submit_button(form))
    assert_no_alert(driver)
    assert_no_scripts(driver)

    # Phone and email have format checks: refused, with the typed text echoed as the inputs' values.
    assert driver.find_element(By.ID, "error-summary").is_displayed()
    errors = error_summary_messages(driver)
    assert set(errors) == {"field-phone", "field-email"}, errors
    for name in ("phone", "email"):
        assert field_error(driver, name).is_displayed()
        assert driver.find_element(By.ID, f"field-{name}").get_attribute("aria-invalid") == "true"
    form = main_form(driver)
    for name in typed_fields:
        value = form.find_element(By.NAME, name).get_property("value")
        assert value == payload, f"{name} was echoed as {value!r}"

    for name in ("phone", "email"):
        form.find_element(By.NAME, name).clear()
    click_and_wait(driver, submit_button(form))
    assert_no_alert(driver)
    assert_no_scripts(driver)
    assert path_of(driver) == urlparse(person_url).path, f"not saved: {error_summary_messages(driver)}"
    new = set(circle_edit_links(driver)) - before
    assert len(new) == 1, f"expected one new circle row, found {len(new)}"
    edit_href = new.pop()
    row = circle_row(driver, edit_href)
    assert row["Name"] == payload
    assert row["Legal authority"] == f"Yes: {payload}"
    assert row["Contact"] == "Not recorded"
    assert payload in driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='circle'] table").text

    # The address is not on the person page: the edit form shows it (and the rest) as typed.
    driver.get(edit_href)
    assert h1_text(driver).startswith(f"Edit {payload} in ")
    form = main_form(driver)
    for name in ("name", "authorityScope", "address"):
        assert form.find_element(By.NAME, name).get_property("value") == payload, name
    remove = driver.find_element(By.CSS_SELECTOR, "main a[href$='/remove']")
    assert text_content(remove) == f"Remove {payload} from the circle"
    driver.get(remove.get_attribute("href"))
    assert h1_text(driver).startswith(f"Remove {payload} from ")
    confirm = driver.find_element(By.CSS_SELECTOR, "main form[action$='/remove'] button")
    assert text_content(confirm) == f"Yes, remove {payload}"
    assert_no_alert(driver)
    assert_no_scripts(driver)


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_token_name_escapes_text(driver, base_url, payload):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(base_url + "/tokens")
    form = main_form(driver, "/tokens")
    before = {f.get_attribute("action") for f in driver.find_elements(By.CSS_SELECTOR, "main form[action$='/revoke']")}
    form.find_element(By.NAME, "name").send_keys(payload)
    expires = form.find_element(By.NAME, "expiresInDays")
    expires.clear()
    expires.send_keys("1")
    click_and_wait(driver, submit_button(form))
    assert_no_alert(driver)
    assert_no_scripts(driver)
    wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "main .secret")))

    new = [f for f in driver.find_elements(By.CSS_SELECTOR, "main form[action$='/revoke']")
           if f.get_attribute("action") not in before]
    assert len(new) == 1, f"expected one new token row, found {len(new)}"
    row = new[0].find_element(By.XPATH, "./ancestor::tr[1]")
    header = row.find_element(By.CSS_SELECTOR, "th[scope='row']")
    assert header.text == payload, f"the token's name shows as {header.text!r}"
    assert text_content(new[0].find_element(By.TAG_NAME, "button")) == f"Revoke {payload}"

    # Revoke it again, so runs do not pile up live tokens.
    click_and_wait(driver, new[0].find_element(By.TAG_NAME, "button"))
    assert path_of(driver) == "/tokens"
    assert_no_alert(driver)
    assert_no_scripts(driver)


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_people_search_echoes_text(driver, base_url, payload):
    sign_in(driver, base_url, COORDINATOR)
    driver.get(base_url + "/people")
    search = wait(driver).until(EC.presence_of_element_located((By.ID, "field-q")))
    search.send_keys(payload)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form[role='search'] button[type='submit']"))
    assert_no_alert(driver)
    assert_no_scripts(driver)
    assert parse_qs(urlparse(driver.current_url).query).get("q") == [payload]
    echoed = driver.find_element(By.ID, "field-q")
    assert echoed.get_property("value") == payload, f"the search box holds {echoed.get_property('value')!r}"
    assert echoed.get_attribute("value") == payload
    status = driver.find_element(By.CSS_SELECTOR, "main p[role='status']")
    assert status.text, "the result count is missing"
    # Any row found must be a person whose name holds the text (earlier escaping tests add such people).
    for link in driver.find_elements(By.CSS_SELECTOR, "main table tbody tr th[scope='row'] a"):
        cell = text_content(link.find_element(By.XPATH, ".."))
        assert payload.lower() in cell.lower(), f"{cell!r} does not match the search"
    for link in driver.find_elements(By.CSS_SELECTOR, "nav.pagination a"):
        assert parse_qs(urlparse(link.get_attribute("href")).query).get("q") == [payload]


# MARK: 5. keyboard


def test_first_tab_focuses_skip_link(driver, base_url):
    driver.get(base_url + "/sign-in")
    wait_for_load(driver)
    ActionChains(driver).send_keys(Keys.TAB).perform()
    focused = driver.switch_to.active_element
    assert focused.tag_name == "a", f"the first Tab focused <{focused.tag_name}> {focused.text!r}"
    assert focused.text.strip() == "Skip to main content"
    assert focused.get_attribute("href").endswith("#main")
    # It is on screen while focused (it is moved off screen otherwise).
    rect = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.width, r.height];", focused)
    assert rect[0] >= 0 and rect[1] >= 0 and rect[2] > 0 and rect[3] > 0, f"the focused skip link is off screen: {rect}"
    # Following it moves focus to the main content.
    focused.send_keys(Keys.ENTER)
    wait(driver).until(lambda d: d.switch_to.active_element.get_attribute("id") == "main")

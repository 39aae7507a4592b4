#!/usr/bin/env python3
"""Acknowledged writes survive `kill -9`.

Starts `lantern demo` on a fresh SQLite file, adds circle members through the web form as a
coordinator, kills the server with SIGKILL right after the last write was acknowledged, starts it
again on the same file, and checks that every acknowledged member is there and that the audit
trail is intact. Then reads a person's record from eight clients at once, kills the server in the
middle of that load, and checks that every answered read has its audit row (reads are audited in
group commits, answered only once durable) and that the chain still verifies. Prints a closing
`N passed, N failed` line.

Usage: kill9.py PATH_TO_LANTERN_BINARY
"""
import http.cookiejar
import os
import sqlite3
import threading
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/lantern"
PORT = int(os.environ.get("KILL9_PORT", "8131"))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "lantern demo 2026"
results = []


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def client(cookies=()):
    jar = http.cookiejar.CookieJar()
    for cookie in cookies:
        jar.set_cookie(cookie)
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def fetch(opener, path, form=None):
    data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
    try:
        with opener.open(BASE + path, data=data, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def csrf(html):
    return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)


def start(args, env):
    process = subprocess.Popen([BIN] + args + ["--port", str(PORT)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(240):
        try:
            with urllib.request.urlopen(BASE + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("lantern did not start")


def sign_in():
    opener = client()
    _, page = fetch(opener, "/sign-in")
    status, _ = fetch(opener, "/sign-in", {"_csrf": csrf(page), "email": "coordinator1@riverbend.example", "password": PASSWORD, "next": "/people"})
    assert status == 303, f"sign-in answered {status}"
    return opener


def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))


def audited_reads(env, person):
    db = sqlite3.connect(env["LANTERN_SQLITE_PATH"])
    try:
        return db.execute("SELECT COUNT(*) FROM audit_entries WHERE person_id = ? AND action = 'view' AND category = 'demographics' AND outcome = 'success'",
                          (person,)).fetchone()[0]
    finally:
        db.close()


def reads_survive(env, person):
    """Concurrent reads, SIGKILL in the middle: no answered read is missing from the trail."""
    before = audited_reads(env, person)
    server = start(["serve"], env)
    answered = [0]
    lock = threading.Lock()
    stop = threading.Event()

    # One sign-in shared by the readers (several at once from one address would be slowed down).
    session = [c for h in sign_in().handlers if isinstance(h, urllib.request.HTTPCookieProcessor) for c in h.cookiejar]

    def reader():
        opener = client(session)
        while not stop.is_set():
            try:
                status, page = fetch(opener, f"/people/{person}")
            except OSError:
                return
            if status == 200 and person in page:
                with lock:
                    answered[0] += 1

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for t in threads:
        t.start()
    deadline = time.time() + 30
    while answered[0] < 400 and time.time() < deadline:
        time.sleep(0.05)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    stop.set()
    for t in threads:
        t.join()
    rows = audited_reads(env, person) - before
    print(f"{answered[0]} reads answered before the kill, {rows} audit rows of them")
    check("reads were answered under load before the kill", answered[0] >= 100, f"only {answered[0]} answered")
    check("every answered read has its audit row after kill -9", rows >= answered[0], f"{answered[0]} answered, {rows} audited")
    verify = subprocess.run([BIN, "audit", "verify"], env=env, capture_output=True, text=True)
    check("the audit chain is intact after kill -9 under read load", verify.returncode == 0 and "intact" in verify.stdout, verify.stdout + verify.stderr)


def main():
    directory = tempfile.mkdtemp(prefix="lantern-kill9-")
    env = dict(os.environ, LANTERN_SQLITE_PATH=os.path.join(directory, "lantern.sqlite"), LOG_LEVEL="warning")
    env.pop("DATABASE_URL", None)
    server = start(["demo"], env)
    opener = sign_in()
    _, people = fetch(opener, "/people")
    person = re.search(r'href="/people/([0-9a-f-]{36})"', people).group(1)
    _, form = fetch(opener, f"/people/{person}/circle/new")
    token = csrf(form)
    acknowledged = []
    for i in range(25):
        name = f"Durable Friend {i} {int(time.time() * 1000)}"
        status, _ = fetch(opener, f"/people/{person}/circle", {"_csrf": token, "name": name, "relationship": "friend"})
        if status == 303:
            acknowledged.append(name)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    check("all 25 writes were acknowledged before the kill", len(acknowledged) == 25, f"{len(acknowledged)} acknowledged")

    server = start(["serve"], env)
    try:
        opener = sign_in()
        _, page = fetch(opener, f"/people/{person}")
        missing = [n for n in acknowledged if n not in page]
        check("every acknowledged write is there after kill -9", not missing, f"missing: {missing}")
    finally:
        server.terminate()
        server.wait()
    verify = subprocess.run([BIN, "audit", "verify"], env=env, capture_output=True, text=True)
    check("the audit trail is intact after kill -9", verify.returncode == 0 and "intact" in verify.stdout, verify.stdout + verify.stderr)
    reads_survive(env, person)
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""HTTP benchmark of Lantern (it starts the server), measured with wrk (issue 21, item 2).

Starts `lantern serve` on a store (SQLite or PostgreSQL), optionally generated first with
`lantern generate`, signs in as an administrator and a support coordinator, makes an API token
for each, finds a person on the coordinator's caseload with a plan in effect and an outcome step
the coordinator may record on, checks that every endpoint answers 2xx, then measures each one with
wrk (throughput and p50/p99 latency with concurrent clients), each as a ratio to /healthz in the
same run, and reports the server's peak resident memory (VmHWM) and, on SQLite, the WAL's size.

Python 3.11 standard library only, plus the `wrk` binary (Debian: apt-get install -y wrk).
Only ever talks to 127.0.0.1.

Examples:
  # the demo store (made once by `lantern demo`), 3 seconds per endpoint
  python3 bench_http.py --lantern .build/release/lantern --sqlite-path /tmp/benchdemo/l.sqlite --duration 3
  # a generated store of 1,000 people on SQLite (the file is deleted and made again)
  python3 bench_http.py --lantern .build/release/lantern --generate 1000 --sqlite-path /tmp/bench/l.sqlite --json sqlite.json
  # the same on PostgreSQL (--generate empties the database's public schema first!)
  python3 bench_http.py --lantern .build/release/lantern --store postgres --generate 1000 --json pg.json \\
      --postgres-url postgres://postgres@127.0.0.1:5432/lantern_bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "lantern demo 2026"
DEMO_ADMIN = "admin@riverbend.example"
DEMO_COORDINATOR = "coordinator1@riverbend.example"
HOST = "127.0.0.1"


WORKDIR = ""  # the server's log and the wrk scripts; kept when the run fails


class BenchError(Exception):
    """A problem that stops the benchmark; printed as one clear message, exit code 1."""


def say(text: str = "") -> None:
    print(text, flush=True)


# ---------------------------------------------------------------------------------------------
# HTTP with urllib: redirects are never followed, so a page that sends us to /sign-in is a 303,
# not a 200 sign-in page.


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401
        return None


class Client:
    def __init__(self, port: int):
        self.base = f"http://{HOST}:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None,
                timeout: float = 120) -> tuple[int, dict[str, str], bytes]:
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                return resp.status, dict(resp.headers.items()), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers.items()) if err.headers else {}, err.read() or b""

    def cookie(self, name: str) -> str | None:
        for c in self.jar:
            if c.name == name:
                return c.value
        return None


def csrf_field(page: str) -> str:
    m = re.search(r'<input type="hidden" name="_csrf" value="([^"]+)"', page)
    if not m:
        raise BenchError("no _csrf field found in the form; has the sign-in or tokens page changed?")
    return html.unescape(m.group(1))


def form(fields: dict[str, str]) -> bytes:
    return urllib.parse.urlencode(fields).encode()


class Account:
    """One signed-in account: a session cookie for pages and an API token for /api/v1."""

    def __init__(self, port: int, email: str):
        self.email = email
        self.client = Client(port)
        self.session = ""
        self.token = ""

    def sign_in(self) -> None:
        status, _, body = self.client.request("GET", "/sign-in")
        if status != 200:
            raise BenchError(f"GET /sign-in answered {status}")
        token = csrf_field(body.decode("utf-8", "replace"))
        status, headers, body = self.client.request(
            "POST", "/sign-in", {"Content-Type": "application/x-www-form-urlencoded"},
            form({"_csrf": token, "next": "/", "email": self.email, "password": PASSWORD}))
        session = self.client.cookie("lantern_session")
        if status not in (302, 303) or not session:
            m = re.search(r'class="error[^"]*"[^>]*>(.*?)<', body.decode("utf-8", "replace"), re.S)
            raise BenchError(f"signing in as {self.email} failed: {status} {m.group(1).strip() if m else ''}".rstrip())
        self.session = session

    def make_token(self) -> None:
        status, _, body = self.client.request("GET", "/tokens", {"Accept": "text/html"})
        if status != 200:
            raise BenchError(f"GET /tokens as {self.email} answered {status}")
        csrf = csrf_field(body.decode("utf-8", "replace"))
        status, _, body = self.client.request(
            "POST", "/tokens", {"Content-Type": "application/x-www-form-urlencoded"},
            form({"_csrf": csrf, "name": "bench_http.py " + dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"), "expiresInDays": "1"}))
        m = re.search(r'<p class="secret">\s*(lnt_[^<\s]+)\s*</p>', body.decode("utf-8", "replace"))
        if status != 201 or not m:
            raise BenchError(f"making an API token as {self.email} failed: POST /tokens answered {status}")
        self.token = html.unescape(m.group(1))

    def headers(self, auth: str) -> dict[str, str]:
        if auth == "token":
            return {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        return {"Cookie": f"lantern_session={self.session}", "Accept": "text/html"}

    def api(self, path: str) -> dict:
        status, _, body = self.client.request("GET", path, {"Authorization": f"Bearer {self.token}", "Accept": "application/json"})
        if status != 200:
            raise BenchError(f"GET {path} as {self.email} answered {status}: {body[:300]!r}")
        return json.loads(body)


# ---------------------------------------------------------------------------------------------
# The store and the server.


def server_env(args) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "LANTERN_SQLITE_PATH", "LANTERN_PUBLIC_URL", "LANTERN_TRUST_PROXY",
                 "LANTERN_SMTP_HOST", "LANTERN_SMTP_FROM"):
        env.pop(name, None)
    if args.store == "sqlite":
        env["LANTERN_SQLITE_PATH"] = args.sqlite_path
    else:
        env["DATABASE_URL"] = args.postgres_url
    env["LOG_LEVEL"] = "warning"
    return env


def empty_store(args) -> None:
    if args.store == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.remove(args.sqlite_path + suffix)
            except FileNotFoundError:
                pass
        os.makedirs(os.path.dirname(os.path.abspath(args.sqlite_path)), exist_ok=True)
        say(f"Deleted {args.sqlite_path} (and its -wal, -shm) to generate into an empty store.")
    else:
        if not shutil.which("psql"):
            raise BenchError("psql is needed to empty the PostgreSQL database before --generate (apt-get install -y postgresql-client)")
        say(f"Emptying the public schema of {redact(args.postgres_url)} (DROP SCHEMA public CASCADE; CREATE SCHEMA public).")
        done = subprocess.run(["psql", args.postgres_url, "-v", "ON_ERROR_STOP=1", "-q", "-c",
                               "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"], capture_output=True, text=True)
        if done.returncode != 0:
            raise BenchError(f"psql could not empty the database: {done.stderr.strip()}")


def redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


ACCOUNT_LINE = re.compile(r"^\s+(\S+@\S+)\s+(Administrator|Supervisor|Support coordinator|Provider staff|Guardian or family|Person supported):")


def generate(args) -> dict[str, str]:
    empty_store(args)
    command = [args.lantern, "generate", "--people", str(args.generate), "--seed", str(args.seed)]
    say(f"$ {' '.join(command)}")
    started = time.monotonic()
    # The progress bar goes to stderr (passed through); the report, with the accounts, to stdout.
    done = subprocess.run(command, env=server_env(args), stdout=subprocess.PIPE, text=True)
    sys.stdout.write(done.stdout)
    if done.returncode != 0:
        raise BenchError(f"lantern generate failed with exit code {done.returncode}")
    say(f"(generate took {time.monotonic() - started:.1f} s)")
    accounts: dict[str, str] = {}
    for line in done.stdout.splitlines():
        m = ACCOUNT_LINE.match(line)
        if m:
            accounts.setdefault(m.group(2), m.group(1))
    return accounts


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((HOST, port)) != 0


def proc_status(pid: int) -> dict[str, str]:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                out[key] = value.strip()
    except OSError:
        pass
    return out


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def kib_to_mib(text: str | None) -> float | None:
    if not text:
        return None
    return int(text.split()[0]) / 1024


class Server:
    def __init__(self, args, log_path: str):
        self.args = args
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.started = 0.0

    def start(self) -> None:
        args = self.args
        if not port_is_free(args.port):
            raise BenchError(f"something already listens on {HOST}:{args.port}; stop it or choose another --port")
        command = [args.lantern, "serve", "--host", HOST, "--port", str(args.port)]
        say(f"$ {' '.join(command)}   (log: {self.log_path})")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, env=server_env(args), stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self.started = time.monotonic()
        client = Client(args.port)
        deadline = self.started + args.start_timeout
        while True:
            if self.process.poll() is not None:
                raise BenchError(f"lantern serve exited with code {self.process.returncode} before it was ready:\n{self.tail()}")
            try:
                status, _, _ = client.request("GET", "/readyz", timeout=5)
                if status == 200:
                    break
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                raise BenchError(f"lantern serve did not answer /readyz within {args.start_timeout} s:\n{self.tail()}")
            time.sleep(0.25)
        say(f"Ready after {time.monotonic() - self.started:.1f} s (pid {self.process.pid}).")

    def settle(self) -> None:
        """The server runs the task scheduler 5 s after it starts: wait until that is done, i.e. until
        the process has been quiet (under 5% of a core) for two seconds, so it is not measured."""
        pid = self.process.pid
        while time.monotonic() - self.started < 6.5:
            time.sleep(0.25)
        deadline = time.monotonic() + self.args.settle_timeout
        quiet, last = 0, cpu_seconds(pid)
        while quiet < 2 and time.monotonic() < deadline:
            time.sleep(1)
            now = cpu_seconds(pid)
            quiet = quiet + 1 if now - last < 0.05 else 0
            last = now
        say(f"Server quiet after {time.monotonic() - self.started:.1f} s; RSS now {kib_to_mib(proc_status(pid).get('VmRSS')) or 0:.0f} MiB.")

    def wait_quiet(self, limit: float) -> float:
        """Waits until the server has used under 5% of a core for a second (requests that wrk left in
        flight when it stopped are still being answered), so one run does not slow the next.
        Returns the seconds waited."""
        pid, started = self.process.pid, time.monotonic()
        quiet, last = 0, cpu_seconds(pid)
        while quiet < 2 and time.monotonic() - started < limit:
            time.sleep(0.5)
            now = cpu_seconds(pid)
            quiet = quiet + 1 if now - last < 0.025 else 0
            last = now
        return time.monotonic() - started

    def tail(self, lines: int = 30) -> str:
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if not self.alive():
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            say("The server did not stop within 10 s of SIGTERM; sending SIGKILL.")
            self.process.kill()
            self.process.wait(10)
        self.log.close()


# ---------------------------------------------------------------------------------------------
# What to measure.


class Endpoint:
    def __init__(self, name: str, method: str, path: str, template: str, who: str, auth: str, body: dict | None = None):
        self.name, self.method, self.path, self.template, self.who, self.auth, self.body = name, method, path, template, who, auth, body
        self.result: dict = {}

    @property
    def label(self) -> str:
        return f"{self.method} {self.template}"


def sample_value(measure: str) -> tuple[object, str]:
    """A value each measure accepts, and the note sent with it."""
    return {"yes_no": (1, "bench"), "count": (3, "bench"), "percentage": (75, "bench"), "duration": (30, "bench"),
            "rating": (4, "bench"), "narrative": (None, "bench: recorded by bench_http.py")}.get(measure, (None, "bench"))


def find_targets(coordinator: Account, today: str, scan: int) -> dict:
    """From the coordinator's own people: the first with a plan in effect that has an outcome with a
    step the coordinator may record on (for the reads), and the next such person (for the writes,
    so that the entries the benchmark records do not change what the reads read)."""
    found: list[dict] = []
    cursor, seen = None, 0
    while len(found) < 2 and seen < scan:
        query = {"status": "active", "limit": "100"}
        if cursor:
            query["cursor"] = cursor
        page = coordinator.api("/api/v1/people?" + urllib.parse.urlencode(query))
        for person in page.get("items", []):
            seen += 1
            summary = coordinator.api(f"/api/v1/people/{person['id']}/outcomes")
            if not summary.get("planId"):
                continue
            choice = None
            for outcome in summary.get("outcomes", []):
                if outcome.get("startDate") and outcome["startDate"] > today:
                    continue
                steps = [s for s in outcome.get("steps", []) if s.get("mayRecord")]
                steps.sort(key=lambda s: s.get("progressMeasure") == "narrative")  # a charted step first
                if steps:
                    choice = (outcome, steps[0])
                    break
            if choice:
                found.append({"person": person["id"], "plan": summary["planId"], "outcome": choice[0]["id"],
                              "step": choice[1]["id"], "measure": choice[1]["progressMeasure"]})
                if len(found) == 2:
                    break
        cursor = page.get("nextCursor")
        if not cursor:
            break
    if not found:
        raise BenchError(f"none of the first {seen} active people of {coordinator.email} has a plan in effect with an outcome step "
                         "the coordinator may record on; choose another --coordinator")
    return {"read": found[0], "write": found[-1]}


def count_entries(coordinator: Account, target: dict) -> int:
    """How many entries the write target's step has (withdrawn ones included), read through the API."""
    count, cursor = 0, None
    while True:
        query = {"limit": "5000"} | ({"cursor": cursor} if cursor else {})
        page = coordinator.api(f"/api/v1/people/{target['person']}/outcomes/{target['outcome']}/entries?" + urllib.parse.urlencode(query))
        count += sum(1 for e in page.get("items", []) if e.get("stepId") == target["step"])
        cursor = page.get("nextCursor")
        if not cursor:
            return count


def endpoints(t: dict, today: str) -> list[Endpoint]:
    r, w = t["read"], t["write"]
    pid, plan, outcome = r["person"], r["plan"], r["outcome"]
    value, note = sample_value(w["measure"])
    entry = {"date": today, "value": value, "note": note}
    E = Endpoint
    return [
        E("person (JSON)", "GET", f"/api/v1/people/{pid}", "/api/v1/people/{id}", "coordinator", "token"),
        E("plan (JSON)", "GET", f"/api/v1/plans/{plan}", "/api/v1/plans/{id}", "coordinator", "token"),
        E("plan's findings (JSON)", "GET", f"/api/v1/plans/{plan}/findings", "/api/v1/plans/{id}/findings", "coordinator", "token"),
        E("coordinator's dashboard (page)", "GET", "/dashboard", "/dashboard", "coordinator", "session"),
        E("coordinator's dashboard (JSON)", "GET", "/api/v1/dashboard", "/api/v1/dashboard", "coordinator", "token"),
        E("people list (page)", "GET", "/people", "/people", "coordinator", "session"),
        E("people list (JSON)", "GET", "/api/v1/people", "/api/v1/people", "coordinator", "token"),
        E("person (page)", "GET", f"/people/{pid}", "/people/{id}", "coordinator", "session"),
        E("plan's overview (page)", "GET", f"/plans/{plan}", "/plans/{id}", "coordinator", "session"),
        E("outcome (page)", "GET", f"/people/{pid}/outcomes/{outcome}", "/people/{id}/outcomes/{outcome}", "coordinator", "session"),
        E("outcome (JSON)", "GET", f"/api/v1/people/{pid}/outcomes/{outcome}", "/api/v1/people/{id}/outcomes/{outcome}", "coordinator", "token"),
        E("administrator's dashboard (page)", "GET", "/dashboard", "/dashboard", "administrator", "session"),
        E("administrator's dashboard (JSON)", "GET", "/api/v1/dashboard", "/api/v1/dashboard", "administrator", "token"),
        E("caseloads (page)", "GET", "/caseloads", "/caseloads", "administrator", "session"),
        E("caseloads (JSON)", "GET", "/api/v1/caseloads", "/api/v1/caseloads", "administrator", "token"),
        E("tasks (page)", "GET", "/tasks", "/tasks", "administrator", "session"),
        E("tasks (JSON)", "GET", "/api/v1/tasks", "/api/v1/tasks", "administrator", "token"),
        E("authorizations (page)", "GET", "/authorizations", "/authorizations", "administrator", "session"),
        E("authorizations (JSON)", "GET", "/api/v1/authorizations", "/api/v1/authorizations", "administrator", "token"),
        E("waiting list (page)", "GET", "/waiting-list", "/waiting-list", "administrator", "session"),
        E("waiting list (JSON)", "GET", "/api/v1/waiting-list", "/api/v1/waiting-list", "administrator", "token"),
        E("outcomes needing attention (page)", "GET", "/outcomes/attention", "/outcomes/attention", "administrator", "session"),
        E("outcomes needing attention (JSON)", "GET", "/api/v1/outcomes/attention", "/api/v1/outcomes/attention", "administrator", "token"),
        # Last of all, so the entries it writes are not read by the measurements above.
        E("record a progress entry (JSON)", "POST", f"/api/v1/people/{w['person']}/steps/{w['step']}/entries",
          "/api/v1/people/{id}/steps/{step}/entries", "coordinator", "token", entry),
    ]


# ---------------------------------------------------------------------------------------------
# wrk.


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def lua_script(method: str, headers: dict[str, str], body: bytes | None) -> str:
    lines = [f"wrk.method = {lua_string(method)}"]
    for name, value in headers.items():
        lines.append(f"wrk.headers[{lua_string(name)}] = {lua_string(value)}")
    if body is not None:
        # Progress entries may repeat (only an externalId must be unique, and none is sent), so every
        # request sends the same body and each one is a real write answered 201.
        lines.append(f"wrk.body = {lua_string(body.decode())}")
    return "\n".join(lines) + "\n"


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def duration_ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not m:
        raise ValueError(f"cannot read wrk duration {text!r}")
    return float(m.group(1)) * UNITS_MS[m.group(2)]


def parse_wrk(out: str) -> dict:
    def find(pattern: str):
        m = re.search(pattern, out, re.M)
        return m.group(1) if m else None
    rps, p50, p99 = find(r"^Requests/sec:\s+([\d.]+)"), find(r"^\s+50%\s+(\S+)"), find(r"^\s+99%\s+(\S+)")
    if rps is None or p50 is None or p99 is None:
        raise BenchError(f"could not read wrk's output:\n{out}")
    requests = find(r"^\s+(\d+) requests in")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "requests_per_second": float(rps),
        "p50_ms": duration_ms(p50),
        "p99_ms": duration_ms(p99),
        "requests": int(requests) if requests else None,
        "non_2xx_3xx": int(find(r"Non-2xx or 3xx responses:\s+(\d+)") or 0),
        "socket_errors": {k: int(v) for k, v in zip(("connect", "read", "write", "timeout"), errors.groups())} if errors else
                         {"connect": 0, "read": 0, "write": 0, "timeout": 0},
    }


def run_wrk(args, workdir: str, index: int, ep: Endpoint, headers: dict[str, str], body: bytes | None) -> dict:
    script = os.path.join(workdir, f"{index:02d}.lua")
    with open(script, "w") as f:
        f.write(lua_script(ep.method, headers, body))
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.duration}s",
               "--timeout", f"{args.wrk_timeout}s", "--latency", "-s", script, f"http://{HOST}:{args.port}{ep.path}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=args.duration + args.wrk_timeout + 60)
    if done.returncode != 0:
        raise BenchError(f"wrk failed on {ep.label}: {done.stderr.strip() or done.stdout.strip()}")
    if args.verbose:
        say(done.stdout)
    return parse_wrk(done.stdout)


# ---------------------------------------------------------------------------------------------
# The run.


def check(ep: Endpoint, account: Account | None, client: Client, when: str) -> int:
    headers = dict(account.headers(ep.auth)) if account else {"Accept": "application/json"}
    body = None
    if ep.body is not None:
        body = json.dumps(ep.body).encode()
        headers["Content-Type"] = "application/json"
    started = time.monotonic()
    status, _, reply = client.request(ep.method, ep.path, headers, body)
    ms = (time.monotonic() - started) * 1000
    if when == "before":
        say(f"  {status}  {len(reply):>8} bytes  {ms:8.1f} ms  {ep.label}  ({ep.name}, as {ep.who})")
    if not 200 <= status < 300:
        detail = reply.decode("utf-8", "replace")
        if "<html" in detail[:200]:  # a page: its main text, without the markup
            main = detail.split("<main", 1)[-1]
            detail = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", "<" + main))).strip()
        detail = detail[:400]
        raise BenchError(f"{ep.label} ({ep.name}, as {ep.who}) answered {status} {when} the measurement, not 2xx; "
                         f"it will not be benchmarked.\n{detail}")
    return status


def fmt(x: float | None, digits: int = 1) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def ratio_text(x: float) -> str:
    return f"{x:.3f}" if x >= 0.01 else f"{x:.4f}"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("--lantern", required=True, help="path to the lantern binary (a release build for figures worth comparing)")
    p.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--sqlite-path", default="/tmp/lantern-bench-http/lantern.sqlite", help="SQLite file (default %(default)s)")
    p.add_argument("--postgres-url", help="postgres://user@127.0.0.1:5432/db; with --generate its public schema is dropped first")
    p.add_argument("--generate", type=int, metavar="N", help="first empty the store and run `lantern generate --people N`")
    p.add_argument("--seed", type=int, default=1, help="seed for --generate (default %(default)s)")
    p.add_argument("--admin", help=f"administrator's email (default: the generator's, or {DEMO_ADMIN})")
    p.add_argument("--coordinator", help=f"a support coordinator with a caseload (default: the generator's, or {DEMO_COORDINATOR})")
    p.add_argument("--duration", type=int, default=10, help="seconds of wrk per endpoint (default %(default)s)")
    p.add_argument("--connections", type=int, default=16, help="wrk connections (default %(default)s)")
    p.add_argument("--threads", type=int, default=2, help="wrk threads (default %(default)s)")
    p.add_argument("--wrk-timeout", type=int, default=30, help="wrk's per-request timeout in seconds (default %(default)s)")
    p.add_argument("--port", type=int, default=18080, help="port for lantern serve on 127.0.0.1 (default %(default)s)")
    p.add_argument("--start-timeout", type=int, default=300, help="seconds to wait for /readyz (migrations run first)")
    p.add_argument("--settle-timeout", type=int, default=300, help="at most this many seconds waiting for the start-up task run")
    p.add_argument("--scan", type=int, default=300, help="look at most this many of the coordinator's people for a plan in effect")
    p.add_argument("--only", help="measure only endpoints whose name or path contains this text (plus /healthz)")
    p.add_argument("--json", metavar="OUT.json", help="also write the results as JSON")
    p.add_argument("--verbose", action="store_true", help="print wrk's own output")
    args = p.parse_args()

    if not shutil.which("wrk"):
        raise BenchError("wrk is not installed (Debian: apt-get install -y wrk)")
    args.lantern = os.path.abspath(args.lantern)
    if not os.access(args.lantern, os.X_OK):
        raise BenchError(f"{args.lantern} is not an executable lantern binary")
    if args.store == "postgres" and not args.postgres_url:
        raise BenchError("--store postgres needs --postgres-url (given explicitly, since --generate empties that database)")
    if args.store == "sqlite":
        args.sqlite_path = os.path.abspath(args.sqlite_path)
        if not args.generate and not os.path.exists(args.sqlite_path):
            raise BenchError(f"{args.sqlite_path} does not exist: make a store first (lantern demo, or --generate N)")
    if args.connections < args.threads:
        raise BenchError("--connections must be at least --threads")

    workdir = tempfile.mkdtemp(prefix="lantern-bench-http-")
    global WORKDIR
    WORKDIR = workdir
    generated = {}
    if args.generate:
        generated = generate(args)
    admin_email = args.admin or generated.get("Administrator") or DEMO_ADMIN
    coordinator_email = args.coordinator or generated.get("Support coordinator") or DEMO_COORDINATOR

    server = Server(args, os.path.join(workdir, "server.log"))
    results: list[dict] = []
    try:
        server.start()
        admin, coordinator = Account(args.port, admin_email), Account(args.port, coordinator_email)
        for account in (admin, coordinator):
            account.sign_in()
            account.make_token()
        say(f"Signed in as {admin_email} and {coordinator_email}; made an API token for each.")
        today = dt.datetime.now(dt.timezone.utc).date().isoformat()
        targets = find_targets(coordinator, today, args.scan)
        say(f"Reads on person {targets['read']['person']} (plan {targets['read']['plan']}, outcome {targets['read']['outcome']}); "
            f"progress recorded on person {targets['write']['person']}, step {targets['write']['step']} ({targets['write']['measure']}).")
        accounts = {"coordinator": coordinator, "administrator": admin}
        chosen = endpoints(targets, today)
        if args.only:
            chosen = [e for e in chosen if args.only.lower() in (e.name + " " + e.template).lower()]
        health = Endpoint("/healthz", "GET", "/healthz", "/healthz", "nobody", "none")
        probe = Client(args.port)

        say("\nEach endpoint once, before measuring (status, size, time):")
        check(health, None, probe, "before")
        for ep in chosen:
            check(ep, accounts[ep.who], probe, "before")

        server.settle()
        plan = [("healthz (first)", health)] + [(e.name, e) for e in chosen] + [("healthz (last)", health)]
        say(f"\nMeasuring {len(plan)} runs of wrk -t{args.threads} -c{args.connections} -d{args.duration}s "
            f"(about {len(plan) * (args.duration + 1) // 60 + 1} minutes)...")
        for index, (name, ep) in enumerate(plan):
            waited = server.wait_quiet(args.settle_timeout)
            if waited > 2:
                say(f"  (waited {waited:.1f} s for the server to finish the previous run's requests)")
            account = accounts.get(ep.who)
            headers = dict(account.headers(ep.auth)) if account else {"Accept": "application/json"}
            body = None
            if ep.body is not None:
                body = json.dumps(ep.body).encode()
                headers["Content-Type"] = "application/json"
            before = count_entries(coordinator, targets["write"]) if ep.method == "POST" else None
            r = run_wrk(args, workdir, index, ep, headers, body)
            if before is not None:
                # Every answered request should be one more entry: wrk counts the requests it got answers to.
                r["entries_recorded"] = count_entries(coordinator, targets["write"]) - before
                say(f"  {r['entries_recorded']} entries recorded on the step by {r['requests']} requests answered.")
            if not server.alive():
                raise BenchError(f"the server stopped while {ep.label} was measured:\n{server.tail()}")
            if ep.method == "GET":
                check(ep, account, probe, "after")  # still 2xx (not a redirect to sign-in) after the run
            r.update({"name": name, "endpoint": ep.label, "as": "–" if ep.who == "nobody" else f"{ep.who} ({ep.auth})"})
            results.append(r)
            errs = sum(r["socket_errors"].values())
            r["few_requests"] = (r["requests"] or 0) < 2 * args.connections
            say(f"  {r['requests']:>7} requests  {r['requests_per_second']:>9.1f} req/s  p50 {r['p50_ms']:8.2f} ms  p99 {r['p99_ms']:8.2f} ms  "
                f"non-2xx {r['non_2xx_3xx']}{f'  socket errors {errs}' if errs else ''}  {ep.label}")

        status = proc_status(server.process.pid)
        peak_mib, rss_mib = kib_to_mib(status.get("VmHWM")), kib_to_mib(status.get("VmRSS"))
        wal = None
        if args.store == "sqlite":
            wal_path = args.sqlite_path + "-wal"
            wal = os.path.getsize(wal_path) if os.path.exists(wal_path) else 0
            db_size = os.path.getsize(args.sqlite_path)
    finally:
        server.stop()

    base = results[0]["requests_per_second"]
    if not base:
        raise BenchError("/healthz answered no requests in its run; nothing to compare with")
    for r in results:
        r["ratio_to_healthz"] = r["requests_per_second"] / base if base else None

    # The report.
    build = "release" if "/release/" in args.lantern else "debug" if "/debug/" in args.lantern else "unknown"
    store = (f"SQLite {args.sqlite_path}" if args.store == "sqlite" else f"PostgreSQL {redact(args.postgres_url)}")
    source = f"generated: {args.generate} people, seed {args.seed}" if args.generate else "as found"
    say("")
    say(f"Lantern HTTP benchmark, {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores. "
        f"Binary {args.lantern} ({build} build). Store: {store} ({source}). "
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s on {HOST}. "
        f"Ratios are requests/s over the first /healthz run's.")
    say("")
    say("| endpoint | as | requests | requests/s | ratio to /healthz | p50 ms | p99 ms | non-2xx |")
    say("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        errs = sum(r["socket_errors"].values())
        bad = f"{r['non_2xx_3xx']}" + (f" (+{errs} socket errors)" if errs else "")
        name = f"`{r['endpoint']}` {r['name']}" if not r["name"].startswith("healthz") else f"`/healthz` ({r['name'].split('(')[1]}"
        none = not r["requests"]
        mark = " ⚠" if r["few_requests"] else ""
        say(f"| {name}{mark} | {r['as']} | {r['requests'] or 0:,} | {fmt(r['requests_per_second'])} | {ratio_text(r['ratio_to_healthz'])} | "
            f"{'–' if none else fmt(r['p50_ms'], 2)} | {'–' if none else fmt(r['p99_ms'], 2)} | {bad} |")
    say("")
    say(f"Server peak resident memory (VmHWM, read just before stopping): {fmt(peak_mib)} MiB (VmRSS then {fmt(rss_mib)} MiB).")
    if args.store == "sqlite":
        say(f"SQLite WAL file before stopping: {fmt(wal / 1048576)} MiB ({wal:,} bytes); database file {fmt(db_size / 1048576)} MiB.")
    if any(r["few_requests"] for r in results):
        say(f"⚠ Fewer than {2 * args.connections} requests (two per connection) were answered within {args.duration} s: "
            "too few for its percentiles or its rate to mean much; raise --duration or lower --connections.")
    if any("entries_recorded" in r for r in results):
        r = next(r for r in results if "entries_recorded" in r)
        say(f"Recording progress: {r['entries_recorded']:,} entries were added to the step for {r['requests']:,} answers wrk counted "
            f"(requests still in flight when wrk stopped are written too, up to {args.connections} more).")
    say("(non-2xx: wrk's \"Non-2xx or 3xx responses\", which counts 4xx and 5xx; each GET was also checked once before "
        "and after its run to answer 2xx without a redirect.)")

    if args.json:
        report = {
            "date": dt.datetime.now().isoformat(timespec="seconds"), "cores": os.cpu_count(), "lantern": args.lantern, "build": build,
            "store": args.store, "sqlitePath": args.sqlite_path if args.store == "sqlite" else None,
            "postgresUrl": redact(args.postgres_url) if args.store == "postgres" else None,
            "generated": {"people": args.generate, "seed": args.seed} if args.generate else None,
            "accounts": {"administrator": admin_email, "coordinator": coordinator_email}, "targets": targets,
            "wrk": {"threads": args.threads, "connections": args.connections, "durationSeconds": args.duration, "timeoutSeconds": args.wrk_timeout},
            "results": results, "peakRssMiB": peak_mib, "rssAtEndMiB": rss_mib,
            "sqliteWalBytes": wal, "sqliteDbBytes": db_size if args.store == "sqlite" else None,
        }
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
        say(f"Wrote {args.json}.")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"\nbench_http.py: {error}", file=sys.stderr)
        if WORKDIR:
            print(f"(the server's log and the wrk scripts are kept in {WORKDIR})", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("\nbench_http.py: interrupted", file=sys.stderr)
        sys.exit(130)

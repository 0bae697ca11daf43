"""Locust users for the load test (``benchmarks/load_test.py`` starts the server and runs this).

Three kinds of users, mixed 3 : 2 : 1, each waiting ``$LOAD_WAIT`` (min,max seconds; default
5,15) between requests, as a person reading a page or filling a form:

* ``Staff`` (Kepala Dinas, Kepala Bidang, operators): the home dashboard, field work pages
  (inbox, disaster recap, PSKS recap, TKSK workload), performance pages (dashboard, indicators,
  realizations, budget tree) and the registry list when its page exists;
* ``Tksk`` (one of the 28 kecamatan accounts): the field home, disaster reports sent through the
  API with an idempotency key (and one resend in four, which must give the first submission back
  with HTTP 200), case referrals sent through the web form, and their own submission list;
* ``ApiClient`` (the demo token): the statistics endpoints, with the optional ones discovered at
  start (``/api/v1/stats/ppks/``, ``/api/v1/programs/<code>/stats/``, ...) used only when they
  answer 200, so that the same file covers the registry and program statistics once merged.

Request names are prefixed by their kind (``staff:``, ``tksk:``, ``api:``); the per-kind
count, failures and p50/p95/p99 are written to ``$LOAD_KINDS_FILE`` (JSON) when the run stops.
Staff and TKSK use sessions the runner made for their accounts (``$LOAD_SESSIONS_FILE``,
username -> session key): 50 log-ins at once would measure password hashing, which the runner
times apart. ``$LOAD_API_TOKEN`` is the API client's token.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import re
import time
import uuid
from pathlib import Path

from gevent.lock import Semaphore
from load_accounts import STAFF_ACCOUNTS, TKSK_ACCOUNTS  # beside this file (locust adds it)
from locust import HttpUser, between, events, task

SESSIONS = json.loads(Path(os.environ["LOAD_SESSIONS_FILE"]).read_text(encoding="utf-8"))
WAIT = [float(x) for x in os.environ.get("LOAD_WAIT", "5,15").split(",")]
API_TOKEN = os.environ.get("LOAD_API_TOKEN", "demo0api0token0lebak00000000000000000000")
KINDS_FILE = os.environ.get("LOAD_KINDS_FILE", "")
STAFF_PAGES = [
    ("staff: dashboard", "/"),
    ("staff: field inbox", "/lapangan/kotak-masuk/"),
    ("staff: disaster recap", "/lapangan/bencana/rekap/"),
    ("staff: PSKS recap", "/lapangan/psks/rekap/"),
    ("staff: TKSK workload", "/lapangan/tksk/"),
    ("staff: performance dashboard", "/kinerja/?tahun=2025"),
    ("staff: indicators", "/kinerja/indikator/"),
    ("staff: realizations", "/kinerja/realisasi/"),
    ("staff: budget tree", "/kinerja/anggaran/"),
]
# Pages and endpoints of apps built in parallel: used when they answer 200.
OPTIONAL_STAFF_PAGES = [
    ("staff: registry persons", "/registri/"),
    ("staff: registry by kecamatan", "/registri/?district=36.02.14"),
    ("staff: registry households", "/registri/keluarga/"),
    ("staff: registry households by kecamatan", "/registri/keluarga/?district=36.02.14"),
    ("staff: programs", "/program/"),
]
API_STATS = [
    ("api: PSKS workers", "/api/v1/fieldwork/stats/psks-workers/"),
    ("api: LKS", "/api/v1/fieldwork/stats/lks/"),
    ("api: workload", "/api/v1/fieldwork/stats/workload/"),
    ("api: disaster victims", "/api/v1/fieldwork/stats/disaster-victims/"),
    ("api: referrals", "/api/v1/fieldwork/stats/referrals/"),
    ("api: monthly reports", "/api/v1/fieldwork/stats/monthly-reports/"),
    ("api: performance summary", "/api/v1/performance/summary/?year=2025"),
    ("api: regions", "/api/v1/regions/districts/?regency=36.02"),
]
OPTIONAL_API_STATS = [
    ("api: PPKS stats", "/api/v1/stats/ppks/"),
    ("api: PPKS stats", "/api/v1/beneficiaries/stats/"),
    ("api: desil stats", "/api/v1/stats/desil/"),
    ("api: programs stats", "/api/v1/stats/programs/"),
]

_staff_accounts = itertools.cycle(STAFF_ACCOUNTS)
_tksk_accounts = itertools.cycle(TKSK_ACCOUNTS)
_discovered: dict[str, list[tuple[str, str]]] = {}
_times: dict[str, list[float]] = {}
_failures: dict[str, int] = {}
_started = [0.0]
_discovery_lock = Semaphore()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **kwargs):
    if name == "discovery":
        return
    kind = name.split(":", 1)[0] if ":" in name else "other"
    if kind == "staff":
        kind = "staff pages"
    elif kind == "tksk":
        kind = "TKSK submissions"
    elif kind == "api":
        kind = "API statistics"
    _times.setdefault(kind, []).append(response_time)
    if exception is not None:
        _failures[kind] = _failures.get(kind, 0) + 1


@events.test_start.add_listener
def _start(environment, **kwargs):
    _started[0] = time.monotonic()


@events.test_stop.add_listener
def _stop(environment, **kwargs):
    if not KINDS_FILE:
        return
    result: dict = {"_seconds": time.monotonic() - _started[0]}
    for kind, times in sorted(_times.items()):
        ordered = sorted(times)

        def pct(p, ordered=ordered):
            return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

        result[kind] = {
            "count": len(ordered),
            "failures": _failures.get(kind, 0),
            "p50": pct(50),
            "p95": pct(95),
            "p99": pct(99),
        }
    with open(KINDS_FILE, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)


class LoggedIn(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    username = ""

    def login(self, username: str) -> None:
        """Use the session the runner made for ``username`` (see load_test.py); the first
        page with a form sets the CSRF cookie."""
        self.username = username
        self.client.cookies.set("sessionid", SESSIONS[username])

    @property
    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def discover(self, key: str, candidates: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The candidates that answer 200 (checked once per process; not in the figures)."""
        with _discovery_lock:
            if key not in _discovered:
                found, seen = [], set()
                for name, url in candidates:
                    if probe(self.client, url) and name not in seen:
                        found.append((name, url))
                        seen.add(name)
                _discovered[key] = found
        return _discovered[key]


def probe(client, url: str):
    """GET ``url``; its JSON (or True) when it answers 200, else None. Never a failure."""
    with client.get(url, name="discovery", catch_response=True) as response:
        response.success()
        if response.status_code != 200:
            return None
        try:
            return response.json()
        except ValueError:
            return True


class Staff(LoggedIn):
    weight = 3

    def on_start(self):
        self.login(next(_staff_accounts))
        self.pages = STAFF_PAGES + self.discover("staff", OPTIONAL_STAFF_PAGES)

    @task
    def page(self):
        name, url = random.choice(self.pages)
        self.client.get(url, name=name)


class Tksk(LoggedIn):
    weight = 2

    def on_start(self):
        self.login(next(_tksk_accounts))
        form = self.client.get("/lapangan/formulir/case_referral/", name="tksk: referral form")
        assert self.csrf, "no CSRF cookie from the form page"
        self.villages = re.findall(r'<option value="(\d{2}\.\d{2}\.\d{2}\.\d{4})"', form.text)

    def _village(self) -> str:
        return random.choice(self.villages)

    @task(3)
    def disaster_via_api(self):
        key = str(uuid.uuid4())
        body = {
            "kind": "disaster_incident",
            "client_key": key,
            "payload": {
                "incident_date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
                "village": self._village(),
                "location_detail": "Kp. Uji beban RT 01/02",
                "disaster_type": random.choice(["banjir", "tanah_longsor", "kebakaran"]),
                "description": "Uji beban: laporan kejadian.",
                "households_affected": 3,
                "persons_affected": 11,
                "dead": 0,
                "missing": 0,
                "injured": 1,
                "displaced": 4,
                "infants": 1,
                "children": 2,
                "elderly": 1,
                "disabled": 0,
                "pregnant": 0,
                "houses_heavy": 1,
                "houses_moderate": 1,
                "houses_light": 1,
                "urgent_needs": ["food"],
            },
        }
        headers = {"X-CSRFToken": self.csrf, "Referer": f"{self.host}/lapangan/"}
        with self.client.post(
            "/api/v1/fieldwork/submissions/",
            json=body,
            headers=headers,
            name="tksk: API disaster report",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:300]}")
                return
            first = response.json()["id"]
        if random.random() < 0.25:  # a resend after a lost answer: the same submission back
            with self.client.post(
                "/api/v1/fieldwork/submissions/",
                json=body,
                headers=headers,
                name="tksk: API resend (idempotent)",
                catch_response=True,
            ) as again:
                if again.status_code != 200 or again.json().get("id") != first:
                    again.failure(f"resend gave {again.status_code}: {again.text[:300]}")

    @task(2)
    def referral_via_form(self):
        url = "/lapangan/formulir/case_referral/"
        page = self.client.get(url, name="tksk: referral form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        data = {
            "csrfmiddlewaretoken": token,
            "client_key": str(uuid.uuid4()),
            "referral_date": datetime.date.today().isoformat(),
            "village": self._village(),
            "person_name": "Uji Beban",
            "nik": "",
            "sex": "P",
            "age": "67",
            "address": "Kp. Uji RT 02/03",
            "situation": "Uji beban: lansia tinggal sendiri.",
            "ppks_category": "Lanjut Usia Terlantar",
            "service": "health",
            "referred_to": "RSUD dr. Adjidarmo",
            "urgency": "urgent",
        }
        with self.client.post(
            url,
            data,
            headers={"Referer": f"{self.host}{url}"},
            name="tksk: web referral form",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/lapangan/kiriman/" not in response.headers.get(
                "Location", ""
            ):
                response.failure(f"form not accepted ({response.status_code})")

    @task(2)
    def own_list(self):
        self.client.get("/lapangan/kiriman/", name="tksk: my submissions")

    @task(1)
    def home(self):
        self.client.get("/lapangan/", name="tksk: field home")


class ApiClient(HttpUser):
    weight = 1
    wait_time = between(*WAIT)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {API_TOKEN}"
        self.endpoints = API_STATS + LoggedIn.discover(self, "api", OPTIONAL_API_STATS)
        with _discovery_lock:
            self._programs()
        self.endpoints += _discovered["programs"]

    def _programs(self) -> None:
        if "programs" not in _discovered:
            found = []
            body = probe(self.client, "/api/v1/programs/")
            items = body.get("results", []) if isinstance(body, dict) else body
            for item in items[:5] if isinstance(items, list) else []:
                code = item.get("code") if isinstance(item, dict) else None
                url = f"/api/v1/programs/{code}/stats/"
                if code and probe(self.client, url):
                    found.append(("api: program stats", url))
            _discovered["programs"] = found

    @task
    def stats(self):
        name, url = random.choice(self.endpoints)
        self.client.get(url, name=name)

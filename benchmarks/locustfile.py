"""Locust users for the load test (``benchmarks/load_test.py`` starts the server and runs this).

Three kinds of users, mixed 3 : 2 : 1, each waiting ``$LOAD_WAIT`` (min,max seconds; default
5,15) between requests, as a person reading a page or filling a form; what a district office does
in a day:

* ``Staff`` (Kepala Dinas, Kepala Bidang, operators): the registry list of persons and of
  households filtered by a kecamatan, a search by NIK (exact) and by name (alone and within a
  kecamatan), a household page (members, PPKS placements, programs, field visits, history); the
  program list (whose programs the user then opens), a program page with its figures per
  kecamatan (and per desa of one kecamatan), the targeting checks, the recipients of a program in
  a kecamatan; the field work inbox, disaster and PSKS recaps, the TKSK workload; the home
  dashboard, the performance dashboard, indicators, realizations and the budget tree;
* ``Tksk`` (one of the 28 kecamatan accounts): the field home, disaster reports sent through the
  API with an idempotency key (and one resend in four, which must give the first submission back
  with HTTP 200), case referrals sent through the web form, and their own submission list;
* ``ApiClient`` (the demo token): PPKS statistics (regency and one kecamatan), program statistics
  (``/api/v1/programs/<code>/stats/?year=&group_by=``, per kecamatan and per desa, for a year or
  one tahap), the targeting counts, the performance summary and the field work statistics.

Every request checks its answer: the HTTP status and something in the body (the page's heading
in Bahasa Indonesia and the rows asked for: the person searched, the household's members, the
program's figures, the JSON fields); any other answer is a failure.

NIK, names, households and kecamatan come from ``$LOAD_SAMPLES_FILE`` (JSON, drawn from the
database by ``benchmarks/load_samples.py``): staff type a NIK or a name read from a paper. Staff
and TKSK use sessions the runner made for their accounts (``$LOAD_SESSIONS_FILE``, username ->
session key): 50 log-ins at once would measure password hashing, which the runner times apart.
``$LOAD_API_TOKEN`` is the API client's token; ``$LOAD_PERFORMANCE_YEAR`` (default 2025) the
year of the performance pages.

Request names are prefixed by their kind (``staff:``, ``tksk:``, ``api:``); the per-kind
count, failures and p50/p95/p99 are written to ``$LOAD_KINDS_FILE`` (JSON) when the run stops.
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
from urllib.parse import urlencode

from load_accounts import STAFF_ACCOUNTS, TKSK_ACCOUNTS  # beside this file (locust adds it)
from locust import HttpUser, between, events, task

SESSIONS = json.loads(Path(os.environ["LOAD_SESSIONS_FILE"]).read_text(encoding="utf-8"))
SAMPLES = json.loads(Path(os.environ["LOAD_SAMPLES_FILE"]).read_text(encoding="utf-8"))
WAIT = [float(x) for x in os.environ.get("LOAD_WAIT", "5,15").split(",")]
API_TOKEN = os.environ.get("LOAD_API_TOKEN", "demo0api0token0lebak00000000000000000000")
KINDS_FILE = os.environ.get("LOAD_KINDS_FILE", "")
PERFORMANCE_YEAR = os.environ.get("LOAD_PERFORMANCE_YEAR", "2025")
YEAR = SAMPLES["year"]
PEOPLE = SAMPLES["people"]
DISTRICTS = SAMPLES["districts"]
PROGRAMS = SAMPLES["programs"]

PERSON_LINK = re.compile(r'href="/registri/orang/\d+/"')
HOUSEHOLD_LINK = re.compile(r'href="/registri/keluarga/(\d+)/"')
PROGRAM_LINK = re.compile(r'<td><a href="/program/([A-Za-z0-9-]+)/">')
ENROLLMENT_LINK = re.compile(r'href="/program/penerima/\d+/"')
# Pages that are the same for every user and every time: name, url, what the body must hold.
STAFF_PAGES = [
    ("staff: dashboard", "/", "Selamat datang"),
    ("staff: field inbox", "/lapangan/kotak-masuk/", "Kotak masuk formulir lapangan"),
    ("staff: disaster recap", "/lapangan/bencana/rekap/", "Korban bencana per kecamatan"),
    ("staff: PSKS recap", "/lapangan/psks/rekap/", "Rekap PSKS per kecamatan"),
    ("staff: TKSK workload", "/lapangan/tksk/", "Beban kerja TKSK per kecamatan"),
    (
        "staff: performance dashboard",
        f"/kinerja/?year={PERFORMANCE_YEAR}",
        f"Kinerja {PERFORMANCE_YEAR}",
    ),
    ("staff: indicators", "/kinerja/indikator/", "Indikator "),
    ("staff: realizations", "/kinerja/realisasi/", "Realisasi"),
    ("staff: budget tree", "/kinerja/anggaran/", "Program, kegiatan dan anggaran"),
    ("staff: targeting", "/program/sasaran/", "Pemeriksaan ketepatan sasaran"),
]

_staff_accounts = itertools.cycle(STAFF_ACCOUNTS)
_tksk_accounts = itertools.cycle(TKSK_ACCOUNTS)
_times: dict[str, list[float]] = {}
_failures: dict[str, int] = {}
_started = [0.0]


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **kwargs):
    kind = name.split(":", 1)[0] if ":" in name else "other"
    kind = {"staff": "staff pages", "tksk": "TKSK submissions", "api": "API statistics"}.get(
        kind, kind
    )
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


def fetch(client, name: str, url: str, *needles, status: int = 200, check=None):
    """GET ``url``; a failure unless the status is ``status``, the body holds every needle (a
    string or a compiled pattern) and ``check(response)`` (when given) returns nothing. The
    response is returned (None when it failed)."""
    with client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
        problem = verdict(response, status, needles)
        if problem is None and check is not None:
            try:
                problem = check(response)
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                problem = f"unexpected body ({exc!r}): {response.text[:200]}"
        if problem:
            response.failure(problem)
            return None
        return response


def verdict(response, status: int, needles) -> str | None:
    if response.status_code != status:
        return f"HTTP {response.status_code} (expected {status}): {response.text[:200]}"
    text = response.text
    for needle in needles:
        found = needle.search(text) if isinstance(needle, re.Pattern) else needle in text
        if not found:
            return f"the body lacks {getattr(needle, 'pattern', needle)!r}"
    return None


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


class Staff(LoggedIn):
    weight = 3

    def on_start(self):
        self.login(next(_staff_accounts))
        self.programs: list[str] = []
        self.program_list()

    def get(self, name, url, *needles, **kwargs):
        return fetch(self.client, name, url, *needles, **kwargs)

    # The registry ---------------------------------------------------------------------------

    @task(3)
    def persons_in_district(self):
        query = urlencode({"district": random.choice(DISTRICTS)})
        self.get(
            "staff: registry by kecamatan", f"/registri/?{query}", "Registri PPKS", PERSON_LINK
        )

    @task(2)
    def households_in_district(self):
        """The household list of a kecamatan, then one of its households."""
        query = urlencode({"district": random.choice(DISTRICTS)})
        page = self.get(
            "staff: households by kecamatan",
            f"/registri/keluarga/?{query}",
            "Keluarga",
            HOUSEHOLD_LINK,
        )
        if page is not None:
            household = random.choice(HOUSEHOLD_LINK.findall(page.text))
            self.get(
                "staff: household page",
                f"/registri/keluarga/{household}/",
                "Keluarga",
                PERSON_LINK,
            )

    @task(3)
    def search_nik(self):
        """A NIK typed from a KTP: the person is found (one row), then the household opened."""
        person = random.choice(PEOPLE)
        query = urlencode({"q": person["nik"]})
        found = self.get(
            "staff: search NIK",
            f"/registri/?{query}",
            f'href="/registri/orang/{person["person"]}/"',
        )
        if found is not None:
            self.get(
                "staff: household page",
                f"/registri/keluarga/{person['household']}/",
                f'href="/registri/orang/{person["person"]}/"',
            )

    @task(2)
    def search_name(self):
        person = random.choice(PEOPLE)
        query = urlencode({"q": person["name"]})
        self.get("staff: search name", f"/registri/?{query}", PERSON_LINK)

    @task(2)
    def search_name_in_district(self):
        person = random.choice(PEOPLE)
        query = urlencode({"q": person["name"], "district": person["district"]})
        self.get("staff: search name in a kecamatan", f"/registri/?{query}", PERSON_LINK)

    # Programs -------------------------------------------------------------------------------

    @task(1)
    def program_list(self):
        page = self.get("staff: program list", "/program/", "Program bantuan sosial")
        if page is not None:
            self.programs = PROGRAM_LINK.findall(page.text)

    @task(3)
    def program_page(self):
        """A program the user's list shows, per kecamatan for the year or a tahap, or per desa
        of one kecamatan."""
        if not self.programs:
            return self.program_list()
        code = random.choice(self.programs)
        params = {"year": YEAR}
        roll = random.random()
        if roll < 0.3:
            params["tahap"] = 1
        elif roll < 0.5:
            params["district"] = random.choice(DISTRICTS)
        self.get(
            "staff: program page",
            f"/program/{code}/?{urlencode(params)}",
            'id="program-stats"',
            f"{code} · ",
        )

    @task(2)
    def recipients(self):
        """The recipients of one of the user's programs in a kecamatan."""
        if not self.programs:
            return self.program_list()
        query = urlencode(
            {"program": random.choice(self.programs), "district": random.choice(DISTRICTS)}
        )
        self.get("staff: recipients", f"/program/penerima/?{query}", "Penerima")

    # Field work, performance, dashboards ----------------------------------------------------

    @task(9)
    def page(self):
        name, url, needle = random.choice(STAFF_PAGES)
        self.get(name, url, needle)


class Tksk(LoggedIn):
    weight = 2

    def on_start(self):
        self.login(next(_tksk_accounts))
        form = self.form_page()
        assert form is not None and self.csrf, "no referral form or CSRF cookie"
        self.villages = re.findall(r'<option value="(\d{2}\.\d{2}\.\d{2}\.\d{4})"', form.text)

    def form_page(self):
        return fetch(
            self.client,
            "tksk: referral form",
            "/lapangan/formulir/case_referral/",
            'name="csrfmiddlewaretoken"',
            'name="client_key"',
        )

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
            if response.status_code != 201 or response.json().get("client_key") != key:
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
        page = self.form_page()
        if page is None:
            return
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
        fetch(self.client, "tksk: my submissions", "/lapangan/kiriman/", "Kiriman saya")

    @task(1)
    def home(self):
        fetch(self.client, "tksk: field home", "/lapangan/", "Lapangan")


def _json_check(check):
    """A ``check`` for ``fetch`` from a predicate on the JSON body."""

    def run(response):
        body = response.json()
        return None if check(body) else f"unexpected body: {response.text[:200]}"

    return run


class ApiClient(HttpUser):
    weight = 1
    wait_time = between(*WAIT)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {API_TOKEN}"

    def get(self, name, url, check):
        return fetch(self.client, name, url, check=_json_check(check))

    @task(2)
    def ppks(self):
        self.get(
            "api: PPKS stats",
            "/api/v1/stats/ppks/",
            lambda b: "total" in b and len(b["by_district"]) > 0,
        )

    @task(1)
    def ppks_district(self):
        district = random.choice(DISTRICTS)
        self.get(
            "api: PPKS stats of a kecamatan",
            f"/api/v1/stats/ppks/?district={district}",
            lambda b: all(row["code"] == district for row in b["by_district"]),
        )

    @task(4)
    def program_stats(self):
        code = random.choice(PROGRAMS)
        params = {"year": YEAR, "group_by": random.choice(["district", "village"])}
        if random.random() < 0.3:
            params["tahap"] = 1
        self.get(
            "api: program stats",
            f"/api/v1/programs/{code}/stats/?{urlencode(params)}",
            lambda b: b["program"] == code and b["group_by"] == params["group_by"] and "total" in b,
        )

    @task(1)
    def targeting(self):
        self.get(
            "api: targeting",
            "/api/v1/programs-targeting/",
            lambda b: isinstance(b, list) and all("exclusion" in row for row in b),
        )

    @task(1)
    def performance(self):
        self.get(
            "api: performance summary",
            f"/api/v1/performance/summary/?year={PERFORMANCE_YEAR}",
            lambda b: str(b["year"]) == PERFORMANCE_YEAR and "indicators" in b,
        )

    @task(2)
    def fieldwork(self):
        name, url = random.choice(
            [
                ("api: PSKS workers", "/api/v1/fieldwork/stats/psks-workers/"),
                ("api: workload", "/api/v1/fieldwork/stats/workload/"),
                ("api: disaster victims", "/api/v1/fieldwork/stats/disaster-victims/"),
                ("api: referrals", "/api/v1/fieldwork/stats/referrals/"),
            ]
        )
        self.get(name, url, lambda b: isinstance(b, (dict, list)) and len(b) > 0)

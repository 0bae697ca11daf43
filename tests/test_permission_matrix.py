"""Every page and API endpoint, for every role (issue 2 point 4; issue 8 point 1).

For each named URL of the project:
* anonymous users are sent to the login page (pages) or get 401/403 (API), except public URLs;
* no role gets a server error on GET, and no page writes a number the way a person reads it
  (2.026) where the browser sends it back or follows it (a choice, a link), offers a link
  that its user is then refused, labels a column or a field in lower case, or leaves a field
  without a label;
* a TKSK of kecamatan A cannot read or change data of kecamatan B;
* the auditor changes nothing;
* an API client never receives personal data.
"""

import json
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from .permission_matrix import PUBLIC_URLS, SAMPLES, Context, Sample, load_samples, url_patterns

load_samples()
ALL_URLS = url_patterns()
WRITE_METHODS = ("post", "put", "patch", "delete")
# A user's own session and password: every role may change these.
SELF_SERVICE_URLS = {"accounts:logout", "accounts:password_change"}
# Keys that only personal records carry. Names and addresses are checked by value: each sample
# lists the personal values it created (a region's or the agency's name is not personal).
# 2.026 or 1.234.567 as a choice's value or in a link: a year or a key the server cannot read
# back (amount inputs are localized on purpose, and read back as typed).
LOCALIZED_IN_ATTRIBUTE = re.compile(
    r'(?:<option value|href|action)="[^"]*?(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d,])[^"]*"'
)
PERSONAL_KEYS = re.compile(r'"(nik|no_kk|nomor_kk|birth_place|birth_date|date_of_birth)"\s*:')


def test_every_url_with_arguments_has_a_sample():
    missing = sorted(name for name, args in ALL_URLS.items() if args and name not in SAMPLES)
    assert not missing, (
        f"URLs without a permission-matrix sample (add one in tests/samples_<app>.py): {missing}"
    )


def test_samples_name_real_urls():
    unknown = sorted(set(SAMPLES) - set(ALL_URLS))
    assert not unknown, f"samples for URLs that do not exist: {unknown}"


@pytest.fixture
def ctx(users, district_a, district_b, village_a, village_b):
    return Context(
        users=users,
        district_a=district_a,
        district_b=district_b,
        village_a=village_a,
        village_b=village_b,
    )


def _resolve(name: str, ctx: Context) -> tuple[str, Sample]:
    sample = SAMPLES[name](ctx) if name in SAMPLES else Sample()
    return reverse(name, kwargs=sample.kwargs) + sample.query, sample


def _is_api(url: str) -> bool:
    return url.startswith("/api/")


def _write(client, method: str, url: str):
    if _is_api(url):
        return getattr(client, method)(url, data="{}", content_type="application/json")
    return getattr(client, method)(url)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ALL_URLS))
def test_anonymous_reaches_only_public_urls(name, ctx, client):
    url, _sample = _resolve(name, ctx)
    response = client.get(url)
    if name in PUBLIC_URLS:
        assert response.status_code < 500
        return
    if _is_api(url):
        assert response.status_code in (401, 403), f"{name}: {response.status_code}"
        assert response["Content-Type"].startswith("application/json")
    else:
        assert response.status_code == 302, f"{name}: {response.status_code}"
        assert response["Location"].startswith(reverse("accounts:login")), response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ALL_URLS))
def test_no_role_gets_a_server_error(name, ctx, client_for):
    for role, user in ctx.users.items():
        url, _sample = _resolve(name, ctx)
        response = client_for(user).get(url)
        assert response.status_code < 500, f"{name} as {role}: {response.status_code}"
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            found = LOCALIZED_IN_ATTRIBUTE.search(html)
            assert found is None, f"{name} as {role}: {found.group(0)}"
            _check_links(html, page=name, role=role, client=client_for(user))
            for tag, text in _labels(html):
                assert not text[0].islower(), f"{name}: <{tag}> {text!r} begins in lower case"
            unlabelled = _unlabelled_inputs(html)
            assert not unlabelled, f"{name} as {role}: no label for {unlabelled}"


# A heading, a column, a term or a field's label: a model's verbose name (lower case by Django's
# convention) shown as one needs capfirst.
LABEL = re.compile(r"<(h[1-6]|th|dt|label|legend|summary)\b[^>]*>(.*?)</\1>", re.S)


def _labels(html: str):
    for match in LABEL.finditer(html):
        text = re.sub(r"<[^>]+>", "", match.group(2)).strip()
        if text:
            yield match.group(1), text


FIELD = re.compile(r"<(?:input|select|textarea)\b([^>]*)>")
NOT_TYPED_IN = {"hidden", "submit", "button", "reset"}


def _unlabelled_inputs(html: str) -> list[str]:
    """The names of the fields that neither a <label for> nor an aria-label names."""
    labelled = set(re.findall(r'<label\b[^>]*\bfor="([^"]+)"', html))
    missing = []
    for match in FIELD.finditer(html):
        attrs = match.group(1)
        kind = re.search(r'\btype="([^"]+)"', attrs)
        if (kind and kind.group(1) in NOT_TYPED_IN) or "aria-label" in attrs:
            continue
        field_id = re.search(r'\bid="([^"]+)"', attrs)
        if field_id and field_id.group(1) in labelled:
            continue
        field_name = re.search(r'\bname="([^"]+)"', attrs)
        missing.append(field_name.group(1) if field_name else attrs.strip()[:40])
    return missing


# (role, URL name) of the links already followed: each kind of link is checked once per role.
_FOLLOWED: set[tuple[str, str]] = set()
LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')
# Not pages: the session, the language switch, files; a PDF is generated only when asked for
# (its XLSX sibling, behind the same permission, is followed).
NOT_FOLLOWED = ("/static/", "/media/", "/akun/keluar/", "/i18n/", "/admin/")


def _check_links(html: str, *, page: str, role: str, client) -> None:
    """A page offers no link that its user is then refused (403) or cannot find (404)."""
    for href in dict.fromkeys(LINK.findall(html)):
        href = unescape(href)
        target = urlsplit(href)
        if target.path.startswith(NOT_FOLLOWED) or "as=pdf" in target.query:
            continue
        try:
            match = resolve(target.path)
        except Resolver404:
            raise AssertionError(f"{page} as {role} links to {href}, which is no page") from None
        key = (role, match.view_name)
        if key in _FOLLOWED:
            continue
        _FOLLOWED.add(key)
        status = client.get(href).status_code
        assert status not in (403, 404), f"{page} as {role} links to {href}: {status}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ALL_URLS))
def test_tksk_cannot_reach_another_kecamatan(name, ctx, client_for):
    url, sample = _resolve(name, ctx)
    if not sample.scoped:
        pytest.skip("not tied to a kecamatan")
    client = client_for(ctx.users["tksk"])
    response = client.get(url)
    if sample.marker:
        assert response.status_code in (200, 403, 404), f"{name}: {response.status_code}"
        assert sample.marker not in response.content.decode(), (
            f"{name} shows kecamatan B's data to TKSK A"
        )
    else:
        # 405: the URL only takes writes (a review, a resend); the writes are checked below.
        assert response.status_code in (403, 404, 405), (
            f"{name}: TKSK A read B's data ({response.status_code})"
        )
    for method in WRITE_METHODS:
        response = _write(client, method, url)
        assert response.status_code in (403, 404, 405), (
            f"{name} {method.upper()}: TKSK A changed B's data ({response.status_code})"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ALL_URLS))
def test_auditor_changes_nothing(name, ctx, client_for):
    if name in PUBLIC_URLS or name in SELF_SERVICE_URLS:
        pytest.skip("public, or the user's own account")
    url, _sample = _resolve(name, ctx)
    client = client_for(ctx.users["auditor"])
    for method in WRITE_METHODS:
        response = _write(client, method, url)
        assert response.status_code in (403, 404, 405), (
            f"{name} {method.upper()} as auditor: {response.status_code}"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n in ALL_URLS if n.startswith("api:")))
def test_api_client_never_receives_personal_data(name, ctx, api_for):
    url, sample = _resolve(name, ctx)
    response = api_for(ctx.users["api_client"]).get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("application/json"):
        return
    if name == "api:me":
        return  # the caller's own account
    body = json.dumps(response.json(), ensure_ascii=False)
    assert not PERSONAL_KEYS.search(body), (
        f"{name} returns personal fields to an API client: {body[:300]}"
    )
    for value in sample.personal:
        assert value not in body, f"{name} returns personal data ({value!r}) to an API client"

"""The pages in each shipped language (issue 27; web.md, "The pages' language").

Every page is rendered by a real ``auditor serve`` in English and in each of
the six other languages, and a text a person reads that comes out the same as
in English fails the test, unless it is not the pages' to translate: a name,
an id, a code, a number, a date, or a text of the library's (rule titles,
profile texts, the workbook guide's column notes, problem messages: the
library's own catalogues, issue 27's other half). The library's texts are
asked of the service's own :mod:`auditor.service.page_data` in a process of
its own, with the service's settings, so the test knows them exactly rather
than by a list kept by hand. A word a translator has written the same on
purpose (French "Audit", Filipino "Password") is one whose ``msgstr`` equals
its ``msgid`` in that language's catalogue.

Also here: the templates hold no text outside ``{% translate %}``; the order
the language is chosen in (her setting, then her browser's, then her office's,
then English); right to left for Arabic; the API's JSON the same whatever the
browser asks for.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from babel.messages.pofile import read_po

from tests.service.harness import ROOT, SAMPLES, Account, Service, run_cli, serving
from tests.service.pages_client import PageSession, make_accounts

LANGUAGES = ("ne", "id", "fil", "ar", "fr", "es")
LOCALE = ROOT / "auditor" / "service" / "locale"
TEMPLATES = ROOT / "auditor" / "service" / "templates"
OFFICE = "LANG-A"
#: Texts in attributes that a person reads (screen readers, tooltips, empty fields).
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


class _Texts(HTMLParser):
    """The text nodes and read attributes of a page, and its ``<html lang dir>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.root: dict[str, str | None] = {}
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.root = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.texts.append(" ".join(value.split()))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skip:
            self.texts.append(text)


def read(html: str) -> _Texts:
    parser = _Texts()
    parser.feed(html)
    return parser


def catalogue(language: str) -> Any:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as stream:
        return read_po(stream)


def same_on_purpose(language: str) -> list[re.Pattern[str]]:
    """The texts this language's translator wrote the same as the English, as patterns
    (a placeholder stands for any text: French "Audit %(code)s")."""
    return [
        re.compile(".+".join(re.escape(part) for part in re.split(r"%\(\w+\)s", str(message.id))))
        for message in catalogue(language)
        if message.id and isinstance(message.id, str) and message.string == message.id
    ]


#: An id, a code, an amount or a digest: no word of two lower-case letters in it
#: ("PH-2026-0417", "W-001", "NP", "COMP-06", "1,234.00"), a SHA-256 in hexadecimal, a UUID.
_CODE = re.compile(
    r"[^a-z]*"
    r"|[A-Za-z]?[A-Z0-9][A-Za-z0-9]*(?:[-_.:/][A-Za-z0-9]+)+"
    r"|[0-9a-f]{16,}"
    r"|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}"
)


#: What separates words: spaces, punctuation, the dash and the breadcrumb's and pager's arrows.
_SPLIT = re.compile("[\\s,;:()\u00b7\u2013\u203a\u2039.!?\"\u201c\u201d'/]+")


def leftovers(
    english: list[str],
    translated: list[str],
    known: set[str],
    on_purpose: Sequence[re.Pattern[str]] = (),
) -> set[str]:
    """The texts of ``translated`` left as they are in ``english`` that are the page's own."""
    same = {
        t for t in set(english) & set(translated) if not any(p.fullmatch(t) for p in on_purpose)
    }
    # A short known text ("low", "A") is taken out only as a whole text, never from inside
    # a sentence, so that it cannot hide an English word around it.
    pieces = sorted((piece for piece in known if len(piece) >= 6), key=len, reverse=True)
    found = set()
    for text in same - known:
        rest = text
        for piece in pieces:
            if piece in rest:
                rest = rest.replace(piece, " ")
        words = [w for w in _SPLIT.split(rest) if w]
        if any(re.search(r"[a-z]{2}", word) and not _CODE.fullmatch(word) for word in words):
            found.add(text)
    return found


_LIBRARY_TEXTS = """
import dataclasses, json, sys
from auditor.service.bootstrap import start
start(migrate=False)
from django.utils.functional import Promise
from auditor.service import page_data
from auditor.service.models import Audit, Office
from django.contrib.auth import get_user_model

found = set()
def walk(value):
    if isinstance(value, Promise):
        return
    if isinstance(value, str):
        found.add(" ".join(value.split()))
    elif isinstance(value, dict):
        for item in value.values():
            walk(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            walk(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        # summary()'s paragraphs: each finding's evidence, the workbook's cells and words.
        walk([getattr(value, f.name) for f in dataclasses.fields(value)])

walk(page_data.guide_sheets())
walk(page_data.rule_catalogue())
walk(page_data.profile_catalogue())
walk(page_data.destination_profiles())
# As the pages put them together: a profile's name and id, a destination's code and name.
walk([f"{p['name']} ({p['id']})" for p in page_data.profile_catalogue()])
walk([f"{d['country']} ({d['name']})" for d in page_data.destination_profiles()])
from auditor.service.forms import UploadForm
walk([label for _, label in UploadForm().fields["jurisdiction"].choices])
for audit in Audit.objects.all():
    walk([str(audit.pk), audit.audit_code, audit.source_name, audit.agency_name,
          audit.agency_licence, audit.jurisdiction, audit.error, audit.problems])
    result = page_data.result_of(audit)
    if result is not None:
        walk(result)
        # With the workbook's identifying words where the pages show them (issue 25).
        identities = getattr(page_data, "identities_of", lambda audit: None)(audit)
        walk(page_data.summary(result, identities) if identities else page_data.summary(result))
walk([office.name for office in Office.objects.all()])
walk([user.get_username() for user in get_user_model().objects.all()])
# The languages' own names in the picker: each in itself, never translated.
from auditor.service.languages import PAGE_LANGUAGES
walk([name for _, name in PAGE_LANGUAGES])
print(json.dumps(sorted(found)))
"""


def library_texts(service: Service) -> set[str]:
    """What the pages show of the library's and the users' own words (not the pages')."""
    done = subprocess.run(
        [sys.executable, "-c", _LIBRARY_TEXTS],
        env=service.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


class Reader(PageSession):
    """A browser that asks for one language (``Accept-Language``), or none."""

    def __init__(self, service: Service, language: str | None = None) -> None:
        super().__init__(service)
        self.language = language

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        if self.language:
            headers.setdefault("Accept-Language", self.language)
        return super().request(method, path, headers=headers, **kwargs)

    def form(self, path: str, fields: dict[str, str], page: str | None = None) -> Any:
        token = self.csrf_token(page or path) or ""
        return self.post_form(path, {"csrfmiddlewaretoken": token, **fields})


@dataclass
class World:
    service: Service
    supervisor: Account
    inspector: Account
    done_id: str
    #: (page name, language) -> (status, Content-Language, html)
    pages: dict[tuple[str, str], tuple[int, str, str]] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)


def _pages_of(world: World, language: str, names: dict[str, tuple[str, str, str]]) -> None:
    """Render ``names`` (name -> who, method, path) in ``language`` (``en``: no header)."""
    readers = {
        "anonymous": Reader(world.service, None if language == "en" else language),
        "supervisor": Reader(world.service, None if language == "en" else language),
    }
    readers["supervisor"].login(world.supervisor.name, world.supervisor.password)
    assert readers["supervisor"].signed_in
    for name, (who, method, path) in names.items():
        reader = readers[who]
        if method == "POST":
            status, headers, body = reader.form(path, {}, page=f"/audits/{world.done_id}")
        else:
            status, headers, body = reader.get(path)
        world.pages[(name, language)] = (
            status,
            str(headers.get("Content-Language", "")),
            body.decode("utf-8"),
        )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with serving(tmp_path_factory.mktemp("languages")) as service:
        accounts = make_accounts(
            service,
            [("lang-sup", OFFICE, "supervisor"), ("lang-insp", OFFICE, "inspector")],
        )
        supervisor, inspector = accounts["lang-sup"], accounts["lang-insp"]
        code, answer = service.upload(inspector.token, SAMPLES / "agency-with-problems.xlsx")
        assert code in (200, 201, 202), answer
        done = service.wait_final(inspector.token, answer["id"])
        assert done["status"] == "done", done
        broken = tmp_path_factory.mktemp("broken") / "broken.xlsx"
        broken.write_bytes(b"this is not a workbook")
        code, bad = service.upload(inspector.token, broken)
        assert code in (200, 201, 202), bad
        invalid = service.wait_final(inspector.token, bad["id"])
        assert invalid["status"] in ("invalid", "failed"), invalid
        # Its follow-up (issue 25's comparison near the top of the page).
        code, later = service.upload(inspector.token, SAMPLES / "agency-follow-up.xlsx")
        assert code in (200, 201, 202), later
        assert service.wait_final(inspector.token, later["id"])["status"] == "done"
        world = World(service, supervisor, inspector, answer["id"])
        licence = str(done.get("agency_licence") or "")
        audit = f"/audits/{world.done_id}"
        before = {
            "log-in": ("anonymous", "GET", "/login"),
            "verify": ("anonymous", "GET", "/verify"),
            "verify-unknown": ("anonymous", "GET", "/verify/AAAA-BBBB-CCCC-DDDD"),
            "not-found": ("anonymous", "GET", "/no-such-page"),
            "audits": ("supervisor", "GET", "/audits"),
            "upload": ("supervisor", "GET", "/upload"),
            "audit-draft": ("supervisor", "GET", audit),
            "audit-invalid": ("supervisor", "GET", f"/audits/{bad['id']}"),
            "agency": ("supervisor", "GET", "/agency"),
            "agency-history": ("supervisor", "GET", f"/agency?licence={licence}"),
            # Issue 25's pages: the agency's copy, the follow-up, search by name, the filters
            # (wrong values said at their fields; removed uploads shown).
            "audit-agency-copy": ("supervisor", "GET", f"{audit}?copy=agency"),
            "audit-follow-up": ("supervisor", "GET", f"/audits/{later['id']}"),
            "agency-search": ("supervisor", "GET", "/agency?name=bayani"),
            "agency-search-none": ("supervisor", "GET", "/agency?name=qqzzqq"),
            "audits-filtered": (
                "supervisor",
                "GET",
                "/audits?issued=draft&removed=show&inspected_from=1800-01-01"
                "&uploaded_from=2026-12-31&uploaded_to=2026-01-01",
            ),
            "rules": ("supervisor", "GET", "/rules"),
            "guide": ("supervisor", "GET", "/guide"),
            "language": ("supervisor", "GET", "/language"),
            "issue-confirm": ("supervisor", "POST", f"{audit}/issue"),
            "message": ("supervisor", "GET", f"{audit}/download/pdf?copy=nobody"),
        }
        for language in ("en", *LANGUAGES):
            _pages_of(world, language, before)
        issuer = Reader(service)
        issuer.login(supervisor.name, supervisor.password)
        status, _, _ = issuer.form(
            f"{audit}/issue", {"confirm": "yes", "issued_on": ""}, page=audit
        )
        assert status == 303
        code, _, data = service.api(
            "GET", f"/api/v1/audits/{world.done_id}/issue.json", token=inspector.token
        )
        assert code == 200, data
        record = json.loads(data)
        after = {
            "audit-issued": ("supervisor", "GET", audit),
            "verify-issued": ("anonymous", "GET", f"/verify/{record['verification_code']}"),
        }
        for language in ("en", *LANGUAGES):
            _pages_of(world, language, after)
        world.known = library_texts(service)
        yield world


def _names(world: World) -> list[str]:
    return sorted({name for name, _ in world.pages})


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_is_translated_in_each_language(world: World, language: str) -> None:
    known, on_purpose = world.known, same_on_purpose(language)
    left: dict[str, set[str]] = {}
    for name in _names(world):
        english_status, _, english = world.pages[(name, "en")]
        status, content_language, html = world.pages[(name, language)]
        assert status == english_status, (name, status, html[:500])
        assert content_language == language, (name, content_language)
        found = leftovers(read(english).texts, read(html).texts, known, on_purpose)
        if found:
            left[name] = found
    assert not left, f"untranslated in {language}: {left}"


def test_the_pages_rendered_are_the_ones_the_issue_names(world: World) -> None:
    """Each page of the list in its state (a 200, the 404, a refusal), with content."""
    statuses = {name: world.pages[(name, "en")][0] for name in _names(world)}
    assert statuses["not-found"] == 404
    assert statuses["message"] == 400
    assert all(
        code == 200 for name, code in statuses.items() if name not in ("not-found", "message")
    )
    english = world.pages[("audit-draft", "en")][2]
    assert "Findings by paragraph and severity" in english
    assert "Issue this audit" in english
    assert "The workbook has problems" in world.pages[("audit-invalid", "en")][2]
    assert "Issued" in world.pages[("audit-issued", "en")][2]
    assert "This report was issued and is in force." in world.pages[("verify-issued", "en")][2]
    assert "Due dates this issue sets" in world.pages[("issue-confirm", "en")][2]
    assert 'id="agency-view"' in world.pages[("audit-agency-copy", "en")][2]
    assert 'id="comparison-terms"' in world.pages[("audit-follow-up", "en")][2]
    assert 'id="agency-matches"' in world.pages[("agency-search", "en")][2]
    assert 'id="no-matches"' in world.pages[("agency-search-none", "en")][2]
    filtered = world.pages[("audits-filtered", "en")][2]
    assert "Give a date from 1900 to 2999." in filtered
    assert "The end date is before the start date." in filtered
    assert 'id="remove-form"' in world.pages[("audit-invalid", "en")][2]


def test_the_leftover_check_finds_an_english_string(world: World) -> None:
    """The check itself: an English sentence left on a page is found, a name or code is not."""
    english = read(world.pages[("audit-draft", "en")][2]).texts
    nepali = read(world.pages[("audit-draft", "ne")][2]).texts
    assert leftovers(english, nepali, world.known) == set()
    planted = leftovers(
        [*english, "Money owed to workers"], [*nepali, "Money owed to workers"], world.known
    )
    assert planted == {"Money owed to workers"}


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_html_lang_and_direction(world: World, language: str) -> None:
    for name in _names(world):
        root = read(world.pages[(name, language)][2]).root
        assert root.get("lang") == language, (name, root)
        assert root.get("dir") == ("rtl" if language == "ar" else "ltr"), (name, root)


def test_dates_and_numbers_follow_the_language(world: World) -> None:
    """The issue date's month is written in the page's language (Django's or the catalogue's
    month names; Filipino's are in the pages' catalogue, Django having none)."""
    month = re.compile(r'id="issue-date">([^<]+)<')
    shown = {}
    for language in ("en", *LANGUAGES):
        found = month.search(world.pages[("issue-confirm", language)][2])
        assert found, language
        shown[language] = found.group(1)
    assert len(set(shown.values())) == len(shown), shown


def test_the_api_stays_language_free(world: World) -> None:
    """The same JSON whatever the browser asks for; errors keep their English text and code."""
    path = f"/api/v1/audits/{world.done_id}/issue.json"
    bodies = set()
    for language in ("en", "ar", "ne"):
        headers = {"Accept-Language": language}
        status, answer_headers, body = world.service.api(
            "GET", path, token=world.inspector.token, headers=headers
        )
        assert status == 200
        assert answer_headers.get("Content-Type", "").startswith("application/json")
        bodies.add(body)
        status, _, missing = world.service.api(
            "GET", "/api/v1/no-such-path", token=world.inspector.token, headers=headers
        )
        assert status == 404
        assert json.loads(missing) == {"error": "not found", "code": "not_found"}
    assert len(bodies) == 1


# -- choosing the language -------------------------------------------------------------------


def _language_of(reader: Reader, path: str = "/audits") -> str:
    status, headers, body = reader.get(path)
    assert status == 200, body[:300]
    root = read(body.decode("utf-8")).root
    assert headers.get("Content-Language") == root.get("lang")
    return str(root.get("lang"))


def test_her_setting_then_her_browser_then_her_office_then_english(world: World) -> None:
    service = world.service
    made = make_accounts(
        service, [("order-a", "LANG-ORDER", "inspector"), ("order-b", "LANG-ORDER", "inspector")]
    )
    first, second = made["order-a"], made["order-b"]
    plain, asks_es, asks_other = Reader(service), Reader(service, "es"), Reader(service, "de, sw")
    for reader in (plain, asks_es, asks_other):
        reader.login(first.name, first.password)
    # No setting, office default English: the browser's language, else English.
    assert _language_of(plain) == "en"
    assert _language_of(asks_es) == "es"
    assert _language_of(asks_other) == "en"
    # The office's default comes after the browser's.
    changed = run_cli(service.env, "offices", "language", "LANG-ORDER", "ne")
    assert changed.returncode == 0, changed.stderr
    assert _language_of(plain) == "ne"
    assert _language_of(asks_other) == "ne"
    assert _language_of(asks_es) == "es"
    # Her own setting comes first, whatever the browser asks for.
    status, headers, _ = asks_es.form("/language", {"language": "ar"})
    assert status == 303
    assert headers["Location"] == "/language?saved=1"
    assert _language_of(asks_es) == "ar"
    assert _language_of(plain) == "ar"
    saved = asks_es.get("/language?saved=1")[2].decode()
    assert 'id="language-saved"' in saved
    assert 'id="id_language_5" checked' in saved or re.search(
        r'value="ar"[^>]*checked|checked[^>]*value="ar"', saved
    )
    # Only her own: a colleague of the same office still follows her browser, then the office.
    other = Reader(service, "fr")
    other.login(second.name, second.password)
    assert _language_of(other) == "fr"
    other.language = None
    assert _language_of(other) == "ne"
    # Back to no choice: the browser's again.
    status, _, _ = asks_es.form("/language", {"language": ""})
    assert status == 303
    assert _language_of(asks_es) == "es"
    # Signed out, the log-in page follows the browser (no office is known yet).
    assert _language_of(Reader(service, "id"), "/login") == "id"


def test_the_language_form_refuses_what_it_should(world: World) -> None:
    service = world.service
    made = make_accounts(service, [("order-c", "LANG-ORDER-2", "inspector")])
    reader = Reader(service, "fr")
    reader.login(made["order-c"].name, made["order-c"].password)
    status, _, body = reader.form("/language", {"language": "xx"})
    assert status == 400
    text = body.decode()
    assert 'class="error-summary"' in text
    assert 'lang="fr"' in text
    # Without the form's token: Django's CSRF refusal, nothing saved.
    status, _, _ = reader.post_form("/language", {"language": "ar"})
    assert status == 403
    assert _language_of(reader) == "fr"
    # Signed out: to the log-in page, nothing saved.
    status, _, _ = Reader(service).post_form("/language", {"language": "ar"})
    assert status in (302, 403)


def test_an_office_refuses_a_language_it_does_not_ship(world: World) -> None:
    made = run_cli(
        world.service.env, "offices", "create", "LANG-BAD", "--name", "X", "--language", "de"
    )
    assert made.returncode == 2, made.stderr
    assert "'de' is not a language of the pages" in made.stderr
    assert "Traceback" not in made.stderr
    changed = run_cli(world.service.env, "offices", "language", OFFICE, "klingon")
    assert changed.returncode == 2
    assert "Traceback" not in changed.stderr
    created = run_cli(
        world.service.env, "offices", "create", "LANG-FIL", "--name", "Y", "--language", "fil"
    )
    assert created.returncode == 0, created.stderr


# -- the catalogues and the templates ----------------------------------------------------------


_FORMAT = re.compile(r"%\(\w+\)s|<[^>]+>")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_of_the_catalogue_is_translated_with_its_placeholders(language: str) -> None:
    found = catalogue(language)
    assert found.num_plurals >= 1
    problems = []
    for message in found:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(("untranslated", ids[0]))
            continue
        wanted = set().union(*(_FORMAT.findall(i) for i in ids))
        for string in strings:
            if not set(_FORMAT.findall(string)) <= wanted or (
                len(ids) == 1 and sorted(_FORMAT.findall(string)) != sorted(_FORMAT.findall(ids[0]))
            ):
                problems.append(("placeholders", ids[0], string))
    assert not problems, problems


def test_every_catalogue_has_the_same_texts() -> None:
    """One extraction for all: a language does not lag behind with texts the others have."""
    ids = {
        language: {(m.context, str(m.id)) for m in catalogue(language) if m.id}
        for language in LANGUAGES
    }
    first = ids[LANGUAGES[0]]
    assert len(first) > 250
    assert all(found == first for found in ids.values())


_TAGS = re.compile(
    r"{%\s*blocktranslate.*?%}.*?{%\s*endblocktranslate\s*%}|{%.*?%}|{{.*?}}|{#.*?#}|<!--.*?-->",
    re.DOTALL,
)
#: Literal texts of the templates that are not words: the verification code's shape.
_NOT_WORDS = {"XXXX-XXXX-XXXX-XXXX"}


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))
)
def test_no_template_text_is_outside_the_catalogue(template: str) -> None:
    """Every text the template itself holds is in a ``{% translate %}``: also the branches
    the rendered pages above did not take."""
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    bare = _TAGS.sub(" ", source)
    texts = [t for t in read(bare).texts if t not in _NOT_WORDS]
    words = [t for t in texts if re.search(r"[A-Za-z]{2}", t)]
    assert not words, f"{template}: {words}"


#: FEE-02's title, found by the sample agency; the rules page lists every rule's.
LIBRARY_TITLE = "Agency charged the worker recruitment-related costs"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_librarys_texts_on_a_page_are_in_the_pages_language(
    world: World, language: str
) -> None:
    """An Arabic page carried English rule titles: the library's texts follow the page's
    language (auditor/locale's catalogue), on the audit page and the rules page."""
    with (ROOT / "auditor" / "locale" / language / "LC_MESSAGES" / "auditor.po").open("rb") as po:
        translated = read_po(po)[LIBRARY_TITLE].string
    assert translated
    assert translated != LIBRARY_TITLE
    for page in ("audit-draft", "rules"):
        english = " ".join(read(world.pages[(page, "en")][2]).texts)
        assert LIBRARY_TITLE in english, page
        texts = " ".join(read(world.pages[(page, language)][2]).texts)
        assert translated in texts, (page, language)
        assert LIBRARY_TITLE not in texts, (page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_evidence_lines_identifying_words_are_in_the_pages_language(
    world: World, language: str
) -> None:
    """'Fees!E5 amount = 8000 (training, paid to agency)': the words in brackets come from
    the library's catalogue in the page's language (the job stores them in each)."""
    english = " ".join(read(world.pages[("audit-draft", "en")][2]).texts)
    assert "paid to agency" in english
    texts = " ".join(read(world.pages[("audit-draft", language)][2]).texts)
    assert "paid to agency" not in texts, language

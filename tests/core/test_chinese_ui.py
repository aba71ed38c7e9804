"""Every page each role reaches from its menu, rendered in zh-Hans, is Chinese: no
catalogue msgid shown untranslated, no English-only label, entry or reference from the
parameter files, no other English words outside names, codes and numbers (issue #22)."""

from __future__ import annotations

import html
import re
from collections import deque
from pathlib import Path
from typing import Any

import polib
import pytest

import safetynet
from safetynet.accounts.roles import Department, Role
from safetynet.policy.params import load_parameters
from tests.conftest import COUNTY, VILLAGE_A, client_for, make_household, make_user

CATALOGUE = Path(safetynet.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po"
MAX_PAGES = 45  # per role: the menu, each module's first page and the links from them
SKIP = re.compile(r"/(logout|i18n|static|media)/|/export|/download|\.(csv|xlsx|pdf)$|/otp/")
HIDDEN = re.compile(r"<(script|style|code|textarea|pre)\b[^>]*>.*?</\1>", re.S | re.I)
ATTRS = re.compile(r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"')
# Words that are the same in a Chinese UI: product and format names, codes, units.
ALLOWED = {"SafetyNet", "English", "Excel", "PDF", "CSV", "XLSX", "API", "ID", "OK", "TOTP",
           "PIPL", "DCI", "App", "IC"}


def untranslated_msgids() -> set[str]:
    """Catalogue entries whose Chinese differs from the English msgid."""
    entries = polib.pofile(str(CATALOGUE))
    return {e.msgid.strip() for e in entries
            if e.msgstr and e.msgstr.strip() != e.msgid.strip() and re.search("[A-Za-z]{3}",
                                                                            e.msgid)}


def parameter_english() -> set[str]:
    """English-only texts of the parameter files (labels, entries, references)."""
    found: set[str] = set()
    for param in load_parameters().parameters.values():
        found.add(param.label_en)
        found |= {en for zh, en in param.key_labels.values() if zh != en}
        found |= {d.reference for values in param.scopes.values() for d in values
                  if d.reference != d.reference_zh}
    return {text for text in found if len(text) > 3}


def visible_texts(page: str) -> list[str]:
    body = HIDDEN.sub(" ", re.split(r"<body\b[^>]*>", page, maxsplit=1)[-1])
    nodes = [html.unescape(n) for n in re.split(r"<[^>]+>", body)]
    nodes += [html.unescape(a) for a in ATTRS.findall(body)]
    return [" ".join(n.split()) for n in nodes if n.strip()]


def english_words(text: str) -> list[str]:
    """Words of three letters or more; a token with digits or underscores is a code or an
    account name (``user_clerk``, ``P1``), not English."""
    words = [w.strip(",.:;()") for w in text.split()]
    return [w for w in words if re.fullmatch(r"[A-Za-z][A-Za-z'-]{2,}", w) and w not in ALLOWED]


def problems(page: str, msgids: set[str], english: set[str]) -> list[str]:
    found = []
    for text in visible_texts(page):
        if text in msgids or text in english:
            found.append(f"untranslated: {text!r}")
        elif len(english_words(text)) >= 2 and not re.search(r"[\u4e00-\u9fff]", text):
            found.append(f"English: {text!r}")
    return found


def links(page: str) -> list[str]:
    hrefs = re.findall(r'href="(/[^"#]*)"', page)
    return [html.unescape(h) for h in hrefs if not SKIP.search(h)]


def crawl(client: Any, msgids: set[str], english: set[str]) -> dict[str, list[str]]:
    seen, queue, faults = {"/"}, deque(["/"]), {}
    while queue and len(seen) <= MAX_PAGES:
        url = queue.popleft()
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        page = response.content.decode()
        if found := problems(page, msgids, english):
            faults[url] = found
        for link in links(page):
            if link not in seen and len(seen) < MAX_PAGES:
                seen.add(link)
                queue.append(link)
    return faults


@pytest.fixture(scope="module")
def catalogue() -> tuple[set[str], set[str]]:
    return untranslated_msgids(), parameter_english()


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_page_a_role_reaches_is_chinese(county: Any, role: str,
                                              catalogue: tuple[set[str], set[str]]) -> None:
    clerk = make_user("clerk_home", Role.CLERK, county[COUNTY])
    make_household(clerk, VILLAGE_A)
    user = make_user(f"user_{role}", role, county[COUNTY])
    if role == Role.PARTNER:
        user.department = Department.HEALTH_INSURANCE
        user.save()
    assert crawl(client_for(user), *catalogue) == {}


def test_the_scan_finds_english() -> None:
    page = "<body><p>Args kwargs, Return value</p><p>户数</p><p title=\"Households\">x</p></body>"
    assert problems(page, {"Households"}, set()) == [
        "English: 'Args kwargs, Return value'", "untranslated: 'Households'"]


def test_month_formats_are_explained_in_chinese() -> None:
    """"YYYY-MM" is English shorthand: the Chinese catalogue never shows it."""
    entries = polib.pofile(str(CATALOGUE))
    assert [e.msgid for e in entries if "YYYY" in e.msgstr] == []

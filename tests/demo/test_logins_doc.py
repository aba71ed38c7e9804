"""docs/demo.md lists every demo login, generated from safetynet/demo/accounts.py."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command

from safetynet.demo.accounts import DEMO_USERS, LOGINS_END, LOGINS_START, demo_logins_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "demo.md"


def test_the_doc_holds_the_generated_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text[text.index(LOGINS_START): text.index(LOGINS_END) + len(LOGINS_END)]
    assert block == demo_logins_markdown(), "run `safetynet demo_logins --markdown`"
    assert all(f"| `{username}` |" in block for username, *_ in DEMO_USERS)
    assert "127.0.0.1:8000" in text


def test_the_command_prints_the_table(capsys) -> None:
    call_command("demo_logins", "--markdown")
    assert capsys.readouterr().out.strip() == demo_logins_markdown()

"""``auditor rules docs``: the committed catalogue pages are exactly what the rule files give.

``docs/rules/`` is generated from the rule files (one page per rule, an
index, the vocabulary of fields) and committed, so a reader on the web
sees the rules the engine runs. This test fails whenever a rule file
changes and the pages were not regenerated; to fix it, run::

    .venv/bin/auditor rules docs --out docs/rules
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.authoring.docs import MARK, render_docs
from auditor.pipeline import rule_pack
from tests.authoring.tools import ROOT, Output

Cli = Callable[..., Output]
COMMITTED = ROOT / "docs" / "rules"
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def _pages(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.md"))}


def test_the_committed_pages_are_what_the_rule_files_give() -> None:
    expected = render_docs(rule_pack())
    committed = _pages(COMMITTED)
    fix = "docs/rules/ is out of date: run .venv/bin/auditor rules docs --out docs/rules"
    assert sorted(committed) == sorted(expected), fix
    stale = [name for name, text in expected.items() if committed[name] != text]
    assert stale == [], f"{fix} ({', '.join(stale)} differ)"


def test_the_command_writes_the_same_pages_every_time(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    first = cli("rules", "docs", "--out", out)
    assert first.status == 0
    assert f"39 pages in {out}" in first.err
    assert _pages(out) == _pages(COMMITTED)
    written = {path.name: path.stat().st_mtime_ns for path in out.iterdir()}
    assert cli("rules", "docs", "--out", out).status == 0
    assert {path.name: path.stat().st_mtime_ns for path in out.iterdir()} == written


def test_a_rule_directory_of_ones_own(cli: Cli, my_rules: Path, tmp_path: Path) -> None:
    """A rule added gets its page and a line in the index; a rule removed loses its page,
    and a page someone wrote by hand in the folder stays."""
    out = tmp_path / "pages"
    assert cli("rules", "docs", "--rules", my_rules, "--out", out).status == 0
    (out / "notes.md").write_text("# Our notes\n", encoding="utf-8")
    text = (my_rules / "MOB-01.yaml").read_text(encoding="utf-8")
    (my_rules / "MOB-09.yaml").write_text(
        text.replace("id: MOB-01", "id: MOB-09").replace("title: ", "title: Copy of MOB-01, ", 1),
        encoding="utf-8",
    )
    (my_rules / "MOB-03.yaml").unlink()
    assert cli("rules", "docs", "--rules", my_rules, "--out", out).status == 0
    names = set(_pages(out))
    assert {"MOB-09.md", "notes.md"} <= names
    assert "MOB-03.md" not in names
    index = (out / "README.md").read_text(encoding="utf-8")
    assert "[MOB-09](MOB-09.md)" in index
    assert "[MOB-03]" not in index
    page = (out / "MOB-09.md").read_text(encoding="utf-8")
    assert page.startswith(MARK)
    assert "# MOB-09: Copy of MOB-01, " in page
    assert "Source: `MOB-09.yaml`" in page


@pytest.mark.parametrize("rule", rule_pack().rules, ids=lambda rule: rule.id)
def test_each_page_shows_its_rule(rule: object) -> None:
    from auditor.engine.rulefile import Rule

    assert isinstance(rule, Rule)
    page = (COMMITTED / f"{rule.id}.md").read_text(encoding="utf-8")
    assert f"# {rule.id}: {rule.data.title}" in page
    for norm in rule.data.norms:
        assert f"- {norm}" in page
    for example in rule.data.examples:
        assert f"### {example.name}" in page
    assert f"[{rule.id}]({rule.id}.md)" in (COMMITTED / "README.md").read_text(encoding="utf-8")


def _anchors(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces to -."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}


@pytest.mark.parametrize(
    "page",
    [*sorted(COMMITTED.glob("*.md")), ROOT / "docs" / "rule-authoring.md"],
    ids=lambda page: page.name,
)
def test_every_link_between_pages_resolves(page: Path) -> None:
    for match in LINK.finditer(page.read_text(encoding="utf-8")):
        target = match["target"]
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        assert linked.exists(), f"{page.name} links to {target}, which does not exist"
        if anchor and linked.suffix == ".md":
            assert anchor in _anchors(linked), f"{page.name} links to {target}: no such heading"


def test_without_out_the_pages_go_to_docs_rules(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``auditor rules docs`` as audit-output.md writes it, with no option: docs/rules/ here."""
    monkeypatch.chdir(tmp_path)
    assert cli("rules", "docs").status == 0
    assert _pages(tmp_path / "docs" / "rules") == _pages(COMMITTED)

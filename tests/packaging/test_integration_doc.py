"""docs/integration.md works as written: its Python blocks run, in order, as one script.

The curl examples of the HTTP API are not run (they need a running
service); their paths are checked against the routes ``web.md`` defines,
as the service's own tests check the service.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "integration.md"
_BLOCK = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.M | re.S)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
#: The routes of the API table of web.md (the service's spec), ids as {id}.
ROUTES = {
    "/api/v1/audits",
    "/api/v1/audits/{id}",
    "/api/v1/audits/{id}/report.pdf",
    "/api/v1/audits/{id}/result.json",
    "/api/v1/audits/{id}/findings.xlsx",
    "/api/v1/audits/{id}/comparison",
    "/api/v1/audits/{id}/issue",
    "/api/v1/audits/{id}/accesses",
    "/api/v1/openapi.json",
    # Issue 27's addition beside web.md 1.1's routes: the workers' notices.
    "/api/v1/audits/{id}/notices.pdf",
}


def _blocks(lang: str) -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    return [m["body"] for m in _BLOCK.finditer(text) if m["lang"] == lang]


def test_every_python_block_runs_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = _blocks("python")
    assert len(blocks) >= 8
    monkeypatch.chdir(tmp_path)  # the guide writes its reports/ where it runs
    namespace: dict[str, object] = {"__name__": "integration_guide"}
    for number, block in enumerate(blocks, start=1):
        code = compile(block, f"docs/integration.md, python block {number}", "exec")
        exec(code, namespace)  # the guide's own code, as a reader would paste it
    printed = capsys.readouterr().out
    assert "FEE-02 W2 F2 fees[1].amount" in printed
    # the follow-up's persisting finding: refunded in full, so never overdue (1.2)
    assert "[('FEE-02', 'W2', False, True)]" in printed
    assert (tmp_path / "reports" / "LS-2026-0042.agency.pdf").is_file()


def test_the_routes_the_guide_calls_are_the_api_of_web_md() -> None:
    called = set()
    for block in _blocks("console"):
        for url in re.findall(r"https://[^\s\"']+", block):
            path = "/" + url.split("/", 3)[3].split("?")[0]
            called.add(_UUID.sub("{id}", path))
    assert called, "the guide shows the API"
    assert called <= ROUTES, sorted(called - ROUTES)

"""The built package audits on its own: sdist -> wheel -> a fresh environment -> a PDF.

The issue that started this (issue 13): a wheel built from the checkout
had no rule pack and no report templates, and only an editable install
could audit. Here the sdist is built from a copy of the checkout, the
wheel from that sdist, and the wheel is installed with its dependencies
(repacked from this environment, no index asked) into a new virtual
environment in a temporary folder, one that does not see this checkout
or this environment's packages. The sample agency is audited there, from
a working directory outside the checkout, PDF included, and must give
the very result this checkout gives.

Building needs setuptools >= 77 for the build environment: from pip's
index (PyPI in CI, or a local mirror), as any ``pip wheel .`` does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import venv
from pathlib import Path

import pytest

import auditor
from tests.packaging.wheelhouse import repack, requirements_closure, wheel_requirements

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_audits" / "agency-with-problems.xlsx"
#: Never copied into the build's source tree: environments, caches and earlier builds.
_NOT_SOURCE = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", "*.egg-info", "build", "dist", "out", ".*_cache", ".hypothesis"
)
_TIMEOUT_S = 300  # a guard against a hung pip, never a measure


def _run(*command: str | Path, cwd: Path, status: int = 0) -> str:
    """Run a command with an environment that says nothing of this checkout or its venv;
    its standard output, or its standard error when it must fail with ``status``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == status, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout if status == 0 else done.stderr


def _pip(*arguments: str | Path, python: Path, cwd: Path) -> str:
    """This environment's pip, installing into another interpreter's environment."""
    return _run(sys.executable, "-m", "pip", "--python", python, *arguments, cwd=cwd)


def _last_line(text: str) -> str:
    """What the build hook returned (setuptools talks on standard output before it)."""
    return text.strip().splitlines()[-1]


def _fresh_env(folder: Path) -> Path:
    """A new virtual environment without pip and without this one's packages."""
    venv.EnvBuilder(with_pip=False, system_site_packages=False, clear=True).create(folder)
    return folder / "bin" / "python"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(sdist, wheel built from that sdist), built outside the checkout."""
    work = tmp_path_factory.mktemp("build")
    source = Path(shutil.copytree(ROOT, work / "source", ignore=_NOT_SOURCE))
    backend = _fresh_env(work / "backend")
    # What pip's build isolation installs: pyproject.toml's build requirements (setuptools,
    # wheel, and Babel, which compiles the catalogues' .mo files: issue 27).
    with (ROOT / "pyproject.toml").open("rb") as stream:
        requires = tomllib.load(stream)["build-system"]["requires"]
    _pip("install", "--quiet", *requires, python=backend, cwd=work)
    dist = work / "dist"
    hook = "import sys; from setuptools import build_meta as b; print(b.{}(sys.argv[1]))"
    sdist = dist / _last_line(_run(backend, "-c", hook.format("build_sdist"), dist, cwd=source))
    with tarfile.open(sdist) as archive:
        archive.extractall(work / "unpacked", filter="data")
    unpacked = work / "unpacked" / sdist.name.removesuffix(".tar.gz")
    wheel = dist / _last_line(_run(backend, "-c", hook.format("build_wheel"), dist, cwd=unpacked))
    return sdist, wheel


def test_the_sdist_and_the_wheel_carry_the_rule_pack_and_the_report(
    built: tuple[Path, Path],
) -> None:
    import zipfile

    sdist, wheel = built
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    for folder in ("rules", "reports"):
        shipped = {
            path.relative_to(ROOT).as_posix()
            for path in (ROOT / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        }
        assert shipped <= in_sdist, sorted(shipped - in_sdist)
        assert {f"auditor/_data/{name}" for name in shipped} <= in_wheel
    assert "auditor/py.typed" in in_wheel
    schemas = {p.name for p in (ROOT / "auditor" / "schemas").glob("*.schema.json")}
    assert schemas, "the JSON Schemas are shipped in the package"
    assert {f"auditor/schemas/{name}" for name in schemas} <= in_wheel
    service = {
        path.relative_to(ROOT).as_posix()
        for folder in ("templates", "static", "migrations")
        for path in (ROOT / "auditor" / "service" / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert service, "the service's pages and migrations are shipped in the package"
    assert service <= in_wheel, sorted(service - in_wheel)
    catalogues = sorted((ROOT / "auditor" / "locale").glob("*/LC_MESSAGES/auditor.po"))
    assert catalogues, "the translations are shipped (issue 27)"
    for po in catalogues:
        name = po.relative_to(ROOT).as_posix()
        assert name in in_sdist
        assert name.replace(".po", ".mo") in in_wheel  # compiled by setup.py's build step
    assert "LICENSE" in in_sdist  # Apache-2.0, as pyproject.toml declares
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in in_wheel)


def test_the_wheel_audits_in_a_fresh_environment_outside_the_checkout(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    _, wheel = built
    house = tmp_path / "wheelhouse"
    house.mkdir()
    shutil.copy(wheel, house)
    for dist in requirements_closure(wheel_requirements(wheel)):
        repack(dist, house)
    python = _fresh_env(tmp_path / "env")
    # --isolated: no pip configuration, so nothing but the wheelhouse is looked at.
    _pip(
        "--isolated",
        "install",
        "--quiet",
        "--no-index",
        "--no-compile",
        "--find-links",
        house,
        f"auditor @ {wheel.as_uri()}",
        python=python,
        cwd=tmp_path,
    )
    where = tmp_path / "elsewhere"
    where.mkdir()
    sample = Path(shutil.copy(SAMPLE, where / SAMPLE.name))  # one input for both audits
    shown = _run(
        python,
        "-c",
        "import auditor, auditor.base.resources as r;"
        "print(auditor.__file__, r.default_rules_dir(), r.reports_dir(), auditor.__version__)",
        cwd=where,
    ).split()
    env_dir = (tmp_path / "env").resolve()
    assert all(Path(path).resolve().is_relative_to(env_dir) for path in shown[:3]), shown
    assert shown[3] == auditor.__version__

    out = where / "reports"
    _run(
        tmp_path / "env" / "bin" / "auditor",
        "audit",
        sample,
        "--out",
        out,
        "--format",
        "pdf,json",
        cwd=where,
    )
    here = auditor.audit(sample)
    assert (out / f"{here.audit_id}.json").read_text(encoding="utf-8") == here.to_json()
    pdf = (out / f"{here.audit_id}.pdf").read_bytes()
    schema = _run(tmp_path / "env" / "bin" / "auditor", "schema", "input", cwd=where)
    assert schema == (ROOT / "auditor" / "schemas" / "input.schema.json").read_text("utf-8")
    _a_broken_installation_says_so(Path(shown[0]).parent, where)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 20_000


def _a_broken_installation_says_so(package: Path, where: Path) -> None:
    """Without its report templates the installed auditor says so plainly (exit 3, no
    traceback): a broken installation is neither the input's fault nor a FileNotFoundError."""
    shutil.rmtree(package / "_data" / "reports")
    auditor_command = package.parents[3] / "bin" / "auditor"
    said = _run(auditor_command, "audit", SAMPLE, "--out", where / "broken", cwd=where, status=3)
    assert said.startswith("auditor: the reports folder that auditor ships was not found")
    assert "reinstall auditor" in said
    assert "Traceback" not in said
    assert not (where / "broken").exists() or not any((where / "broken").iterdir())

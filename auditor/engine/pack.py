"""A rule pack: every rule file of a directory, its profiles, checked together and compiled.

The pack is identified by ``version``, ``<pack version>+<digest>``, which
the audit result cites as ``ruleset_version``: the pack version is the one
its author wrote in ``pack.yaml``, the digest covers the parsed rules,
profiles and retired ids, so a comment or a re-indented file keeps it and
a changed threshold changes it. (The SHA-256 of the files' bytes,
``digest``, only tells a running process that a file was edited.) The pack
is compiled once into one durable-rules ruleset:

- each rule's condition becomes its "definitely true" branches (findings)
  and "undecided" branches (data gaps), one engine rule per branch;
- each rule that feeds a chain (the forced-labour indicators) also asserts
  an indicator fact when it matches: "held" from a true branch, "possible"
  from either; a source whose facts are another record's (MOB-02 reads the
  employer) is also compiled over the worker's facts through the relation;
- a chain rule matches N indicator facts of one worker of N distinct
  kinds, over "held" (a finding) and over "possible" (a data gap where held
  ones alone do not reach N). It is one join per combination of N kinds,
  each alias pinned to its kind, joined on the worker by equality only:
  durable-rules 2.0.28 reads past the end of its node pool when a join
  compares another fact's field with ``$gt`` (valgrind: invalid reads in
  ``reduceExpressionSequence``; a segmentation fault once the pack grew),
  while equality joins are clean.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from auditor.base import yamltext
from auditor.engine.conditions import (
    All,
    Any_,
    Leaf,
    Node,
    Not,
    States,
    compile_condition,
    keys_read,
    leaves,
)
from auditor.engine.rulefile import Rule, RuleProblem, load_rule_file
from auditor.enrich.vocabulary import RELATIONS, FactType
from auditor.errors import RulePackError
from auditor.model.destinations import (
    DESTINATIONS_DIR,
    NO_DESTINATIONS,
    DestinationSet,
    destination_files,
    load_destinations,
)
from auditor.model.enums import SubjectType
from auditor.model.profiles import ProfileSet, load_profiles

Level = Literal["T", "U", "held", "possible"]
INDICATOR = "indicator"
RETIRED_FILE = "retired.yaml"
#: The pack's own metadata (its version), at the top of the rule directory.
PACK_FILE = "pack.yaml"
#: The pack version of a rule directory without ``pack.yaml`` (a rule author's first draft).
UNVERSIONED = "0.0.0"
_PACK_VERSION = re.compile(r"\d+\.\d+\.\d+")
#: Hex digits of the content digest shown in ``version``.
_SHOWN_DIGEST = 12


@dataclass(frozen=True)
class Retired:
    id: str
    retired_on: str
    reason: str


@dataclass(frozen=True)
class RulePack:
    """The rules and profiles of one directory, checked, with their digest."""

    directory: Path
    rules: tuple[Rule, ...]
    profiles: ProfileSet
    retired: tuple[Retired, ...]
    digest: str  # of the files' bytes: tells a running process a file changed
    pack_version: str = UNVERSIONED
    content_digest: str = ""  # of the parsed content: what ``version`` cites
    destinations: DestinationSet = NO_DESTINATIONS  # catalogue 1.3: corridor law

    @property
    def version(self) -> str:
        """``<pack version>+<digest>``: the ``ruleset_version`` of the results it makes."""
        return f"{self.pack_version}+{self.content_digest[:_SHOWN_DIGEST]}"

    def rule(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    @property
    def _by_id(self) -> dict[str, Rule]:
        cached: dict[str, Rule] | None = self.__dict__.get("_rules_by_id")
        if cached is None:
            cached = {rule.id: rule for rule in self.rules}
            object.__setattr__(self, "_rules_by_id", cached)
        return cached

    @property
    def ids(self) -> list[str]:
        return [rule.id for rule in self.rules]


def rule_files(directory: Path) -> list[Path]:
    """The rule files of a directory: ``*.yaml`` at any depth, except profiles, retired ids
    and the pack's metadata."""
    return sorted(
        path
        for path in directory.rglob("*.yaml")
        if "profiles" not in path.relative_to(directory).parts
        and DESTINATIONS_DIR not in path.relative_to(directory).parts
        and path.name != RETIRED_FILE
        and path != directory / PACK_FILE
    )


def _digest(directory: Path) -> str:
    digest = hashlib.sha256()
    files = [*rule_files(directory), *sorted((directory / "profiles").glob("*.yaml"))]
    files += destination_files(directory)
    files += [path for path in (directory / RETIRED_FILE, directory / PACK_FILE) if path.exists()]
    for path in files:
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def content_digest(
    rules: Sequence[Rule],
    profiles: ProfileSet,
    retired: Sequence[Retired],
    destinations: DestinationSet = NO_DESTINATIONS,
) -> str:
    """SHA-256 over what the files say once parsed (sorted keys, no layout, no comments).

    Rules by id and profiles by id, so neither a file's name nor its place
    in the folder counts, only what it means.
    """
    content = {
        "rules": [rule.data.model_dump(mode="json") for rule in sorted(rules, key=_rule_id)],
        "profiles": [profile.model_dump(mode="json") for profile in profiles.all()],
        "retired": sorted([item.id, item.retired_on, item.reason] for item in retired),
    }
    if len(destinations):  # a pack without destination profiles keeps its 1.2 digest
        content["destinations"] = [d.model_dump(mode="json") for d in destinations.all()]
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rule_id(rule: Rule) -> str:
    return rule.id


def read_pack_version(directory: Path) -> tuple[str, list[RuleProblem]]:
    """The ``version`` of ``pack.yaml`` (``MAJOR.MINOR.PATCH``), or the problems with it.

    A directory without the file is a draft: its version is ``0.0.0``.
    """
    path = directory / PACK_FILE
    if not path.exists():
        return UNVERSIONED, []
    try:
        data = yamltext.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        return UNVERSIONED, [RuleProblem(path, 1, f"cannot be read as YAML: {error}")]
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not _PACK_VERSION.fullmatch(version):
        return UNVERSIONED, [
            RuleProblem(
                path,
                1,
                f"version must be MAJOR.MINOR.PATCH, e.g. version: 1.0.0 (found {version!r})",
            )
        ]
    return version, []


def _retired(directory: Path) -> tuple[Retired, ...]:
    path = directory / RETIRED_FILE
    if not path.exists():
        return ()
    data = yamltext.load(path.read_text(encoding="utf-8")) or []
    return tuple(
        Retired(str(i["id"]), str(i.get("retired_on", "")), str(i.get("reason", ""))) for i in data
    )


def check_pack(directory: Path) -> tuple[RulePack | None, list[RuleProblem]]:
    """Load and check a whole rule directory; every problem of every file is listed."""
    directory = directory.resolve()
    problems: list[RuleProblem] = []
    rules: list[Rule] = []
    files = rule_files(directory)
    if not files:
        problems.append(RuleProblem(directory, 1, "no rule files (*.yaml) found"))
    for path in files:
        rule, found = load_rule_file(path)
        problems += found
        if rule is not None:
            rules.append(rule)
    try:
        profiles = load_profiles(directory)
    except RulePackError as error:
        problems.append(RuleProblem(directory / "profiles", 1, str(error)))
        return None, problems
    try:
        destinations = load_destinations(directory)
    except RulePackError as error:
        problems.append(RuleProblem(directory / DESTINATIONS_DIR, 1, str(error)))
        destinations = NO_DESTINATIONS
    retired = _retired(directory)
    problems += _cross_checks(rules, retired, profiles, directory)
    version, version_problems = read_pack_version(directory)
    problems += version_problems
    if problems:
        return None, problems
    rules.sort(key=lambda rule: rule.id)
    pack = RulePack(
        directory,
        tuple(rules),
        profiles,
        retired,
        _digest(directory),
        pack_version=version,
        content_digest=content_digest(rules, profiles, retired, destinations),
        destinations=destinations,
    )
    return pack, []


def _cross_checks(
    rules: list[Rule], retired: tuple[Retired, ...], profiles: ProfileSet, directory: Path
) -> list[RuleProblem]:
    problems: list[RuleProblem] = []
    seen: dict[str, Rule] = {}
    retired_ids = {item.id: item for item in retired}
    for rule in rules:
        if rule.id in seen:
            problems.append(
                RuleProblem(
                    rule.source,
                    rule.line("id"),
                    f"id {rule.id} is also used by {seen[rule.id].source.name}; every rule needs "
                    "an id of its own",
                )
            )
        seen.setdefault(rule.id, rule)
        if rule.id in retired_ids:
            item = retired_ids[rule.id]
            problems.append(
                RuleProblem(
                    rule.source,
                    rule.line("id"),
                    f"id {rule.id} was retired on {item.retired_on} ({item.reason}); ids are "
                    "never reused: choose a new one",
                )
            )
    for rule in rules:
        chain = rule.data.chain
        if chain is None:
            continue
        if rule.data.subject is not SubjectType.WORKER:
            problems.append(
                RuleProblem(
                    rule.source, rule.line("subject"), "a chain rule's subject must be worker"
                )
            )
        for kind, sources in chain.indicators.items():
            line = rule.line("chain", "indicators", kind)
            for source_id in sources:
                source = seen.get(source_id)
                if source is None:
                    problems.append(
                        RuleProblem(
                            rule.source, line, f"indicator {kind}: no rule has id {source_id}"
                        )
                    )
                elif source.data.chain is not None:
                    problems.append(
                        RuleProblem(
                            rule.source, line, f"indicator {kind}: {source_id} is a chain itself"
                        )
                    )
                elif _indicator_route(source) is None:
                    problems.append(
                        RuleProblem(
                            rule.source,
                            line,
                            f"indicator {kind}: {source_id} reads {source.over.value} facts, "
                            "which do not belong to one worker",
                        )
                    )
        for kind, own in chain.conditions.items():
            if own.over not in _OWN_INDICATOR_FACTS:
                problems.append(
                    RuleProblem(
                        rule.source,
                        rule.line("chain", "conditions", kind, "over"),
                        f"indicator {kind}: over: must be one of "
                        f"{', '.join(f.value for f in _OWN_INDICATOR_FACTS)} (facts of one worker)",
                    )
                )
    for profile in profiles.all():
        for rule_id in profile.severity_overrides:
            if rule_id not in seen:
                problems.append(
                    RuleProblem(
                        directory / "profiles" / f"{profile.id}.yaml",
                        1,
                        f"severity_overrides names {rule_id}, which no rule file defines; "
                        "remove it or add the rule",
                    )
                )
    return problems


def load_pack(directory: Path) -> RulePack:
    """A checked rule pack, or :class:`RulePackError` listing every problem."""
    pack, problems = check_pack(directory)
    if pack is None:
        raise RulePackError("\n".join(str(problem) for problem in problems))
    return pack


# -- loaded packs ------------------------------------------------------------------------------


def rule_pack(rules_dir: str | Path | None = None) -> RulePack:
    """The rule pack of a directory (the shipped one by default), checked."""
    from auditor.base.resources import default_rules_dir

    return _packs.get(Path(rules_dir).resolve() if rules_dir else default_rules_dir())


def rule_pack_version(rules_dir: str | Path | None = None) -> str:
    """The ``ruleset_version`` audits with these rules (the shipped ones by default) cite.

    ``<pack version>+<digest>``, e.g. ``1.1.0+e50724d6c9a5``: a licensing
    system pins it, and compares it with a stored result's to know whether
    an audit made today would apply the same rules. Raises
    :class:`~auditor.errors.RulePackError` when the directory's rules cannot be used.
    """
    return rule_pack(rules_dir).version


class _PackCache:
    """Packs by directory, reloaded when a file's content changes (its digest)."""

    def __init__(self) -> None:
        self._by_directory: dict[Path, RulePack] = {}

    def get(self, directory: Path) -> RulePack:
        cached = self._by_directory.get(directory)
        if cached is not None and cached.digest == _digest(directory):
            return cached
        pack = load_pack(directory)
        self._by_directory[directory] = pack
        return pack


_packs = _PackCache()


# -- compilation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Branch:
    """What one engine rule stands for."""

    rule_id: str
    level: Level
    over: FactType
    leaves: tuple[tuple[Leaf, States], ...] = ()
    indicator: str | None = None
    projection: bool = False  # compiled over another fact type only to assert indicators


@dataclass
class CompiledPack:
    """One durable-rules ruleset for a pack, and the meaning of each of its rules."""

    pack: RulePack
    name: str
    ruleset: dict[str, Any] = field(default_factory=dict)
    branches: dict[str, Branch] = field(default_factory=dict)
    paths: dict[FactType, set[str]] = field(default_factory=dict)
    read: set[str] = field(default_factory=set)  # every fact key some condition reads

    def react(self, name: str, matched: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Indicator facts a match asserts (chaining); nothing for other rules."""
        branch = self.branches.get(name)
        if branch is None or branch.indicator is None:
            return []
        worker = matched["m"]["w"]
        levels = ("held", "possible") if branch.level == "T" else ("possible",)
        return [
            {
                "t": INDICATOR,
                "id": f"i:{level}:{worker}:{branch.indicator}",
                "w": worker,
                "kind": branch.indicator,
                "level": level,
            }
            for level in levels
        ]


#: Fact types that belong to one worker, over which a chain's own indicator may read.
_OWN_INDICATOR_FACTS = (FactType.WORKER, FactType.FEE, FactType.CONTRACT, FactType.COMPLAINT)


def indicator_worker(fact_id: str) -> int:
    """The worker index of an indicator fact id (``i:<level>:<worker>:<kind>``)."""
    return int(fact_id.split(":")[2])


def _indicator_route(source: Rule) -> tuple[FactType, str] | None:
    """Which facts speak for a worker's indicator from ``source``, and under what prefix."""
    if source.over in (FactType.WORKER, FactType.FEE, FactType.CONTRACT, FactType.COMPLAINT):
        return source.over, ""
    if source.over in RELATIONS[FactType.WORKER]:
        return FactType.WORKER, f"{source.over.value}."
    return None


def _prefixed(node: Node, prefix: str) -> Node:
    if isinstance(node, Leaf):
        return Leaf(prefix + node.field, node.op, node.value, node.when_unknown)
    if isinstance(node, Not):
        return Not(_prefixed(node.item, prefix))
    items = tuple(_prefixed(item, prefix) for item in node.items)
    return All(items) if isinstance(node, All) else Any_(items)


_compiled: dict[str, CompiledPack] = {}
_compiling = threading.Lock()


def compile_pack(pack: RulePack) -> CompiledPack:
    """Compile a pack once per process and digest (the engine keeps a ruleset forever)."""
    with _compiling:
        compiled = _compiled.get(pack.digest)
        if compiled is None:
            compiled = _compiled[pack.digest] = _compile(pack)
        return compiled


def _compile(pack: RulePack) -> CompiledPack:
    compiled = CompiledPack(pack, name=f"auditor-{pack.digest[:16]}")
    indicator_of: dict[str, str] = {}
    for rule in pack.rules:
        if rule.data.chain is not None:
            for indicator, sources in rule.data.chain.indicators.items():
                for source_id in sources:
                    indicator_of[source_id] = indicator
    for rule in pack.rules:
        if rule.condition is not None:
            kind = indicator_of.get(rule.id)
            route = _indicator_route(rule) if kind else None
            own_indicator = kind if route is not None and route[1] == "" else None
            _add_rule(
                compiled,
                rule.id,
                rule.over,
                rule.condition,
                rule.applies_when,
                indicator=own_indicator,
            )
            if kind and route is not None and route[1]:
                fact, prefix = route
                applies = _prefixed(rule.applies_when, prefix) if rule.applies_when else None
                _add_rule(
                    compiled,
                    f"{rule.id}@{fact.value}",
                    fact,
                    _prefixed(rule.condition, prefix),
                    applies,
                    indicator=kind,
                    projection=True,
                )
    for rule in pack.rules:
        for kind, (over, node) in rule.chain_conditions.items():
            # An indicator of the chain's own (FL-01's excessive overtime): it asserts the
            # indicator fact and makes no finding (projection).
            _add_rule(
                compiled, f"{rule.id}@{kind}", over, node, None, indicator=kind, projection=True
            )
    for rule in pack.rules:
        chain = rule.data.chain
        if chain is None:
            continue
        kinds = chain.kinds
        for level, mark in (("held", "T"), ("possible", "P")):
            for number, combination in enumerate(itertools.combinations(kinds, chain.at_least)):
                name = f"{rule.id}#{mark}{number}"
                compiled.ruleset[name] = {"all": _join(combination, level)}
                compiled.branches[name] = Branch(rule.id, level, FactType.WORKER)  # type: ignore[arg-type]
    compiled.read = keys_read(compiled.ruleset)
    return compiled


def _add_rule(
    compiled: CompiledPack,
    name: str,
    over: FactType,
    condition: Node,
    applies_when: Node | None,
    *,
    indicator: str | None,
    projection: bool = False,
) -> None:
    true, undecided = compile_condition(condition, over, applies_when=applies_when)
    rule_id = name.split("@", maxsplit=1)[0]
    levels: tuple[tuple[Level, list[Any]], ...] = (("T", true), ("U", undecided))
    for level, branches in levels:
        for number, branch in enumerate(branches):
            engine_name = f"{name}#{level}{number}"
            compiled.ruleset[engine_name] = {"all": [{"m": branch.condition}]}
            compiled.branches[engine_name] = Branch(
                rule_id, level, over, branch.leaves, indicator, projection
            )
    paths = compiled.paths.setdefault(over, set())
    for tree in (condition, applies_when):
        if tree is not None:
            paths.update(leaf.field for leaf in leaves(tree))


def _join(kinds: tuple[str, ...], level: str) -> list[dict[str, Any]]:
    """Match one indicator fact of each of ``kinds``, all of the same worker."""
    joins: list[dict[str, Any]] = []
    for alias, kind in zip("abcdef", kinds, strict=False):
        tests: list[dict[str, Any]] = [{"t": INDICATOR}, {"level": level}, {"kind": kind}]
        if alias != "a":
            tests.append({"w": {"a": "w"}})
        joins.append({alias: {"$and": tests}})
    return joins

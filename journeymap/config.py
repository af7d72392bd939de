"""Settings that change what `check` reports; every field defaults to the documented behaviour.

They come from ``journeymap.toml`` or the ``[tool.journeymap]`` table of ``pyproject.toml``, found
from the current folder upwards (the nearest wins; ``journeymap.toml`` before ``pyproject.toml`` in
one folder; the search stops at the repository root), or from the file named by ``--config``::

    fail-on = "warning"                   # also fail on warnings (default: "error")
    include = ["journeys/**/*.yaml"]      # check only these files …
    exclude = ["journeys/drafts"]         # … but not these (globs relative to the config file)
    hotspot-threshold = 2.0               # JM301 fires above this friction contribution

    [rules]                               # [tool.journeymap.rules] in pyproject.toml
    JM104 = "error"                       # off, warning or error
    JM302 = "off"

    [weights]                             # friction component -> weight
    effort = 1.5

    [evidence]                            # survey evidence: journeymap/evidence/settings.py
    confidence = 0.95
    max-margin = 10

A mistake in the file is a :class:`ConfigError` with the file and, where it can be found, the line.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymap.evidence.settings import EvidenceSettings, SettingError, read_settings
from journeymap.findings import RULES, RunResult, Severity, did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_NAME = "journeymap.toml"
PYPROJECT = "pyproject.toml"
# JM001-JM003 mean the file did not load: nothing else can be checked, so they stay errors.
FIXED_RULES = ("JM001", "JM002", "JM003")


@dataclass(frozen=True)
class Config:
    # Rule id → severity, or None to turn the rule off. Rules not named keep their default.
    severities: dict[str, Severity | None] = field(default_factory=dict)
    # Friction component → weight; components not named keep the scoring defaults.
    weights: dict[str, float] = field(default_factory=dict)
    # The friction contribution above which JM301 fires; None keeps the scoring default.
    hotspot_threshold: float | None = None
    # Globs that choose which journey files are checked, relative to `root`.
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # The least severe finding that makes `check` exit 1.
    fail_on: Severity = Severity.ERROR
    # Confidence, thresholds and the age limit for survey evidence (JM401–JM403).
    evidence: EvidenceSettings = field(default_factory=EvidenceSettings)
    # The file the settings came from (None: defaults), and the folder its globs are relative to.
    source: str | None = None
    root: str | None = None

    def selects(self, path: str) -> bool:
        """Whether the include/exclude globs let ``path`` be checked."""
        parts = Path(os.path.relpath(os.path.abspath(path), self.root or os.getcwd())).parts
        if self.include and not any(_glob_matches(g, parts) for g in self.include):
            return False
        return not any(_glob_matches(g, parts) for g in self.exclude)

    def exit_code(self, result: RunResult) -> int:
        """1 when a finding is at least as severe as `fail_on`, else 0."""
        if result.errors or (self.fail_on is Severity.WARNING and result.warnings):
            return 1
        return 0


DEFAULT = Config()


class ConfigError(Exception):
    """A mistake in a configuration file (a usage error: exit 2)."""

    def __init__(self, message: str, file: str, line: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.file, self.line, self.hint = message, file, line, hint

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}" + (f" — {self.hint}" if self.hint else "")


# -- finding and reading the file -------------------------------------------------------------


def find_config(start: str | None = None) -> Path | None:
    """The nearest config file from ``start`` (default: the current folder) upwards."""
    folder = Path(os.path.abspath(start or os.getcwd()))
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate / CONFIG_NAME
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and "[tool.journeymap" in _read(pyproject):
            return pyproject
        if (candidate / ".git").exists():  # the repository root: settings above it are not ours
            return None
    return None


def load_config(path: str | None = None, start: str | None = None) -> Config:
    """The settings in ``path``, or in the file found from ``start`` upwards, or the defaults."""
    if path is not None and not os.path.isfile(path):
        raise ConfigError("no such configuration file", path)
    found = Path(path) if path is not None else find_config(start)
    if found is None:
        return DEFAULT
    found = Path(_shown(found))
    text = _read(found)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as bad:
        raise _toml_error(str(bad), str(found)) from None
    section = "[tool.journeymap]" if found.name == PYPROJECT else ""
    if section:
        data = data.get("tool", {}).get("journeymap")
        if not isinstance(data, dict):
            raise ConfigError("has no [tool.journeymap] table", str(found))
    return _Reader(str(found), text, section).config(data)


def _shown(path: Path) -> str:
    """The path relative to the current folder when it is under it, for messages."""
    relative = os.path.relpath(os.path.abspath(path))
    return str(path) if relative.startswith("..") else relative


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as bad:
        raise ConfigError(f"cannot be read: {bad}", str(path)) from None


def _toml_error(message: str, file: str) -> ConfigError:
    at = re.search(r"\(at line (\d+), column \d+\)$", message)
    text = message[: at.start()].strip() if at else message
    return ConfigError(f"not valid TOML: {text}", file, int(at.group(1)) if at else None)


# -- checking the settings --------------------------------------------------------------------

_KEYS = ("rules", "weights", "hotspot-threshold", "include", "exclude", "fail-on", "evidence")
_SEVERITIES = {"off": None, "info": Severity.INFO, "warning": Severity.WARNING, "error": Severity.ERROR}


class _Reader:
    """Turns the parsed TOML into a Config, pointing each mistake at its line."""

    def __init__(self, file: str, text: str, section: str) -> None:
        self.file, self.lines, self.section = file, text.splitlines(), section

    def fail(self, message: str, key: str, hint: str | None = None) -> ConfigError:
        return ConfigError(message, self.file, self.line_of(key), hint)

    def line_of(self, key: str) -> int | None:
        """The line where ``key`` is set (best effort: TOML parsers do not keep positions)."""
        bare = re.escape(key.rsplit(".", 1)[-1])
        setting = re.compile(rf"""^\s*(?:[\w.-]+\.)?["']?{bare}["']?\s*=|^\s*\[[^\]]*\b{bare}\]""")
        start = next((i for i, line in enumerate(self.lines) if line.strip() == self.section), 0)
        hits = (i for i, line in enumerate(self.lines) if i >= start and setting.search(line))
        hit = next(hits, None)
        return None if hit is None else hit + 1

    def config(self, data: dict[str, Any]) -> Config:
        for key in data:
            if key not in _KEYS:
                raise self.fail(f"unknown setting `{key}`", key, did_you_mean(key, _KEYS))
        return Config(
            severities=self.severities(data.get("rules", {})),
            weights=self.weights(data.get("weights", {})),
            hotspot_threshold=self.threshold(data.get("hotspot-threshold")),
            include=self.globs(data.get("include", []), "include"),
            exclude=self.globs(data.get("exclude", []), "exclude"),
            fail_on=self.fail_on(data.get("fail-on", "error")),
            evidence=self.evidence(data.get("evidence", {})),
            source=self.file, root=str(Path(os.path.abspath(self.file)).parent))

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"`{key}` must be a table", key, f"write it as [{key}] with one setting a line")
        return value

    def severities(self, value: Any) -> dict[str, Severity | None]:
        out: dict[str, Severity | None] = {}
        for rule, level in self.table(value, "rules").items():
            rule_id = rule.upper()
            if rule_id not in RULES:
                raise self.fail(f"`{rule}` is not a rule id", rule,
                                did_you_mean(rule_id, RULES) or "run `journeymap rules` for the list")
            if rule_id in FIXED_RULES:
                raise self.fail(f"{rule_id} cannot be configured: a file that does not load cannot "
                                "be checked", rule)
            if not isinstance(level, str) or level not in _SEVERITIES:
                raise self.fail(f"`{rule}`: severity must be off, info, warning or error, not {level!r}",
                                rule, did_you_mean(str(level), _SEVERITIES))
            out[rule_id] = _SEVERITIES[level]
        return out

    def weights(self, value: Any) -> dict[str, float]:
        out: dict[str, float] = {}
        if not self.table(value, "weights"):
            return out
        # Imported here: scoring pulls in networkx, which a config without weights does not need.
        from journeymap.analysis.friction import COMPONENTS

        for name, weight in value.items():
            if name not in COMPONENTS:
                raise self.fail(f"`{name}` is not a friction component", name,
                                did_you_mean(name, COMPONENTS) or "components: " + ", ".join(COMPONENTS))
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
                raise self.fail(f"weight `{name}` must be a number 0 or more, not {weight!r}", name)
            out[name] = float(weight)
        return out

    def threshold(self, value: Any) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise self.fail(f"`hotspot-threshold` must be a number 0 or more, not {value!r}",
                            "hotspot-threshold")
        return float(value)

    def globs(self, value: Any, key: str) -> tuple[str, ...]:
        listed = [value] if isinstance(value, str) else value
        if not isinstance(listed, list) or not all(isinstance(g, str) and g.strip() for g in listed):
            raise self.fail(f"`{key}` must be a list of globs", key, 'e.g. ["journeys/**/*.yaml"]')
        return tuple(listed)

    def evidence(self, value: Any) -> EvidenceSettings:
        try:
            return read_settings(self.table(value, "evidence"))
        except SettingError as bad:
            raise self.fail(bad.message, bad.key, bad.hint) from None

    def fail_on(self, value: Any) -> Severity:
        if value not in ("warning", "error"):
            raise self.fail(f"`fail-on` must be warning or error, not {value!r}", "fail-on",
                            did_you_mean(str(value), ("warning", "error")))
        return Severity(value)


# -- globs ------------------------------------------------------------------------------------


def _glob_matches(pattern: str, parts: tuple[str, ...]) -> bool:
    """gitignore-like: a glob without a slash matches any file or folder name on the path; one
    with a slash matches the path from the config's folder (or any folder above the file)."""
    anchored = "/" in pattern.strip("/")
    regex = _glob_regex(pattern.strip().strip("/").removeprefix("./"))
    if anchored:
        return any(regex.match("/".join(parts[:i])) for i in range(1, len(parts) + 1))
    return any(regex.match(part) for part in parts)


def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            out.append({"*": "[^/]*", "?": "[^/]"}.get(pattern[i], re.escape(pattern[i])))
            i += 1
    return re.compile("".join(out) + r"\Z")

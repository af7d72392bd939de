"""JUnit XML for CI test reports (GitLab, Jenkins, Azure DevOps, …).

One ``<testsuite>`` per journey file. In it, one test case for the journey (it fails when the file
has an error finding) and one per finding: errors are failures; warnings pass, with the warning in
``<system-out>`` so they show without failing the pipeline.

A finding's test is named by its rule, subject and position (``JM101 parcel-lost @14:17``), so
adding a finding elsewhere renames no other test and CI histories stay attached; two findings of
one rule about one subject at one place are told apart by a short hash of their messages. Every
name and message goes through :func:`journeymap.printable.printable`: no control character, even
one XML 1.0 could carry, reaches the report.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections import Counter

from journeymap.findings import FileResult, Finding, RunResult, Severity
from journeymap.printable import printable, utf8
from journeymap.report.ci import message, relative_path


def _clean(text: str) -> str:
    return printable(text)


def _where(f: Finding, file: str) -> str:
    span = f.span
    return _clean(f"{relative_path(span.file)}:{span.line}:{span.column}" if span else relative_path(file))


def _journey_case(fr: FileResult, suite: ET.Element, classname: str) -> None:
    case = ET.SubElement(suite, "testcase", name=_clean(f"journey {fr.journey_id or fr.file}"),
                         classname=classname, file=_clean(relative_path(fr.file)))
    if fr.errors:
        noun = "error" if fr.errors == 1 else "errors"
        ET.SubElement(case, "failure", message=_clean(f"{fr.errors} {noun} in {relative_path(fr.file)}"),
                      type="journey")


def _base_name(f: Finding) -> str:
    where = f" @{f.span.line}:{f.span.column}" if f.span else ""
    return f"{f.rule} {f.subject or 'journey'}{where}"


def test_names(findings: tuple[Finding, ...]) -> list[str]:
    """A stable, unique test name for each finding: rule, subject, position (and message hash)."""
    bases = [_base_name(f) for f in findings]
    shared = Counter(bases)
    names = [f"{base} #{hashlib.sha256(utf8(f.message)).hexdigest()[:8]}" if shared[base] > 1 else base
             for base, f in zip(bases, findings)]
    taken = Counter(names)  # the very same finding twice: number only those
    seen: Counter[str] = Counter()
    for i, name in enumerate(names):
        if taken[name] > 1:
            seen[name] += 1
            names[i] = f"{name} ({seen[name]})"
    return names


def _finding_case(f: Finding, name: str, fr: FileResult, suite: ET.Element, classname: str) -> None:
    case = ET.SubElement(suite, "testcase", name=_clean(name), classname=classname,
                         file=_clean(relative_path(fr.file)))
    if f.span:
        case.set("line", str(f.span.line))
    text = f"{_where(f, fr.file)}: {f.severity.value} [{f.rule}] {message(f)}"
    if f.severity is Severity.ERROR:
        failure = ET.SubElement(case, "failure", message=message(f), type=f.rule)
        failure.text = text
    else:
        ET.SubElement(case, "system-out").text = text


def testsuite(fr: FileResult) -> ET.Element:
    """The test suite of one journey file."""
    suite = ET.Element("testsuite", name=_clean(relative_path(fr.file)), tests=str(1 + len(fr.findings)),
                       failures=str(fr.errors + (1 if fr.errors else 0)), errors="0", skipped="0")
    classname = _clean(f"journeymap.{fr.journey_id or relative_path(fr.file)}")
    _journey_case(fr, suite, classname)
    for f, name in zip(fr.findings, test_names(fr.findings)):
        _finding_case(f, name, fr, suite, classname)
    return suite


def render(result: RunResult, color: bool = False) -> str:
    suites = [testsuite(fr) for fr in result.files]
    root = ET.Element("testsuites", name="journeymap",
                      tests=str(sum(int(s.get("tests", "0")) for s in suites)),
                      failures=str(sum(int(s.get("failures", "0")) for s in suites)), errors="0")
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

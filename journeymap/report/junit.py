"""JUnit XML for CI test reports (GitLab, Jenkins, Azure DevOps, …).

One ``<testsuite>`` per journey file. In it, one test case for the journey (it fails when the file
has an error finding) and one per finding: errors are failures; warnings pass, with the warning in
``<system-out>`` so they show without failing the pipeline. Test case names are unique in a suite.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from journeymap.findings import FileResult, Finding, RunResult, Severity
from journeymap.report.ci import message, relative_path

# Characters XML 1.0 cannot carry, even escaped; a YAML escape such as "\x01" can put one in a key.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _where(f: Finding, file: str) -> str:
    span = f.span
    return f"{relative_path(span.file)}:{span.line}:{span.column}" if span else relative_path(file)


def _journey_case(fr: FileResult, suite: ET.Element, classname: str) -> None:
    case = ET.SubElement(suite, "testcase", name=f"journey {fr.journey_id or fr.file}",
                         classname=classname, file=relative_path(fr.file))
    if fr.errors:
        noun = "error" if fr.errors == 1 else "errors"
        ET.SubElement(case, "failure", message=f"{fr.errors} {noun} in {relative_path(fr.file)}",
                      type="journey")


def _finding_case(f: Finding, fr: FileResult, suite: ET.Element, classname: str,
                  seen: dict[str, int]) -> None:
    name = f"{f.rule} {f.subject or 'journey'}"
    seen[name] = seen.get(name, 0) + 1
    if seen[name] > 1:  # two findings of one rule about one subject: keep names unique
        name = f"{name} ({seen[name]})"
    case = ET.SubElement(suite, "testcase", name=_clean(name), classname=classname,
                         file=relative_path(fr.file))
    if f.span:
        case.set("line", str(f.span.line))
    text = f"{_where(f, fr.file)}: {f.severity.value} [{f.rule}] {_clean(message(f))}"
    if f.severity is Severity.ERROR:
        failure = ET.SubElement(case, "failure", message=_clean(message(f)), type=f.rule)
        failure.text = text
    else:
        ET.SubElement(case, "system-out").text = text


def testsuite(fr: FileResult) -> ET.Element:
    """The test suite of one journey file."""
    suite = ET.Element("testsuite", name=relative_path(fr.file), tests=str(1 + len(fr.findings)),
                       failures=str(fr.errors + (1 if fr.errors else 0)), errors="0", skipped="0")
    classname = _clean(f"journeymap.{fr.journey_id or relative_path(fr.file)}")
    _journey_case(fr, suite, classname)
    seen: dict[str, int] = {}
    for f in fr.findings:
        _finding_case(f, fr, suite, classname, seen)
    return suite


def render(result: RunResult, color: bool = False) -> str:
    suites = [testsuite(fr) for fr in result.files]
    root = ET.Element("testsuites", name="journeymap",
                      tests=str(sum(int(s.get("tests", "0")) for s in suites)),
                      failures=str(sum(int(s.get("failures", "0")) for s in suites)), errors="0")
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

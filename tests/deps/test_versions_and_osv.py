"""OSV matching semantics: ranges, versions lists, withdrawn records, aliases,
severity, and the local database (folder or zip)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from llmsecops.deps import osv, versions
from llmsecops.model import Severity
from tests.helpers import DATA

FIXTURE_DB = DATA / "osv"


def record(
    events: list[dict[str, str]],
    *,
    eco: str = "PyPI",
    name: str = "pkg",
    rtype: str = "ECOSYSTEM",
    vid: str = "PYSEC-0000-1",
    listed: list[str] | None = None,
    **extra: Any,
) -> osv.Advisory:
    affected: dict[str, Any] = {
        "package": {"ecosystem": eco, "name": name},
        "ranges": [{"type": rtype, "events": events}],
    }
    if listed is not None:
        affected["versions"] = listed
    return osv.parse_advisory(
        {"id": vid, "modified": "2024-01-01T00:00:00Z", **extra, "affected": [affected]}
    )


def affected(adv: osv.Advisory, version: str, eco: str = "PyPI", name: str = "pkg") -> bool:
    return osv.match(adv, eco, name, version) is not None


# --- versions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "lower,higher",
    [
        ("1.0.0-alpha", "1.0.0-alpha.1"),
        ("1.0.0-alpha.1", "1.0.0-alpha.beta"),
        ("1.0.0-alpha.beta", "1.0.0-beta"),
        ("1.0.0-beta.2", "1.0.0-beta.11"),
        ("1.0.0-rc.1", "1.0.0"),
        ("1.9.0", "1.10.0"),
        ("4.17.15", "4.17.19"),
        ("v1.2.3", "1.2.4"),
    ],
)
def test_semver_precedence(lower: str, higher: str) -> None:
    assert versions.semver_key(lower) < versions.semver_key(higher)


def test_semver_ignores_build_metadata_and_rejects_garbage() -> None:
    assert versions.semver_key("1.0.0+build.5") == versions.semver_key("1.0.0")
    with pytest.raises(versions.VersionError):
        versions.semver_key("github:lodash/lodash")


def test_pep440_epochs_and_prereleases_order() -> None:
    key = versions.pep440_key
    assert key("1!1.0") > key("2.0")
    assert key("2.0rc1") < key("2.0") < key("2.0.post1")
    assert key("2.0.dev1") < key("2.0a1")


def test_pypi_names_are_canonical() -> None:
    assert versions.canonical_name("PyPI", "Jinja2") == "jinja2"
    assert versions.canonical_name("PyPI", "zope.interface") == "zope-interface"
    assert versions.canonical_name("npm", "@Scope/Pkg") == "@Scope/Pkg"


# --- ranges ----------------------------------------------------------------------


def test_introduced_fixed_is_half_open() -> None:
    adv = record([{"introduced": "2.3.0"}, {"fixed": "2.31.0"}])
    assert not affected(adv, "2.2.1")
    assert affected(adv, "2.3.0")
    assert affected(adv, "2.30.0")
    assert not affected(adv, "2.31.0")
    m = osv.match(adv, "PyPI", "pkg", "2.25.1")
    assert m is not None and m.fixed == ("2.31.0",)


def test_last_affected_is_inclusive() -> None:
    adv = record([{"introduced": "0"}, {"last_affected": "0.0.131"}])
    assert affected(adv, "0.0.131")
    assert not affected(adv, "0.0.132")
    m = osv.match(adv, "PyPI", "pkg", "0.0.100")
    assert m is not None and m.fixed == () and m.last_affected == ("0.0.131",)


def test_several_intervals_in_one_range() -> None:
    adv = record(
        [{"introduced": "1.0"}, {"fixed": "1.2"}, {"introduced": "2.0"}, {"fixed": "2.0.5"}]
    )
    assert [
        v for v in ["0.9", "1.0", "1.1", "1.2", "1.9", "2.0", "2.0.4", "2.0.5"] if affected(adv, v)
    ] == ["1.0", "1.1", "2.0", "2.0.4"]
    m = osv.match(adv, "PyPI", "pkg", "2.0.1")
    assert m is not None and m.fixed == ("2.0.5",)


def test_pre_releases_sit_below_their_release() -> None:
    adv = record([{"introduced": "2.0"}, {"fixed": "2.1"}])
    assert not affected(adv, "2.0rc1")  # before the introducing release
    assert affected(adv, "2.1rc1")  # before the fix
    npm = record([{"introduced": "0"}, {"fixed": "1.0.0"}], eco="npm", rtype="SEMVER")
    assert affected(npm, "1.0.0-rc.1", eco="npm")
    assert not affected(npm, "1.0.0", eco="npm")


def test_epochs_move_a_version_past_every_range() -> None:
    adv = record([{"introduced": "0"}, {"fixed": "3.0"}])
    assert affected(adv, "2.9")
    assert not affected(adv, "1!1.0")


def test_npm_semver_ranges() -> None:
    adv = record(
        [{"introduced": "3.7.0"}, {"fixed": "4.17.19"}], eco="npm", rtype="SEMVER", name="lodash"
    )
    assert not affected(adv, "3.6.9", eco="npm", name="lodash")
    assert affected(adv, "4.17.15", eco="npm", name="lodash")
    assert affected(adv, "4.17.19-beta.1", eco="npm", name="lodash")
    assert not affected(adv, "4.17.19", eco="npm", name="lodash")
    # ECOSYSTEM ranges of npm use semver order too
    eco = record([{"introduced": "0"}, {"fixed": "4.10.0"}], eco="npm", name="lodash")
    assert affected(eco, "4.9.0", eco="npm", name="lodash")


def test_explicit_versions_list_and_git_ranges() -> None:
    adv = record([{"introduced": "0"}, {"fixed": "deadbeef"}], rtype="GIT", listed=["1.5"])
    assert affected(adv, "1.5")
    assert not affected(adv, "1.6")  # a GIT range names commits, not releases


def test_other_packages_and_ecosystems_do_not_match() -> None:
    adv = record([{"introduced": "0"}], name="Flask")
    assert affected(adv, "1.0", name="flask")
    assert not affected(adv, "1.0", name="flask-login")
    assert not affected(adv, "1.0", eco="npm", name="flask")


def test_withdrawn_records_never_match() -> None:
    adv = record([{"introduced": "0"}], withdrawn="2024-02-01T00:00:00Z")
    assert adv.withdrawn
    assert not affected(adv, "1.0")


def test_malformed_events_do_not_match_or_raise() -> None:
    adv = record([{"introduced": "not a version!"}, {"fixed": "2.0"}])
    assert not affected(adv, "1.0")
    assert not affected(record([{"introduced": "0"}]), "not a version!")


@pytest.mark.parametrize("bad", [[], "x", {"affected": []}, {"id": "X", "affected": 3}])
def test_parse_advisory_rejects_non_records(bad: object) -> None:
    with pytest.raises(ValueError):
        osv.parse_advisory(bad)


# --- aliases and severity -----------------------------------------------------


def test_aliases_merge_into_one_finding_named_by_pysec_for_pypi() -> None:
    a = record([{"introduced": "0"}], vid="GHSA-g3rq-g295-4j3m", aliases=["CVE-2020-28493"])
    b = record([{"introduced": "0"}], vid="PYSEC-2021-66", aliases=["CVE-2020-28493"])
    c = record([{"introduced": "0"}], vid="GHSA-h5c8-rqwp-cp95", aliases=["CVE-2024-22195"])
    matches = [m for adv in (a, b, c) if (m := osv.match(adv, "PyPI", "pkg", "1.0"))]
    merged = osv.merge("PyPI", matches)
    assert [(g.primary, g.aliases) for g in merged] == [
        ("GHSA-h5c8-rqwp-cp95", ("CVE-2024-22195",)),
        ("PYSEC-2021-66", ("CVE-2020-28493", "GHSA-g3rq-g295-4j3m")),
    ]
    npm = osv.merge("npm", [m for m in matches if m.advisory.id != "GHSA-h5c8-rqwp-cp95"])
    assert npm[0].primary == "GHSA-g3rq-g295-4j3m"


@pytest.mark.parametrize(
    "vector,expected",
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Severity.CRITICAL),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H", Severity.HIGH),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", Severity.MEDIUM),
        ("CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", Severity.LOW),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", Severity.CRITICAL),
    ],
)
def test_severity_from_cvss_bands(vector: str, expected: Severity) -> None:
    adv = record([{"introduced": "0"}], severity=[{"type": "CVSS_V3", "score": vector}])
    assert osv.severity_of(adv).severity is expected


def test_severity_falls_back_to_database_specific_then_none() -> None:
    adv = record(
        [{"introduced": "0"}],
        database_specific={"severity": "MODERATE"},
        severity=[{"type": "CVSS_V3", "score": "garbage"}],
    )
    assert osv.severity_of(adv) == osv.Scored(Severity.MEDIUM, "database_specific: MODERATE")
    assert osv.severity_of(record([{"introduced": "0"}])).severity is None


# --- the database ---------------------------------------------------------------


def test_fixture_database_loads_with_date_and_ecosystems() -> None:
    db = osv.load([FIXTURE_DB])
    assert db.ecosystems == {"PyPI", "npm"}
    assert db.withdrawn == 1
    assert db.date == "2025-04-18"
    assert db.problems == ()
    assert "newest record 2025-04-18" in db.describe()
    groups = db.lookup("PyPI", "Jinja2", "2.11.2")
    assert [g.primary for g in groups] == ["GHSA-h5c8-rqwp-cp95", "PYSEC-2021-66"]
    assert groups[1].fixed == ("2.11.3",)
    assert db.lookup("PyPI", "jinja2", "3.1.3") == []
    assert db.lookup("PyPI", "openai", "1.40.0") == []  # only a withdrawn record


def test_langchain_last_affected_and_fixed_records_merge() -> None:
    db = osv.load([FIXTURE_DB])
    (group,) = db.lookup("PyPI", "langchain", "0.0.131")
    assert group.primary == "PYSEC-2023-18"
    assert group.fixed == ("0.0.132",) and group.last_affected == ("0.0.131",)
    assert group.severity().severity is Severity.CRITICAL
    assert db.lookup("PyPI", "langchain", "0.0.132") == []


def test_database_from_an_osv_zip_and_filtered_loading(tmp_path: Path) -> None:
    zpath = tmp_path / "PyPI.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for p in sorted(FIXTURE_DB.glob("*.json")):
            zf.write(p, p.name)
        zf.writestr("broken.json", "{nope")
    osv.check_path(zpath)
    db = osv.load([zpath], wanted={"PyPI": {"PyYAML"}})
    assert db.records == 18
    assert db.problems == ("PyPI.zip:broken.json: not valid JSON",)
    (group,) = db.lookup("PyPI", "pyyaml", "5.3")
    assert group.primary == "PYSEC-2020-96" and group.aliases == (
        "CVE-2020-1747",
        "GHSA-6757-jp84-gxfx",
    )
    assert db.advisories("PyPI", "jinja2") == ()  # not wanted: never decoded


def test_malformed_records_are_counted_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"id": "X-1", "affected": []}))
    (tmp_path / "b.json").write_text("[1, 2]")
    (tmp_path / "c.json").write_bytes(b"\xff\xfe")
    db = osv.load([tmp_path])
    assert db.records == 1
    assert len(db.problems) == 2


@pytest.mark.parametrize(
    "make,fragment",
    [
        (lambda p: p / "missing", "no such file"),
        (lambda p: (p / "empty").mkdir() or p / "empty", "holds no OSV"),
        (lambda p: (p / "x.zip").write_text("not a zip") and p / "x.zip", "not a folder"),
    ],
)
def test_check_path_errors_name_the_path(tmp_path: Path, make: Any, fragment: str) -> None:
    path = make(tmp_path)
    with pytest.raises(osv.DatabaseError, match=fragment):
        osv.check_path(path)


def test_a_database_without_any_record_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "only.json").write_text("not json")
    with pytest.raises(osv.DatabaseError, match="no readable OSV records"):
        osv.load([tmp_path])

"""The conformance table of DB3212/T 1124 (dangjian/dashboards/conformance.py): it covers every clause the
mission and the standard name, every test it cites exists, every evidence page reverses, every rule uses
known metrics only, and `evaluate()` gives the right status at the edges of each threshold."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from django.urls import reverse

from dangjian.dashboards import conformance
from dangjian.dashboards.conformance import (
    HQ_ONLY,
    INFORMATIVE,
    METRIC_KEYS,
    TABLE,
    AtLeast,
    Scope,
    Share,
    Status,
    evaluate,
)

REPO = Path(__file__).parents[2]
SHARED = REPO.parent / "shared"
MISSION = SHARED / "MISSION.md"
STANDARD = SHARED / "seed" / "DB3212-T-1124-2023.txt"
METRICS_LIST = Path("/tmp/i14/METRICS.md")
DOCUMENT = REPO / "docs" / "conformance.md"

MET, PARTLY, NOT_MET, NOT_RECORDED = Status.MET, Status.PARTLY, Status.NOT_MET, Status.NOT_RECORDED


def ids() -> set[str]:
    return {entry.id for entry in TABLE}


def mission_clauses(text: str) -> set[str]:
    """Every clause the mission names: "§7.3", and both ends of a range such as "§8–§10"."""
    return {f"§{number}" for number in re.findall(r"§(\d+(?:\.\d+)*)", text)}


def standard_clauses(text: str) -> set[str]:
    """The leaf clauses of the standard: numbered headings ("4.3 …", a bare "3.1") without sub-clauses."""
    numbers = {m.group(1) for m in re.finditer(r"^(\d{1,2}(?:\.\d+)*)(?:[ \t]|$)", text, re.MULTILINE)}
    parents = {number.rsplit(".", 1)[0] for number in numbers if "." in number}
    return {f"§{number}" for number in numbers - parents}


def read_or_skip(path: Path) -> str:
    if not path.exists():
        pytest.skip(f"{path} is not in this checkout (it lives beside the repository on the build machine)")
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- coverage of the clauses


def test_the_clause_parsers() -> None:
    text = (
        "2023-01-30 发布\n1 范围\n3.1\n楼宇党建\n4 总体要求\n4.1 共享平台……\n5.4.1 党建指导员\n8 经费保障\n"
    )
    assert standard_clauses(text) == {"§1", "§3.1", "§4.1", "§5.4.1", "§8"}
    assert mission_clauses("| §4.3, §4.4 | … | §5.4.1 | ## Funding (§8–§10) |") == {
        "§4.3",
        "§4.4",
        "§5.4.1",
        "§8",
        "§10",
    }


def test_every_clause_of_the_mission_has_an_entry() -> None:
    named = mission_clauses(read_or_skip(MISSION))
    # "§8–§10" names chapter 10 as a range end; its clauses §10.1.1, §10.1.2 and §10.2 carry the entries.
    chapters = {clause for clause in named if any(other.startswith(clause + ".") for other in named)}
    assert named - chapters - ids() == set()
    assert len(named) >= 25


def test_the_table_follows_the_clauses_of_the_standard() -> None:
    clauses = standard_clauses(read_or_skip(STANDARD))
    assert ids().isdisjoint(INFORMATIVE)
    assert ids() | set(INFORMATIVE) == clauses


def test_the_table_is_in_the_standards_order_without_duplicates() -> None:
    def key(clause: str) -> tuple[int, ...]:
        return tuple(int(part) for part in clause[1:].split("."))

    listed = [entry.id for entry in TABLE]
    assert listed == sorted(set(listed), key=key)


# ---------------------------------------------------------------- each entry


@pytest.mark.parametrize("entry", TABLE, ids=lambda e: e.id)
def test_every_entry_is_complete(entry: conformance.Clause) -> None:
    assert entry.title and entry.requirement and entry.features and entry.tests
    assert all(feature.strip() for feature in entry.features)
    assert entry.check is not None or entry.basis, "a clause without a rule says why"
    assert (entry.service is conformance.Service.ONLINE) == (not entry.offline), "say what stays offline"


@cache
def defined_tests(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            }
    return frozenset(names)


def test_every_named_test_exists() -> None:
    missing = []
    for entry in TABLE:
        for node_id in entry.tests:
            path, _, name = node_id.partition("::")
            name = name.split("[", 1)[0]
            file = REPO / path
            is_test = name.rsplit("::", 1)[-1].startswith("test")
            if not is_test or not file.is_file() or name not in defined_tests(file):
                missing.append((entry.id, node_id))
    assert missing == []


def test_the_test_finder_sees_functions_and_methods(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text("def test_a():\n    pass\n\nclass TestB:\n    def test_c(self):\n        pass\n")
    assert defined_tests(sample) == {"test_a", "TestB::test_c"}


def test_every_evidence_page_reverses() -> None:
    for entry in TABLE:
        for page in entry.pages:
            url = page.url("gulou") if page.by_station else page.url()
            assert url.startswith("/"), (entry.id, page.name)
            assert ("gulou" in url) == page.by_station, (entry.id, page.name)
    assert reverse("venues:six_have_overview") == conformance.CLAUSES["§6.1"].pages[1].url()


# ---------------------------------------------------------------- metric keys


def test_every_rule_names_known_metrics_only() -> None:
    for entry in TABLE:
        if entry.check is not None:
            assert set(entry.check.keys) <= METRIC_KEYS, entry.id


def test_a_rule_naming_an_unknown_metric_is_refused() -> None:
    with pytest.raises(ValueError, match="units_in_orbit"):
        Share("units_in_orbit", "units_total", Decimal("1"), "{part}", "")
    with pytest.raises(ValueError, match="meetings"):
        AtLeast("meetings", Decimal("1"), "{value}", "")


def test_the_metric_keys_are_those_of_the_metrics_list() -> None:
    text = read_or_skip(METRICS_LIST)
    listed = set()
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith(("| key", "|---")):
            listed |= set(re.findall(r"[a-z_]+", line.split("|")[1]))
    assert listed == METRIC_KEYS


# ---------------------------------------------------------------- evaluate()


def judged(clause: str, platform: bool, metrics: dict[str, int | str | None]) -> tuple[Status, str]:
    values = {key: None if value is None else Decimal(value) for key, value in metrics.items()}
    (found,) = [s for s in evaluate(values, platform=platform) if s.clause.id == clause]
    return found.status, found.explanation


def status_of(clause: str, **metrics: int | str | None) -> tuple[Status, str]:
    """The status of a per-station clause from one station's metrics."""
    return judged(clause, False, metrics)


def hq_status_of(clause: str, **metrics: int | str | None) -> tuple[Status, str]:
    """The status of a clause from the platform-wide metrics."""
    return judged(clause, True, metrics)


@pytest.mark.parametrize(
    ("total", "active", "status"),
    [
        (None, None, NOT_RECORDED),
        (0, 0, NOT_RECORDED),
        (120, 108, MET),
        (120, 107, PARTLY),
        (120, 0, NOT_MET),
    ],
)
def test_coverage_of_resident_units(total: int | None, active: int | None, status: Status) -> None:
    assert status_of("§4.3", units_total=total, units_with_activity=active)[0] is status


def test_the_explanation_gives_the_numbers() -> None:
    assert status_of("§4.3", units_total=120, units_with_activity=111) == (
        MET,
        "入驻单位 120 家中 111 家本年参加过活动（92.5%）",
    )
    assert status_of("§4.3", units_total=1200, units_with_activity=1080)[1] == (
        "入驻单位 1,200 家中 1,080 家本年参加过活动（90%）"
    )
    assert status_of("§4.3", units_total=0)[1] == "尚未登记入驻单位"


@pytest.mark.parametrize(
    ("meetings", "status"), [(None, NOT_RECORDED), (0, NOT_MET), (1, MET), (2, MET), (3, PARTLY)]
)
def test_joint_meetings_one_or_two_a_year(meetings: int | None, status: Status) -> None:
    assert hq_status_of("§7.4", joint_meetings=meetings)[0] is status


@pytest.mark.parametrize(
    ("met", "total", "status"), [(6, 6, MET), (5, 6, PARTLY), (0, 6, NOT_MET), (0, 0, NOT_RECORDED)]
)
def test_six_haves_all_six(met: int, total: int, status: Status) -> None:
    assert status_of("§6.1", six_have_met=met, six_have_total=total)[0] is status


@pytest.mark.parametrize(
    ("compliant", "total", "status"),
    [(4, 4, MET), (3, 4, PARTLY), (0, 4, NOT_MET), (None, 4, NOT_RECORDED), (0, None, NOT_RECORDED)],
)
def test_organisation_life_every_organisation(
    compliant: int | None, total: int | None, status: Status
) -> None:
    assert status_of("§7.3", life_orgs_compliant=compliant, life_orgs_total=total)[0] is status


@pytest.mark.parametrize(
    ("people", "members", "status"),
    [(30, 12, MET), (12, 12, NOT_MET), (0, 0, NOT_RECORDED), (None, 3, NOT_RECORDED)],
)
def test_people_beyond_the_party_members(people: int | None, members: int, status: Status) -> None:
    assert status_of("§4.6", people=people, members=members)[0] is status
    if status is MET:
        assert (
            status_of("§4.6", people=people, members=members)[1]
            == "登记人员 30 人，其中党员 12 人、职工群众等 18 人"
        )


@pytest.mark.parametrize(
    ("venues", "status"), [(4, MET), (7, MET), (3, PARTLY), (1, PARTLY), (0, NOT_MET), (None, NOT_RECORDED)]
)
def test_one_hall_three_areas(venues: int | None, status: Status) -> None:
    assert status_of("§6.2", venues=venues)[0] is status


@pytest.mark.parametrize(
    ("overdue", "organisations", "alliances", "status"),
    [
        (0, 3, 1, MET),
        (1, 3, 1, PARTLY),
        (0, 3, 0, PARTLY),
        (3, 3, 0, NOT_MET),
        (0, 0, 0, NOT_MET),  # nothing set up at all: the alliance count is a real 0
        (None, None, None, NOT_RECORDED),
        (0, 3, None, PARTLY),  # met and unrecorded together are not yet met
    ],
)
def test_organisations_renewed_and_allied(
    overdue: int | None, organisations: int | None, alliances: int | None, status: Status
) -> None:
    got = status_of("§5.2", terms_overdue=overdue, organizations=organisations, alliances=alliances)
    assert got[0] is status


def test_a_composite_explains_each_part() -> None:
    assert status_of("§5.2", terms_overdue=1, organizations=3, alliances=2) == (
        PARTLY,
        "党组织 3 个中 1 个任期届满未换届；参加党建联盟、共建协议 2 项",
    )


@pytest.mark.parametrize(
    ("rate", "status"),
    [("0.9", MET), ("1", MET), ("0.8999", PARTLY), ("0.8", PARTLY), ("0.7999", NOT_MET), ("0", NOT_MET)],
)
def test_service_indicators_at_90_and_80_percent(rate: str, status: Status) -> None:
    keys = ("satisfaction", "service_time_accuracy", "item_completion", "complaint_resolution")
    assert status_of("§10.1.1", **dict.fromkeys(keys, rate))[0] is status
    # one indicator short of the others: the clause is partly met unless all four are met
    mixed = status_of("§10.1.1", **{**dict.fromkeys(keys, "0.95"), "complaint_resolution": rate})[0]
    assert mixed is (MET if status is MET else PARTLY)


def test_service_indicators_without_denominators_are_not_recorded() -> None:
    assert status_of("§10.1.1")[0] is NOT_RECORDED
    assert status_of("§10.1.1", satisfaction="0.925") == (
        PARTLY,
        "服务对象满意度 92.5%；没有到期的服务记录；没有服务项目；没有有效投诉",
    )


@pytest.mark.parametrize(
    ("instructors", "trained", "status"),
    [(3, 3, MET), (3, 2, PARTLY), (3, 0, PARTLY), (0, 0, NOT_MET), (None, None, NOT_RECORDED)],
)
def test_instructors_present_and_trained(
    instructors: int | None, trained: int | None, status: Status
) -> None:
    assert status_of("§5.4.1", instructors=instructors, instructors_trained=trained)[0] is status


@pytest.mark.parametrize(
    ("open_", "overdue", "status"), [(4, 0, MET), (4, 1, PARTLY), (4, 4, NOT_MET), (0, 0, NOT_RECORDED)]
)
def test_rectifications_followed_to_the_end(open_: int, overdue: int, status: Status) -> None:
    assert status_of("§10.2", rectifications_open=open_, rectifications_overdue=overdue)[0] is status


def test_the_funding_rule_compares_income_with_the_budget() -> None:
    assert status_of("§8", funding_budget="80000", funding_income="80000")[0] is MET
    assert status_of("§8", funding_budget="80000", funding_income="12345.5") == (
        PARTLY,
        "本年经费预算 80,000.00 元，已到位 12,345.50 元（15.4%）",
    )
    assert status_of("§8", funding_budget="80000", funding_income="0")[0] is NOT_MET
    assert status_of("§8", funding_budget="0", funding_income="500")[0] is NOT_RECORDED


def test_the_demonstration_rule_needs_all_three() -> None:
    three: dict[str, int | str | None] = {
        "demonstration_events": 2,
        "honors_awarded": 5,
        "publicity_city_or_above": 1,
    }
    assert hq_status_of("§9", **three)[0] is MET
    assert hq_status_of("§9", **{**three, "publicity_city_or_above": 0})[0] is PARTLY
    assert hq_status_of("§9", **dict.fromkeys(three, 0))[0] is NOT_MET
    assert hq_status_of("§9")[0] is NOT_RECORDED


def test_dues_and_learning_in_the_online_platform() -> None:
    good: dict[str, int | str | None] = {
        "members": 40,
        "articles_published": 12,
        "disclosures_published": 4,
        "courses": 6,
        "learning_hours": 2000,
        "learning_target_hours": 2000,
        "dues_due": "24000",
        "dues_paid": "24000",
    }
    assert status_of("§6.3", **good)[0] is MET
    status, text = status_of("§6.3", **{**good, "dues_paid": "18000.5", "learning_hours": "1500.5"})
    assert status is PARTLY
    assert "本年完成学时 1,500.5，目标 2,000（75%）" in text
    assert "本年应缴党费 24,000.00 元，已缴 18,000.50 元（75%）" in text


GENEROUS: dict[str, int | str] = {
    "units_total": 120,
    "units_with_activity": 120,
    "people": 300,
    "members": 80,
    "organizations": 6,
    "terms_overdue": 0,
    "alliances": 2,
    "instructors": 3,
    "instructors_trained": 3,
    "workers": 4,
    "guides": 2,
    "articles_published": 30,
    "venue_bookings": 90,
    "six_have_met": 6,
    "six_have_total": 6,
    "venues": 4,
    "disclosures_published": 8,
    "courses": 10,
    "learning_hours": 4000,
    "learning_target_hours": 4000,
    "dues_due": "50000",
    "dues_paid": "50000",
    "life_orgs_compliant": 6,
    "life_orgs_total": 6,
    "joint_meetings": 2,
    "funding_budget": "90000",
    "funding_income": "95000",
    "demonstration_events": 3,
    "honors_awarded": 9,
    "publicity_city_or_above": 2,
    "satisfaction": "0.96",
    "service_time_accuracy": "0.93",
    "item_completion": "0.98",
    "complaint_resolution": "1",
    "feedback_total": 45,
    "rectifications_open": 3,
    "rectifications_overdue": 0,
}


def test_a_generous_year_meets_every_measured_clause() -> None:
    """A year that does everything the standard asks meets every clause: no rule contradicts another."""
    statuses = evaluate({key: Decimal(value) for key, value in GENEROUS.items()}, platform=True)
    assert {s.clause.id for s in statuses} == {e.id for e in TABLE if e.measured}
    assert [(s.clause.id, s.status) for s in statuses if s.status is not MET] == []


def test_an_empty_year_records_nothing() -> None:
    statuses = evaluate({}, platform=True)
    assert {s.status for s in statuses} == {NOT_RECORDED}
    assert all(s.explanation for s in statuses)


def test_a_station_sees_its_own_clauses_and_the_platform_sees_all() -> None:
    station = {s.clause.id for s in evaluate({})}
    platform = {s.clause.id for s in evaluate({}, platform=True)}
    assert station == {e.id for e in TABLE if e.measured and e.scope is Scope.STATION}
    assert platform - station == {e.id for e in TABLE if e.measured and e.id in HQ_ONLY}
    assert {"§4.1", "§5.3", "§7.4"} <= HQ_ONLY
    assert "§7.4" not in station and "§7.4" in platform


def test_statuses_have_chinese_labels() -> None:
    assert [s.label for s in Status] == ["已达标", "部分达标", "未达标", "无记录"]


# ---------------------------------------------------------------- the document


def test_the_document_is_generated_from_the_table() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == conformance.render_markdown(), (
        "regenerate: .venv/bin/python -m dangjian.dashboards.conformance > docs/conformance.md"
    )


def test_the_metrics_module_provides_every_key_the_rules_may_name() -> None:
    metrics = pytest.importorskip("dangjian.dashboards.metrics")
    assert {metric.key for metric in metrics.METRICS} >= METRIC_KEYS

"""Pages of funds: the ledger (filters, totals, balance, constant queries), the entry forms with their
Chinese refusals, an entry's reversal and vouchers, budgets and budget against actual with its chart,
and the Excel exports (numbers, formats, Chinese names, audited)."""

from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from dangjian.core.models import AuditEvent
from dangjian.funding import services
from dangjian.funding.models import Budget, Entry, Voucher
from tests.funding.builders import YEAR, on, pdf_upload, record
from tests.queries import get_query_count

pytestmark = pytest.mark.django_db

LEDGER = reverse("funding:ledger")


def _ledger(fu) -> dict[str, Entry]:
    entries = {
        "dues": record(fu.admin_a, fu.a, "income", "dues", "20000", summary="2025年党费拨付"),
        "sponsor": record(fu.admin_a, fu.a, "income", "sponsorship", "8000", summary="万达商管赞助"),
        "repair": record(
            fu.worker_a, fu.a, "expense", "equipment", "1234.50", building=fu.tower_a, summary="投影仪维修"
        ),
        "old": record(fu.admin_a, fu.a, "expense", "activities", "500", when=on(6, year=YEAR - 1)),
        "b": record(fu.admin_b, fu.b, "income", "dues", "3000", summary="金融大厦党费拨付"),
    }
    entries["reversal"] = services.entry_reverse(
        actor=fu.admin_a, entry=entries["sponsor"], reason="赞助未到账"
    )
    return entries


def test_the_ledger_totals_the_filtered_rows_of_the_own_station(fu, client) -> None:
    _ledger(fu)
    client.force_login(fu.worker_a)
    page = client.get(LEDGER, {"year": YEAR}).content.decode()
    assert "投影仪维修" in page and "2025年党费拨付" in page and "金融大厦党费拨付" not in page
    assert 'data-total="income">20,000.00 元' in page
    assert 'data-total="expense">1,234.50 元' in page
    assert 'data-total="balance">18,765.50 元' in page
    assert "2025年3月10日" in page and "已冲销" in page and "-8,000.00" in page
    assert 'id="id_station"' not in page  # one station: no station filter
    only_expense = client.get(LEDGER, {"kind": "expense"}).content.decode()
    assert (
        'data-total="expense">1,734.50 元' in only_expense
        and "党费拨付" not in only_expense.split("<tbody>")[1]
    )


def test_hq_filters_by_station_and_line(fu, client) -> None:
    entries = _ledger(fu)
    client.force_login(fu.hq_admin)
    page = client.get(LEDGER).content.decode()
    assert 'id="id_station"' in page and "金融大厦党费拨付" in page
    by_b = client.get(LEDGER, {"station": fu.b.pk}).content.decode()
    assert 'data-total="income">3,000.00 元' in by_b
    dues = client.get(LEDGER, {"line": "dues"})
    assert {e.pk for e in dues.context["page"].object_list} == {entries["dues"].pk, entries["b"].pk}


def test_bad_filters_show_everything_with_a_message(fu, client) -> None:
    _ledger(fu)
    client.force_login(fu.admin_a)
    response = client.get(LEDGER, {"year": "9999", "kind": "loan", "station": "abc"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 5


def test_the_ledger_and_the_overview_run_constant_queries(fu, client, django_assert_max_num_queries) -> None:
    record(fu.admin_a, fu.a, "income", "dues", "10", voucher=pdf_upload())
    client.force_login(fu.hq_admin)
    urls = [LEDGER, reverse("funding:stations"), reverse("funding:report", args=[fu.a.pk])]
    counts = [get_query_count(client, url) for url in urls]
    assert max(counts) <= 20  # tests/test_query_counts.py's ceiling of a list page
    for n in range(25):
        entry = record(fu.worker_a, fu.a, "expense", "training", f"{n + 1}", building=fu.tower_c)
        if n % 5 == 0:
            services.entry_reverse(actor=fu.admin_a, entry=entry, reason="错误")
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def _form(fu, **more: object) -> dict[str, object]:
    return {
        "station": fu.a.pk,
        "building": fu.tower_a.pk,
        "line": "administrative",
        "amount": "15,000.00",
        "occurred_on": on(2).isoformat(),
        "summary": "区委组织部阵地建设补助",
        "counterparty": "中共泰州市海陵区委组织部",
        **more,
    }


def test_an_income_is_recorded_from_the_form(fu, client) -> None:
    client.force_login(fu.worker_a)
    response = client.post(reverse("funding:income_create"), _form(fu))
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert (entry.kind, entry.line, entry.amount, entry.building) == (
        "income",
        "administrative",
        Decimal("15000.00"),
        fu.tower_a,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": "-100"}, "金额须大于零"),
        ({"amount": "1.005"}, "金额最多保留两位小数"),
        ({"amount": "一百"}, "请填写金额"),
        ({"building": "BUILDING_B"}, "所选楼宇不属于该站点"),
        ({"line": "equipment"}, "选择一个有效的选项"),
    ],
)
def test_bad_entries_are_refused_in_chinese(fu, client, change: dict[str, str], message: str) -> None:
    client.force_login(fu.hq_admin)
    if change.get("building") == "BUILDING_B":
        change = {"building": fu.tower_b.pk}
    response = client.post(reverse("funding:income_create"), _form(fu, **change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Entry.objects.exists()


def test_another_stations_admin_cannot_pick_station_a(fu, client) -> None:
    client.force_login(fu.admin_b)
    response = client.post(reverse("funding:income_create"), _form(fu, building=""))
    assert response.status_code == 200 and not Entry.objects.exists()


def test_an_expense_with_a_voucher_and_who_may_open_the_voucher(fu, client) -> None:
    client.force_login(fu.admin_a)
    body = _form(fu, line="construction", summary="党群服务中心墙面宣传栏", voucher=pdf_upload())
    assert client.post(reverse("funding:expense_create"), body).status_code == 302
    voucher = Voucher.objects.get()
    url = reverse("funding:voucher", args=[voucher.pk])
    for who, status in (
        ("admin_a", 200),
        ("instructor_a", 200),
        ("hq_admin", 200),
        ("admin_b", 404),
        ("member", 404),
    ):
        client.force_login(getattr(fu, who))
        response = client.get(url)
        assert response.status_code == status, who
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_voucher_is_added_later_and_markup_refused(fu, client) -> None:
    entry = record(fu.admin_a, fu.a, "expense", "publicity", "300")
    client.force_login(fu.worker_a)
    url = reverse("funding:voucher_add", args=[entry.pk])
    from tests.funding.builders import html_upload

    refused = client.post(url, {"file": html_upload()})
    assert refused.status_code == 200 and "不能上传" in refused.content.decode()
    assert client.post(url, {"file": pdf_upload()}).status_code == 302
    assert Voucher.objects.filter(entry=entry).count() == 1


def test_an_entry_is_reversed_from_its_page_once(fu, client) -> None:
    entry = record(fu.admin_a, fu.a, "expense", "equipment", "3600", summary="空调采购")
    client.force_login(fu.worker_a)
    detail = client.get(entry.get_absolute_url()).content.decode()
    assert "冲销本记录" in detail and "3,600.00 元" in detail
    response = client.post(reverse("funding:entry_reverse", args=[entry.pk]), {"reason": "多写一个零"})
    reversal = Entry.objects.get(reverses=entry)
    assert response["Location"] == reversal.get_absolute_url()
    page = client.get(reversal.get_absolute_url()).content.decode()
    assert "本记录冲销了" in page and "多写一个零" in page and "冲销本记录" not in page
    original = client.get(entry.get_absolute_url()).content.decode()
    assert "本记录已于" in original and "冲销本记录" not in original
    again = client.post(reverse("funding:entry_reverse", args=[entry.pk]), {"reason": "再冲一次"})
    assert again.status_code == 200 and "不能重复冲销" in again.content.decode()
    assert Entry.objects.count() == 2


def test_the_instructor_reads_but_does_not_write(fu, client) -> None:
    entry = record(fu.admin_a, fu.a, "expense", "equipment", "100")
    client.force_login(fu.instructor_a)
    assert client.get(LEDGER).status_code == 200
    assert "冲销本记录" not in client.get(entry.get_absolute_url()).content.decode()
    assert client.post(reverse("funding:entry_reverse", args=[entry.pk]), {"reason": "x"}).status_code == 403
    assert client.get(reverse("funding:income_create")).status_code == 403
    budgets = reverse("funding:budgets", args=[fu.a.pk])
    assert "保存预算" not in client.get(budgets).content.decode()
    assert client.post(budgets, {"expense_training": "100"}).status_code == 403
    assert not Budget.objects.exists()


def test_budgets_are_saved_from_the_page(fu, client) -> None:
    client.force_login(fu.admin_a)
    url = reverse("funding:budgets", args=[fu.a.pk]) + f"?year={YEAR}"
    response = client.post(
        url, {"expense_construction": "30,000", "expense_training": "", "income_dues": "20000"}
    )
    assert response.status_code == 302
    assert set(Budget.objects.values_list("year", "line", "amount")) == {
        (YEAR, "construction", Decimal("30000.00")),
        (YEAR, "dues", Decimal("20000.00")),
    }
    page = client.get(url).content.decode()
    assert 'value="30000.00"' in page
    bad = client.post(url, {"expense_construction": "-5"})
    assert bad.status_code == 200 and "金额不能为负数" in bad.content.decode()
    assert Budget.objects.get(line="construction").amount == Decimal("30000.00")


def _report_ledger(fu) -> None:
    services.budget_set(
        actor=fu.admin_a,
        station=fu.a,
        year=YEAR,
        amounts={
            ("expense", "construction"): "10000",
            ("expense", "activities"): "2000",
            ("income", "dues"): "20000",
        },
    )
    record(fu.admin_a, fu.a, "expense", "construction", "7500")
    record(fu.admin_a, fu.a, "expense", "activities", "2600.40")
    record(fu.admin_a, fu.a, "income", "dues", "15000")


def test_budget_against_actual_highlights_the_lines_over_budget(fu, client) -> None:
    _report_ledger(fu)
    client.force_login(fu.instructor_a)
    response = client.get(reverse("funding:report", args=[fu.a.pk]), {"year": YEAR})
    page = response.content.decode()
    assert 'data-line="activities" class="table-danger" data-over' in page
    assert 'data-line="construction" class="table-danger"' not in page
    assert "130.0%" in page and "75.0%" in page and "2,600.40" in page
    assert "js/bar-chart.js" in page and 'id="bar-chart-data"' in page
    chart = response.context["chart"]
    assert chart["series"][0]["data"][0] == 10000.0 and chart["series"][1]["data"][2] == 2600.4
    assert "75.0%" in page  # income: 15,000 of 20,000


def _sheet_rows(content: bytes, sheet: str | None = None) -> list[tuple]:
    book = load_workbook(io.BytesIO(content))
    ws = book[sheet] if sheet else book.active
    return [tuple(c.value for c in row) for row in ws.iter_rows()], ws


def test_the_ledger_exports_to_excel_with_numbers_and_a_chinese_name(fu, client) -> None:
    _ledger(fu)
    client.force_login(fu.admin_a)
    response = client.get(reverse("funding:ledger_export"), {"year": YEAR, "station": fu.a.pk})
    assert response.status_code == 200
    assert quote("经费台账-万达广场分站-2025年.xlsx") in response["Content-Disposition"]
    rows, ws = _sheet_rows(response.content)
    assert rows[0][0] == "经费台账-万达广场分站-2025年"
    body = {row[5]: row for row in rows[2:] if row[5]}
    assert body["投影仪维修"][7] == 1234.5 and body["投影仪维修"][2] == "万达广场写字楼A座"
    assert body["冲销：万达商管赞助"][7] == -8000
    totals = {row[0]: row[7] for row in rows if row[0] in ("收入合计", "支出合计", "结余")}
    assert totals == {"收入合计": 20000, "支出合计": 1234.5, "结余": 18765.5}
    assert ws.cell(row=3, column=8).number_format == "#,##0.00"
    with scopes_disabled():
        event = AuditEvent.objects.get(action="funding.ledger.export")
    assert event.actor == fu.admin_a and event.station == fu.a and event.data["year"] == YEAR


def test_budget_against_actual_exports_to_excel(fu, client) -> None:
    _report_ledger(fu)
    client.force_login(fu.worker_a)
    response = client.get(reverse("funding:report_export", args=[fu.a.pk]), {"year": YEAR})
    assert quote("经费预算执行情况-万达广场分站-2025年.xlsx") in response["Content-Disposition"]
    rows, ws = _sheet_rows(response.content, "支出预算执行")
    by_label = {row[0]: row for row in rows[2:]}
    assert by_label["活动开展"][1:] == (2000, 2600.4, 130, -600.4, "是")
    assert by_label["支出合计"][1:3] == (12000, 10100.4)
    assert ws.cell(row=3, column=2).number_format == "#,##0.00"
    income, _ = _sheet_rows(response.content, "收入计划完成")
    assert {row[0]: row[2] for row in income[2:]}["党费拨付"] == 15000
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="funding.report.export", station=fu.a).count() == 1


def test_the_overview_lists_each_station_with_its_year(fu, client) -> None:
    _report_ledger(fu)
    record(fu.admin_b, fu.b, "expense", "activities", "50")
    client.force_login(fu.hq_admin)
    page = client.get(reverse("funding:stations"), {"year": YEAR}).content.decode()
    assert f'data-station="{fu.a.pk}"' in page and f'data-station="{fu.b.pk}"' in page
    assert "12,000.00" in page and "未设置" in page
    client.force_login(fu.admin_b)
    own = client.get(reverse("funding:stations"), {"year": YEAR}).content.decode()
    assert f'data-station="{fu.a.pk}"' not in own and f'data-station="{fu.b.pk}"' in own


def test_the_work_page_counts_expenses_without_a_voucher_for_the_keepers(fu, client) -> None:
    from django.utils import timezone

    record(fu.admin_a, fu.a, "expense", "equipment", "100", when=timezone.localdate())
    client.force_login(fu.worker_a)
    page = client.get(reverse("portal:workpage")).content.decode()
    assert "支出未上传凭证" in page and "经费台账" in page
    client.force_login(fu.instructor_a)
    page = client.get(reverse("portal:workpage")).content.decode()
    assert "支出未上传凭证" not in page and "经费台账" in page
    client.force_login(fu.member)
    assert "经费台账" not in client.get(reverse("portal:workpage")).content.decode()

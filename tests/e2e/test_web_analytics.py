"""The analytics pages through the Flask test client: the process list, one version's page with
its heatmap data, histogram, bottlenecks and workload, in English and Russian; only analysts
and administrators get in."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.support.analytics import review_process, work, worked_history
from tests.support.web import signed_in


@pytest.fixture
def history(weft, bpmn_file, clock):
    worked_history(weft, bpmn_file, clock)
    return weft


def data_attribute(page: str, name: str):
    return json.loads(html.unescape(re.search(rf'{name}="([^"]*)"', page).group(1)))


def test_the_process_list_counts_instances_per_state(app, history):
    page = signed_in(app, "anna").get("/analytics")
    assert page.status_code == 200
    row = re.search(r'<tr><td><a class="task-link" href="/analytics/review">Review</a>.*?</tr>', page.text, re.S).group(0)
    cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)
    assert cells == ["5", "0", "2", "2", "1", "0", "3 h 30 min"]       # total, running … terminated, average


def test_a_version_page_shows_heatmap_histogram_bottlenecks_and_workload(app, history):
    page = signed_in(app, "anna").get("/analytics/review").text
    elements = {e["id"]: e for e in data_attribute(page, "data-elements")}
    assert elements["check"] == {"id": "check", "heat": 5, "count": 4, "average": "2 h", "p90": "2 h 42 min",
                                 "waiting": 1, "incidents": 0,
                                 "title": "Review: 4 runs, average 2 h, 90% within 2 h 42 min"}
    assert (elements["approve"]["heat"], elements["approve"]["average"]) == (4, "1 h 20 min")
    assert elements["book"]["incidents"] == 1
    chart = data_attribute(page, "data-histogram")
    assert chart["datasets"][0]["data"] == [0, 0, 0, 0, 0, 0, 1, 0, 1]
    assert chart["labels"][6] == "3 h – 3 h 30 min"
    assert 'data-heatmap="/analytics/review/diagram.bpmn?version=1"' in page
    bottlenecks = page.split("Bottlenecks", 1)[1].split("</table>", 1)[0]
    assert re.findall(r'data-element="(\w+)"', bottlenecks) == ["check", "approve", "book"]
    groups = page.split('id="group-workload"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<tr><td>(\w+)</td>", groups) == ["managers", "reviewers"]
    users = page.split('id="user-workload"', 1)[1].split("</table>", 1)[0]
    assert "<td>rita</td>" in users and "<td>mike</td>" in users


def test_versions_diagram_and_russian(app, history, bpmn_file, clock):
    history.deploy(bpmn_file(review_process("Review v2")))
    work(history, clock, [1, 1])
    anna = signed_in(app, "anna")
    assert '<option value="1" >' in anna.get("/analytics/review").text.replace("selected", "")
    first = anna.get("/analytics/review?version=1").text
    assert "Review <span class=\"muted\">v1</span>" in first
    diagram = anna.get("/analytics/review/diagram.bpmn?version=2")
    assert diagram.mimetype == "application/xml" and b'id="check"' in diagram.data and b"BPMNShape" in diagram.data
    assert anna.get("/analytics/review?version=x").status_code == 400
    assert "no version 9" in anna.get("/analytics/review?version=9").text
    assert anna.get("/analytics/nope").status_code == 404
    history.accounts.update_profile("anna", locale="ru")
    russian = anna.get("/analytics/review?version=1").text
    assert "Узкие места" in russian and "3 ч 30 мин" in russian


def test_only_analysts_and_administrators_see_analytics(app, history):
    emma = signed_in(app, "emma")
    assert emma.get("/analytics").status_code == 403
    assert emma.get("/analytics/review").status_code == 403
    assert 'href="/analytics"' not in emma.get("/inbox").text
    assert 'href="/analytics"' in signed_in(app, "anna").get("/inbox").text

"""Process analytics from the history on a virtual clock: known durations give exact
averages, 90th percentiles, histograms, heat levels, incidents and workload, on SQLite and
PostgreSQL alike."""

from __future__ import annotations

import pytest

from tests.support.analytics import review_process, work, worked_history
from weft import NotAllowed
from weft.services.errors import NotFound, UnknownProcess

HOUR = 3600.0


@pytest.fixture
def history(weft, bpmn_file, clock):
    worked_history(weft, bpmn_file, clock)
    return weft


def test_counts_durations_and_histogram_of_a_version(history):
    view = history.analytics.process("review", None, "anna")
    assert (view.name, view.version, view.versions) == ("Review", 1, [1])
    assert view.counts == {"completed": 2, "waiting": 2, "failed": 1} and view.total == 5
    durations = view.durations
    assert (durations.count, durations.average, durations.max) == (2, 3.5 * HOUR, 4 * HOUR)
    assert durations.p90 == 14040.0                  # 3.9 h: interpolated between 3 h and 4 h
    # 4 h in fewer than 12 bars: half-hour bars, the 3 h and the 4 h instance in bars 6 and 8
    assert [bar.count for bar in view.histogram] == [0, 0, 0, 0, 0, 0, 1, 0, 1]
    assert (view.histogram[6].start, view.histogram[6].end) == (3 * HOUR, 3.5 * HOUR)


def test_element_durations_heat_and_bottlenecks(history):
    view = history.analytics.process("review", 1, "anna")
    elements = {e.element_id: e for e in view.elements}
    review, approve = elements["check"], elements["approve"]
    assert (review.name, review.type, review.executions) == ("Review", "userTask", 4)
    assert review.average == 2 * HOUR and review.max == 3 * HOUR
    assert review.p90 == 9720.0                                     # 2.7 h, of 1, 2, 2, 3 hours
    assert review.waiting == 1 and approve.waiting == 1
    assert (approve.executions, approve.average, approve.p90) == (3, 4800.0, 6480.0)
    assert elements["start"].executions == 5 and elements["start"].average == 0
    assert (elements["book"].incidents, elements["book"].open_incidents, elements["book"].executions) == (1, 1, 2)
    assert (review.heat, approve.heat, elements["start"].heat) == (5, 4, 0)
    assert [e.element_id for e in view.bottlenecks] == ["check", "approve", "book"]


def test_workload_per_group_and_user(history):
    view = history.analytics.process("review", None, "anna")
    groups = {g.name: g for g in view.groups}
    assert (groups["reviewers"].open, groups["reviewers"].unclaimed, groups["reviewers"].overdue) == (1, 1, 1)
    assert (groups["managers"].open, groups["managers"].unclaimed, groups["managers"].overdue) == (1, 1, 0)
    users = {u.name: u for u in view.users}
    assert (users["rita"].completed, users["rita"].average, users["rita"].open) == (4, 2 * HOUR, 0)
    assert (users["mike"].completed, users["mike"].average) == (3, 4800.0)


def test_process_list_and_versions(history, bpmn_file, clock):
    history.deploy(bpmn_file(review_process("Review v2")))
    work(history, clock, [1, 1])
    [summary] = history.analytics.processes("anna")
    assert (summary.key, summary.name, summary.version, summary.total) == ("review", "Review v2", 2, 6)
    assert summary.counts == {"completed": 3, "waiting": 2, "failed": 1}
    assert summary.average == 3 * HOUR
    second = history.analytics.process("review", None, "anna")
    assert (second.version, second.versions, second.total, second.durations.average) == (2, [1, 2], 1, 2 * HOUR)
    assert b"review" in history.analytics.diagram("review", 1, "anna")


def test_only_analysts_and_administrators_see_analytics(history):
    with pytest.raises(NotAllowed):
        history.analytics.process("review", None, "emma")
    with pytest.raises(NotAllowed):
        history.analytics.processes("rita")
    with pytest.raises(UnknownProcess):
        history.analytics.process("nope", None, "anna")
    with pytest.raises(NotFound, match="no version 7"):
        history.analytics.process("review", 7, "anna")
    assert history.analytics.processes(None)[0].key == "review"          # the system (embedding code)

"""Every model of the catalogue breaks one structural rule of BPMN 2.0 and is refused at deploy,
with a problem naming the element and the rule."""

from __future__ import annotations

import pytest

from weft.engine import DeploymentError, Resource, compile_deployment

from .bpmn import Case
from .event_cases import CASES as EVENT_CASES
from .flow_cases import CASES as FLOW_CASES
from .reference_cases import CASES as REFERENCE_CASES

CATALOGUE = FLOW_CASES + EVENT_CASES + REFERENCE_CASES


def refusal(case: Case) -> list[tuple[str | None, str]]:
    with pytest.raises(DeploymentError) as caught:
        compile_deployment([Resource("invalid.bpmn", case.xml().encode())])
    return [(p.element, p.message) for p in caught.value.problems]


def test_the_catalogue_holds_a_hundred_distinct_models():
    assert len(CATALOGUE) >= 100
    assert len({case.name for case in CATALOGUE}) == len(CATALOGUE)
    assert len({case.xml() for case in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize("case", CATALOGUE, ids=[case.name for case in CATALOGUE])
def test_an_invalid_model_is_refused_naming_element_and_rule(case):
    problems = refusal(case)
    assert any(element == case.element and case.message in message for element, message in problems), problems

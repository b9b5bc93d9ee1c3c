"""The modeler over HTTP: who may use it, validation with element-level problems, drafts with
conflict detection, deploying the next version, downloads, and bad input refused clearly."""

from __future__ import annotations

import pytest

from tests.support.bpmn import end, flow, gateway, process_xml, start, user
from tests.support.web import signed_in
from weft.engine.layout import with_diagram


def routing(default: str | None = "to_b", name: str = "Routing") -> str:
    xml = process_xml("routing", [start(), gateway("choose", default=default), user("a", camunda_candidateGroups="clerks"),
                                   user("b"), end("e1"), end("e2")],
                       [flow("start", "choose"), flow("choose", "a", "${big}", "to_a"), flow("choose", "b", None, "to_b"),
                        flow("a", "e1"), flow("b", "e2")], name=name)
    return with_diagram(xml.encode(), "routing").decode()  # drawn, as the modeler saves it


@pytest.fixture
def people(weft, bpmn_file):
    for group in ("admin", "analyst"):
        weft.add_group(group)
    weft.add_user("anna", groups=["analyst"])
    weft.add_user("alex", groups=["analyst"])
    weft.add_user("emma")
    weft.deploy(bpmn_file(routing(), "routing.bpmn"))


def test_employees_are_refused_analysts_get_the_modeler(app, people):
    emma, anna = signed_in(app, "emma"), signed_in(app, "anna")
    for url in ("/modeler", "/modeler/new", "/modeler/routing", "/modeler/routing/diagram.bpmn", "/modeler/choices.json"):
        assert emma.get(url).status_code == 403, url
        assert anna.get(url).status_code == 200, url
    refused = emma.post_json("/modeler/validate", {"xml": routing()})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert 'href="/modeler"' in anna.get("/inbox").text and 'href="/modeler"' not in emma.get("/inbox").text
    page = anna.get("/modeler").text
    assert "/modeler/routing?version=1" in page and "New diagram" in page


def test_the_editor_page_carries_the_diagram_and_its_scripts(app, people):
    page = signed_in(app, "anna").get("/modeler/routing").text
    assert 'src="/build/modeler.js"' in page and 'src="/static/modeler.js"' in page
    assert "&lt;userTask id=&#34;a&#34;" in page or "&lt;userTask id=&quot;a&quot;" in page
    assert 'data-key="routing"' in page and "Version 1" in page


def test_validation_names_the_broken_gateway(app, people):
    answer = signed_in(app, "anna").post_json("/modeler/validate", {"xml": routing(default=None), "key": "routing"})
    assert answer.status_code == 200
    [problem] = answer.json["problems"]
    assert (problem["file"], problem["element"]) == ("routing.bpmn", "choose") and problem["line"]
    assert "non-default flow without condition" in problem["message"]
    fixed = signed_in(app, "anna").post_json("/modeler/validate", {"xml": routing(), "key": "routing"})
    assert fixed.json == {"problems": []}


def test_drafts_are_saved_loaded_and_conflicts_detected(app, people):
    anna, alex = signed_in(app, "anna"), signed_in(app, "alex")
    saved = anna.post_json("/modeler/drafts", {"xml": routing(name="Routing v2"), "key": "routing", "version": None})
    assert saved.status_code == 200 and saved.json["draft"]["version"] == 1
    assert saved.json["draft"]["base_version"] == 1 and saved.json["draft"]["saved_by"] == "anna"
    page = alex.get("/modeler/routing").text
    assert "Routing v2" in page and 'data-draft-version="1"' in page and "Draft saved by anna" in page
    assert "Routing v2" in alex.get("/modeler/routing/diagram.bpmn").text
    assert "Routing v2" not in alex.get("/modeler/routing/diagram.bpmn?version=1").text

    assert alex.post_json("/modeler/drafts", {"xml": routing(name="Alex"), "key": "routing", "version": 1}).status_code == 200
    late = anna.post_json("/modeler/drafts", {"xml": routing(name="Anna"), "key": "routing", "version": 1})
    assert late.status_code == 409 and "alex saved the draft of 'routing'" in late.json["error"]["message"]
    assert anna.post_json("/modeler/routing/discard", {"version": 1}).status_code == 409
    assert anna.post_json("/modeler/routing/discard", {"version": 2}).json == {"discarded": "routing"}
    assert 'data-draft-version=""' in anna.get("/modeler/routing").text


def test_deploying_creates_the_next_version(app, weft, people):
    anna = signed_in(app, "anna")
    xml = routing().replace('"clerks"', '"buyers"')
    draft = anna.post_json("/modeler/drafts", {"xml": xml, "key": "routing"}).json["draft"]
    answer = anna.post_json("/modeler/deploy", {"xml": xml, "key": "routing", "version": draft["version"]})
    assert answer.status_code == 200
    assert answer.json["deployment"]["processes"] == [{"key": "routing", "name": "Routing", "version": 2, "created": True}]
    assert [d.version for d in weft.process_definitions()] == [2]
    again = anna.post_json("/modeler/deploy", {"xml": xml, "key": "routing"})
    assert again.json["deployment"]["processes"][0] == {"key": "routing", "name": "Routing", "version": 2,
                                                        "created": False}
    download = anna.get("/modeler/routing/diagram.bpmn?version=2")
    assert download.text == xml and 'filename=routing-v2.bpmn' in download.headers["Content-Disposition"]


def test_a_refused_deployment_answers_with_its_problems_and_stores_nothing(app, weft, people):
    answer = signed_in(app, "anna").post_json("/modeler/deploy", {"xml": routing(default=None), "key": "routing"})
    assert answer.status_code == 422 and answer.json["error"]["code"] == "deployment_refused"
    assert [p["element"] for p in answer.json["error"]["details"]] == ["choose"]
    assert [d.version for d in weft.process_definitions()] == [1]


def test_bad_input_is_refused_clearly(app, people):
    anna = signed_in(app, "anna")
    missing = anna.post_json("/modeler/validate", {"key": "routing"})
    assert missing.status_code == 422 and missing.json["error"]["details"] == {"xml": ["Missing data for required field."]}
    broken = anna.post_json("/modeler/drafts", {"xml": "<definitions><process", "key": None})
    assert broken.status_code == 422
    [problem] = broken.json["error"]["details"]
    assert "malformed XML" in problem["message"] and problem["line"] == 1
    assert anna.get("/modeler/routing?version=0").status_code == 422
    assert anna.get("/modeler/routing?version=7").status_code == 404
    no_token = anna.client.post("/modeler/validate", json={"xml": routing()})
    assert no_token.status_code == 400


def test_names_in_the_list_are_escaped(app, weft, people, bpmn_file):
    weft.deploy(bpmn_file(process_xml("odd", [start(), end()], [flow("start", "end")],
                                      name="<script>alert(1)</script>"), "odd.bpmn"))
    page = signed_in(app, "anna").get("/modeler").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page

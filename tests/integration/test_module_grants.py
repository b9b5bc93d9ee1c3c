"""A module grants its roles permissions on entities of the modules it requires (manufacturing's
planners read procurement's items), checked at deploy and applied with the module."""

from __future__ import annotations

import pytest

from tests.support.modules import module_files
from weft.engine.errors import DeploymentError
from weft.packages.module import read_module_folder
from weft.services.errors import NotAllowed


def extra(grants, requires=("lab",)):
    return module_files("lab_extra", {
        "plugins/lab_extra/plugin.yaml": {"name": "lab_extra", "version": "0.1.0", "requires": list(requires),
                                          "roles": ["auditor"], "grants": grants},
        "plugins/lab_extra/entities/audit.yaml": {"name": "audit", "fields": {"score": "integer"},
                                                  "permissions": {"auditor": ["read", "create"]}}})


def test_granted_roles_may_do_what_they_were_granted_and_no_more(weft, project):
    weft.deploy(project / "plugins" / "lab")
    weft.add_user("ada", groups=[])
    weft.records.create("supplier", {"name": "Acme"})
    with pytest.raises(NotAllowed):
        weft.records.search("supplier", user="ada")
    weft.deploy_modules([extra({"supplier": {"auditor": ["read"]}})])
    weft.accounts.add_member("auditor", "ada")
    assert [s["name"] for s in weft.records.search("supplier", user="ada").records] == ["Acme"]
    with pytest.raises(NotAllowed):
        weft.records.create("supplier", {"name": "Bolt"}, user="ada")
    weft.deploy_modules([extra({})])                     # taken back with the next version of the module
    with pytest.raises(NotAllowed):
        weft.records.search("supplier", user="ada")


def test_grants_deploy_together_with_the_module_they_name(weft, project):
    results = weft.deploy_modules([extra({"supplier": {"auditor": ["read", "update"]}}),
                                   read_module_folder(project, "lab")])
    assert [r.module for r in results] == ["lab", "lab_extra"]
    [supplier] = [e for e, _actions in weft.records.entities() if e.name == "supplier"]
    assert supplier.permissions["auditor"] == ("read", "update")


@pytest.mark.parametrize(("grants", "requires", "message"), [
    ({"invoice": {"auditor": ["read"]}}, ("lab",), "[grants.invoice]: unknown entity 'invoice'"),
    ({"audit": {"auditor": ["read"]}}, ("lab",), "this module's own"),
    ({"supplier": {"auditor": ["read"]}}, (), "belongs to 'lab', which this module does not require"),
    ({"supplier": {"stranger": ["read"]}}, ("lab",), "[grants.supplier.stranger]: role 'stranger' is not declared"),
    ({"supplier": {"auditor": ["approve"]}}, ("lab",), "[grants.supplier.auditor]: a role mapped to a list of actions"),
    (["supplier"], ("lab",), "[grants]: grants maps entities"),
])
def test_bad_grants_are_refused_naming_the_key(weft, project, grants, requires, message):
    weft.deploy(project / "plugins" / "lab")
    with pytest.raises(DeploymentError) as caught:
        weft.deploy_modules([extra(grants, requires)])
    assert message in str(caught.value)
    assert "lab_extra" not in {m.name for m in weft.modules.modules()}

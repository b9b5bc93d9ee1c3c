from tests.integration.modules.claims_support import *  # noqa
from tests.integration.modules.claims_support import claims  # noqa

def test_dbg(claims):
    started = report(claims)
    triaged(claims, started.id)
    inst = claims.instance(started.id)
    for h in inst.history:
        if h["element_id"] in ("plan_sla", "mark_covered", "to_handling", "handling_started"):
            print(h["element_id"], h["changes"])
    print("handler" in inst.variables)

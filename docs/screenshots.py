"""Make the screenshots in docs/screenshots/ (inbox, task page, instance page):
``.venv/bin/python docs/screenshots.py``. Seeds a throw-away database with the test module and a
few purchase orders, serves it, and photographs it in Debian's chromium."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "platform"))

from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from weft import Weft  # noqa: E402
from weft.app import create_app  # noqa: E402
from weft.config import Settings  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


def seed(weft: Weft) -> None:
    weft.deploy(ROOT / "tests" / "modules" / "plugins" / "lab")
    weft.add_user("paula", "screenshot", "paula@example.com", ["purchaser"], display_name="Paula Petrova")
    weft.add_user("mark", "screenshot", "mark@example.com", ["purchase_manager"], display_name="Mark Meyer")
    suppliers = [weft.records.create("supplier", {"name": name, "rating": rating})
                 for name, rating in [("Acme Industrial", 5), ("Bolt Brothers", 4), ("Nordic Steel AB", 3)]]
    items = [("Bolt M8", 400, "0.35"), ("Hex nut M8", 400, "0.12"), ("Steel plate 2 mm", 12, "48.00"),
             ("Safety gloves", 50, "3.90"), ("Drill bit set", 3, "79.00")]
    for n in range(7):
        instance = weft.start("lab_purchase", user="paula")
        [task] = weft.tasks(instance_id=instance.id)
        lines = [{"item": item, "quantity": qty, "price": price} for item, qty, price in items[n % 3:n % 3 + 2]]
        weft.claim(task.id, "paula")
        weft.complete(task.id, {"supplier": suppliers[n % 3]["id"], "lines": lines, "urgent": n % 3 == 0,
                                "reason": "Line 3 stopped" if n % 3 == 0 else None,
                                "description": "Monthly replenishment"}, user="paula")


def main() -> None:
    path = Path(tempfile.mkdtemp(prefix="weft-shots-")) / "shots.db"
    weft = Weft.open(f"sqlite:///{path}", clock=lambda: NOW)
    seed(weft)
    app = create_app(Settings(database_url=f"sqlite:///{path}", secret_key="shots"), weft=weft)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1360, "height": 860}, locale="en-US")
        page.goto(f"{base}/login")
        page.fill("input[name=name]", "mark")
        page.fill("input[name=password]", "screenshot")
        page.click("button[type=submit]")
        page.goto(f"{base}/inbox?view=group&sort=-priority")
        page.wait_for_selector("table.tasks")
        page.screenshot(path=str(OUT / "inbox.png"))
        page.locator("button:has-text('Claim')").first.click()
        page.wait_for_selector("td.assignee:has-text('mark')")
        page.locator("a.task-link").first.click()
        page.wait_for_selector(".diagram.ready")
        page.screenshot(path=str(OUT / "task-page.png"))
        page.click("button.outcome-approve")
        page.goto(f"{base}/records/purchase_order?sort=-number")
        page.locator("table.tasks tbody tr a").first.click()
        page.wait_for_selector("h1")
        order = page.url
        page.goto(f"{base}/inbox?view=team")
        instance = weft.instances.instances(user=None)[0][-1]
        page.goto(f"{base}/instances/{instance.id}")
        page.wait_for_selector(".diagram.ready")
        page.screenshot(path=str(OUT / "instance-page.png"))
        page.goto(order)
        browser.close()
    server.shutdown()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()

"""Render the modules' processes to docs/diagrams/<process>.png with bpmn-js (from node_modules)
in Debian's chromium: ``.venv/bin/python docs/diagrams.py``. The README's module sections show
these pictures; run it again after changing a process."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "diagrams"
VIEWER = ROOT / "node_modules" / "bpmn-js" / "dist" / "bpmn-viewer.production.min.js"
CSS = [ROOT / "node_modules" / "bpmn-js" / "dist" / "assets" / name for name in ("diagram-js.css", "bpmn-js.css")]

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<style>{css} html, body {{ margin: 0; background: #fff; }} #canvas {{ width: 100%; height: 100%; }}</style>
<script>{viewer}</script></head><body><div id="canvas"></div></body></html>"""

MEASURE = """async (xml) => {
  window.viewer = new BpmnJS({container: '#canvas'});
  await window.viewer.importXML(xml);
  const box = window.viewer.get('canvas').viewbox().inner;
  return {width: box.width, height: box.height};
}"""

FIT = """() => {
  const canvas = window.viewer.get('canvas');
  canvas.resized();
  canvas.zoom('fit-viewport', 'auto');
}"""

SCALE = 0.8           # readable labels
STRIP = 1800          # a long process is cut into strips of this width, stacked top to bottom

STRIPS = """<!doctype html><html><head><style>html, body {{ margin: 0; background: #fff; }}
.strip {{ width: {width}px; height: {height}px; background: url(data:image/png;base64,{image}) no-repeat;
          border-bottom: 1px dashed #bbb; }}</style></head><body>{strips}</body></html>"""


def render(page, bpmn: Path, target: Path) -> None:
    page.set_viewport_size({"width": 1600, "height": 900})
    page.set_content(PAGE.format(css="\n".join(p.read_text() for p in CSS), viewer=VIEWER.read_text()))
    size = page.evaluate(MEASURE, bpmn.read_text())
    width, height = int((size["width"] + 60) * SCALE), int((size["height"] + 60) * SCALE)
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate("() => { document.querySelector('#canvas').style.height = '100vh'; }")
    page.evaluate(FIT)
    picture = page.screenshot()
    if width <= STRIP * 1.3:
        target.write_bytes(picture)
        return
    count = -(-width // STRIP)
    strips = "".join(f'<div class="strip" style="background-position: -{i * STRIP}px 0"></div>' for i in range(count))
    page.set_viewport_size({"width": STRIP, "height": 200})
    page.set_content(STRIPS.format(width=STRIP, height=height, image=base64.b64encode(picture).decode(),
                                   strips=strips))
    page.screenshot(path=str(target), full_page=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in (ROOT / "processes").glob("*/*.bpmn") if p.parent.name != "demo")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(device_scale_factor=1)
        for bpmn in files:
            target = OUT / f"{bpmn.stem}.png"
            render(page, bpmn, target)
            print(json.dumps({"process": str(bpmn.relative_to(ROOT)), "image": str(target.relative_to(ROOT))}))
        browser.close()


if __name__ == "__main__":
    main()

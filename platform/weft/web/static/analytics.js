/* Process analytics: the diagram as a heatmap of element durations. Each executed element is
   coloured by its average duration (markers weft-heat-1 … 5, the slowest is 5) and carries a
   badge with its runs and average; instances waiting there now and open incidents get badges
   of their own. The data comes from the page (data-elements), the diagram from data-heatmap. */
(function () {
  "use strict";

  function badge(text, kind, title) {
    const node = document.createElement("span");
    node.className = "heat-badge" + (kind ? " " + kind : "");
    node.textContent = text;
    if (title) node.title = title;
    return node;
  }

  async function heatmap(node) {
    if (node.dataset.loaded || !window.BpmnJS) return;
    node.dataset.loaded = "1";
    try {
      const response = await fetch(node.dataset.heatmap, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const viewer = new window.BpmnJS({ container: node });
      await viewer.importXML(await response.text());
      const canvas = viewer.get("canvas");
      const registry = viewer.get("elementRegistry");
      const overlays = viewer.get("overlays");
      JSON.parse(node.dataset.elements || "[]").forEach((element) => {
        const shape = registry.get(element.id);
        if (!shape) return;
        canvas.addMarker(element.id, "weft-heat-" + element.heat);
        const box = document.createElement("div");
        box.className = "heat-badges";
        if (element.count) box.appendChild(badge(element.count + "×" + (element.heat ? " · " + element.average : ""), "", element.title));
        if (element.waiting) box.appendChild(badge(String(element.waiting), "waiting", element.title));
        if (element.incidents) box.appendChild(badge(String(element.incidents), "incidents", element.title));
        if (box.childNodes.length) overlays.add(element.id, "weft-heat", { position: { top: -24, left: 0 }, html: box });
      });
      canvas.zoom("fit-viewport", "auto");
      node.classList.add("ready");
    } catch (e) {
      node.textContent = "The diagram could not be shown.";
    }
  }

  /* The duration histogram: whole instances per bar, so whole numbers on the axis. */
  function histogram(canvas) {
    if (canvas.dataset.drawn || !window.Chart) return;
    canvas.dataset.drawn = "1";
    const spec = JSON.parse(canvas.dataset.histogram);
    spec.datasets.forEach((set) => { set.backgroundColor = "#2f6fec"; set.borderRadius = 3; });
    new window.Chart(canvas, {
      type: "bar", data: spec,
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } },
                 scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  function init() {
    document.querySelectorAll(".diagram[data-heatmap]").forEach(heatmap);
    document.querySelectorAll("canvas[data-histogram]").forEach(histogram);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  window.addEventListener("load", init);
})();

/* Weft's small amount of browser code: local times, child-table rows, reference lookups,
   live form conditions, diagrams (bpmn-js), and htmx settings. No inline scripts (CSP). */
(function () {
  "use strict";

  const locale = document.body.dataset.locale || "en";
  const csrf = () => {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""; }
    catch (e) { return ""; }
  };

  /* -- times and time zones ------------------------------------------------------------------ */
  function localTimes(root) {
    root.querySelectorAll("time[data-local]").forEach((node) => {
      const moment = new Date(node.getAttribute("datetime"));
      if (isNaN(moment)) return;
      const options = node.dataset.local === "date" ? { dateStyle: "medium" } : { dateStyle: "medium", timeStyle: "short" };
      node.textContent = new Intl.DateTimeFormat(locale, options).format(moment);
      node.title = moment.toISOString();
    });
    root.querySelectorAll("[data-tz-offset]").forEach((input) => { input.value = String(new Date().getTimezoneOffset()); });
    root.querySelectorAll("input[type=datetime-local][data-utc]").forEach((input) => {
      const moment = new Date(input.dataset.utc);
      if (isNaN(moment)) return;
      input.value = new Date(moment.getTime() - moment.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
      delete input.dataset.utc;
    });
  }

  /* -- child-table rows and filter rows ----------------------------------------------------------- */
  function nextIndex(body, table) {
    let highest = -1;
    body.querySelectorAll(`[name^="${table}-"]`).forEach((input) => {
      const match = input.name.match(/^[a-z0-9_]+-(\d+)-/);
      if (match) highest = Math.max(highest, Number(match[1]));
    });
    return highest + 1;
  }

  document.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-row-to]");
    if (add) {
      const form = add.closest("form");
      const name = add.dataset.addRowTo;
      const template = form.querySelector(`template[data-row-template="${name}"]`);
      const body = form.querySelector(`table[data-table="${name}"] tbody`);
      body.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__index__", String(nextIndex(body, name))));
      const row = body.lastElementChild;
      if (window.htmx) window.htmx.process(row);
      const first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
      return;
    }
    const remove = event.target.closest("[data-remove-row]");
    if (remove) {
      const form = remove.closest("form");
      remove.closest("tr").remove();
      scheduleConditions(form);
      return;
    }
    const addFilter = event.target.closest("[data-add-row]");
    if (addFilter) {
      const rows = document.querySelectorAll(addFilter.dataset.addRow);
      const last = rows[rows.length - 1];
      const copy = last.cloneNode(true);
      copy.querySelectorAll("input").forEach((input) => { input.value = ""; });
      copy.querySelectorAll("select").forEach((select) => { select.selectedIndex = 0; });
      last.after(copy);
      return;
    }
    const pick = event.target.closest("[data-pick]");
    if (pick) {
      const hidden = document.getElementById(pick.dataset.target);
      const box = pick.closest(".lookup");
      if (hidden) {
        hidden.value = pick.dataset.pick;
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      }
      if (box) {
        box.querySelector(".lookup-text").value = pick.textContent.trim();
        box.querySelector(".lookup-options").innerHTML = "";
      }
    }
  });

  document.addEventListener("input", (event) => {
    const text = event.target.closest(".lookup-text");
    if (text && text.value === "") {                       // cleared: no record chosen
      const hidden = text.closest(".lookup").querySelector("input[type=hidden]");
      if (hidden) hidden.value = "";
    }
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); return; }
    form.querySelectorAll("[data-tz-offset]").forEach((input) => { input.value = String(new Date().getTimezoneOffset()); });
    // Each typed date-time goes as UTC, with the offset of that very moment (summer or winter time).
    form.querySelectorAll("input[type=datetime-local][name]").forEach((input) => {
      if (!input.value) return;
      const moment = new Date(input.value);
      if (isNaN(moment)) return;
      const utc = document.createElement("input");
      utc.type = "hidden";
      utc.name = input.name;
      utc.value = moment.toISOString();
      input.removeAttribute("name");
      input.dataset.name = utc.name;
      input.after(utc);
    });
  });

  window.addEventListener("pageshow", () => {           // back to a page whose inputs lost their names
    document.querySelectorAll("input[type=datetime-local][data-name]").forEach((input) => {
      input.name = input.dataset.name;
      const hidden = input.nextElementSibling;
      if (hidden && hidden.type === "hidden" && hidden.name === input.name) hidden.remove();
    });
  });

  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-autosubmit]")) event.target.form.requestSubmit();
  });

  /* -- live form conditions (visible_when / required_when, evaluated on the server) ---------------- */
  const timers = new WeakMap();

  function scheduleConditions(form) {
    if (!form || !form.dataset.conditions) return;
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(() => applyConditions(form), 250));
  }

  async function applyConditions(form) {
    const data = new FormData(form);
    for (const [key, value] of Array.from(data.entries())) {
      if (value instanceof File) data.delete(key);           // never upload files for a preview
    }
    let answer;
    try {
      const response = await fetch(form.dataset.conditions, {
        method: "POST", body: data, headers: { "X-CSRF-Token": csrf() }, credentials: "same-origin",
      });
      if (!response.ok) return;
      answer = await response.json();
    } catch (e) { return; }
    (answer.sections || []).forEach((visible, index) => {
      const section = form.querySelector(`fieldset[data-section="${index}"]`);
      if (section) section.hidden = !visible;
    });
    Object.entries(answer.fields || {}).forEach(([name, state]) => {
      const field = form.querySelector(`.field[data-name="${name}"]`);
      if (!field) return;
      field.hidden = !state.visible;
      const marker = field.querySelector(":scope > label .req");
      if (marker) marker.hidden = !state.required;
    });
  }

  document.addEventListener("input", (event) => scheduleConditions(event.target.closest("form.weft-form")));
  document.addEventListener("change", (event) => scheduleConditions(event.target.closest("form.weft-form")));

  /* -- diagrams --------------------------------------------------------------------------------- */
  async function diagrams(root) {
    const nodes = root.querySelectorAll(".diagram[data-diagram]");
    if (!nodes.length || !window.BpmnJS) return;
    for (const node of nodes) {
      if (node.dataset.loaded) continue;
      node.dataset.loaded = "1";
      try {
        const response = await fetch(node.dataset.diagram, { credentials: "same-origin" });
        const xml = await response.text();
        const viewer = new window.BpmnJS({ container: node });
        await viewer.importXML(xml);
        const canvas = viewer.get("canvas");
        const registry = viewer.get("elementRegistry");
        const mark = (ids, marker) => (ids || []).forEach((id) => { if (registry.get(id)) canvas.addMarker(id, marker); });
        mark(JSON.parse(node.dataset.completed || "[]"), "weft-completed");
        mark(JSON.parse(node.dataset.active || "[]"), "weft-active");
        mark(JSON.parse(node.dataset.failed || "[]"), "weft-failed");
        if (node.dataset.current) mark([node.dataset.current], "weft-current");
        canvas.zoom("fit-viewport", "auto");
        node.classList.add("ready");
      } catch (e) {
        node.textContent = "The diagram could not be shown.";
      }
    }
  }

  /* -- report charts (Chart.js) ----------------------------------------------------------------------- */
  const PALETTE = ["#2f6fec", "#1e7d46", "#c2410c", "#7c3aed", "#0e7490", "#b91c1c", "#a16207", "#4d7c0f"];

  function charts(root) {
    if (!window.Chart) return;
    root.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      if (canvas.dataset.drawn) return;
      canvas.dataset.drawn = "1";
      const spec = JSON.parse(canvas.dataset.chart);
      const horizontal = spec.type === "horizontal_bar";
      const round = spec.type === "pie" || spec.type === "doughnut";
      spec.data.datasets.forEach((set, index) => {
        const colors = round ? spec.data.labels.map((_, i) => PALETTE[i % PALETTE.length]) : PALETTE[index % PALETTE.length];
        set.backgroundColor = colors;
        set.borderColor = colors;
      });
      new window.Chart(canvas, {
        type: horizontal ? "bar" : spec.type,
        data: spec.data,
        options: { indexAxis: horizontal ? "y" : "x", responsive: true, maintainAspectRatio: false,
                   animation: false, plugins: { legend: { display: round || spec.data.datasets.length > 1 } } },
      });
    });
  }

  /* -- start and htmx ---------------------------------------------------------------------------- */
  function init(root) {
    localTimes(root);
    diagrams(root);
    charts(root);
    root.querySelectorAll("form.weft-form[data-conditions]").forEach((form) => {
      if (form.dataset.conditions) applyConditions(form);
    });
  }

  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.xhr.status === 422) {                   // validation errors are content to show
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSwap", (event) => init(event.detail.target));
  document.addEventListener("htmx:pushedIntoHistory", () => {
    const query = document.getElementById("save-view-query");
    if (query) query.value = window.location.search.replace(/^\?/, "");
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => init(document));
  } else {
    init(document);
  }
  window.addEventListener("load", () => { diagrams(document); charts(document); });   // deferred scripts
})();

/* The modeler page: bpmn-js with the properties panel (the bundle in /build/modeler.js) wired to
   the server — save a draft, validate (problems as markers and a list), deploy, download, discard.
   No inline scripts (CSP); every POST carries the session's CSRF token. */
(function () {
  "use strict";

  const root = document.getElementById("modeler");
  if (!root || !window.WeftBpmn) return;

  const urls = JSON.parse(root.dataset.urls);
  const texts = JSON.parse(root.dataset.texts);
  const t = (text, values) => (texts[text] || text).replace(/{(\w+)}/g, (whole, name) =>
    (values && name in values ? String(values[name]) : whole));
  const csrf = () => {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""; }
    catch (e) { return ""; }
  };
  const state = {
    key: root.dataset.key || null,
    draftVersion: root.dataset.draftVersion ? Number(root.dataset.draftVersion) : null,
    dirty: false,
    busy: false,
    marked: [],
  };
  const statusLine = document.getElementById("modeler-status");
  const problemsBox = document.getElementById("modeler-problems");
  let modeler;

  function status(text, kind) {
    statusLine.textContent = text;
    statusLine.className = `modeler-status ${kind || ""}`;
  }

  async function request(url, body, method) {
    const response = await fetch(url, {
      method: method || "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf(), Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.redirected || !(response.headers.get("Content-Type") || "").includes("application/json")) {
      throw new Error(t("Your session ended: sign in again in another tab, then retry."));
    }
    return { status: response.status, data: await response.json() };
  }

  async function currentXml() {
    return (await modeler.saveXML({ format: true })).xml;
  }

  /* -- problems: markers on the elements and a list ------------------------------------------------ */
  function showProblems(problems) {
    const canvas = modeler.get("canvas");
    const registry = modeler.get("elementRegistry");
    state.marked.forEach((id) => { if (registry.get(id)) canvas.removeMarker(id, "weft-problem"); });
    state.marked = [];
    const list = problemsBox.querySelector("ul");
    list.replaceChildren();
    problems.forEach((problem) => {
      const item = document.createElement("li");
      const element = problem.element && registry.get(problem.element);
      const where = problem.element || (problem.line ? t("line {line}", { line: problem.line }) : problem.file);
      const label = element ? document.createElement("button") : document.createElement("span");
      label.className = element ? "linklike problem-element mono" : "problem-element mono";
      label.textContent = where;
      if (element) {
        canvas.addMarker(element.id, "weft-problem");
        state.marked.push(element.id);
        label.type = "button";
        label.dataset.element = element.id;
      }
      item.append(label, document.createTextNode(` ${problem.message}`));
      list.append(item);
    });
    problemsBox.hidden = problems.length === 0;
  }

  problemsBox.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-element]");
    if (!button) return;
    const element = modeler.get("elementRegistry").get(button.dataset.element);
    if (!element) return;
    modeler.get("selection").select(element);
    modeler.get("canvas").scrollToElement(element);
  });

  /* -- actions --------------------------------------------------------------------------------------- */
  function draftVersion(version) {
    state.draftVersion = version;
    root.querySelector("button[data-action=discard]").hidden = !version;
  }

  function adopt(draft) {
    draftVersion(draft.version);
    state.dirty = false;
    if (state.key !== draft.key) {
      state.key = draft.key;
      window.history.replaceState(null, "", urls.editor.replace("__key__", encodeURIComponent(draft.key)));
    }
  }

  function failed(answer, fallback) {
    const details = answer.data.error && answer.data.error.details;
    if (answer.status === 422 && Array.isArray(details)) showProblems(details);
    status(fallback && answer.status === 422 && Array.isArray(details) ? fallback
      : (answer.data.error && answer.data.error.message) || String(answer.status), "error");
  }

  async function save() {
    status(t("Saving…"));
    const answer = await request(urls.save, { xml: await currentXml(), key: state.key, version: state.draftVersion });
    if (answer.status !== 200) { failed(answer); return false; }
    adopt(answer.data.draft);
    status(t("Draft saved (version {version}).", { version: answer.data.draft.version }), "ok");
    return true;
  }

  async function validate() {
    status(t("Checking…"));
    const answer = await request(urls.validate, { xml: await currentXml(), key: state.key });
    if (answer.status !== 200) { failed(answer); return; }
    const problems = answer.data.problems;
    showProblems(problems);
    status(problems.length ? t("Problems found: {count}; they are listed below the diagram.", { count: problems.length })
      : t("No problems: the diagram can be deployed."), problems.length ? "error" : "ok");
  }

  async function deploy() {
    if (state.dirty && !(await save())) return;
    status(t("Deploying…"));
    const answer = await request(urls.deploy, { xml: await currentXml(), key: state.key, version: state.draftVersion });
    if (answer.status !== 200) { failed(answer, t("Deploying was refused: see the problems below the diagram.")); return; }
    const deployment = answer.data.deployment;
    const process = deployment.processes.find((p) => p.key === state.key) || deployment.processes[0];
    draftVersion(null);
    state.dirty = false;
    state.deployed = true;
    if (process && state.key !== process.key) {
      state.key = process.key;
      window.history.replaceState(null, "", urls.editor.replace("__key__", encodeURIComponent(process.key)));
    }
    showProblems([]);
    status(process && process.created ? t("Deployed: {process} version {version}.", { process: process.key, version: process.version })
      : t("Nothing changed: version {version} stays current.", { version: process ? process.version : deployment.version }), "ok");
  }

  async function discard() {
    if (!state.key || !state.draftVersion || !window.confirm(t("Discard the draft and go back to the deployed version?"))) return;
    const answer = await request(urls.discard.replace("__key__", encodeURIComponent(state.key)), { version: state.draftVersion });
    if (answer.status !== 200) { failed(answer); return; }
    state.dirty = false;
    window.location.assign(root.dataset.deployed || state.deployed ? urls.editor.replace("__key__", encodeURIComponent(state.key))
      : urls.index);
  }

  async function download() {
    const blob = new Blob([await currentXml()], { type: "application/xml" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `${state.key || "diagram"}.bpmn`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  async function open(input) {
    const file = input.files && input.files[0];
    if (!file) return;
    await importXml(await file.text());
    state.dirty = true;
    input.value = "";
  }

  const ACTIONS = { save, validate, deploy, discard, download };

  root.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button || state.busy || !ACTIONS[button.dataset.action]) return;
    state.busy = true;
    root.setAttribute("aria-busy", "true");
    try { await ACTIONS[button.dataset.action](); }
    catch (error) { status(error.message || String(error), "error"); }
    finally { state.busy = false; root.removeAttribute("aria-busy"); }
  });
  root.addEventListener("change", (event) => {
    if (event.target.matches("input[data-action=open]")) open(event.target).catch((e) => status(e.message, "error"));
  });
  window.addEventListener("beforeunload", (event) => {
    if (state.dirty) { event.preventDefault(); event.returnValue = t("Leave the modeler? Unsaved changes are lost."); }
  });

  /* -- start ------------------------------------------------------------------------------------------ */
  function fit(canvas) {
    // The whole diagram, clear of the palette on the left.
    canvas.zoom("fit-viewport", "auto");
    const box = canvas.viewbox();
    const share = Math.max(0.5, (box.outer.width - 150) / box.outer.width);
    const width = box.width / share;
    const height = box.height / share;
    canvas.viewbox({ x: box.x - (width - box.width), y: box.y - (height - box.height) / 2, width, height });
  }


  async function importXml(xml) {
    try {
      await modeler.importXML(xml);
      fit(modeler.get("canvas"));
      state.marked = [];
      showProblems([]);
    } catch (error) {
      status(t("The diagram could not be read: {reason}", { reason: error.message }), "error");
    }
  }

  async function start() {
    const answer = await request(urls.choices, undefined, "GET");
    modeler = window.WeftBpmn.create({
      container: document.getElementById("modeler-canvas"),
      panel: document.getElementById("modeler-properties"),
      choices: answer.status === 200 ? answer.data : undefined,
      translations: texts,
    });
    window.weftModeler = modeler;           // for tests and the browser console
    await importXml(document.getElementById("modeler-xml").value);
    modeler.on("commandStack.changed", () => {
      state.dirty = true;
      status(t("Unsaved changes"));
    });
    root.classList.add("ready");
  }

  start().catch((error) => status(error.message || String(error), "error"));
})();

/* The form and entity editors: a previewed form is only a picture (it never submits), and Tab
   in the YAML indents by two spaces instead of leaving the text area. */
(function () {
  "use strict";

  document.addEventListener("submit", (event) => {
    if (event.target.closest(".form-preview")) event.preventDefault();
  }, true);

  document.addEventListener("keydown", (event) => {
    const area = event.target;
    if (event.key !== "Tab" || event.shiftKey || !area.matches || !area.matches("textarea.source")) return;
    event.preventDefault();
    const start = area.selectionStart;
    area.setRangeText("  ", start, area.selectionEnd, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();

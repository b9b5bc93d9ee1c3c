/* bpmn-js's texts in the page's language: the page passes its catalogue (English -> translation). */
export function translateModule(catalogue) {
  function translate(template, replacements) {
    const text = catalogue[template] || template;
    return text.replace(/{([^}]+)}/g, (whole, key) => (replacements && key in replacements ? replacements[key] : whole));
  }
  return { translate: ["value", translate] };
}

/* The modeler bundle (built by `npm run build` with esbuild into static/build/, never committed):
   bpmn-js's modeler with the properties panel, Camunda's moddle extension so camunda:* attributes
   round-trip, and the Weft group. Exposes window.WeftBpmn.create(options). */
import BpmnModeler from "bpmn-js/lib/Modeler";
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from "bpmn-js-properties-panel";
import camundaModdle from "camunda-bpmn-moddle/resources/camunda.json";

import "bpmn-js/dist/assets/diagram-js.css";
import "bpmn-js/dist/assets/bpmn-js.css";
import "bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css";
import "@bpmn-io/properties-panel/dist/assets/properties-panel.css";

import { translateModule } from "./translate.js";
import { weftPropertiesModule } from "./weft-group.jsx";

/**
 * @param {{container: Element, panel: Element, choices: {forms, connectors, decisions},
 *          translations: Object<string, string>}} options
 */
function create(options) {
  return new BpmnModeler({
    container: options.container,
    propertiesPanel: { parent: options.panel },
    additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, weftPropertiesModule,
                        translateModule(options.translations || {})],
    moddleExtensions: { camunda: camundaModdle },
    weft: { choices: options.choices || { forms: [], connectors: [], decisions: [] } },
  });
}

window.WeftBpmn = { create };

/* The "Weft" group of the properties panel: the attributes Weft reads (DESIGN §8), written as
   Camunda 7 writes them (camunda:formKey, camunda:candidateGroups, camunda:connector, …). */
import { is, getBusinessObject } from "bpmn-js/lib/util/ModelUtil";
import {
  Group, ListGroup, SelectEntry, TextAreaEntry, TextFieldEntry,
  isSelectEntryEdited, isTextAreaEntryEdited, isTextFieldEntryEdited,
} from "@bpmn-io/properties-panel";
import { useService } from "bpmn-js-properties-panel";

import { connectorInputsGroup, getConnector } from "./connector.jsx";

const CHOOSING_GATEWAYS = ["bpmn:ExclusiveGateway", "bpmn:InclusiveGateway"];
const DECISION_RESULTS = ["resultList", "singleEntry", "singleResult", "collectEntries"];

/* -- plain attributes -------------------------------------------------------------------------- */
function AttributeEntry({ element, id, attribute, label, description }) {
  const modeling = useService("modeling");
  const translate = useService("translate");
  const debounce = useService("debounceInput");
  return <TextFieldEntry element={element} id={id} label={translate(label)}
    description={description && translate(description)} debounce={debounce}
    getValue={() => getBusinessObject(element).get(attribute) || ""}
    setValue={(value) => modeling.updateProperties(element, { [attribute]: value || undefined })} />;
}

function attribute(element, name, label, description) {
  const id = `weft-${name}`;
  return { id, element, attribute: `camunda:${name}`, label, description, component: AttributeEntry,
           isEdited: isTextFieldEntryEdited };
}

/* A select of known values that keeps whatever the diagram holds (a Camunda form key, say). */
function PickEntry({ element, id, label, current, choices, set, description }) {
  const translate = useService("translate");
  const getOptions = () => {
    const options = [{ value: "", label: translate("(none)") }, ...choices];
    const value = current();
    if (value && !choices.some((choice) => choice.value === value)) {
      options.push({ value, label: `${value} (${translate("not deployed")})` });
    }
    return options;
  };
  return <SelectEntry element={element} id={id} label={translate(label)}
    description={description && translate(description)} getValue={current} setValue={set} getOptions={getOptions} />;
}

function FormKeyEntry({ element, id }) {
  const modeling = useService("modeling");
  const forms = useService("config.weft").choices.forms;
  return <PickEntry element={element} id={id} label="Form"
    current={() => getBusinessObject(element).get("camunda:formKey") || ""}
    choices={forms.map((form) => ({ value: form.key, label: `${form.title} (${form.key})` }))}
    set={(value) => modeling.updateProperties(element, { "camunda:formKey": value || undefined })} />;
}

function DecisionEntry({ element, id }) {
  const modeling = useService("modeling");
  const decisions = useService("config.weft").choices.decisions;
  return <PickEntry element={element} id={id} label="Decision"
    current={() => getBusinessObject(element).get("camunda:decisionRef") || ""}
    choices={decisions.map((decision) => ({ value: decision, label: decision }))}
    set={(value) => modeling.updateProperties(element, { "camunda:decisionRef": value || undefined })} />;
}

function DecisionResultEntry({ element, id }) {
  const modeling = useService("modeling");
  return <PickEntry element={element} id={id} label="Map decision result"
    current={() => getBusinessObject(element).get("camunda:mapDecisionResult") || ""}
    choices={DECISION_RESULTS.map((value) => ({ value, label: value }))}
    set={(value) => modeling.updateProperties(element, { "camunda:mapDecisionResult": value || undefined })} />;
}

function ConnectorEntry({ element, id }) {
  const connectors = useService("config.weft").choices.connectors;
  const commandStack = useService("commandStack");
  const bpmnFactory = useService("bpmnFactory");
  return <PickEntry element={element} id={id} label="Connector"
    description="Runs the service task; its inputs are listed below."
    current={() => (getConnector(element) && getConnector(element).get("connectorId")) || ""}
    choices={connectors.map((connector) => ({ value: connector, label: connector }))}
    set={(value) => setConnector(element, value, commandStack, bpmnFactory)} />;
}

function setConnector(element, connectorId, commandStack, bpmnFactory) {
  const bo = getBusinessObject(element);
  const connector = getConnector(element);
  let extensions = bo.get("extensionElements");
  const commands = [];
  if (!connectorId) {
    if (connector) {
      commands.push(update(element, extensions, { values: extensions.get("values").filter((v) => v !== connector) }));
    }
  } else if (connector) {
    commands.push(update(element, connector, { connectorId }));
  } else {
    if (!extensions) {
      extensions = bpmnFactory.create("bpmn:ExtensionElements", { values: [] });
      extensions.$parent = bo;
      commands.push(update(element, bo, { extensionElements: extensions }));
    }
    const created = bpmnFactory.create("camunda:Connector", { connectorId });
    created.$parent = extensions;
    commands.push(update(element, extensions, { values: [...extensions.get("values"), created] }));
  }
  if (commands.length) commandStack.execute("properties-panel.multi-command-executor", commands);
}

function update(element, moddleElement, properties) {
  return { cmd: "element.updateModdleProperties", context: { element, moddleElement, properties } };
}

/* -- routing: conditions and default flows ------------------------------------------------------ */
function ConditionEntry({ element, id }) {
  const modeling = useService("modeling");
  const bpmnFactory = useService("bpmnFactory");
  const translate = useService("translate");
  const debounce = useService("debounceInput");
  const setValue = (value) => modeling.updateProperties(element, {
    conditionExpression: value ? bpmnFactory.create("bpmn:FormalExpression", { body: value }) : undefined,
  });
  return <TextAreaEntry element={element} id={id} label={translate("Condition")} debounce={debounce} monospace
    description={translate("Python or ${…}, e.g. ${amount > 1000}")} setValue={setValue}
    getValue={() => (getBusinessObject(element).get("conditionExpression") || { body: "" }).body || ""} />;
}

function DefaultFlowEntry({ element, id }) {
  const modeling = useService("modeling");
  const bo = getBusinessObject(element);
  // The drawn connections: files written without <outgoing> references still list them.
  const outgoing = () => (element.outgoing || []).map((connection) => connection.businessObject)
    .filter((flow) => is(flow, "bpmn:SequenceFlow"));
  return <PickEntry element={element} id={id} label="Default flow"
    current={() => (bo.get("default") && bo.get("default").id) || ""}
    choices={outgoing().map((flow) => ({ value: flow.id, label: flow.name ? `${flow.name} (${flow.id})` : flow.id }))}
    set={(value) => modeling.updateProperties(element, { default: outgoing().find((f) => f.id === value) || null })} />;
}

function ScriptEntry({ element, id }) {
  const modeling = useService("modeling");
  const translate = useService("translate");
  const debounce = useService("debounceInput");
  return <TextAreaEntry element={element} id={id} label={translate("Script (Python)")} debounce={debounce} monospace
    rows={8} getValue={() => getBusinessObject(element).get("script") || ""}
    setValue={(value) => modeling.updateProperties(element, { scriptFormat: "python", script: value || undefined })} />;
}

/* -- which entries an element gets --------------------------------------------------------------- */
function routedFlow(element) {
  if (!is(element, "bpmn:SequenceFlow")) return false;
  const source = getBusinessObject(element).get("sourceRef");
  return source && (CHOOSING_GATEWAYS.some((type) => is(source, type)) || is(source, "bpmn:Activity"))
    && (source.get("default") !== getBusinessObject(element));
}

function entries(element) {
  const found = [];
  const add = (id, component, isEdited) => found.push({ id, element, component, isEdited });
  if (is(element, "bpmn:UserTask") || (is(element, "bpmn:StartEvent") && is(element.parent, "bpmn:Process"))) {
    add("weft-formKey", FormKeyEntry, isSelectEntryEdited);
  }
  if (is(element, "bpmn:UserTask")) {
    found.push(attribute(element, "assignee", "Assignee", "A user name or ${variable}"),
               attribute(element, "candidateGroups", "Candidate groups", "Comma-separated; without them the lane name"),
               attribute(element, "candidateUsers", "Candidate users", "Comma-separated user names"),
               attribute(element, "dueDate", "Due date", "ISO date, duration from now (P2D) or ${expression}"),
               attribute(element, "priority", "Priority", "An integer (default 50) or ${expression}"));
  }
  if (is(element, "bpmn:ServiceTask")) add("weft-connector", ConnectorEntry, isSelectEntryEdited);
  if (is(element, "bpmn:BusinessRuleTask")) {
    add("weft-decisionRef", DecisionEntry, isSelectEntryEdited);
    found.push(attribute(element, "resultVariable", "Result variable"));
    add("weft-mapDecisionResult", DecisionResultEntry, isSelectEntryEdited);
  }
  if (routedFlow(element)) add("weft-condition", ConditionEntry, isTextAreaEntryEdited);
  if (CHOOSING_GATEWAYS.some((type) => is(element, type))) add("weft-default", DefaultFlowEntry, isSelectEntryEdited);
  if (is(element, "bpmn:ScriptTask")) add("weft-script", ScriptEntry, isTextAreaEntryEdited);
  return found;
}

function WeftPropertiesProvider(propertiesPanel, injector) {
  this.getGroups = (element) => (groups) => {
    const found = entries(element);
    if (found.length) {
      const group = { id: "weft", label: injector.get("translate")("Weft"), component: Group, entries: found };
      groups.splice(Math.min(1, groups.length), 0, group);      // right after "General"
    }
    const inputs = connectorInputsGroup(element, injector);
    if (inputs) groups.splice(Math.min(2, groups.length), 0, { ...inputs, component: ListGroup });
    return groups;
  };
  propertiesPanel.registerProvider(400, this);
}
WeftPropertiesProvider.$inject = ["propertiesPanel", "injector"];

export const weftPropertiesModule = {
  __init__: ["weftPropertiesProvider"],
  weftPropertiesProvider: ["type", WeftPropertiesProvider],
};

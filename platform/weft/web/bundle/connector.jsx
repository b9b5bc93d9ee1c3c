/* A service task's connector inputs (camunda:connector > camunda:inputOutput > camunda:inputParameter),
   edited as name/value pairs; parameters written as scripts, lists or maps are kept and shown as such. */
import { is, getBusinessObject } from "bpmn-js/lib/util/ModelUtil";
import { TextAreaEntry, TextFieldEntry, isTextAreaEntryEdited, isTextFieldEntryEdited } from "@bpmn-io/properties-panel";
import { useService } from "bpmn-js-properties-panel";

export function getConnector(element) {
  const extensions = getBusinessObject(element).get("extensionElements");
  return extensions && (extensions.get("values") || []).find((value) => is(value, "camunda:Connector"));
}

function update(element, moddleElement, properties) {
  return { cmd: "element.updateModdleProperties", context: { element, moddleElement, properties } };
}

function NameEntry({ element, id, parameter }) {
  const commandStack = useService("commandStack");
  const translate = useService("translate");
  const debounce = useService("debounceInput");
  return <TextFieldEntry element={parameter} id={id} label={translate("Name")} debounce={debounce}
    getValue={() => parameter.get("name") || ""}
    setValue={(name) => commandStack.execute("element.updateModdleProperties",
      update(element, parameter, { name }).context)} />;
}

function ValueEntry({ element, id, parameter }) {
  const commandStack = useService("commandStack");
  const translate = useService("translate");
  const debounce = useService("debounceInput");
  const definition = parameter.get("definition");
  if (definition) {
    return <TextAreaEntry element={parameter} id={id} label={translate("Value")} disabled
      getValue={() => `(${definition.$type.replace("camunda:", "")})`} setValue={() => {}} />;
  }
  return <TextAreaEntry element={parameter} id={id} label={translate("Value")} debounce={debounce} monospace
    description={translate("Text with ${…} parts, or ${expression}")}
    getValue={() => parameter.get("value") || ""}
    setValue={(value) => commandStack.execute("element.updateModdleProperties",
      update(element, parameter, { value: value || undefined }).context)} />;
}

export function connectorInputsGroup(element, injector) {
  const connector = is(element, "bpmn:ServiceTask") && getConnector(element);
  if (!connector) return null;
  const commandStack = injector.get("commandStack");
  const bpmnFactory = injector.get("bpmnFactory");
  const translate = injector.get("translate");
  const inputOutput = connector.get("inputOutput");
  const parameters = (inputOutput && inputOutput.get("inputParameters")) || [];
  const items = parameters.map((parameter, index) => {
    const id = `${element.id}-weft-input-${index}`;
    return {
      id, label: parameter.get("name") || "", autoFocusEntry: `${id}-name`,
      entries: [
        { id: `${id}-name`, component: NameEntry, isEdited: isTextFieldEntryEdited, element, parameter },
        { id: `${id}-value`, component: ValueEntry, isEdited: isTextAreaEntryEdited, element, parameter },
      ],
      remove: (event) => {
        event.stopPropagation();
        commandStack.execute("element.updateModdleProperties", update(element, inputOutput, {
          inputParameters: inputOutput.get("inputParameters").filter((p) => p !== parameter) }).context);
      },
    };
  });
  const add = (event) => {
    event.stopPropagation();
    const commands = [];
    let io = connector.get("inputOutput");
    if (!io) {
      io = bpmnFactory.create("camunda:InputOutput", { inputParameters: [], outputParameters: [] });
      io.$parent = connector;
      commands.push(update(element, connector, { inputOutput: io }));
    }
    const parameter = bpmnFactory.create("camunda:InputParameter", { name: `input${io.get("inputParameters").length + 1}` });
    parameter.$parent = io;
    commands.push(update(element, io, { inputParameters: [...io.get("inputParameters"), parameter] }));
    commandStack.execute("properties-panel.multi-command-executor", commands);
  };
  return { id: "weft-connector-inputs", label: translate("Connector inputs"), items, add };
}

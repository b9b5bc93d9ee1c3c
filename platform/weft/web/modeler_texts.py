"""The words the modeler's scripts show (its own and bpmn-js's), in the page's language.

The page hands them to the browser (English -> translation); each is written out as a ``_()`` call
here so that the catalogue check finds them.
"""

from __future__ import annotations

from .session import _


def browser_texts() -> dict[str, str]:
    texts = {
        # the page's script
        "Saving…": _("Saving…"),
        "Draft saved (version {version}).": _("Draft saved (version {version})."),
        "Unsaved changes": _("Unsaved changes"),
        "Checking…": _("Checking…"),
        "No problems: the diagram can be deployed.": _("No problems: the diagram can be deployed."),
        "Problems found: {count}; they are listed below the diagram.": _("Problems found: {count}; they are listed below the diagram."),
        "Deploying…": _("Deploying…"),
        "Deployed: {process} version {version}.": _("Deployed: {process} version {version}."),
        "Nothing changed: version {version} stays current.": _("Nothing changed: version {version} stays current."),
        "Deploying was refused: see the problems below the diagram.":
            _("Deploying was refused: see the problems below the diagram."),
        "Discard the draft and go back to the deployed version?":
            _("Discard the draft and go back to the deployed version?"),
        "The diagram could not be read: {reason}": _("The diagram could not be read: {reason}"),
        "Your session ended: sign in again in another tab, then retry.":
            _("Your session ended: sign in again in another tab, then retry."),
        "Leave the modeler? Unsaved changes are lost.": _("Leave the modeler? Unsaved changes are lost."),
        "line {line}": _("line {line}"),
        # the Weft group of the properties panel
        "Weft": _("Weft"), "Form": _("Form"), "(none)": _("(none)"), "not deployed": _("not deployed"),
        "Assignee": _("Assignee"), "A user name or ${variable}": _("A user name or ${variable}"),
        "Candidate groups": _("Candidate groups"),
        "Comma-separated; without them the lane name": _("Comma-separated; without them the lane name"),
        "Candidate users": _("Candidate users"), "Comma-separated user names": _("Comma-separated user names"),
        "Due date": _("Due date"),
        "ISO date, duration from now (P2D) or ${expression}": _("ISO date, duration from now (P2D) or ${expression}"),
        "Priority": _("Priority"), "An integer (default 50) or ${expression}": _("An integer (default 50) or ${expression}"),
        "Connector": _("Connector"),
        "Runs the service task; its inputs are listed below.":
            _("Runs the service task; its inputs are listed below."),
        "Connector inputs": _("Connector inputs"), "Value": _("Value"),
        "Text with ${…} parts, or ${expression}": _("Text with ${…} parts, or ${expression}"),
        "Decision": _("Decision"), "Result variable": _("Result variable"),
        "Map decision result": _("Map decision result"), "Condition": _("Condition"),
        "Python or ${…}, e.g. ${amount > 1000}": _("Python or ${…}, e.g. ${amount > 1000}"),
        "Default flow": _("Default flow"), "Script (Python)": _("Script (Python)"),
    }
    texts.update(_bpmn_js_texts())
    return texts


def _bpmn_js_texts() -> dict[str, str]:
    """The texts of bpmn-js and its properties panel an analyst meets first."""
    return {
        "General": _("General"), "Name": _("Name"), "ID": _("ID"), "Documentation": _("Documentation"),
        "Element documentation": _("Element documentation"), "Process documentation": _("Process documentation"),
        "Executable": _("Executable"), "Timer": _("Timer"), "Type": _("Type"), "Message": _("Message"),
        "Signal": _("Signal"), "Error": _("Error"), "Escalation": _("Escalation"), "Multi-instance": _("Multi-instance"),
        "Process": _("Process"), "Participant": _("Participant"),
        "Activate hand tool": _("Activate hand tool"), "Activate lasso tool": _("Activate lasso tool"),
        "Activate create/remove space tool": _("Activate create/remove space tool"),
        "Activate global connect tool": _("Activate global connect tool"),
        "Create start event": _("Create start event"),
        "Create intermediate/boundary event": _("Create intermediate/boundary event"),
        "Create end event": _("Create end event"), "Create gateway": _("Create gateway"),
        "Create task": _("Create task"), "Create expanded sub-process": _("Create expanded sub-process"),
        "Create data object reference": _("Create data object reference"),
        "Create data store reference": _("Create data store reference"),
        "Create pool/participant": _("Create pool/participant"), "Create group": _("Create group"),
        "Append end event": _("Append end event"), "Append gateway": _("Append gateway"),
        "Append task": _("Append task"), "Append intermediate/boundary event": _("Append intermediate/boundary event"),
        "Add text annotation": _("Add text annotation"), "Change element": _("Change element"),
        "Delete": _("Delete"), "Connect to other element": _("Connect to other element"),
        "Connect using association": _("Connect using association"),
    }

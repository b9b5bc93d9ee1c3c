"""One module per area of the standard; each has ``models() -> {file stem: BPMN XML}``."""

"""Parsed process models, kept per definition version (specs are immutable once deployed)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from .model import ProcessModel


class ModelCache:
    def __init__(self, capacity: int = 256):
        self.capacity = capacity
        self._models: OrderedDict[int, ProcessModel] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, definition_id: int, load: Callable[[], ProcessModel]) -> ProcessModel:
        with self._lock:
            model = self._models.get(definition_id)
            if model is not None:
                self._models.move_to_end(definition_id)
                return model
        model = load()
        with self._lock:
            model = self._models.setdefault(definition_id, model)
            while len(self._models) > self.capacity:
                self._models.popitem(last=False)
        return model

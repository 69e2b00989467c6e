"""The documentation suite checks the document against the running API, as its tests do."""

from tests.api.conftest import api

__all__ = ["api"]

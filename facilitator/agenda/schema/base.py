"""The base of every model of the agenda file.

Each model is named `…Spec` (`PersonSpec`, `ProgramItemSpec`) so that it is never
taken for the table of the same name in `agenda.models` (`Person`, `ProgramItem`):
a spec is what a file says, a model row is what is stored. Each sets its `title`
to the bare name, which is the name the published JSON Schema gives it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

"""Problems found in an agenda file, and the error that carries them.

Messages are kept as a template plus parameters, so that the command line can
print them in English and the browser can show them in the viewer's language
(`Problem.translated`). Templates are marked with `N_` for Babel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


def N_(message: str) -> str:
    """Mark `message` for translation without translating it now."""
    return message


@dataclass(frozen=True)
class Problem:
    """One problem (or warning) at a place in an agenda file.

    `path` is the field path (`program[3].people[0]`), empty for the file as a
    whole; `line` and `column` are 1-based.
    """

    path: str
    line: int
    column: int
    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The sentence in English."""
        return self.template % dict(self.params)

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The sentence in the language of `gettext`."""
        return gettext(self.template) % dict(self.params)

    def format(self, filename: str) -> str:
        """`file:line:col: path: message`, as compilers print it."""
        where = f"{filename}:{self.line}:{self.column}"
        if self.path:
            return f"{where}: {self.path}: {self.message}"
        return f"{where}: {self.message}"


class AgendaError(Exception):
    """An agenda file that cannot be loaded, with every problem found in it."""

    def __init__(self, filename: str, problems: list[Problem]) -> None:
        self.filename = filename
        self.problems = problems
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(problem.format(self.filename) for problem in self.problems)

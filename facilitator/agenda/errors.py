"""Problems found in an agenda file, and the error that carries them.

Messages are kept as a template plus parameters, so that the command line can
print them in English and the browser can show them in the viewer's language
(`Problem.translated`). Templates are marked with `N_` for Babel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# A file of thousands of mistakes would make a page of megabytes that nobody reads:
# the first ones are shown, the rest only counted.
MAX_PROBLEMS = 100


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
    """An agenda file that cannot be loaded: its first problems, and how many more it has."""

    def __init__(self, filename: str, problems: list[Problem], more: int = 0) -> None:
        self.filename = filename
        self.problems = problems[:MAX_PROBLEMS]
        self.more = more + len(problems) - len(self.problems)
        super().__init__(str(self))

    @property
    def total(self) -> int:
        return len(self.problems) + self.more

    def __str__(self) -> str:
        lines = [problem.format(self.filename) for problem in self.problems]
        if self.more:
            # English, as the command line prints; the browser says it with ngettext.
            noun = "problem" if self.more == 1 else "problems"
            lines.append(f"{self.filename}: and {self.more} more {noun}")
        return "\n".join(lines)

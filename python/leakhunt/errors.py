"""Errors leakhunt raises for input a user can fix."""

import re

_WHERE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+)(?::(?P<column>\d+))?:\s*(?P<rest>.*)$")


class InputError(ValueError):
    """A description, option or telemetry that leakhunt cannot use.

    The message is the one `leakhunt check` and the other commands print. For a description
    error it begins "file:line:col:", and ``file``, ``line`` and ``column`` hold those of the
    first problem (None otherwise). ``problems`` lists every problem, one per line.
    """

    def __init__(self, message):
        super().__init__(message)
        self.message = message
        self.problems = [p for p in message.splitlines() if p.strip()]
        self.file = self.line = self.column = None
        first = self.problems[0] if self.problems else ""
        m = _WHERE.match(first)
        if m:
            self.file = m.group("file")
            self.line = int(m.group("line"))
            self.column = int(m.group("column")) if m.group("column") else None

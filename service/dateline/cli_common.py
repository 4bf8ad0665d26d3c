"""What every ``dateline`` subcommand shares: its exit statuses, its error, its JSON output, its
settings and its report of failed documents (a module of its own, so that a subcommand kept in
another module, such as :mod:`dateline.entities_cli`, does not import the command it belongs to)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from dateline.settings import Settings

#: exit statuses of the document commands (timeline, documents, ingest), shown in their --help
EXIT_STATUS = """exit status:
  0    every document read and extracted (and stored)
  1    a document could not be read, extracted (or stored): each one is named on stderr (and logged
       with its id and traceback), every other one is still processed and output (or stored); or
       nothing was done: no such path, no document found
  2    wrong usage (arguments)
  130  interrupted"""


class CommandError(Exception):
    """A failure to report as one line on stderr (exit status 1)."""


def write_json(payload: Any, stream: Any = None) -> None:
    """UTF-8 JSON, indented, non-ASCII kept as is (whatever the locale's encoding)."""
    out = stream if stream is not None else sys.stdout
    text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        out.write(text)


def settings_from_env() -> Settings:
    return Settings.from_env()


def report(command: str, failures: Sequence[str]) -> None:
    for message in failures:
        print(f"dateline {command}: {message}", file=sys.stderr)

"""``dateline worker`` whose extraction first sleeps ``DATELINE_TEST_EXTRACT_DELAY`` seconds: the
queue tests' way to have a job running long enough to kill its worker mid-job. Test code only; the
product has no such delay.

Usage: ``python tests/slow_worker.py [dateline worker options]`` (settings from the environment).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from dateline.cli import main
from dateline.events import extractor as extract

DELAY = float(os.environ.get("DATELINE_TEST_EXTRACT_DELAY", "30"))
_extract = extract.Extractor.extract


def slow_extract(self: Any, *args: Any, **kwargs: Any) -> Any:
    time.sleep(DELAY)
    return _extract(self, *args, **kwargs)


if __name__ == "__main__":
    extract.Extractor.extract = slow_extract  # type: ignore[method-assign]
    sys.exit(main(["worker", *sys.argv[1:]]))

"""What the API and its OpenAPI document know of a job without talking to the queue: the job id
pattern, the statuses, how long an ended job stays readable, and the view of one job. No redis or rq
import here, so the web layer and the published contract load without the queue's clients."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

#: seconds an ended job stays readable at /v1/jobs/<id>; RQ keeps the job's arguments (the whole
#: document text) as long, so a day: enough to poll, not a second copy of the store in Redis
RESULT_TTL = 24 * 3600
FAILURE_TTL = RESULT_TTL
#: RQ job ids are UUIDs; anything else is not a job (and never reaches Redis as a key)
#: (anchored for the OpenAPI document; the code uses fullmatch, which a trailing newline also fails)
JOB_ID = re.compile(r"^[0-9A-Za-z-]{1,64}$")

Status = Literal["queued", "running", "done", "failed"]


@dataclass(frozen=True)
class JobView:
    """How a job stands, as any API instance reports it."""

    id: str
    status: Status
    #: when done: the stored document's id, and whether this job stored it (False: the text was known)
    document_id: str | None = None
    created: bool | None = None
    #: when failed: a problem object without ``instance`` (the API adds the job's URL)
    problem: dict[str, Any] | None = None

"""``dateline timex``: the temporal tagger behind a stdin/stdout JSON protocol.

One request ``{"text": ..., "dct": "YYYY-MM-DD"}`` on stdin answers the JSON list
``[{"start", "end", "text", "type", "value", "mod"?}]``. With ``--jsonl`` the process stays up: it
prints ``{"ready": true, "load_s": ...}`` once, then answers one request per line (the protocol of
TempEval-3's ``run_tagger.py``). Only the components the tagger needs are run (no NER).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from typing import IO, Any

from spacy.language import Language

from dateline.settings import Settings

#: components the tagger does not need (tense comes from the tagger, parser and lemmatizer)
UNNEEDED = ("ner",)


def load_tagger_pipeline(settings: Settings) -> Language:
    import spacy

    import dateline.timex.component  # noqa: F401  (registers the factories)

    nlp = spacy.load(settings.model, exclude=[c for c in UNNEEDED])
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("dateline_paragraphs", before="parser")
    nlp.add_pipe("dateline_dates", last=True)
    return nlp


def answer(nlp: Language, request: Any) -> list[dict[str, Any]]:
    """TIMEX3 list of one request; raises ValueError on a malformed request."""
    if not isinstance(request, dict) or not isinstance(request.get("text"), str):
        raise ValueError('a request is a JSON object with a "text" string')
    dct_raw = request.get("dct")
    dct = None
    if dct_raw:
        try:
            dct = date.fromisoformat(str(dct_raw)[:10])
        except ValueError:
            raise ValueError(f'"dct" is not an ISO date: {dct_raw!r}') from None
    doc = nlp.make_doc(request["text"])
    doc._.dct = dct
    doc = nlp(doc)
    return [span._.timex.as_json() for span in doc.spans["timex"]]


def serve_lines(nlp: Language, stdin: IO[str], stdout: IO[str], load_s: float) -> int:
    stdout.write(json.dumps({"ready": True, "load_s": round(load_s, 3)}) + "\n")
    stdout.flush()
    for line in stdin:
        if not line.strip():
            continue
        try:
            out: Any = answer(nlp, json.loads(line))
        except (ValueError, json.JSONDecodeError) as exc:
            out = {"error": str(exc)}
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def run_timex(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    nlp = load_tagger_pipeline(Settings.from_env())
    if args.jsonl:
        return serve_lines(nlp, sys.stdin, sys.stdout, time.perf_counter() - t0)
    try:
        request = json.load(sys.stdin)
    except json.JSONDecodeError as exc:
        raise ValueError(f"stdin is not JSON: {exc.msg}") from None
    sys.stdout.write(json.dumps(answer(nlp, request), ensure_ascii=False) + "\n")
    return 0


def register_timex(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("timex", help="tag temporal expressions (TIMEX3) of a JSON request on stdin")
    parser.add_argument(
        "--jsonl", action="store_true", help="stay up: one request per line, one answer per line"
    )
    parser.set_defaults(func=run_timex)

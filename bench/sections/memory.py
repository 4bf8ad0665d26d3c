"""model-memory (the memory rows): peak RSS (VmHWM) of the gunicorn workers during the serving runs
(sampled by the serve section) and the shared/private split of their memory under preload
(smaps_rollup), against a process that only loaded the model (measured here)."""

from __future__ import annotations

import argparse
import os

from harness import Results, Row, Section, memory_of, verdict

T_WORKER_RSS_MB = 400.0  # issue 6


def measure(args: argparse.Namespace) -> Results:
    """A process that only loads the model (the part of a worker no code change can remove)."""
    import spacy  # children only (see harness)

    from dateline.settings import Settings

    before = memory_of(os.getpid())
    nlp = spacy.load(Settings.from_env().model)
    list(nlp.pipe(["Warm-up: the model parses one sentence on 5 June 2024."]))
    after = memory_of(os.getpid())
    return {"python_mb": before["hwm_mb"], "model_hwm_mb": after["hwm_mb"], "model_rss_mb": after["rss_mb"]}


def rows(res: Results) -> list[Row]:
    """The workers' figures come from the serve section; without the model-only process the
    reference reads n/a."""
    sv = res.get("serve")
    if not sv:
        return []
    mem = res.get("model_memory")
    peaks = [(label, s["memory"]) for label, s in sv["sizes"].items()]
    label, worst = max(peaks, key=lambda p: p[1]["peak_worker"]["hwm_mb"])
    ref = f"{mem['model_hwm_mb']:,.0f} (process with the model only)" if mem else "n/a"
    hwm = worst["peak_worker"]["hwm_mb"]
    out = [[
        "memory",
        f"worker peak RSS (VmHWM), MB (serving {label}, {worst['workers_seen']} workers seen)",
        f"{hwm:,.0f}",
        ref,
        f"{hwm / mem['model_hwm_mb']:.2f}" if mem else "",
        f"< {T_WORKER_RSS_MB:.0f} MB",
        verdict(hwm < T_WORKER_RSS_MB),
    ]]  # fmt: skip
    now = worst["workers_now"]
    if now:
        shared = sum(w["shared_mb"] for w in now) / len(now)
        private = sum(w["private_mb"] for w in now) / len(now)
        rss = sum(w["rss_mb"] for w in now) / len(now)
        out.append([
            "memory",
            "worker shared / private under preload, MB (smaps_rollup, mean)",
            f"{shared:,.0f} / {private:,.0f}",
            f"{rss:,.0f} RSS now; master {worst['master']['rss_mb']:,.0f}",
            f"{shared / rss:.0%} shared" if rss else "",
            "",
            "—",
        ])  # fmt: skip
    return out


SECTION = Section(
    "model-memory", "worker peak RSS while serving against a process with the model only", measure, rows
)

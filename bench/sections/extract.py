"""extract: Dateline's documents -> events throughput against a bare ``nlp.pipe`` of the same model
on the same texts, interleaved chunk by chunk; both counted in tokens of the raw texts."""

from __future__ import annotations

import argparse
import gc
import math
import time

from corpus import replicated_documents
from harness import Results, Row, Section, log, verdict

T_EXTRACT_RATIO = 0.85  # issue 6


def measure(args: argparse.Namespace) -> Results:
    import spacy  # children only (see harness)

    from dateline.events.extractor import Extractor
    from dateline.settings import Settings

    settings = Settings.from_env()
    docs = replicated_documents(args.docs)
    texts = [d.text for d in docs]
    bare = spacy.load(settings.model)
    extractor = Extractor(settings)
    tokens = sum(len(bare.tokenizer(t)) for t in texts)
    # what Dateline hands spaCy: the cleaned text (boilerplate and markup dropped), for the record
    cleaned_tokens = sum(len(bare.tokenizer(extractor.prepare(d)[1].text)) for d in docs)
    # warm both (lazy vocabularies, first-batch allocations), untimed
    list(bare.pipe(texts[:2]))
    extractor.extract_many(docs[:2])

    chunks = max(1, args.extract_chunks)
    size = math.ceil(len(docs) / chunks)
    t_bare = t_dateline = 0.0
    mentions = 0
    for k in range(chunks):
        part = slice(k * size, (k + 1) * size)
        order = ("bare", "dateline") if k % 2 == 0 else ("dateline", "bare")
        for side in order:
            gc.collect()
            start = time.perf_counter()
            if side == "bare":
                for _ in bare.pipe(texts[part]):
                    pass
                t_bare += time.perf_counter() - start
            else:
                results = extractor.extract_many(docs[part])
                t_dateline += time.perf_counter() - start
                mentions += sum(len(r.mentions) for r in results)
        log(f"extract: chunk {k + 1}/{chunks} done (bare {t_bare:.1f} s, dateline {t_dateline:.1f} s)")
    return {
        "documents": len(docs),
        "tokens": tokens,
        "cleaned_tokens": cleaned_tokens,
        "mentions": mentions,
        "bare_s": t_bare,
        "dateline_s": t_dateline,
        "bare_tps": tokens / t_bare,
        "dateline_tps": tokens / t_dateline,
        "ratio": t_bare / t_dateline,
        "bare_pipeline": bare.pipe_names,
        "dateline_pipeline": extractor.nlp.pipe_names,
        "batch_size": settings.batch_size,
    }


def rows(res: Results) -> list[Row]:
    ex = res.get("extract")
    if not ex:
        return []
    return [[
        "extraction",
        f"tokens/s, {ex['documents']} docs ({ex['tokens']:,} tokens; {ex['cleaned_tokens']:,} after clean())",
        f"{ex['dateline_tps']:,.0f}",
        f"{ex['bare_tps']:,.0f} (bare nlp.pipe)",
        f"{ex['ratio']:.2f}",
        f">= {T_EXTRACT_RATIO}",
        verdict(ex["ratio"] >= T_EXTRACT_RATIO),
    ]]  # fmt: skip


SECTION = Section("extract", "documents -> events tokens/s against a bare nlp.pipe", measure, rows)

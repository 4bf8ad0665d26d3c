"""Article text and metadata out of an HTML page, through trafilatura (dates through htmldate).

The extracted text becomes the document's text: every offset the service returns for an HTML
document refers to it, not to the markup. Paragraphs are separated by a blank line, as in the plain
text articles, so the extractor sees the same paragraph structure whatever the input form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: trafilatura's date search: the original publication date, not the last update; no extensive
#: guessing from free text (the extractor infers dates from the text itself when the page states none)
_DATE_PARAMS = {"original_date": True, "extensive_search": False}


class WebPageError(ValueError):
    """A page that yields no article text (the message says why, for the user)."""


@dataclass(frozen=True)
class WebPage:
    """What trafilatura finds in a page: main text, and the metadata it could read."""

    text: str
    title: str | None = None
    author: str | None = None
    site: str | None = None
    published: date | None = None
    #: the address the page names as its own (``<link rel=canonical>``, else ``og:url``)
    canonical_url: str | None = None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def read_page(html: str, url: str | None = None) -> WebPage:
    """The main text and metadata of ``html``; raises WebPageError when there is no text."""
    import trafilatura  # imported on first use: heavy (lxml, htmldate, courlan)

    if not html.strip():
        raise WebPageError("the HTML is empty")
    try:
        found = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={**_DATE_PARAMS, "url": url},
        )
    except (ValueError, TypeError) as exc:  # lxml refuses some inputs (e.g. an encoding declaration)
        raise WebPageError(f"the HTML cannot be parsed: {exc}") from None
    raw = getattr(found, "text", None) if found is not None else None
    paragraphs = [" ".join(line.split()) for line in (raw or "").splitlines()]
    text = "\n\n".join(p for p in paragraphs if p)
    if not text:
        raise WebPageError("the HTML has no article text (trafilatura found no main content)")
    return WebPage(
        text=text,
        title=_clean(getattr(found, "title", None)),
        author=_clean(getattr(found, "author", None)),
        site=_clean(getattr(found, "sitename", None)),
        published=_date(getattr(found, "date", None)),
        canonical_url=_canonical(getattr(found, "url", None), url),
    )


def _canonical(found: object, given: str | None) -> str | None:
    """The page's own address: trafilatura reads ``<link rel=canonical>``, else ``og:url`` (absolute,
    or made so from another of the page's addresses), and answers the address it was given when the
    page names none."""
    if not isinstance(found, str) or found == given:
        return None
    found = found.strip()
    return found if found.lower().startswith(("http://", "https://")) and len(found) <= 2048 else None

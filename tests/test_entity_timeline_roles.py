"""``GET /v1/entities/{id}/timeline`` holds the events the entity takes part in (parse roles, pronouns
resolved), not every event of a sentence that names it; ``/v1/timeline`` stays as it is."""

from __future__ import annotations

from typing import Any

import pytest

#: short texts of our own, one document each; each sentence holds one dated event
DOCUMENTS = {
    "acme": (
        "Acme Motors opened a plant in Ohio on 2 March 2024. "
        "Zenith sued the owner of the Acme Motors brand on 4 March 2024. "
        "Acme Motors said on 5 March 2024 that the dealers had raised prices. "
        "It hired 300 workers on 6 March 2024."
    ),
    "zenith": "Zenith bought a rival of Acme Motors on 7 March 2024.",
}

#: (entity id, include, the triggers of its timeline, in order)
TIMELINES = [
    ("acme-motors", "", ["opened", "said", "hired"]),  # "sued" names it only inside its object
    ("acme-motors", "include=reported", ["opened", "said", "hired"]),  # "raised": the dealers'
]


@pytest.fixture(scope="module")
def roles_client(client_with: Any) -> Any:
    """An app over a store of its own holding :data:`DOCUMENTS`."""
    bodies = [
        {"id": doc_id, "text": text, "published": "2024-03-08", "title": "Carmakers"}
        for doc_id, text in DOCUMENTS.items()
    ]
    return client_with("entity-roles", bodies)


def _triggers(events: list[dict[str, Any]]) -> list[str]:
    return [s["trigger"]["text"] for e in events for s in e["sources"]]


@pytest.mark.parametrize(("entity", "include", "triggers"), TIMELINES)
def test_entity_timeline_holds_the_events_it_takes_part_in(
    roles_client: Any, entity: str, include: str, triggers: list[str]
) -> None:
    response = roles_client.get(f"/v1/entities/{entity}/timeline?{include}")
    assert response.status_code == 200, response.get_json()
    events = response.get_json()["events"]
    assert [e["sources"][0]["trigger"]["text"] for e in events] == triggers
    assert all(e["sources"][0]["document_id"] == "acme" for e in events)


def test_a_sentence_that_merely_names_the_entity_is_not_on_its_timeline(roles_client: Any) -> None:
    everything = roles_client.get("/v1/timeline").get_json()["events"]
    sued = [e for e in everything if "sued" in _triggers([e])]
    assert sued and "Acme Motors" in sued[0]["actors"]  # the actors name it: the timeline filter does
    assert "bought" in _triggers(everything)
    by_actor = roles_client.get("/v1/timeline?actor=Acme%20Motors").get_json()["events"]
    assert "sued" in _triggers(by_actor)
    own = roles_client.get("/v1/entities/acme-motors/timeline").get_json()["events"]
    assert "sued" not in _triggers(own) and "bought" not in _triggers(own)
    # its paging is the timeline's: one event a page, along the next links
    page = roles_client.get("/v1/entities/acme-motors/timeline?limit=1").get_json()
    assert page["count"] == 1 and page["next"] is not None


def test_semeval_rows_hold_only_the_mentions_it_takes_part_in(roles_client: Any) -> None:
    response = roles_client.get("/v1/entities/acme-motors/timeline?format=semeval&include=reported")
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "Acme Motors"
    words = [cell.rsplit("-", 1)[1] for line in lines[1:] for cell in line.split("\t")[2:]]
    assert words == ["opened", "said", "hired"]

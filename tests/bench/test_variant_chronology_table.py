"""The chronology's rows built in Python show exactly what the template wrote
cell by cell (the state bench/variant_chronology_table.py switches back to
for ab.py): the same dates in the council's time zone, titles, details
scrubbed and cut at 40 words, and who recorded each."""

import re

from django.utils import timezone

from bench import variant_chronology_table
from notes.models import CaseNote, NoteKind
from tests.journey import add_parent


def _chronology(client, episode):
    page = client.get(f"/cases/{episode.pk}/").content.decode()
    [table] = [t.split("</table>")[0] for t in page.split("<table")[1:] if "Chronology" in t]
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", table))


def test_both_states_show_the_same_chronology(client_for, involved, episode):
    from datetime import UTC, datetime

    add_parent(episode)
    # Late on a summer evening in UTC: the next day in the council's time zone.
    episode.requested_at = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    episode.save(update_fields=["requested_at"])
    for n, words in enumerate((3, 60)):
        CaseNote.objects.create(
            episode=episode,
            kind=NoteKind.HOME_VISIT,
            happened_on=timezone.localdate(),
            who="Parent & <child>",
            what_happened=" ".join(f"word{n}-{i}" for i in range(words)) + " <b>",
            author=involved,
        )
    client = client_for(involved)
    variant_chronology_table.off()
    try:
        before = _chronology(client, episode)
    finally:
        variant_chronology_table.on()
    now = _chronology(client, episode)
    assert now == before
    assert "2 Jul 2026 00:30" in now
    assert "word1-39 …" in now and "word1-40" not in now and "&lt;b&gt;" in now
    assert now.count('<tr class="govuk-table__row">') == 1 + 2 + 1  # head, notes, request

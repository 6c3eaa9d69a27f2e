"""The benchmark's figures as Markdown tables, ready for bench/README.md."""

from collections import Counter

from .queries import BAD_FIELD_KINDS, ERROR_KINDS, QUERY_KINDS
from .score import NEGATIVE_KINDS


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def percent(value):
    return f"{value * 100:.1f}%"


def accuracy_table(rows):
    """rows: (engine label, Scores, seconds or None)."""
    return table(
        ["engine", "precision", "recall", "F1", "twins/siblings/cousins matched", "seconds"],
        [
            (
                label,
                f"{s.precision:.4f}",
                f"{s.recall:.4f}",
                f"{s.f1:.4f}",
                f"{percent(s.relatives_rate)} ({s.relatives_matched}/{s.relatives_queries})",
                f"{seconds:.1f}" if seconds is not None else "",
            )
            for label, s, seconds in rows
        ],
    )


def _row_order(scores):
    kinds = [f"true: {kind}" for kind, _part, _weight in ERROR_KINDS]
    first = ["true: no mistakes", *kinds, "true: has a twin in the register", *NEGATIVE_KINDS]
    present = set().union(*(s.by_kind for s in scores))
    return [row for row in first if row in present]


def breakdown_table(named_scores):
    """Per kind of query: for a registered person, the share found (top match
    right) and the share given someone else; for anyone else, the share
    matched to someone (all wrong)."""
    names = list(named_scores)
    header = ["query kind", "queries"]
    for name in names:
        header += [f"{name}: found", f"{name}: wrong person"]
    rows = []
    for row in _row_order(named_scores.values()):
        tallies = [named_scores[name].by_kind[row] for name in names]
        cells = [row, tallies[0].queries]
        for tally in tallies:
            found = "—" if row in NEGATIVE_KINDS else percent(tally.share("right"))
            cells += [found, f"{percent(tally.share('wrong'))} ({tally.wrong})"]
        rows.append(cells)
    return table(header, rows)


def mistakes_table(named_scores, queries):
    """Recall by how many mistakes a registered person's query carries."""
    registered = [q for q in queries if q.truth is not None]
    totals = Counter(len(q.errors) for q in registered)
    names = list(named_scores)
    missed = {
        name: Counter(len(q.errors) for q, _top in scores.failures if q.truth is not None)
        for name, scores in named_scores.items()
    }
    rows = []
    for count in sorted(totals):
        cells = [count, totals[count]]
        cells += [percent(1 - missed[name][count] / totals[count]) for name in names]
        rows.append(cells)
    return table(["mistakes", "queries", *(f"{name}: found" for name in names)], rows)


def generator_table(register, queries):
    """What the generator made: shares of each kind of query and of each mistake."""
    kinds = Counter(q.kind for q in queries)
    registered = [q for q in queries if q.truth is not None]
    errors = Counter(e for q in registered for e in q.errors)
    counts = Counter(len(q.errors) for q in registered)
    rows = [
        (f"query: {k}", f"{QUERY_KINDS[k]:.0%}", percent(kinds[k] / len(queries))) for k in kinds
    ]
    rows += [
        (f"mistakes per registered query: {n}", "", percent(counts[n] / len(registered)))
        for n in sorted(counts)
    ]
    rows += [
        (f"mistake: {kind}", "", percent(errors[kind] / len(registered)))
        for kind, _part, _weight in ERROR_KINDS
    ]
    return table(["", "aimed", "realised (share of queries of that sort)"], rows)


def register_summary(register):
    people = register.people
    children = [p for p in people if p.role == "child"]
    return (
        f"{len(people):,} people in {len(register.households):,} households; "
        f"{len(children):,} children ({percent(sum(p.twin for p in children) / len(children))} "
        f"twins or triplets), {sum(p.role == 'unborn' for p in people)} unborn; "
        f"NHS number held for {percent(sum(p.held_nhs for p in children) / len(children))} "
        f"of children; {len(register.postcodes_by_district)} postcode districts"
    )


def describe(record):
    """A query or register row on one line."""
    fields = ("first_name", "last_name", "date_of_birth", "sex", "postcode", "nhs_number", "upn")
    text = " / ".join(record.get(f) or "–" for f in fields)
    if record.get("parent_name"):
        text += f" / parent {record['parent_name']}"
    return text


def bad_field_recall(scores, queries):
    """(queries, found) for registered people's queries with a field written
    wrong (BAD_FIELD_KINDS): a mistyped NHS number or UPN, a postcode or a
    date of birth as lists get them wrong."""
    carrying = {
        q.query_id for q in queries if q.truth is not None and set(q.errors) & set(BAD_FIELD_KINDS)
    }
    missed = sum(1 for q, _top in scores.failures if q.query_id in carrying)
    return len(carrying), len(carrying) - missed


def bad_field_table(named_scores, queries, refused):
    """Recall on the queries with a field written wrong, all of them and by
    mistake; refused: {engine name: queries it could not check at all}."""
    names = list(named_scores)
    rows = []
    count, _found = bad_field_recall(named_scores[names[0]], queries)
    cells = ["any field written wrong", count]
    for name in names:
        _count, found = bad_field_recall(named_scores[name], queries)
        cells.append(percent(found / count) if count else "—")
    rows.append(cells)
    for kind in BAD_FIELD_KINDS:
        tallies = [named_scores[name].by_kind.get(f"true: {kind}") for name in names]
        if tallies[0] is None:
            continue
        rows.append(
            [f"true: {kind}", tallies[0].queries, *(percent(t.share("right")) for t in tallies)]
        )
    rows.append(["rows refused (nothing left to match on)", "", *(refused[n] for n in names)])
    return table(["registered person's query", "queries", *(f"{n}: found" for n in names)], rows)

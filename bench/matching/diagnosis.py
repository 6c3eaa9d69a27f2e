"""Why our engine got a query wrong, for whoever tunes it: each miss is either
a blocking miss (the person shared no key with the query, so was never
scored) or a scoring miss (scored, but below the threshold or below someone
else), and each false match is shown beside the record it chose."""

from collections import Counter, defaultdict

from . import ours, report


def _group(query, top):
    if query.truth is None:
        return f"false positive: {query.kind}"
    if top is not None:
        return "false positive: a registered person given someone else"
    if len(query.errors) == 1:
        return f"false negative, one mistake: {query.errors[0]}"
    if not query.errors:
        return "false negative: no mistakes"
    return f"false negative: {len(query.errors)} mistakes"


def miss_causes(engine_run, scores):
    """Per mistake (a query with two counts under both): misses that were
    never candidates, and misses scored too low."""
    causes = defaultdict(Counter)
    for query, top in scores.failures:
        if query.truth is None:
            continue
        _score, _reasons, candidate = ours.explain(engine_run, query, query.truth)
        cause = "scored too low" if candidate else "not a candidate"
        if top is not None:
            cause = "someone else on top"
        for error in query.errors or ("no mistakes",):
            causes[error][cause] += 1
    rows = [
        (
            error,
            sum(counts.values()),
            counts["not a candidate"],
            counts["scored too low"],
            counts["someone else on top"],
        )
        for error, counts in sorted(causes.items(), key=lambda item: -sum(item[1].values()))
    ]
    return report.table(
        ["mistake in the query", "missed", "not a candidate", "scored too low", "someone else"],
        rows,
    )


def examples(register, engine_run, scores, per_group):
    """Markdown: each group of wrong answers with up to per_group examples."""
    people = {p.id: p for p in register.people}
    groups = defaultdict(list)
    for query, top in scores.failures:
        groups[_group(query, top)].append((query, top))
    lines = []
    for group in sorted(
        groups, key=lambda g: (not g.startswith("false positive"), -len(groups[g]))
    ):
        found = groups[group]
        lines.append(f"\n**{group}** ({len(found)})\n")
        for query, top in found[:per_group]:
            lines.append(f"- {query.query_id}: {report.describe(query.record())}")
            if query.errors:
                lines[-1] += f" [{', '.join(query.errors)}]"
            if top is not None:
                chosen = register.record(people[top.person_id])
                lines.append(f"  - chose {chosen['external_id']}: {report.describe(chosen)}")
                lines.append(f"    {top.score:.3f}: {', '.join(top.reasons)}")
            if query.truth is not None:
                held = register.record(people[query.truth])
                value, reasons, candidate = ours.explain(engine_run, query, query.truth)
                note = "" if candidate else " (never a candidate: no key shared)"
                lines.append(f"  - the person {held['external_id']}: {report.describe(held)}")
                lines.append(f"    {value:.3f}{note}: {', '.join(reasons)}")
    return "\n".join(lines)

"""What a long-running server process does once the application is loaded.

Python's cycle collector runs whenever enough container objects (dicts,
lists, model instances) have been allocated since its last run, and now and
then walks every object it tracks. A page allocates tens of thousands of them
(a query's rows, a template's context), and the loaded application (modules,
models, URL patterns, settings) is most of what it tracks and never becomes
garbage. So, in each web server process (earlyhelp/wsgi.py) and in the page
benchmark (bench/page_cpu.py), which measures what the servers run:

- what the first requests would otherwise load is loaded first: the URL
  configuration (every view module) and its table for reversing names, every
  template of the project, compiled, and each language's translations. So
  those objects are loaded before the freeze, and no user waits for them
  (a new process's first page with the whole layout took 82 ms, not 11;
  now 18: bench/README.md, `bench/first_requests.py`);
- `gc.freeze()` moves everything loaded so far out of the collector's walks;
- the youngest generation is collected after YOUNG_COLLECTION_THRESHOLD
  allocations instead of Python's 700, so a page is not interrupted dozens
  of times to find the few cycles it makes. Memory between collections
  grows by at most that many objects (a few megabytes).

Reference counting still frees almost everything as soon as it is unused;
only reference cycles wait for the collector, and it still runs.
"""

import gc
from pathlib import Path

from django.template.loader import get_template

YOUNG_COLLECTION_THRESHOLD = 20_000


def settle_loaded_application() -> None:
    """Call once, after Django is set up, before serving requests."""
    load_what_first_requests_load()
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, oldest)


def load_what_first_requests_load() -> None:
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports every view module)
    resolver.reverse_dict  # noqa: B018 (the names `reverse()` and `{% url %}` look up)
    # The staff pages' language (LANGUAGE_CODE) and each family language.
    for code in {settings.LANGUAGE_CODE, *(code for code, _name in settings.LANGUAGES)}:
        with translation.override(code):
            translation.gettext("Early Help")
    for name in project_template_names():
        get_template(name)


def project_template_names() -> list[str]:
    """Every template in the template folders inside the project's directory
    (BASE_DIR), not hidden ones, as a view names it: the project's own, not
    those of the packages in its virtual environment. (Were the project
    installed among other packages, theirs would be compiled too: a slower
    start, nothing else.)"""
    from django.conf import settings
    from django.template import engines

    project = Path(settings.BASE_DIR).resolve()
    names: set[str] = set()
    for folder in engines["django"].template_dirs:
        folder = Path(folder).resolve()
        if not folder.is_dir() or not folder.is_relative_to(project):
            continue
        if any(part.startswith(".") for part in folder.relative_to(project).parts):
            continue  # the packages of a virtual environment in the project
        names.update(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())
    return sorted(names)

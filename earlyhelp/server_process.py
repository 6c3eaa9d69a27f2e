"""What a long-running server process does once the application is loaded.

Python's cycle collector runs whenever enough container objects (dicts,
lists, model instances) have been allocated since its last run, and now and
then walks every object it tracks. A page allocates tens of thousands of them
(a query's rows, a template's context), and the loaded application (modules,
models, URL patterns, settings) is most of what it tracks and never becomes
garbage. So, in each web server process (earlyhelp/wsgi.py) and in the page
benchmark (bench/page_cpu.py), which measures what the servers run:

- the URL configuration is loaded first (every view module), so those
  objects are loaded before the freeze rather than by the first request;
- `gc.freeze()` moves everything loaded so far out of the collector's walks;
- the youngest generation is collected after YOUNG_COLLECTION_THRESHOLD
  allocations instead of Python's 700, so a page is not interrupted dozens
  of times to find the few cycles it makes. Memory between collections
  grows by at most that many objects (a few megabytes).

Reference counting still frees almost everything as soon as it is unused;
only reference cycles wait for the collector, and it still runs.
"""

import gc

YOUNG_COLLECTION_THRESHOLD = 20_000


def settle_loaded_application() -> None:
    """Call once, after Django is set up, before serving requests."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, oldest)

"""`make run`: Streamlit's own `streamlit run app.py …`, with the app warmed at server start.

Streamlit runs the page script only when a browser connects, so the first visitor used to pay
for everything at once: importing the library and SQLAlchemy, opening and seeding the store,
reading the sample drafts and comparing them (≈ 2 s of CPU), after the browser had already
spent its own second loading Streamlit's frontend. A thread started with the server does that
work while nobody is waiting, through the same cached functions the pages call, so the first
page finds it done. Nothing is computed that the first screen does not show.

    python -m negotiate.web.serve app.py --server.headless true …   (the arguments of `streamlit run`)
"""
from __future__ import annotations

import logging
import sys
import threading
import time

log = logging.getLogger("negotiate.web.serve")


def warm(wait: float = 30.0) -> None:
    """The first screen's work, done once: imports, the store (seeded on a first launch) and the
    default comparison of the first negotiation, into the caches the pages read. Local mode only
    for the store (in server mode every read is checked as the signed-in person)."""
    try:
        from streamlit import runtime
        # After the server has started (the caches live in its runtime): warming earlier would hold
        # the interpreter while Streamlit is still starting, and delay the moment a browser may connect.
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and not (runtime.exists() and runtime.get_instance().state.name != "INITIAL"):
            time.sleep(0.05)
        # This thread is no page's: Streamlit's "missing ScriptRunContext" notice is expected here.
        logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
            lambda record: threading.current_thread().name != "negotiate-warm")
        from . import cache, parity_page, precedents, quiet  # noqa: F401
        from .pages import compare  # noqa: F401  (the pages and what they import)
        quiet()
        from .server import sign_in_required
        if sign_in_required() or not runtime.exists():
            return
        compare.warm(cache.store())
    except Exception:           # warming is an optimisation: the page computes whatever is missing
        log.warning("warming the app failed; the first page computes it instead", exc_info=True)


# Streamlit runs a full garbage collection after every run of the script (runner.postScriptGC),
# "low cost, since we aren't doing much work anyway". Here it is 70–100 ms (the app holds the
# library, the store and the cached texts), it holds the interpreter all that time, and the
# server's event loop, on another thread of this process, needs the interpreter to send the run's
# last elements and its "finished": every click waited for it (bench/app.py). The ordinary
# collector still runs, when allocations call for it.
OPTIONS = ["--runner.postScriptGC", "false"]


def arguments(argv: list[str]) -> list[str]:
    """`streamlit run`'s arguments: ours first, so that any given on the command line win."""
    return [argv[0], *OPTIONS, *argv[1:]] if argv else argv


def main(argv: list[str] | None = None) -> None:
    threading.Thread(target=warm, name="negotiate-warm", daemon=True).start()
    from streamlit.web import cli
    sys.argv = ["streamlit", "run", *arguments(sys.argv[1:] if argv is None else argv)]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()

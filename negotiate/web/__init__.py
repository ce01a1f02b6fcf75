"""The Streamlit face: like `cli.py`, it lays out widgets and calls the
library; nothing else in `negotiate` imports streamlit."""
from __future__ import annotations


def quiet() -> None:
    """Skip Streamlit's one-time check, at a process's first element, for being run outside
    `streamlit run`: it walks the whole call stack with inspect.stack(), reading the source of
    every frame (0.3–0.7 s of the first page on this machine). We always run under `streamlit run`."""
    import streamlit.delta_generator as dg
    if hasattr(dg, "_use_warning_has_been_displayed"):
        dg._use_warning_has_been_displayed = True


def guarded(run) -> None:
    """Run a page; a database that cannot be reached (server mode: PostgreSQL restarting,
    the network gone) is one clear line, not a traceback. Nothing is lost by it: a
    submission is stored only once the store has said so, and says so on the page."""
    import streamlit as st
    try:
        run()
    except Exception as e:
        if not _unreachable(e):
            raise
        first = (str(getattr(e, "orig", None) or e).strip().splitlines() or [""])[0][:200]
        st.error(f"The database cannot be reached just now ({first}). Reload the page in a moment; "
                 "nothing was stored that the page did not confirm.")


def _unreachable(e: BaseException) -> bool:
    # Only SQLAlchemy's connection-level errors: a bug elsewhere must still show as one.
    if not type(e).__module__.startswith("sqlalchemy"):
        return False
    from sqlalchemy.exc import InterfaceError, OperationalError
    return isinstance(e, (OperationalError, InterfaceError))


def main() -> None:
    import streamlit as st
    quiet()

    st.set_page_config(page_title="negotiate", layout="wide", page_icon="§")
    guarded(_app)


def _app() -> None:
    import streamlit as st

    from . import parity_page, server
    from . import precedents as agreed_language
    from .pages import brackets, common, compare, consolidate, document, search, trace, workspace
    server.gate()          # server mode: every page behind sign-in (issue 18)
    st.set_option("client.toolbarMode", "minimal")      # no "Deploy" button: this is a tool, not a demo
    compare_page = st.Page(compare.page, title="Compare", icon=":material/difference:", url_path="compare")

    def home() -> None:
        # "/" opens Compare at its own address (/compare), so that every page has one to share.
        st.switch_page(compare_page, query_params=st.query_params.to_dict())

    # One st.Page per page; pages of other features are added to this list.
    nav = st.navigation([
        st.Page(home, title="Home", url_path="home", default=True, visibility="hidden"),
        st.Page(workspace.page, title="Workspace", icon=":material/folder_open:", url_path="workspace"),
        compare_page,
        st.Page(trace.page, title="Trace", icon=":material/timeline:", url_path="trace"),
        st.Page(brackets.page, title="Brackets", icon=":material/data_array:", url_path="brackets"),
        st.Page(consolidate.page, title="Consolidate", icon=":material/merge:", url_path="consolidate"),
        st.Page(document.page, title="Document", icon=":material/article:", url_path="document"),
        st.Page(search.page, title="Search", icon=":material/search:", url_path="search"),
        st.Page(parity_page.page, title="Parity", icon=":material/translate:", url_path="parity"),
        st.Page(agreed_language.precedents_page, title="Precedents", icon=":material/history_edu:", url_path="precedents"),
        st.Page(agreed_language.library_page, title="Library", icon=":material/local_library:", url_path="library"),
        *server.pages(),   # calls for inputs, proposals, compilation, members, activity (issue 18)
    ])
    common.new_run()       # the stylesheet once per run, with the first block of HTML
    common.widget_css()
    common.sidebar()
    nav.run()

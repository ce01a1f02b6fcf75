"""The Streamlit face: like `cli.py`, it lays out widgets and calls the
library; nothing else in `negotiate` imports streamlit."""
from __future__ import annotations


def main() -> None:
    import streamlit as st

    from . import pages
    from . import precedents as agreed_language
    st.set_page_config(page_title="negotiate", layout="wide", page_icon="§")
    nav = st.navigation([
        st.Page(pages.workspace, title="Workspace", icon=":material/folder_open:", url_path="workspace"),
        st.Page(pages.compare, title="Compare", icon=":material/difference:", url_path="compare", default=True),
        st.Page(pages.trace, title="Trace", icon=":material/timeline:", url_path="trace"),
        st.Page(pages.brackets, title="Brackets", icon=":material/data_array:", url_path="brackets"),
        st.Page(pages.consolidate, title="Consolidate", icon=":material/merge:", url_path="consolidate"),
        st.Page(pages.document, title="Document", icon=":material/article:", url_path="document"),
        st.Page(agreed_language.precedents_page, title="Precedents", icon=":material/history_edu:", url_path="precedents"),
        st.Page(agreed_language.library_page, title="Library", icon=":material/local_library:", url_path="library"),
    ])
    pages.sidebar()
    nav.run()

"""The app's pages, one module a page, each with a `page()` function; `common`
holds what they share (the sidebar's negotiation, entry names, pickers)."""

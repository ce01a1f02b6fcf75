"""Writers: WordprocessingML packages (wordml), later redlines and HTML."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_first_page_lists_corpora_and_shows_paragraphs():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    box = at.selectbox(key="corpus")
    assert "framework-v1-compilation.docx" in box.options
    box.select("framework-v1-compilation.docx").run()
    df = at.dataframe[0].value
    assert {"label", "path", "text"} <= set(df.columns)
    row = df[df["label"] == "11."].iloc[0]
    assert row["path"] == "III › 11"
    assert at.metric[0].value == str(len(df))


def test_markup_mode_and_chinese():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.selectbox(key="corpus").select("zh-framework-v1.docx").run()
    assert at.metric[2].value == "zh"
    df = at.dataframe[0].value
    assert "一、" in set(df["label"])
    at.selectbox(key="corpus").select("framework-v2-party-inputs.docx").run()
    at.radio(key="revisions").set_value("markup").run()
    assert not at.exception
    assert not at.error

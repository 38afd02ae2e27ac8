"""load_labelled(): every malformed row becomes one ValueError naming the file and line."""

from __future__ import annotations

import pytest

from classifiers.labelled import load_labelled


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('["a", "b"]', "must be a JSON object, got list"),
        ('"just a string"', "must be a JSON object, got str"),
        ("null", "must be a JSON object, got NoneType"),
        ("{not json", "Expecting property name"),
        ('{"title": "t"}', "missing 'label'"),
        ('{"title": "t", "label": 0.5}', "label must be"),
        ('{"title": "t", "label": 1.0}', "label must be"),
        ('{"label": 1}', "missing 'title'"),
        ('{"title": ["t"], "label": 1}', "'title' must be a string"),
        ('{"title": "t", "summary": 3, "label": 1}', "'summary' must be a string"),
    ],
)
def test_a_bad_row_names_its_line(tmp_path, line, message):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"title": "fine", "label": 1}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rows\.jsonl:2: ") as raised:
        load_labelled(path)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_binary_is_not_utf8(tmp_path):
    path = tmp_path / "junk.jsonl"
    path.write_bytes(b'{"title": "fine", "label": 1}\n\xff\xfe\x00garbage\n')
    with pytest.raises(ValueError, match=r"junk\.jsonl:2: not UTF-8 text"):
        load_labelled(path)


def test_url_and_null_summary_are_kept(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(
        '{"title": "t", "summary": null, "url": "https://a.example/x", "label": 0}\n', encoding="utf-8"
    )
    (item,) = load_labelled(path)
    assert item.url == "https://a.example/x" and item.story.summary == "" and not item.relevant

from make_node_fixtures import OUT, build


def test_node_fixtures_match_what_python_writes_now():
    for name, content in build().items():
        committed = (OUT / name).read_text(encoding="utf-8")
        assert committed == content, f"{OUT / name} is stale: run .venv/bin/python model/tests/make_node_fixtures.py"

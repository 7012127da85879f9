"""The index is only a cache: it never serves stale data, and results are identical
with and without it."""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest
from typer.testing import CliRunner

from rjcli.cli import app

TODAY = "2026-04-02"


def run(casebook, *args, cache=True):
    options = ["--casebook", str(casebook), "--today", TODAY, "--worker", "Sam Worker"]
    if not cache:
        options.append("--no-cache")
    result = CliRunner().invoke(app, options + list(args))
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def book(tmp_path):
    root = tmp_path / "book"
    assert run(root, "init", str(root), "--service", "Test YJS", "--profile", "wokingham",
               "--no-autocommit").exit_code == 0
    run(root, "staff", "add", "Sam Worker", "--role", "rj-worker", "--phone", "01632 960101")
    child = json.loads(run(root, "child", "new", "--name", "Jo Example", "--sentenced",
                           "2026-03-20", "--disposal", "referral-order", "--json").output)["id"]
    ids = []
    for name in ("Ann Example", "Bob Example"):
        result = run(root, "victim", "new", "--name", name, "--child", child, "--allocated",
                     "2026-04-01", "--consent-contact", "yes", "--phone", "07700 900001", "--json")
        ids.append(json.loads(result.stdout)["id"])
    return root, ids


def due(root, cache=True):
    result = run(root, "due", "--all", "--json", cache=cache)
    return sorted((i["case"], i["rule"], i["due"]) for i in json.loads(result.stdout))


def listing(root, cache=True):
    return json.loads(run(root, "list", "--json", cache=cache).stdout)


def test_same_results_with_and_without_the_index(book):
    root, _ = book
    assert due(root) == due(root, cache=False) != []
    assert listing(root) == listing(root, cache=False)


def test_an_edit_is_seen_at_once(book):
    root, (ann, _) = book
    assert (ann, "first-contact", "2026-04-10") in due(root)
    run(root, "contact", "log", ann, "--method", "phone", "--outcome", "spoke")
    assert (ann, "first-contact", "2026-04-10") not in due(root)
    assert due(root) == due(root, cache=False)


def test_a_deleted_record_disappears(book):
    root, (ann, bob) = book
    (root / "victims" / f"{bob}.yaml").unlink()
    assert bob not in {r["id"] for r in listing(root)}
    assert bob not in {case for case, _, _ in due(root)}


def test_an_older_file_checked_out_from_git_is_read_again(book):
    root, (ann, _) = book
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(git + ["add", "-A"], cwd=root, check=True)
    subprocess.run(git + ["commit", "-qm", "base"], cwd=root, check=True)
    run(root, "contact", "log", ann, "--method", "phone", "--outcome", "spoke")
    assert (ann, "first-contact", "2026-04-10") not in due(root)
    subprocess.run(["git", "checkout", "-q", "--", "victims"], cwd=root, check=True)
    assert (ann, "first-contact", "2026-04-10") in due(root)


def test_same_size_same_second_change_is_not_missed(book):
    root, (ann, _) = book
    path = root / "victims" / f"{ann}.yaml"
    due(root)
    stat = path.stat()
    text = path.read_text().replace("Ann Example", "Ann Exampla")  # same size
    path.write_text(text)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    names = {r["id"]: r["name"] for r in listing(root)}
    assert names[ann] == "Ann Exampla"


def test_a_corrupt_index_is_rebuilt(book):
    root, _ = book
    expected = due(root)
    index = root / ".rj" / "index.sqlite"
    assert index.exists()
    for suffix in ("-wal", "-shm"):
        if os.path.exists(str(index) + suffix):
            os.unlink(str(index) + suffix)
    index.write_bytes(b"this is not a database" * 100)
    assert due(root) == expected


def test_a_policy_change_rebuilds(book):
    root, (ann, _) = book
    config = root / "rj.yaml"
    config.write_text(config.read_text().replace(
        "  # rules:", "  rules:\n    first-contact: {offset: 3}\n  # rules:"))
    assert (ann, "first-contact", "2026-04-08") in due(root)  # Thu 2, Tue 7, Wed 8
    assert due(root) == due(root, cache=False)


def test_an_unreadable_file_is_reported_by_cached_runs_too(book):
    root, (ann, _) = book
    due(root)
    (root / "victims" / "V-BAD000.yaml").write_text("id: V-BAD000\nname: [unclosed\n")
    for cache in (True, True, False):
        result = run(root, "due", "--all", cache=cache)
        assert result.exit_code == 1
        assert "victims/V-BAD000.yaml:3" in result.output or "victims/V-BAD000.yaml:2" in result.output


def test_the_sample_casebook_reads_the_same_with_a_parallel_rebuild(tmp_path, monkeypatch):
    import shutil
    from pathlib import Path

    import rjcli.storage.index.refresh as index_module

    root = tmp_path / "sample"
    shutil.copytree(Path(__file__).parent.parent / "sample-casebook", root)

    def all_due(cache):
        result = CliRunner().invoke(app, ["--casebook", str(root), "--today", "2026-06-15"]
                                    + ([] if cache else ["--no-cache"])
                                    + ["due", "--all", "--within", "60", "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    expected = all_due(cache=False)
    assert expected
    monkeypatch.setattr(index_module, "PARALLEL_FROM", 1)  # every file: the two-process build
    assert all_due(cache=True) == expected
    (root / ".rj" / "index.sqlite").unlink()
    monkeypatch.setattr(index_module, "PARALLEL_FROM", 10_000)  # one process
    assert all_due(cache=True) == expected


def test_closing_one_record_drops_only_its_items(book):
    root, (ann, bob) = book
    before = due(root)
    assert {case for case, _, _ in before} >= {ann, bob}
    run(root, "close", ann, "--reason", "declined")
    after = due(root)
    assert ann not in {case for case, _, _ in after}
    assert [i for i in before if i[0] != ann] == [i for i in after if i[0] != ann]
    assert after == due(root, cache=False)


@pytest.fixture
def sample(tmp_path, monkeypatch):
    """The sample casebook, with the index cutting its listing into chunks of 3 files
    (a real casebook's chunks are 256 files: the same logic, more of it)."""
    import shutil
    from pathlib import Path

    import rjcli.storage.listing as listing_module

    root = tmp_path / "sample"
    shutil.copytree(Path(__file__).parent.parent / "sample-casebook", root)
    monkeypatch.setattr(listing_module, "CHUNK", 3)
    return root


def sample_due(root, cache=True):
    result = CliRunner().invoke(app, ["--casebook", str(root), "--today", "2026-06-15"]
                                + ([] if cache else ["--no-cache"])
                                + ["due", "--all", "--within", "60", "--json"])
    assert result.exit_code in (0, 1), result.output
    return result.output


def refresh(root):
    from datetime import date

    from rjcli.storage.casebook import Casebook
    from rjcli.storage.index import Index

    index = Index(Casebook(root))
    try:
        return index.refresh(date(2026, 6, 15))
    finally:
        index.close()


def test_a_change_in_any_chunk_of_the_listing_is_seen(sample):
    victims = sorted((sample / "victims").glob("*.yaml"))
    sample_due(sample)
    for path in victims[::5]:  # files in different chunks
        text = path.read_text()
        path.write_text(text.replace("status: open", "status: closed", 1)
                        if "status: open" in text else text + "# edited\n")
        assert sample_due(sample) == sample_due(sample, cache=False)
        assert json.loads(run(sample, "list", "--json").stdout) == json.loads(
            run(sample, "list", "--json", cache=False).output)


def test_records_added_and_removed_shift_the_chunks_and_nothing_is_missed(sample):
    import shutil

    victims = sorted((sample / "victims").glob("*.yaml"))
    sample_due(sample)
    victims[0].unlink()
    victims[-1].unlink()
    assert sample_due(sample) == sample_due(sample, cache=False)
    copy = victims[3].read_text().replace(victims[3].stem, "V-NEW001")
    (sample / "victims" / "V-NEW001.yaml").write_text(copy)
    listed = {r["id"] for r in json.loads(run(sample, "list", "--json").stdout)}
    assert "V-NEW001" in listed and victims[0].stem not in listed
    assert sample_due(sample) == sample_due(sample, cache=False)
    shutil.rmtree(sample / "children")
    assert sample_due(sample) == sample_due(sample, cache=False)


def test_a_file_touched_without_change_is_not_parsed_again(sample):
    path = sorted((sample / "victims").glob("*.yaml"))[4]
    sample_due(sample)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert refresh(sample).changed == 0  # its bytes are the ones the index holds
    path.write_text(path.read_text() + "# a comment\n")
    assert refresh(sample).changed == 1
    assert refresh(sample).changed == 0  # already indexed (or racy: bytes compared)


def test_an_unchanged_file_read_again_needs_no_yaml_parser(sample):
    """Reading a fresh index, or a file whose bytes the index already holds, imports no
    YAML parser, rule engine or record model: the start-up cost of `rj due`."""
    import sys

    sample_due(sample)
    path = sorted((sample / "victims").glob("*.yaml"))[2]
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from rjcli.storage.casebook import Casebook\n"
        "from rjcli.storage.index import open_index\n"
        f"index = open_index(Casebook(Path({str(sample)!r})), date(2026, 6, 15))\n"
        "assert index is not None and index.due_items()\n"
        "print(sorted(m for m in ('yaml', 'ruamel', 'rjcli.core.model', 'rjcli.core.deadlines')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_an_index_made_with_other_tables_is_rebuilt(book, monkeypatch):
    import rjcli.storage.index.schema as schema_module

    root, _ = book
    expected = due(root)
    assert not refresh(root).rebuilt
    monkeypatch.setattr(schema_module, "TABLES",
                        schema_module.TABLES + "CREATE TABLE IF NOT EXISTS extra (x TEXT);\n")
    assert refresh(root).rebuilt
    assert due(root) == expected


def test_a_record_rj_writes_is_taken_into_the_index_at_once(book):
    """Write-through: after `rj contact log` the next run finds the new bytes already
    indexed (compared, not parsed), and shows the change."""
    root, (ann, bob) = book
    assert (ann, "first-contact", "2026-04-10") in due(root)
    run(root, "contact", "log", ann, "--method", "phone", "--outcome", "spoke")
    result = refresh(root)
    assert (result.changed, result.rebuilt) == (0, False)  # nothing left to parse
    assert (ann, "first-contact", "2026-04-10") not in due(root)
    assert due(root) == due(root, cache=False)
    assert listing(root) == listing(root, cache=False)


def test_a_new_record_rj_writes_is_taken_into_the_index_at_once(book):
    root, (ann, _) = book
    due(root)
    child = next(r["id"] for r in listing(root) if r["id"].startswith("C-"))
    result = run(root, "victim", "new", "--name", "Cy Example", "--child", child, "--allocated",
                 "2026-04-01", "--consent-contact", "yes", "--json")
    new = json.loads(result.stdout)["id"]
    assert refresh(root).changed == 0
    assert new in {case for case, _, _ in due(root)}
    assert due(root) == due(root, cache=False)


def test_write_through_never_stores_bytes_the_file_no_longer_holds(book):
    """rj wrote v1, someone wrote v2, a refresh took v2 in, then the late write-through
    of v1 arrives: it must be refused, or the index would serve v1 for ever."""
    from datetime import date

    from rjcli.storage.casebook import Casebook
    from rjcli.storage.index import Index

    root, (ann, _) = book
    due(root)
    path = root / "victims" / f"{ann}.yaml"
    v1 = path.read_bytes()
    path.write_text(path.read_text().replace("Ann Example", "Ann Newname"))
    time.sleep(0.15)  # past the racy window: the refresh trusts the stat it saw
    assert refresh(root).changed == 1
    index = Index(Casebook(root))
    try:
        assert index.written(f"victims/{ann}.yaml", v1, date(2026, 4, 2)) is False
    finally:
        index.close()
    assert {r["id"]: r["name"] for r in listing(root)}[ann] == "Ann Newname"


def test_no_index_is_made_by_a_command_that_only_writes(book):
    root, (ann, _) = book
    index = root / ".rj" / "index.sqlite"
    assert not index.exists()
    run(root, "contact", "log", ann, "--method", "phone", "--outcome", "spoke")
    assert not index.exists()


def quarterly_json(root, quarter, cache=True):
    """`rj report quarterly --format json --explain` on 15 June 2026, from the index or
    (cache=False) from the files."""
    args = ["--casebook", str(root), "--today", "2026-06-15"] + ([] if cache else ["--no-cache"])
    result = CliRunner().invoke(app, args + ["report", "quarterly", "--quarter", quarter,
                                             "--format", "json", "--explain"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated casebook (the benchmark's generator): 240 victims, 120 children, with
    the links, order ends and allocations of three years."""
    from conftest import load_bench_generate

    root = tmp_path_factory.mktemp("generated") / "casebook"
    load_bench_generate().generate(root, victims=240, children=120, seed=3)
    return root


@pytest.mark.parametrize("quarter", ["2023-Q3", "2024-Q1", "2024-Q4", "2025-Q2", "2025-Q4",
                                     "2026-Q1"])
def test_a_quarterly_report_from_the_index_equals_one_from_the_files(generated, quarter):
    """From the index a quarterly report reads only the records the quarter counts and
    the records linked to them; from the files, every record: the same report."""
    import re

    from_files = quarterly_json(generated, quarter, cache=False)
    activity, timeliness = (json.dumps(s) for s in from_files["sections"][1:3])
    assert re.search(r'"total": [1-9]', activity) and re.search(r'"due": [1-9]', timeliness)
    assert from_files["kpi10"]["victims_total"] > 0 or quarter == "2026-Q1"  # not over yet
    assert quarterly_json(generated, quarter) == from_files


@pytest.mark.parametrize("keep", ["child side", "victim side", "either side"])
def test_a_link_written_on_one_side_only_is_followed_from_the_index_too(generated, tmp_path,
                                                                       keep):
    """A victim and a child are linked when either record names the other: with the links
    left on one side only (or, for "either side", on the victim's side for half the
    victims and on the child's for half the children), the index still selects every
    record a quarter needs."""
    import re
    import shutil

    root = tmp_path / "casebook"
    shutil.copytree(generated, root)
    stripped = {"child side": ("victims",), "victim side": ("children",),
                "either side": ("victims", "children")}[keep]
    for folder in stripped:
        block = "children" if folder == "victims" else "victims"  # the links in its records
        paths = sorted((root / folder).glob("*.yaml"))
        if keep == "either side":
            paths = paths[: len(paths) // 2] if folder == "victims" else paths[len(paths) // 2:]
        for path in paths:
            path.write_text(re.sub(rf"^{block}:\n(?:[ -].*\n)*", "", path.read_text(),
                                   flags=re.M))

    for quarter in ("2024-Q1", "2025-Q2"):
        from_files = quarterly_json(root, quarter, cache=False)
        assert from_files["kpi10"]["victims_total"] > 0
        assert quarterly_json(root, quarter) == from_files


def caseload(root, cache=True):
    result = run(root, "report", "caseload", "--format", "json", cache=cache)
    assert result.exit_code in (0, 1), result.output
    return result.output


def index_bytes(root):
    """Every byte of the index and its WAL, as a disk reader would find them."""
    index = root / ".rj" / "index.sqlite"
    return b"".join(p.read_bytes() for p in (index, index.with_name("index.sqlite-wal"))
                    if p.exists())


def new_victim(root, name, phone="07700 900123"):
    child = next(r["id"] for r in listing(root, cache=False) if r["id"].startswith("C-"))
    result = run(root, "victim", "new", "--name", name, "--child", child, "--allocated",
                 "2026-04-01", "--consent-contact", "yes", "--phone", phone, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["id"]


def test_a_new_record_deleted_before_the_next_run_is_no_ghost(book):
    """`rj victim new`, then the file removed before any other run: the index held it
    (written through) but never listed it, and served it for ever."""
    root, _ = book
    due(root)
    new = new_victim(root, "Gus Ghostly", "07700 900777")
    (root / "victims" / f"{new}.yaml").unlink()
    assert new not in {r["id"] for r in listing(root)}
    assert new not in {case for case, _, _ in due(root)}
    assert listing(root) == listing(root, cache=False)
    assert due(root) == due(root, cache=False)
    assert caseload(root) == caseload(root, cache=False)


def test_a_new_record_renamed_before_the_next_run_is_listed_under_its_new_name(book):
    root, _ = book
    due(root)
    new = new_victim(root, "Ren Amed")
    path = root / "victims" / f"{new}.yaml"
    path.rename(path.with_name("V-ZZZZZZ.yaml"))
    listed = [run(root, "list", "--json", cache=cache) for cache in (True, False)]
    assert listed[0].exit_code == listed[1].exit_code == 1
    assert new not in {r["id"] for r in json.JSONDecoder().raw_decode(listed[0].output)[0]}
    assert listed[0].output == listed[1].output
    dues = [run(root, "due", "--all", "--json", cache=cache) for cache in (True, False)]
    assert dues[0].exit_code == dues[1].exit_code == 1
    assert "victims/V-ZZZZZZ.yaml" in dues[0].output
    assert new not in {i["case"] for i in json.JSONDecoder().raw_decode(dues[0].output)[0]}
    assert dues[0].output == dues[1].output


def test_a_new_record_gone_after_git_reset_is_no_ghost(book):
    root, _ = book
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=root, check=True)
    due(root)
    new = new_victim(root, "Reset Person")
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "new"], cwd=root, check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=root, check=True)
    assert new not in {r["id"] for r in listing(root)}
    assert due(root) == due(root, cache=False)


def test_a_deleted_record_leaves_no_personal_data_in_the_index_file(book):
    """The index held the victim's name and phone number; once the file is gone they
    are gone from the index file too, not left in free space for a disk reader."""
    root, _ = book
    due(root)
    new = new_victim(root, "Quentin Uniquename", "07700 900987")
    assert new in {r["id"] for r in listing(root)}
    assert b"Quentin Uniquename" in index_bytes(root)
    (root / "victims" / f"{new}.yaml").unlink()
    assert new not in {r["id"] for r in listing(root)}
    held = index_bytes(root)
    assert b"Quentin Uniquename" not in held and b"07700 900987" not in held
    assert b"Uniquename" not in held


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_index_and_its_wal_are_owner_only(book):
    """The index holds every victim's name and phone number: owner-only (0600), like the
    victim files, and .rj/ 0700 when the index makes it, whatever the umask."""
    import stat

    root, (ann, _) = book
    old = os.umask(0o022)
    try:
        import shutil

        shutil.rmtree(root / ".rj")
        due(root)
        index = root / ".rj" / "index.sqlite"
        assert stat.S_IMODE((root / ".rj").stat().st_mode) == 0o700
        assert stat.S_IMODE(index.stat().st_mode) == 0o600
        # the WAL and shared-memory files exist while a connection is open
        import sqlite3

        db = sqlite3.connect(index)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("SELECT count(*) FROM files").fetchone()
        run(root, "contact", "log", ann, "--method", "phone", "--outcome", "spoke")
        assert due(root) == due(root, cache=False)
        for suffix in ("-wal", "-shm"):
            extra = index.with_name("index.sqlite" + suffix)
            assert extra.exists()
            assert stat.S_IMODE(extra.stat().st_mode) == 0o600, suffix
        db.close()
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_index_left_readable_by_an_older_rj_is_made_owner_only(book):
    import stat

    root, _ = book
    due(root)
    index = root / ".rj" / "index.sqlite"
    index.chmod(0o644)
    due(root)
    assert stat.S_IMODE(index.stat().st_mode) == 0o600

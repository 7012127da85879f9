"""Team work over git, for real: a bare "shared copy" and two workers' clones on local
disk, each worker using rj only (``rj sync``, ``rj status``, the merge driver)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import VICTIM, CasebookUnderTest, invoke, make_casebook, plain
from rjcli.storage import yamlio
from rjcli.storage.sync import ATTRIBUTES, setup_repository

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TODAY = "2026-04-02"


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=check)


@dataclass
class Worker:
    """One worker's laptop: a clone of the shared casebook, and who they are."""

    name: str
    root: Path

    def rj(self, *args: str):
        return invoke(*args, casebook=self.root, worker=self.name,
                      env={"RJ_WORKER": self.name, "RJ_TODAY": TODAY})

    def record(self, record_id: str) -> dict:
        folder = "victims" if record_id.startswith("V-") else "children"
        return yamlio.parse_text((self.root / folder / f"{record_id}.yaml").read_text())

    def head(self) -> str:
        return git(self.root, "rev-parse", "HEAD").stdout.strip()


@dataclass
class Team:
    shared: Path
    anna: Worker
    ben: Worker
    victim: str
    child: str


def _git_env(monkeypatch: pytest.MonkeyPatch, config: Path) -> None:
    """Git that reads no one's own settings; the commit hook's `rj check` works on TODAY."""
    if not config.exists():
        config.write_text("[init]\n\tdefaultBranch = main\n"
                          "[protocol \"file\"]\n\tallow = always\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("RJ_TODAY", TODAY)
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                 "GIT_COMMITTER_EMAIL", "RJ_CASEBOOK"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def team_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Built once: Anna's casebook shared with `rj sync --remote`, Ben's clone synced."""
    top = tmp_path_factory.mktemp("team")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _git_env(monkeypatch, top / "gitconfig")
        git(top, "init", "-q", "--bare", "shared.git")
        made: CasebookUnderTest = make_casebook(top / "anna", autocommit=True)
        git(made.root, "config", "user.email", "anna@example.org")
        for name in ("Anna Worker", "Ben Worker"):  # names are checked against the staff list
            added = made.run("staff", "add", name, "--role", "rj-worker")
            assert added.exit_code == 0, added.output
        first = Worker("Anna Worker", made.root).rj("sync", "--remote", str(top / "shared.git"))
        assert first.exit_code == 0, first.output
        git(top, "clone", "-q", "shared.git", "ben")
        git(top / "ben", "config", "user.email", "ben@example.org")
        joined = Worker("Ben Worker", top / "ben").rj("sync")
        assert joined.exit_code == 0, joined.output
    return top, made.victim, made.child


@pytest.fixture
def team(team_template: tuple[Path, str, str], tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch) -> Team:
    """A fresh copy of the template team for one test."""
    top, victim, child = team_template
    _git_env(monkeypatch, top / "gitconfig")
    for name in ("shared.git", "anna", "ben"):
        shutil.copytree(top / name, tmp_path / name, symlinks=True)
    for name in ("anna", "ben"):
        git(tmp_path / name, "remote", "set-url", "origin", str(tmp_path / "shared.git"))
        setup_repository(tmp_path / name)  # the check hook names its own folder
    return Team(tmp_path / "shared.git", Worker("Anna Worker", tmp_path / "anna"),
                Worker("Ben Worker", tmp_path / "ben"), victim, child)


def log_contact(worker: Worker, victim: str, at: str, note: str) -> None:
    result = worker.rj("contact", "log", victim, "--method", "phone", "--outcome", "spoke",
                       "--at", at, "--note", note)
    assert result.exit_code == 0, result.output


def change_phone(worker: Worker, victim: str, phone: str) -> None:
    editor = f"sed -i 's/{VICTIM['phone']}/{phone}/'"
    result = invoke("edit", victim, casebook=worker.root, worker=worker.name,
                    env={"RJ_WORKER": worker.name, "EDITOR": editor})
    assert result.exit_code == 0, result.output


def test_new_clone_is_set_up_for_the_merge_driver_and_check(team: Team):
    attributes = (team.ben.root / ".gitattributes").read_text()
    assert all(line in attributes for line in ATTRIBUTES)
    driver = git(team.ben.root, "config", "merge.rj.driver").stdout
    assert driver.strip().endswith("merge-file %O %A %B %P")
    assert (team.ben.root / ".git" / "hooks" / "commit-msg").exists()


def test_contacts_logged_on_one_victim_by_two_workers_reach_both_without_conflict(team: Team):
    log_contact(team.anna, team.victim, "2026-04-02 09:10", "Anna rang")
    log_contact(team.ben, team.victim, "2026-04-02 09:30", "Ben rang")

    sent = team.anna.rj("sync")
    assert sent.exit_code == 0 and "1 change sent, 0 received" in plain(sent.output)
    both = team.ben.rj("sync")
    assert both.exit_code == 0, both.output
    assert "1 change sent, 1 received" in plain(both.output)
    assert f"Received: 1 record ({team.victim}) changed" in plain(both.output)
    back = team.anna.rj("sync")
    assert "0 changes sent, 1 received" in plain(back.output)
    assert "Already up to date" in plain(team.anna.rj("sync").output)

    for worker in (team.anna, team.ben):
        notes = [c.get("note") for c in worker.record(team.victim)["contacts"]]
        assert notes == ["Anna rang", "Ben rang"]  # in the order they happened
        assert git(worker.root, "status", "--porcelain").stdout == ""
        victim_file = worker.root / "victims" / f"{team.victim}.yaml"
        assert victim_file.stat().st_mode & 0o077 == 0  # owner-only, as rj writes it
    assert (team.anna.root / "victims" / f"{team.victim}.yaml").read_text() == \
        (team.ben.root / "victims" / f"{team.victim}.yaml").read_text()
    assert invoke("check", casebook=team.ben.root).exit_code == 0


def test_same_field_changed_differently_is_told_in_plain_words_and_nothing_is_lost(team: Team):
    change_phone(team.anna, team.victim, "07700 900002")
    assert team.anna.rj("sync").exit_code == 0
    change_phone(team.ben, team.victim, "07700 900003")
    log_contact(team.ben, team.victim, "2026-04-02 11:00", "Ben rang")
    before = team.ben.head()

    result = team.ben.rj("sync")
    words = plain(result.output)
    assert result.exit_code != 0
    assert f"Anna Worker and you both changed the phone number of {team.victim}" in words
    assert "Anna Worker: 07700 900002" in words and "you: 07700 900003" in words
    assert "rj sync --keep mine" in words and f"rj edit {team.victim}" in words
    # nothing lost, nothing half-done: Ben's commits are intact, the folder is clean
    assert team.ben.head() == before
    assert git(team.ben.root, "status", "--porcelain").stdout == ""
    assert not (team.ben.root / ".git" / "rebase-merge").exists()
    assert team.ben.record(team.victim)["phones"] == ["07700 900003"]
    shared = git(team.shared, "show", f"main:victims/{team.victim}.yaml").stdout
    assert "07700 900002" in shared and "Ben rang" not in shared

    settled = team.ben.rj("sync", "--keep", "mine")
    assert settled.exit_code == 0, settled.output
    assert team.anna.rj("sync").exit_code == 0
    for worker in (team.anna, team.ben):
        record = worker.record(team.victim)
        assert record["phones"] == ["07700 900003"]
        assert "Ben rang" in [c.get("note") for c in record["contacts"]]


def test_a_commit_of_an_invalid_file_is_refused_by_rj_check(team: Team):
    path = team.anna.root / "victims" / f"{team.victim}.yaml"
    path.write_text(path.read_text().replace("consents:", "consents: 12\nbroken:", 1))
    refused = git(team.anna.root, "commit", "-q", "-am", "hand edit", check=False)
    assert refused.returncode != 0
    assert "rj check" in refused.stderr
    shared_before = git(team.shared, "rev-parse", "main").stdout

    result = team.anna.rj("sync")
    assert result.exit_code != 0
    assert "your changes were not shared: rj check found problems" in plain(result.output)
    assert git(team.shared, "rev-parse", "main").stdout == shared_before


def test_offline_sync_keeps_the_change_here_and_says_so(team: Team):
    shutil.rmtree(team.shared)
    log_contact(team.anna, team.victim, "2026-04-02 15:00", "rang while offline")
    head = team.anna.head()

    result = team.anna.rj("sync")
    assert result.exit_code == 10, result.output  # offline: its own exit code
    words = plain(result.output)
    assert "Could not reach the shared copy" in words
    assert "your 1 change is saved on this computer and will be sent at the next rj sync" in words
    assert team.anna.head() == head
    status = plain(team.anna.rj("status").output)
    assert "Could not reach the shared copy" in status
    assert f"Saved here, not yet sent: 1 change to 1 record ({team.victim})" in status


def test_status_tells_what_is_unshared_here_and_new_in_the_shared_copy(team: Team):
    assert "Nothing here is waiting to be shared" in plain(team.ben.rj("status").output)
    log_contact(team.anna, team.victim, "2026-04-02 09:10", "Anna rang")
    team.anna.rj("sync")
    path = team.ben.root / "children" / f"{team.child}.yaml"
    path.write_text(path.read_text() + "# a note typed by hand\n")

    words = plain(team.ben.rj("status").output)
    assert f"Changed here, not yet saved for sharing: 1 record ({team.child})" in words
    assert f"The shared copy has 1 change not here yet, to 1 record ({team.victim})" in words


def test_sync_commit_messages_carry_record_ids_never_personal_data(team: Team):
    path = team.anna.root / "victims" / f"{team.victim}.yaml"
    path.write_text(path.read_text().replace(VICTIM["phone"], "07700 900009"))
    result = team.anna.rj("sync")
    assert result.exit_code == 0, result.output
    subject = git(team.anna.root, "log", "-1", "--format=%s").stdout.strip()
    assert subject == f"rj sync: 1 record changed ({team.victim})"
    messages = git(team.anna.root, "log", "--format=%B").stdout
    for identifier in (*VICTIM.values(), "07700 900009"):
        assert identifier not in messages


def test_sync_without_a_shared_copy_says_how_to_share(team: Team):
    git(team.anna.root, "remote", "remove", "origin")
    settings = team.anna.root / "rj.yaml"
    settings.write_text(settings.read_text() + "# edited by hand\n")
    result = team.anna.rj("sync")
    assert result.exit_code == 0, result.output
    words = plain(result.output)
    assert "Saved your changes to settings for sharing" in words
    assert "not shared yet" in words and "rj sync --remote URL" in words
    assert git(team.anna.root, "status", "--porcelain").stdout == ""


def test_merge_file_command_merges_into_ours_and_reports_a_conflict(tmp_path: Path):
    base = "id: V-0012\nname: Ann Example\nphones: [07700 900001]\ncontacts: []\n"
    ours = tmp_path / "ours"
    theirs = tmp_path / "theirs"
    (tmp_path / "base").write_text(base)
    ours.write_text("# our comment\n" + base.replace("contacts: []", "contacts:\n  - {id: "
                                                     "01M80Z0MA1PS74D4XE6MN21AAA, at: "
                                                     "2026-04-01 10:00}"))
    theirs.write_text(base.replace("Ann Example", "Ann Example-Smith"))
    clean = invoke("merge-file", str(tmp_path / "base"), str(ours), str(theirs),
                   "victims/V-0012.yaml", today=None, worker=None)
    assert clean.exit_code == 0, clean.output
    merged = ours.read_text()
    assert merged.startswith("# our comment\n") and "name: Ann Example-Smith" in merged
    assert "01M80Z0MA1PS74D4XE6MN21AAA" in merged

    (tmp_path / "base").write_text(merged)
    theirs.write_text(merged.replace("07700 900001", "07700 900003"))
    ours.write_text(merged.replace("07700 900001", "07700 900002"))
    conflict = invoke("merge-file", str(tmp_path / "base"), str(ours), str(theirs),
                      "victims/V-0012.yaml", today=None, worker=None)
    assert conflict.exit_code == 1
    assert "V-0012: both sides changed the phone number (phones): ours 07700 900002, " \
           "theirs 07700 900003" in plain(conflict.output)
    assert "<<<<<<< ours\n" in ours.read_text() and ">>>>>>> theirs\n" in ours.read_text()


def test_setup_without_git_still_writes_gitattributes(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    (tmp_path / ".gitattributes").write_text("*.docx binary")
    setup_repository(tmp_path)
    lines = (tmp_path / ".gitattributes").read_text().splitlines()
    assert lines == ["*.docx binary", *ATTRIBUTES]


# --- issue 15: victims of one child, purges, new remotes, who, offline -------------------


def new_victim(worker: Worker, child: str, name: str) -> str:
    result = worker.rj("victim", "new", "--name", name, "--child", child, "--allocated",
                       "2026-03-30", "--consent-contact", "yes", "--json")
    assert result.exit_code == 0, result.output
    import json
    return json.loads(result.stdout)["id"]


def assert_shared_and_clean(team: Team) -> None:
    """Both laptops hold the shared copy's files, committed, and rj check passes."""
    for worker in (team.anna, team.ben):
        assert git(worker.root, "status", "--porcelain").stdout == ""
        assert worker.head() == git(team.shared, "rev-parse", "main").stdout.strip()
        checked = invoke("check", casebook=worker.root)
        assert checked.exit_code == 0, checked.output


def test_victims_added_to_one_child_by_two_workers_merge_with_distinct_labels(team: Team):
    annas = new_victim(team.anna, team.child, "Lee Example")
    bens = new_victim(team.ben, team.child, "Kim Example")
    assert team.anna.rj("sync").exit_code == 0

    result = team.ben.rj("sync")
    assert result.exit_code == 0, result.output
    assert "both changed" not in plain(result.output)
    assert team.anna.rj("sync").exit_code == 0
    for worker in (team.anna, team.ben):
        refs = worker.record(team.child)["victims"]
        assert [(r["ref"], r["label"]) for r in refs] == [
            (team.victim, "Victim 1"), (annas, "Victim 2"), (bens, "Victim 3")]
    assert_shared_and_clean(team)


def purge_victim(worker: Worker, victim: str) -> None:
    closed = worker.rj("close", victim, "--reason", "completed")
    assert closed.exit_code == 0, closed.output
    purged = worker.rj("purge", victim, "--confirm", "--early", "--reason", "asked to")
    assert purged.exit_code == 0, purged.output


@pytest.mark.parametrize("purged_by", ["shared", "here"])
@pytest.mark.parametrize("keep", ["theirs", "mine"])
def test_a_purge_and_a_contact_on_another_laptop_settle_with_keep(team: Team, keep: str,
                                                                  purged_by: str):
    purger, logger = (team.anna, team.ben) if purged_by == "shared" else (team.ben, team.anna)
    purge_victim(purger, team.victim)
    log_contact(logger, team.victim, "2026-04-02 10:00", "rang about the letter")
    first = team.anna.rj("sync")
    assert first.exit_code == 0, first.output

    stuck = team.ben.rj("sync")
    assert stuck.exit_code == 1
    assert "rj sync --keep theirs" in plain(stuck.output)
    settled = team.ben.rj("sync", "--keep", keep)
    assert settled.exit_code == 0, settled.output
    assert team.anna.rj("sync").exit_code == 0

    takes_purge = (keep == "theirs") == (purged_by == "shared")
    for worker in (team.anna, team.ben):
        record = worker.root / "victims" / f"{team.victim}.yaml"
        stone = worker.root / "tombstones" / f"{team.victim}.yaml"
        assert record.exists() != takes_purge
        assert stone.exists() == takes_purge
        if not takes_purge:
            notes = [c.get("note") for c in worker.record(team.victim)["contacts"]]
            assert "rang about the letter" in notes
    assert_shared_and_clean(team)


def test_sync_to_a_new_empty_shared_copy_sends_everything(team: Team):
    git(team.shared.parent, "init", "-q", "--bare", "moved.git")
    moved = team.shared.parent / "moved.git"

    result = team.anna.rj("sync", "--remote", str(moved))
    assert result.exit_code == 0, result.output
    assert "Already up to date" not in plain(result.output)
    assert git(moved, "rev-parse", "main").stdout.strip() == team.anna.head()
    assert "sent" in plain(result.output)


def test_a_settings_conflict_names_the_worker_and_gives_advice_that_works(team: Team):
    for worker in (team.anna, team.ben):
        git(worker.root, "config", "user.name", "Laptop Owner")
    settings = "name: \"Exampletown Youth Justice Service\""
    for worker, town in ((team.anna, "Annatown"), (team.ben, "Bentown")):
        path = worker.root / "rj.yaml"
        text = path.read_text()
        assert settings in text
        path.write_text(text.replace(settings, f"name: \"{town} Youth Justice Service\""))
    assert team.anna.rj("sync").exit_code == 0

    result = team.ben.rj("sync")
    words = plain(result.output)
    assert result.exit_code == 1
    assert "Anna Worker and you both changed" in words
    assert "Laptop Owner" not in words
    assert "rj edit rj.yaml" not in words
    editor = "sed -i 's/Bentown/Jointown/'"
    advised = invoke("sync", casebook=team.ben.root, worker=team.ben.name,
                     env={"RJ_WORKER": team.ben.name, "EDITOR": editor})
    line = next(ln.strip() for ln in advised.output.splitlines() if "rj.yaml" in ln
                and editor in ln)
    command = line[line.index(editor):]
    assert subprocess.run(command, shell=True, check=False).returncode == 0
    assert "Jointown" in (team.ben.root / "rj.yaml").read_text()

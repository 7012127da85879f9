"""``rj attach ID FILE``: documents kept with a victim's record (issue 19)."""

from __future__ import annotations

import hashlib
import stat
import subprocess
from pathlib import Path

from conftest import WORKER, CasebookUnderTest, plain

SCAN = b"%PDF-1.4 invented signed consent form\n"


def _attach(casebook: CasebookUnderTest, tmp_path: Path, *options: str):
    source = tmp_path / "signed consent.pdf"
    source.write_bytes(SCAN)
    return casebook.run("attach", casebook.victim, str(source), *options)


def test_attach_copies_the_file_owner_only_and_records_its_digest(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    result = _attach(casebook, tmp_path, "--kind", "consent-form", "--note", "signed at visit")
    assert result.exit_code == 0, result.output
    entry = casebook.data(casebook.victim)["documents"][-1]
    kept = casebook.root / "documents" / casebook.victim / entry["file"]
    assert kept.read_bytes() == SCAN
    assert entry["file"].endswith("-signed-consent.pdf")
    assert entry["sha256"] == hashlib.sha256(SCAN).hexdigest()
    assert (entry["kind"], str(entry["date"]), entry["note"], entry["by"]) == \
        ("consent-form", "2026-04-02", "signed at visit", WORKER)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    shown = plain(casebook.run("show", casebook.victim).output)
    assert f"Documents: 2 April 2026 consent-form documents/{casebook.victim}/{entry['file']} " \
           "signed at visit" in shown
    assert casebook.run("check").exit_code == 0


def test_check_reports_a_document_altered_or_missing(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    assert _attach(casebook, tmp_path, "--kind", "referral").exit_code == 0
    name = casebook.data(casebook.victim)["documents"][-1]["file"]
    kept = casebook.root / "documents" / casebook.victim / name
    kept.write_bytes(SCAN + b"changed")
    result = casebook.run("check")
    assert result.exit_code == 1
    assert f"documents/{casebook.victim}/{name} was changed since it was attached" \
        in plain(result.output)
    kept.unlink()
    result = casebook.run("check")
    assert result.exit_code == 1
    assert f"documents/{casebook.victim}/{name} (referral) is missing" in plain(result.output)


def test_attach_refuses_an_unknown_kind_or_a_childs_record_and_keeps_nothing(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    before = casebook.text(casebook.victim)
    result = _attach(casebook, tmp_path, "--kind", "photo")
    assert result.exit_code == 2
    assert "--kind 'photo' is not one of: consent-form, referral, letter-received, other" \
        in plain(result.output)
    source = tmp_path / "signed consent.pdf"
    refused = casebook.run("attach", casebook.child, str(source))
    assert refused.exit_code == 2
    assert "documents are kept with a victim's record only" in plain(refused.output)
    assert casebook.text(casebook.victim) == before
    assert not (casebook.root / "documents").exists() or \
        not any((casebook.root / "documents").rglob("*.pdf"))


def test_attach_is_one_commit_and_purge_deletes_the_documents(
        committed_casebook: CasebookUnderTest, tmp_path: Path) -> None:
    casebook = committed_casebook
    assert _attach(casebook, tmp_path, "--kind", "consent-form").exit_code == 0
    files = subprocess.run(["git", "-C", str(casebook.root), "show", "--name-only",
                            "--format=", "HEAD"], capture_output=True, text=True,
                           check=True).stdout.split()
    assert f"victims/{casebook.victim}.yaml" in files
    assert any(f.startswith(f"documents/{casebook.victim}/") for f in files)
    assert casebook.run("close", casebook.victim, "--reason", "completed").exit_code == 0
    result = casebook.run("purge", casebook.victim, "--confirm", "--early", "--reason",
                          "asked to be forgotten")
    assert result.exit_code == 0, result.output
    assert not (casebook.root / "documents" / casebook.victim).exists()
    status = subprocess.run(["git", "-C", str(casebook.root), "status", "--porcelain"],
                            capture_output=True, text=True, check=True).stdout
    assert "documents/" not in status


def test_export_includes_the_documents_kept_with_the_record(
        casebook: CasebookUnderTest, tmp_path: Path) -> None:
    assert _attach(casebook, tmp_path, "--kind", "consent-form").exit_code == 0
    name = casebook.data(casebook.victim)["documents"][-1]["file"]
    result = casebook.run("export", casebook.victim, "--out", str(tmp_path / "sar"))
    assert result.exit_code == 0, result.output
    copy = tmp_path / "sar" / "documents" / name
    assert copy.read_bytes() == SCAN
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600

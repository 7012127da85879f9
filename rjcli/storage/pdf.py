"""A Word letter as a PDF, converted by LibreOffice (``rj letter ... --format pdf``).

LibreOffice is found on PATH (``soffice``, else ``libreoffice``) and run headless with a
time limit, in a throwaway folder of its own: its profile (``-env:UserInstallation``) is
made there, so a LibreOffice the user has open, or a half-written profile of theirs, is
never used or changed, and two conversions at once do not wait on each other. The Word
file goes in, the PDF comes out, and the folder is removed; the caller writes the bytes
where they belong (atomic, owner-only, through the out-path guard).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from rjcli.errors import ConversionFailed, ConverterMissing

OFFICE_NAMES = ("soffice", "libreoffice")
"""The LibreOffice commands looked for on PATH, in this order."""
TIMEOUT_SECONDS = 120
"""The longest a conversion may take: a first run builds the throwaway profile (a few
seconds); a letter converts in about two."""
INSTALL_HINT = ("install LibreOffice (Debian or Ubuntu: apt-get install libreoffice-writer), "
                "or write the letter with --format docx and save it as PDF from Word")


def find_office() -> str | None:
    """The LibreOffice command on PATH, or None."""
    return next((found for name in OFFICE_NAMES if (found := shutil.which(name))), None)


def docx_to_pdf(docx: bytes, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The PDF of the Word file ``docx`` (its bytes), made by LibreOffice."""
    office = find_office()
    if office is None:
        raise ConverterMissing("a PDF letter needs LibreOffice, which is not installed (no "
                               "soffice or libreoffice on PATH); nothing was written",
                               hint=INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="rj-pdf-") as work:
        folder = Path(work)
        source = folder / "letter.docx"
        source.write_bytes(docx)
        command = [office, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
                   "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export",
                   "--outdir", str(folder / "out"), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL, cwd=folder, check=False)
        except subprocess.TimeoutExpired:
            raise ConversionFailed(f"LibreOffice did not finish the PDF within {timeout:g} "
                                   "seconds; nothing was written",
                                   hint="try again, or write it with --format docx") from None
        except OSError as exc:
            raise ConversionFailed(f"LibreOffice ({office}) could not be started: "
                                   f"{exc.strerror or exc}; nothing was written",
                                   hint=INSTALL_HINT) from None
        pdf = folder / "out" / "letter.pdf"
        if done.returncode != 0 or not pdf.is_file():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
            last = said.splitlines()[-1] if said else f"exit status {done.returncode}"
            raise ConversionFailed(f"LibreOffice could not make the PDF ({last}); nothing "
                                   "was written", hint="write it with --format docx to see "
                                   "the Word file, or try again")
        return pdf.read_bytes()

"""The layers hold by construction: the import contracts (.importlinter) and no service reading the clock."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLOCK_READS = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("time", "time"), ("", "utcnow"),
               ("", "today_local")}  # fmt: skip


def clock_reads(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
                name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                if (owner, name) in CLOCK_READS:
                    found.append(f"{path.name}:{node.lineno} {owner}.{name}()".replace(" .", " "))
    return found


def test_no_service_reads_the_clock_itself():
    """Services take the time from their unit of work (uow.now(), uow.today()), so tests fix it and card
    validity counts in the Beijing day."""
    assert clock_reads(ROOT / "apec_app" / "services") == []


def test_the_clock_scan_sees_a_clock_read(tmp_path):
    (tmp_path / "service.py").write_text("from datetime import date\n\n\ndef f():\n    return date.today()\n")
    assert clock_reads(tmp_path) == ["service.py:5 date.today()"]


def test_the_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / ".importlinter")], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]

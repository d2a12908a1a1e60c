"""Several fresh Python processes writing at the same moment.

Fresh interpreters, not fork or a multiprocessing Pool: forking a process
that runs DuckDB and Streamlit threads can deadlock the child, and a Pool
whose worker dies waits for ever. Each process waits for a "go" file, so
they start their writes together.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dashboard import PROJECT_ROOT

_WAIT_FOR_GO = "import os, sys, time\nwhile not os.path.exists(sys.argv[1]): time.sleep(0.01)\n"


def run_together(code: str, arguments: list[tuple], workdir: Path, timeout: float = 120) -> list[str]:
    """Run `code` once per argument tuple (as sys.argv[2:]); returns each stdout."""
    go = Path(workdir) / "go"
    go.unlink(missing_ok=True)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _WAIT_FOR_GO + code, str(go), *map(str, args)],
            cwd=PROJECT_ROOT,
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in arguments
    ]
    go.touch()
    outputs = []
    try:
        for process in processes:
            out, err = process.communicate(timeout=timeout)
            assert process.returncode == 0, err
            outputs.append(out)
    finally:
        for process in processes:
            process.kill()
    return outputs

"""The sandbox a notebook is graded in: bubblewrap (``bwrap``), with limits.

Each run gets a throwaway folder (the notebook to run and the job, nothing else) mounted
read-write at ``/tmp/grading``; the rest of the machine is a read-only view, except that the
course directory (``solutions/``, the gradebook, every submission, ``autograded/``), the
checkout ``dldemos`` is installed from, the submissions folder, ``/tmp`` and home folders are
replaced by empty folders; only the ``dldemos`` and ``courseware`` packages and the Python
environment are put back, read-only. The run has no network, its own user (uid 1000, no capabilities), its own
process namespace (everything it starts dies with it: ``--unshare-pid --die-with-parent``),
and limits on memory (``RLIMIT_AS``), file size (``RLIMIT_FSIZE``) and wall time (the
process group is killed).

When bubblewrap is missing or cannot start (``apt-get install -y bubblewrap``; a container
may also need user namespaces enabled), grading refuses to run unless the instructor passes
``--unsandboxed``, which runs the same runner without isolation, with the same limits, and
logs a warning on every notebook.
"""

from __future__ import annotations

import contextlib
import functools
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import courseware
import dldemos

INSIDE = "/tmp/grading"          # where the run's folder appears in the sandbox
INSTALL_HINT = ("install bubblewrap (Debian/Ubuntu: `sudo apt-get install -y bubblewrap`; Fedora: "
                "`sudo dnf install bubblewrap`), or, on a machine where only trusted code is graded, "
                "pass --unsandboxed")


class SandboxUnavailable(RuntimeError):
    pass


@dataclass
class Limits:
    """Per-notebook limits."""
    cell_timeout: int = 20              # seconds per cell (nbgrader_config.py's c.Execute.timeout)
    notebook_timeout: int = 60          # seconds for the whole notebook
    memory_bytes: int = 6 * 2 ** 30     # address space of each process
    file_bytes: int = 64 * 2 ** 20      # the largest file a run can write
    max_output_chars: int = 20_000      # outputs kept per cell


@dataclass
class Run:
    returncode: int
    timed_out: bool
    seconds: float
    stderr: str


@functools.lru_cache(maxsize=1)
def why_no_sandbox() -> str | None:
    """Why bubblewrap cannot run here (None if it can)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed"
    probe = subprocess.run([bwrap, *_isolation(), "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
                            "true"], capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        return f"bwrap cannot start a sandbox here: {probe.stderr.strip()[:300]}"
    return None


def _isolation() -> list[str]:
    return ["--unshare-user", "--uid", "1000", "--gid", "1000", "--unshare-pid", "--unshare-net",
            "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent",
            "--new-session", "--cap-drop", "ALL"]


def _hidden_folders(course_root: Path, extra: list[Path]) -> list[Path]:
    checkout = Path(dldemos.__file__).resolve().parents[1]
    folders = [course_root, checkout, *extra, Path.home()]
    folders += [Path(p) for p in ("/home", "/root", "/var/tmp") if Path(p).is_dir()]
    return sorted({f.resolve() for f in folders if f.exists() and f.resolve() != Path("/")}, key=lambda p: len(p.parts))


def bwrap_command(folder: Path, course_root: Path, hidden: list[Path]) -> list[str]:
    packages = {Path(p.__file__).resolve().parent for p in (dldemos, courseware)}
    command = ["bwrap", *_isolation(), "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
               "--tmpfs", "/tmp", "--tmpfs", "/dev/shm"]
    for path in _hidden_folders(course_root, hidden):
        command += ["--tmpfs", str(path)]
    for path in sorted({*packages, Path(sys.prefix).resolve(), Path(sys.prefix).absolute(), Path(sys.base_prefix).resolve()}):
        command += ["--ro-bind", str(path), str(path)]
    command += ["--bind", str(folder), INSIDE, "--chdir", INSIDE]
    return command


def _environment(home: str) -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "PYTHONHASHSEED", "DLDEMOS_STATIC", "OMP_NUM_THREADS",
            "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(HOME=home, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1", DLDEMOS_STATIC="1",
               JUPYTER_PLATFORM_DIRS="1", MPLCONFIGDIR=f"{home}/.mpl",
               PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"))
    # the run imports the very dldemos and courseware the grader imported (the folders bound
    # into the sandbox), whatever the environment's own installation of them points to
    env["PYTHONPATH"] = os.pathsep.join(sorted({str(Path(p.__file__).resolve().parents[1])
                                                for p in (dldemos, courseware)}))
    env.setdefault("PYTHONHASHSEED", "0")
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    return env


def run_notebook(folder: Path, course_root: Path, limits: Limits, hidden: list[Path] = (),
                 sandboxed: bool = True) -> Run:
    """Run ``python -m courseware.grading.runner job.json`` in ``folder`` (which holds the job and
    the notebook), in the sandbox unless ``sandboxed`` is False."""
    runner = [sys.executable, "-m", "courseware.grading.runner", "job.json"]
    if sandboxed:
        reason = why_no_sandbox()
        if reason:
            raise SandboxUnavailable(f"{reason}; {INSTALL_HINT}")
        command = bwrap_command(folder, course_root, list(hidden)) + runner
        env = _environment(f"{INSIDE}/home")
        cwd = None
    else:
        command, env, cwd = runner, _environment(str(folder / "home")), folder
    (folder / "home").mkdir(exist_ok=True)

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    started = time.perf_counter()
    log = folder / "runner.log"
    with open(log, "wb") as stderr:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stderr,
                                   stderr=stderr, preexec_fn=limit, start_new_session=True)
    timed_out = False
    try:
        process.wait(timeout=limits.notebook_timeout + 30)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)       # whatever is left of the run's session
        if process.poll() is None:
            process.kill()
        process.wait()
    with open(log, "rb") as handle:
        handle.seek(max(0, log.stat().st_size - 4000))
        tail = handle.read().decode(errors="replace")
    return Run(process.returncode, timed_out, time.perf_counter() - started, tail)

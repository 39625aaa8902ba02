"""The sandbox a notebook is graded in: bubblewrap (``bwrap``), with limits.

The sandbox sees an *allow-list*, not the machine minus a deny-list. Its root is an empty
file system into which are mounted, read-only: the system's programs and libraries
(``/usr``, ``/bin``, ``/lib*``), the few files of ``/etc`` the dynamic linker and Python need,
the Python environment (``sys.prefix`` and ``sys.base_prefix``) and the grading library, a
copy of ``dldemos`` without the code the exercise closes (:mod:`.library`); read-write, only
the run's own folder (the notebook to run, its job, its outputs) at ``/tmp/grading``. ``/tmp``
(``$HOME`` is ``/tmp/home``) and ``/dev/shm`` are private tmpfs of bounded size. Nothing of
home folders, ``/work``, the host's ``/tmp``, the course, any other copy of the course or any
other submission exists in it, so nothing there can be read, whatever path is tried
(``/proc/self/root`` included: it is the sandbox's root).

The run has no network, its own user (uid 1000, no capabilities), its own process namespace
(everything it starts dies with it: ``--unshare-pid --die-with-parent``), and limits that
cover every resource it can fill: memory (``RLIMIT_AS`` per process, lowered by the sizes of
the two tmpfs, which live in memory), file size (``RLIMIT_FSIZE``), the disk of its folder
(this process measures it while the run goes on and kills the run past ``disk_bytes``) and
wall time (the process group is killed).

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

from courseware.untrusted import tail_regular

INSIDE = "/tmp/grading"  # where the run's folder appears in the sandbox
LIBRARY = "/opt/dldemos-grading"  # where the grading library (a copy of dldemos) appears in it
HOME = "/tmp/home"
_SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")
_ETC = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "nsswitch.conf",
    "localtime",
    "alternatives",
    "ssl",
    "ca-certificates",
    "fonts",
    "mime.types",
    "os-release",
    "hosts",
)
INSTALL_HINT = (
    "install bubblewrap (Debian/Ubuntu: `sudo apt-get install -y bubblewrap`; Fedora: "
    "`sudo dnf install bubblewrap`), or, on a machine where only trusted code is graded, "
    "pass --unsandboxed"
)


class SandboxUnavailable(RuntimeError):
    pass


@dataclass
class Limits:
    """Per-notebook limits."""

    cell_timeout: int = 20  # seconds per cell (nbgrader_config.py's c.Execute.timeout)
    notebook_timeout: int = 60  # seconds for the whole notebook
    memory_bytes: int = 6 * 2**30  # memory of the run: tmpfs and the address space of each process
    file_bytes: int = 64 * 2**20  # the largest file a run can write
    disk_bytes: int = 256 * 2**20  # all the files of the run's folder together
    tmp_bytes: int = 512 * 2**20  # the sandbox's /tmp (a tmpfs: memory, taken from memory_bytes)
    shm_bytes: int = 64 * 2**20  # the sandbox's /dev/shm (likewise)
    max_output_chars: int = 20_000  # outputs kept per cell

    @property
    def address_space(self) -> int:
        """``RLIMIT_AS`` of each process: the memory left once both tmpfs are full."""
        return max(2**30, self.memory_bytes - self.tmp_bytes - self.shm_bytes)


@dataclass
class Run:
    returncode: int
    timed_out: bool
    seconds: float
    stderr: str
    over_disk: bool = False  # killed for writing more than disk_bytes


@functools.lru_cache(maxsize=1)
def why_no_sandbox() -> str | None:
    """Why bubblewrap cannot run here (None if it can)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed"
    probe = subprocess.run(
        [bwrap, *_isolation(), "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if probe.returncode != 0:
        return f"bwrap cannot start a sandbox here: {probe.stderr.strip()[:300]}"
    return None


def _isolation() -> list[str]:
    return [
        "--unshare-user",
        "--uid",
        "1000",
        "--gid",
        "1000",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
    ]


def bwrap_command(folder: Path, library: Path, limits: Limits) -> list[str]:
    """The bubblewrap command line of a run: the allow-list of the module docstring."""
    command = ["bwrap", *_isolation()]
    for path in _SYSTEM:
        if os.path.islink(path):
            command += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            command += ["--ro-bind", path, path]
    for name in _ETC:
        command += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    # the private /tmp first: the Python environment may itself live under the host's /tmp
    # (a clone of the course there), and a tmpfs mounted after it would hide it
    command += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        str(limits.tmp_bytes),
        "--tmpfs",
        "/tmp",
        "--size",
        str(limits.shm_bytes),
        "--tmpfs",
        "/dev/shm",
    ]
    python = {
        Path(sys.prefix).absolute(),
        Path(sys.prefix).resolve(),
        Path(sys.base_prefix).resolve(),
        Path(sys.executable).resolve().parent.parent,
    }
    for path in sorted(p for p in python if not any(p != q and q in p.parents for q in python)):
        command += ["--ro-bind", str(path), str(path)]
    command += ["--ro-bind", str(library), LIBRARY, "--dir", HOME]
    command += ["--bind", str(folder), INSIDE, "--chdir", INSIDE]
    return command


def _environment(home: str, library: str) -> dict[str, str]:
    keep = (
        "PATH",
        "LANG",
        "LC_ALL",
        "PYTHONHASHSEED",
        "DLDEMOS_STATIC",
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
    )
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(
        HOME=home,
        MPLBACKEND="Agg",
        PYTHONDONTWRITEBYTECODE="1",
        DLDEMOS_STATIC="1",
        JUPYTER_PLATFORM_DIRS="1",
        MPLCONFIGDIR=f"{home}/.mpl",
        PYTHONPATH=library,
        USER="student",
        PATH=str(Path(sys.executable).parent)
        + os.pathsep
        + os.environ.get("PATH", "/usr/bin:/bin"),
    )
    env.setdefault("PYTHONHASHSEED", "0")
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")
    return env


def run_notebook(
    folder: Path, library: Path, limits: Limits, sandboxed: bool = True, log: Path | None = None
) -> Run:
    """Run ``python -m courseware.grading.runner job.json`` in ``folder`` (which holds the job and
    the notebook; the only folder the run can write), importing ``dldemos`` from ``library``,
    in the sandbox unless ``sandboxed`` is False. The run's output goes to ``log`` (by default
    ``<folder>.log``, beside the folder: out of the run's reach)."""
    runner = [sys.executable, "-m", "courseware.grading.runner", "job.json"]
    folder, library = Path(folder), Path(library)
    log = Path(log) if log else folder.with_name(folder.name + ".log")
    if sandboxed:
        reason = why_no_sandbox()
        if reason:
            raise SandboxUnavailable(f"{reason}; {INSTALL_HINT}")
        command = bwrap_command(folder, library, limits) + runner
        env = _environment(HOME, LIBRARY)
        cwd = None
    else:
        (folder / "home").mkdir(exist_ok=True)
        command, env, cwd = runner, _environment(str(folder / "home"), str(library)), folder

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (limits.address_space, limits.address_space))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    started = time.perf_counter()
    deadline = time.monotonic() + limits.notebook_timeout + 30
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stderr,
            stderr=stderr,
            preexec_fn=limit,
            start_new_session=True,
        )
    timed_out = over_disk = False
    try:
        while process.poll() is None:
            if time.monotonic() > deadline:
                timed_out = True
                break
            if folder_bytes(folder) + _size(log) > limits.disk_bytes:
                over_disk = True
                break
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.5)
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left of the run's session
        if process.poll() is None:
            process.kill()
        process.wait()
    return Run(
        process.returncode,
        timed_out,
        time.perf_counter() - started,
        tail_regular(log, 4000),
        over_disk,
    )


def _size(path: Path) -> int:
    try:
        return os.lstat(path).st_size
    except OSError:
        return 0


def folder_bytes(folder: Path, max_entries: int = 100_000) -> int:
    """The bytes of the files under ``folder`` (links not followed); past ``max_entries``
    entries, a count that exceeds any limit."""
    total, seen, todo = 0, 0, [str(folder)]
    while todo:
        try:
            entries = list(os.scandir(todo.pop()))
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > max_entries:
                return 2**62
            try:
                if entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)
                else:
                    total += entry.stat(follow_symlinks=False).st_blocks * 512
            except OSError:
                continue
    return total

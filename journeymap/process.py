"""The process around a command: signals, standard output that fails, children that must not outlive us.

``journeymap`` may be stopped at any moment (Ctrl-C, a CI job's timeout sends SIGTERM, a closed
terminal SIGHUP) and may write to a standard output that cannot take it (``> /dev/full``, a full
disk, a closed pipe). Whatever happens, it ends with one line on stderr and an exit code, never a
traceback; a temporary file it was writing is removed and a Graphviz it started is stopped, by the
``finally``/``except`` blocks that an exception (rather than a silent death) lets run.
Imports nothing heavy, so ``--help`` stays fast.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable

# Signals that end the run the way Ctrl-C does: an exception unwinds the stack, cleaning up
_STOPPING = ("SIGTERM", "SIGHUP")
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class Stopped(BaseException):
    """A signal asked the run to stop (a BaseException, so no ``except Exception`` swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_signals: list[int] = []  # the stopping signals received, for stop_reason()


def _stop(signum: int, frame: object) -> None:
    _signals.append(signum)
    raise Stopped(signum)


def stop_reason() -> BaseException:
    """What to raise when a library swallowed the exception a signal raised inside it (DuckDB
    turns it into its own "Query interrupted"): Stopped for SIGTERM/SIGHUP, else Ctrl-C's
    KeyboardInterrupt."""
    return Stopped(_signals[-1]) if _signals else KeyboardInterrupt()


def install_signal_handlers() -> None:
    """SIGTERM and SIGHUP raise :class:`Stopped`, as SIGINT raises KeyboardInterrupt."""
    for name in _STOPPING:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes a child be killed when journeymap dies, even by SIGKILL; None
    where there is no ``prctl`` (not Linux: the signal handlers still stop the child).

    Everything is looked up here, in the parent: between fork and exec the child only calls.
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


def _silence_stdout() -> None:
    """Point fd 1 at /dev/null, so the interpreter's last flush of what is left cannot fail."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def _code(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    sys.stderr.write(f"{value}\n")
    return 1


def run_command(app: Callable[[], object]) -> int:
    """Run the CLI ``app``; the exit code, whatever stopped it."""
    install_signal_handlers()
    try:
        try:
            app()
            code = 0
        except SystemExit as done:
            code = _code(done.code)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        return 130
    except Stopped as stopped:
        return 128 + stopped.signum
    except BrokenPipeError:  # e.g. `journeymap check … | head`: the reader has what it wanted
        _silence_stdout()
        return 1
    except OSError as problem:
        return _output_failed(problem)


def _output_failed(problem: OSError) -> int:
    # Commands report the files they write themselves; what reaches here is a write to a stream
    # (no file name): standard output, e.g. `> /dev/full`
    why = problem.strerror or str(problem)
    if problem.filename is None:
        _silence_stdout()
        sys.stderr.write(f"journeymap: error: cannot write to standard output: {why}\n")
    else:
        sys.stderr.write(f"journeymap: error: {problem.filename}: {why}\n")
    return 2

"""A large journey's promises on a second core, while this process scores its friction.

The promises and friction of one journey are independent computations on the same graph, and
the promises take most of the time (the series engine's convolutions). When the run has cores
to spare (a command given one file, not ``--jobs 1``; see :func:`cores`) and the journey is
large with a timed promise, :func:`promises_beside` forks a child after the graph is built. The
child evaluates the promises (:func:`journeymap.analysis.promises.evaluate_promises`, the same
code as alone) and sends back their results, pickled: a hundred promises are a few kilobytes.
This process meanwhile scores friction, then takes the child's results. The answers are the
same objects' copies whoever computes them, so the output is byte for byte the same; a child
that fails in any way (killed, out of memory, an exception) only costs the time, and this
process evaluates the promises itself.

The child writes nothing to stdout or stderr, ignores Ctrl-C (this process ends it, and reaps
it, on every way out: :meth:`Beside.close`) and leaves through ``os._exit`` (no atexit handlers,
no buffers flushed). The FFT thread of :mod:`journeymap.analysis.convolution` is stopped before
any fork and made again where needed.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journeymap.graph import JourneyGraph

# Touchpoints from which a journey with a timed promise is worth a fork: a smaller journey's
# promises take less time than forking and its copied pages cost.
BESIDE_FROM = 2_000

_cores = 1  # the cores one journey may use: 1 unless the caller gives it more (see `cores`)


@contextmanager
def cores(n: int) -> Iterator[None]:
    """Let each journey analysed inside use ``n`` cores. Outside, the default is one: a library
    call, or a worker of a pool that keeps every core busy already, never forks."""
    global _cores
    before, _cores = _cores, n
    try:
        yield
    finally:
        _cores = before


def promises_beside(jg: JourneyGraph) -> Beside | None:
    """A child evaluating ``jg``'s promises, when that pays (see the module's docstring)."""
    if _cores < 2 or not hasattr(os, "fork") or len(jg.ids) < BESIDE_FROM:
        return None
    if not any(p.within is not None for p in jg.journey.promises):
        return None
    return Beside(jg)


class Beside:
    """The forked child and the pipe it answers through."""

    def __init__(self, jg: JourneyGraph) -> None:
        self.pid, self._read = -1, -1
        read, write = os.pipe()
        gc.freeze()  # the child's collections leave this process's objects (and pages) alone
        try:
            pid = os.fork()
        except OSError:  # no memory or processes left: the promises are evaluated here
            pid = -1
        finally:
            if pid != 0:
                gc.unfreeze()
        if pid == 0:
            _child(jg, read, write)  # never returns
        os.close(write)
        if pid < 0:
            os.close(read)
            return
        self.pid, self._read = pid, read

    def result(self) -> list[Any] | None:
        """The child's promise results, waiting for them; None when it could not give them."""
        if self.pid < 0:
            return None
        chunks = []
        while True:
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
        status = self._reap(kill=False)
        if status != 0 or not chunks:
            return None
        try:
            got = pickle.loads(b"".join(chunks))
        except Exception:  # cut short: a child that died while writing
            return None
        return got if isinstance(got, list) else None

    def close(self) -> None:
        """End the child if it still runs, and reap it (every way out of the analysis)."""
        if self.pid > 0:
            self._reap(kill=True)

    def _reap(self, kill: bool) -> int:
        pid, self.pid = self.pid, -1
        if self._read >= 0:
            os.close(self._read)
            self._read = -1
        if kill:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        while True:
            try:
                _, status = os.waitpid(pid, 0)
            except InterruptedError:
                continue
            except ChildProcessError:
                return -1
            return os.waitstatus_to_exitcode(status)


def _child(jg: JourneyGraph, read: int, write: int) -> None:
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent ends this child
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_DFL)
        os.close(read)
        from journeymap.analysis.promises import evaluate_promises

        data = pickle.dumps(evaluate_promises(jg), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(write, view):]
        code = 0
    except BaseException:  # noqa: BLE001 - any failure: the parent evaluates the promises itself
        pass
    finally:
        os._exit(code)

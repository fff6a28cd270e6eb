"""Runs a lesson's Python listing fast, and reports what it printed and when.

Usage: python3 fidelity_harness.py LISTING.py

Environment:
  TOUR_TIME_SCALE  real seconds per tutorial second (0.05 runs 20x faster)
  TOUR_DRAWS       comma-separated results for random.randint, in call order

Delays (loop.call_at, which asyncio.sleep and asyncio.timeout use, and time.sleep) are
scaled down and time.perf_counter is scaled up by the same factor, so the listing runs unchanged and still prints
tutorial seconds. Each printed line goes to stdout as "SECONDS<TAB>TEXT",
SECONDS being tutorial time since the program's first line ran (the time
CPython takes to compile it and to make its event loop is left out, as the
tour's set-up is); the last line is "END<TAB>SECONDS".
"""

import asyncio
import builtins
import os
import random
import selectors
import sys
import time
import types

scale = float(os.environ.get("TOUR_TIME_SCALE", "1"))
real_call_at = asyncio.BaseEventLoop.call_at
real_block = time.sleep
real_clock = time.perf_counter
real_print = builtins.print
start = real_clock()
# What the program's perf_counter counts from.
base = start


def tutorial_now():
    return (real_clock() - start) / scale


def call_at(self, when, callback, *args, context=None):
    # call_later and asyncio.timeout both come here: the delay from now,
    # scaled.
    now = self.time()
    return real_call_at(self, now + (when - now) * scale, callback, *args, context=context)


def block(secs):
    real_block(secs * scale)


def perf_counter():
    return base + tutorial_now()


def timed_print(*args, sep=" ", end="\n", file=None, flush=False):
    if file is not None and file is not sys.stdout:
        return real_print(*args, sep=sep, end=end, file=file, flush=flush)
    # Each whole line goes out with the time it was completed, as the
    # tour's run records it: `end=""` waits for the rest of its line, and
    # text of several lines gives several.
    global pending
    pending += sep.join(str(a) for a in args) + end
    *lines, pending = pending.split("\n")
    for line in lines:
        real_print(f"{tutorial_now():.4f}\t{line}", flush=True)


pending = ""


asyncio.BaseEventLoop.call_at = call_at


class PreciseLoopPolicy(asyncio.DefaultEventLoopPolicy):
    # The default selector (epoll) waits in whole milliseconds, rounded
    # up, so each timer fires up to 1 ms late: at 20x, 0.02 tutorial
    # seconds a sleep, adding up over a program's sleeps. select() waits in
    # microseconds.
    def new_event_loop(self):
        # Making a loop takes CPython a millisecond or two (its self-pipe,
        # its selector): set-up, as the tour's start-up is, so the clock
        # stands still meanwhile.
        global start
        before = real_clock()
        loop = asyncio.SelectorEventLoop(selectors.SelectSelector())
        start += real_clock() - before
        return loop


asyncio.set_event_loop_policy(PreciseLoopPolicy())
time.sleep = block
time.perf_counter = perf_counter
builtins.print = timed_print

if os.environ.get("TOUR_DRAWS"):
    draws = iter(int(d) for d in os.environ["TOUR_DRAWS"].split(","))

    def randint(a, b):
        n = next(draws)
        if not a <= n <= b:
            raise ValueError(f"draw {n} is outside randint({a}, {b})")
        return n

    random.randint = randint

# The clock starts as the program's first line runs: compiling it is
# set-up, which the tour does before its clock starts too.
with open(sys.argv[1], encoding="utf-8") as f:
    program = compile(f.read(), sys.argv[1], "exec")
# Its own `__main__` module, as `python3 program.py` gives it (a process
# pool finds the program's functions there by name).
harness = sys.modules["__main__"]
main = types.ModuleType("__main__")
main.__file__ = sys.argv[1]
sys.modules["__main__"] = main
start = real_clock()
exec(program, main.__dict__)
if pending:
    real_print(f"{tutorial_now():.4f}\t{pending}", flush=True)
real_print(f"END\t{tutorial_now():.4f}", flush=True)

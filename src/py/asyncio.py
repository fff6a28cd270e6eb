# The Python half of the tour's asyncio. The natives it builds on (sleep,
# gather, _create_task, _future, _first, _run, ...) are Rust, in
# asyncio.rs; they are in this module's namespace before it runs.

async def sleep(delay, result=None):
    return await _sleep(delay, result)


_NO_SOCKETS = (
    "a browser page cannot open sockets, so the tour's asyncio has no "
    "servers or connections (lesson 16 runs its server on a Web Worker, in Rust)"
)
_SOCKETS = {
    "Protocol", "BaseProtocol", "DatagramProtocol", "BufferedProtocol",
    "SubprocessProtocol", "Transport", "BaseTransport", "DatagramTransport",
    "Server", "StreamReader", "StreamWriter", "start_server",
    "open_connection", "start_unix_server", "open_unix_connection",
    "create_subprocess_exec", "create_subprocess_shell", "to_thread",
}


def __getattr__(name):
    # What CPython's asyncio has and a page cannot do: said by name.
    if name in _SOCKETS:
        raise NotImplementedError(f"asyncio.{name}: {_NO_SOCKETS}")
    raise AttributeError(f"module 'asyncio' has no attribute '{name}'")


FIRST_COMPLETED = "FIRST_COMPLETED"
FIRST_EXCEPTION = "FIRST_EXCEPTION"
ALL_COMPLETED = "ALL_COMPLETED"


class Handle:
    """What call_soon and call_later return: it can be cancelled."""

    def __init__(self, callback, args):
        self._callback = callback
        self._args = args
        self._cancelled = False

    def cancel(self):
        self._cancelled = True

    def cancelled(self):
        return self._cancelled

    def _run(self):
        if not self._cancelled:
            self._callback(*self._args)


class AbstractEventLoop:
    """The one loop: the browser's, through the tour's runtime."""

    def __init__(self):
        self._closed = False

    def create_task(self, coro, *, name=None):
        return _create_task(coro, name=name)

    def create_future(self):
        return _future()

    def call_soon(self, callback, *args):
        handle = Handle(callback, args)
        _call_soon(handle._run)
        return handle

    def call_later(self, delay, callback, *args):
        handle = Handle(callback, args)
        _call_later(delay, handle._run)
        return handle

    def time(self):
        return _time()

    def is_running(self):
        return _running()

    def is_closed(self):
        return self._closed

    def close(self):
        if _running():
            raise RuntimeError("Cannot close a running event loop")
        self._closed = True

    def create_server(self, *args, **kwargs):
        raise NotImplementedError(f"loop.create_server: {_NO_SOCKETS}")

    def create_connection(self, *args, **kwargs):
        raise NotImplementedError(f"loop.create_connection: {_NO_SOCKETS}")

    def run_in_executor(self, *args, **kwargs):
        raise NotImplementedError(
            "loop.run_in_executor: a browser page has one thread for the "
            "reader's code: no threads or processes"
        )

    def run_until_complete(self, future):
        if self._closed:
            raise RuntimeError("Event loop is closed")
        if _running():
            raise RuntimeError("This event loop is already running")
        return _run(future)


_loop = AbstractEventLoop()


def get_running_loop():
    if not _running():
        raise RuntimeError("no running event loop")
    return _loop


def get_event_loop():
    return _loop


def new_event_loop():
    global _loop
    _loop = AbstractEventLoop()
    return _loop


def set_event_loop(loop):
    global _loop
    _loop = loop


def create_task(coro, *, name=None):
    if not _running():
        raise RuntimeError("no running event loop")
    return _create_task(coro, name=name)


def ensure_future(aw):
    if isinstance(aw, Future):
        return aw
    return _create_task(aw)


def run(main):
    if _running():
        raise RuntimeError("asyncio.run() cannot be called from a running event loop")
    try:
        return _run(main)
    finally:
        _run(_finish_tasks())


async def _finish_tasks():
    # What asyncio.run does before it closes its loop: cancel the tasks
    # still running, and let them finish.
    pending = _all_tasks()
    for task in pending:
        task.cancel()
    for task in pending:
        try:
            await task
        except BaseException:
            pass


async def wait_for(aw, timeout):
    fut = ensure_future(aw)
    if timeout is None:
        return await fut
    await _first([fut], timeout)
    if fut.done():
        return fut.result()
    fut.cancel()
    try:
        await fut
    except CancelledError:
        pass
    raise TimeoutError


async def wait(fs, *, timeout=None, return_when=ALL_COMPLETED):
    fs = [ensure_future(f) for f in fs]
    if not fs:
        raise ValueError("Set of Tasks/Futures is empty.")
    deadline = None if timeout is None else _time() + timeout
    while True:
        done = [f for f in fs if f.done()]
        pending = [f for f in fs if not f.done()]
        if not pending:
            break
        if return_when == FIRST_COMPLETED and done:
            break
        if return_when == FIRST_EXCEPTION and any(
            not f.cancelled() and f.exception() is not None for f in done
        ):
            break
        left = None if deadline is None else deadline - _time()
        if left is not None and left <= 0:
            break
        if not await _first(pending, left):
            break
    return set(done), set(pending)


def as_completed(fs, *, timeout=None):
    todo = [ensure_future(f) for f in fs]

    async def next_done():
        while True:
            for f in todo:
                if f.done():
                    todo.remove(f)
                    return f.result()
            if not await _first(todo, timeout):
                raise TimeoutError

    return [next_done() for _ in range(len(todo))]


async def _wait_turn(waiters):
    # Waits until woken through `waiters`, where it has a future of its
    # own while it waits: Event, Lock and Semaphore wake them in order.
    fut = _future()
    waiters.append(fut)
    try:
        await fut
    finally:
        waiters.remove(fut)


class Event:
    def __init__(self):
        self._value = False
        self._waiters = []

    def is_set(self):
        return self._value

    def set(self):
        if not self._value:
            self._value = True
            for fut in self._waiters:
                if not fut.done():
                    fut.set_result(True)

    def clear(self):
        self._value = False

    async def wait(self):
        if not self._value:
            await _wait_turn(self._waiters)
        return True


class Lock:
    def __init__(self):
        self._locked = False
        self._waiters = []

    def locked(self):
        return self._locked

    async def acquire(self):
        if self._locked or self._waiters:
            await _wait_turn(self._waiters)
        self._locked = True
        return True

    def release(self):
        if not self._locked:
            raise RuntimeError("Lock is not acquired.")
        self._locked = False
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(True)
                break

    async def __aenter__(self):
        await self.acquire()

    async def __aexit__(self, exc_type, exc, tb):
        self.release()


class Semaphore:
    def __init__(self, value=1):
        if value < 0:
            raise ValueError("Semaphore initial value must be >= 0")
        self._value = value
        self._waiters = []

    def locked(self):
        return self._value == 0

    async def acquire(self):
        if self._value > 0 and not self._waiters:
            self._value -= 1
        else:
            await _wait_turn(self._waiters)
        return True

    def release(self):
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(True)
                return
        self._value += 1

    async def __aenter__(self):
        await self.acquire()

    async def __aexit__(self, exc_type, exc, tb):
        self.release()


class QueueEmpty(Exception):
    pass


class QueueFull(Exception):
    pass


class Queue:
    def __init__(self, maxsize=0):
        self._maxsize = maxsize
        self.maxsize = maxsize
        self._items = []
        self._getters = []
        self._putters = []
        self._unfinished = 0
        self._finished = Event()
        self._finished.set()

    def qsize(self):
        return len(self._items)

    def empty(self):
        return not self._items

    def full(self):
        return 0 < self._maxsize <= len(self._items)

    def _wake(self, waiters):
        while waiters:
            fut = waiters.pop(0)
            if not fut.done():
                fut.set_result(None)
                break

    def put_nowait(self, item):
        if self.full():
            raise QueueFull
        self._items.append(item)
        self._unfinished += 1
        self._finished.clear()
        self._wake(self._getters)

    def get_nowait(self):
        if self.empty():
            raise QueueEmpty
        item = self._items.pop(0)
        self._wake(self._putters)
        return item

    async def put(self, item):
        while self.full():
            fut = _future()
            self._putters.append(fut)
            await fut
        self.put_nowait(item)

    async def get(self):
        while self.empty():
            fut = _future()
            self._getters.append(fut)
            await fut
        return self.get_nowait()

    def task_done(self):
        if self._unfinished <= 0:
            raise ValueError("task_done() called too many times")
        self._unfinished -= 1
        if self._unfinished == 0:
            self._finished.set()

    async def join(self):
        if self._unfinished > 0:
            await self._finished.wait()


class TaskGroup:
    def __init__(self):
        self._tasks = []
        self._errors = []

    async def __aenter__(self):
        return self

    def create_task(self, coro, *, name=None):
        task = _create_task(coro, name=name)
        self._tasks.append(task)
        return task

    async def __aexit__(self, exc_type, exc, tb):
        if exc is not None:
            for t in self._tasks:
                t.cancel()
        while True:
            pending = [t for t in self._tasks if not t.done()]
            for t in self._tasks:
                if t.done() and not t.cancelled() and t.exception() is not None:
                    if t.exception() not in self._errors:
                        self._errors.append(t.exception())
                        for other in pending:
                            other.cancel()
            if not pending:
                break
            await _first(pending, None)
        if self._errors:
            raise ExceptionGroup("unhandled errors in a TaskGroup", self._errors)


class Timeout:
    def __init__(self, delay):
        self._delay = delay
        self._task = None
        self._expired = False
        self._handle = None

    def _expire(self):
        self._expired = True
        self._task.cancel()

    async def __aenter__(self):
        self._task = current_task()
        if self._delay is not None:
            self._handle = _loop.call_later(self._delay, self._expire)
        return self

    async def __aexit__(self, exc_type, exc, tb):
        if self._handle is not None:
            self._handle.cancel()
        if self._expired and exc_type is not None and issubclass(exc_type, CancelledError):
            raise TimeoutError from exc
        return False

    def expired(self):
        return self._expired


def timeout(delay):
    return Timeout(delay)

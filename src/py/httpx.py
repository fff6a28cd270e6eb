# The tour's httpx: the part of httpx's async API the lessons use
# (AsyncClient as an async context manager, get, status_code, text,
# json()), over the browser's fetch. Read from the page's own server,
# under the page's rules (CORS); a request the page may not make fails as
# httpx fails: a ConnectError, or a ReadTimeout.
import asyncio


class HTTPError(Exception):
    pass


class TransportError(HTTPError):
    pass


class TimeoutException(TransportError):
    pass


class ReadTimeout(TimeoutException):
    pass


class ConnectError(TransportError):
    pass


class JSONDecodeError(ValueError):
    # json.JSONDecodeError, which Response.json raises in CPython.
    pass


class HTTPStatusError(HTTPError):
    def __init__(self, message, *, request=None, response=None):
        super().__init__(message)
        self.request = request
        self.response = response


class Response:
    def __init__(self, status_code, text, url, reason_phrase):
        self.status_code = status_code
        self.text = text
        self.url = url
        self.reason_phrase = reason_phrase
        self.is_success = 200 <= status_code < 300
        self.is_error = status_code >= 400

    def json(self):
        try:
            return _json(self.text)
        except ValueError as e:
            raise JSONDecodeError(str(e)) from None

    def raise_for_status(self):
        if self.is_error:
            kind = "Client error" if self.status_code < 500 else "Server error"
            raise HTTPStatusError(
                f"{kind} '{self.status_code} {self.reason_phrase}' for url '{self.url}'",
                response=self,
            )
        return self

    def __repr__(self):
        return f"<Response [{self.status_code} {self.reason_phrase}]>"


class AsyncClient:
    def __init__(self, *, timeout=5.0, base_url=""):
        self.timeout = timeout
        self.base_url = base_url
        self.is_closed = False

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        await self.aclose()

    async def aclose(self):
        self.is_closed = True

    async def get(self, url, *, timeout=None):
        if self.is_closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        url = self.base_url + url
        kind, status, text, reason = await _fetch(url, self.timeout if timeout is None else timeout)
        if kind == "timeout":
            raise ReadTimeout(text)
        if kind == "error":
            raise ConnectError(text)
        return Response(status, text, url, reason)

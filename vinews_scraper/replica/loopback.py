"""An HTTP server on a loopback address, in a daemon thread: what the replica and the mock archive share."""

from __future__ import annotations

import ipaddress
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class OwnedHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server whose request handlers reach the object serving them as ``owner``."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], owner):
        self.owner = owner
        super().__init__(address, handler)


class LoopbackServer:
    """Serves ``handler`` from a daemon thread on a loopback address; ``port=0`` picks a free port.

    Test servers never listen beyond this machine: any other address is refused.
    """

    handler: type[BaseHTTPRequestHandler]
    thread_name = "loopback-server"

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"{type(self).__name__} serves on a loopback address only, not {host!r}")
        self.host, self.port = host, port
        self.base_url = ""
        self._httpd: OwnedHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Start serving and return the base URL, e.g. ``http://127.0.0.1:41234``."""
        self._httpd = OwnedHTTPServer((self.host, self.port), self.handler, self)
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=self.thread_name, daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join()
            self._httpd = self._thread = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def address(self) -> tuple[str, int]:
        """The (host, port) the listening socket is bound to."""
        return self._httpd.server_address[:2] if self._httpd else (self.host, self.port)

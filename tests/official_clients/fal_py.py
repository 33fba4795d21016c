"""Runs the official `fal-client` (pinned in requirements.txt) against clipbench's simulator.

Usage: python fal_py.py http://127.0.0.1:PORT

fal-client hard-codes `https://{FAL_QUEUE_RUN_HOST}/` (read once, at import). The library is not
patched: this script starts a tiny TLS-terminating reverse proxy in front of the plain-http
simulator, with a throwaway CA made by `trustme`, and configures the client only through what it
and httpx read from the environment:

- FAL_QUEUE_RUN_HOST=localhost:<tls port>  (fal-client's own host variable)
- FAL_KEY=<id>:<secret>                     (fal-client's own credentials variable)
- SSL_CERT_FILE=<the throwaway CA>          (httpx's trust_env, default on)

The proxy forwards each request unchanged (Host kept) and adds `X-Forwarded-Proto: https`, so the
status/response/cancel URLs the simulator hands out point back at https://localhost:<tls port>.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import ssl
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import trustme

RAY = "fal-ai/luma-dream-machine/ray-2-flash"
WAN = "fal-ai/wan-25-preview/text-to-video"
RAY_INPUT = {
    "prompt": "a paper boat drifting down a rain-soaked street",
    "duration": "5s",
    "aspect_ratio": "9:16",
    "resolution": "720p",
}
WAN_INPUT = {"prompt": "a lighthouse at dusk, waves below", "duration": "5"}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}


def start_tls_proxy(upstream: str, certdir: str) -> tuple[ThreadingHTTPServer, str]:
    """Serves https://localhost:<port>, forwarding to `upstream`; returns the server and CA path."""
    target = urllib.parse.urlsplit(upstream)
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    ca_path = os.path.join(certdir, "ca.pem")
    ca.cert_pem.write_to_path(ca_path)

    class Forward(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["X-Forwarded-Proto"] = "https"
            conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            try:
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
            finally:
                conn.close()
            self.send_response(resp.status, resp.reason)
            for key, value in resp.getheaders():
                if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        def log_message(self, *args: object) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    server.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(ctx)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, ca_path


def main() -> int:
    base = (sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SIM_BASE_URL", "")).rstrip("/")
    if not base.startswith("http"):
        print("usage: python fal_py.py http://127.0.0.1:PORT", file=sys.stderr)
        return 2
    certdir = tempfile.mkdtemp(prefix="fal-py-tls-")
    server, ca_path = start_tls_proxy(base, certdir)
    tls_host = f"localhost:{server.server_address[1]}"
    # Everything fal-client and httpx read from the environment; set before the import.
    os.environ["FAL_QUEUE_RUN_HOST"] = tls_host
    os.environ["FAL_KEY"] = "sim-key-id:sim-key-secret"
    os.environ["SSL_CERT_FILE"] = ca_path
    import fal_client  # noqa: E402  (reads FAL_QUEUE_RUN_HOST at import)
    import httpx

    queue = f"https://{tls_host}"
    results: list[tuple[str, bool]] = []

    def check(name: str, fn: Callable[[], None]) -> None:
        started = time.monotonic()
        try:
            fn()
            results.append((name, True))
            print(f"ok   {name} ({(time.monotonic() - started) * 1000:.0f} ms)")
        except Exception:  # noqa: BLE001
            results.append((name, False))
            print(f"FAIL {name}:\n{traceback.format_exc()}")

    def assert_video(data: dict) -> None:
        url = data["video"]["url"]
        assert data["video"]["content_type"] == "video/mp4"
        # Clips are fetched with a plain GET and no credentials, on whatever origin they name.
        clip = httpx.get(url)
        assert clip.status_code == 200, (url, clip.status_code)
        assert clip.content[4:8] == b"ftyp", "clip is an MP4"

    def submit_status_result() -> None:
        handle = fal_client.submit(RAY, RAY_INPUT)
        rid = handle.request_id
        # The client follows the URLs from the submit response: owner/app only, on our origin.
        assert handle.status_url == f"{queue}/fal-ai/luma-dream-machine/requests/{rid}/status", (
            handle.status_url
        )
        assert handle.response_url == f"{queue}/fal-ai/luma-dream-machine/requests/{rid}"
        seen: set[type] = set()
        for _ in range(400):
            status = handle.status(with_logs=True)
            seen.add(type(status))
            if isinstance(status, fal_client.Queued):
                assert isinstance(status.position, int)
            if isinstance(status, fal_client.InProgress):
                assert isinstance(status.logs, list)
            if isinstance(status, fal_client.Completed):
                break
            time.sleep(0.02)
        assert isinstance(status, fal_client.Completed), status
        assert status.error is None and status.error_type is None
        assert status.logs and all({"message", "level", "timestamp"} <= set(line) for line in status.logs)
        assert isinstance(status.metrics.get("inference_time"), float)
        assert seen - {fal_client.Completed}, "saw a non-final status"
        data = handle.get()
        assert_video(data)
        # The module-level helpers rebuild the URLs from FAL_QUEUE_RUN_HOST.
        again = fal_client.status(RAY, rid, with_logs=False)
        assert isinstance(again, fal_client.Completed) and again.logs is None
        assert fal_client.result(RAY, rid) == data

    def subscribe() -> None:
        updates: list = []
        enqueued: list[str] = []
        data = fal_client.subscribe(
            WAN,
            WAN_INPUT,
            with_logs=True,
            interval=0.02,
            on_enqueue=enqueued.append,
            on_queue_update=updates.append,
        )
        assert len(enqueued) == 1
        assert isinstance(updates[-1], fal_client.Completed)
        assert any(getattr(u, "logs", None) for u in updates), "logs in updates"
        assert data["video"]["duration"] == 5 and isinstance(data["seed"], int)
        assert_video(data)

    def iter_events() -> None:
        handle = fal_client.submit(WAN, WAN_INPUT)
        events = list(handle.iter_events(with_logs=True, interval=0.02))
        assert isinstance(events[-1], fal_client.Completed)
        assert all(not isinstance(e, fal_client.Completed) for e in events[:-1])
        assert "video" in handle.get()

    def cancel() -> None:
        handle = fal_client.submit(RAY, RAY_INPUT)
        handle.cancel()  # a 2xx
        for _ in range(400):
            status = handle.status(with_logs=True)
            if isinstance(status, fal_client.Completed):
                break
            time.sleep(0.02)
        assert isinstance(status, fal_client.Completed) and status.error, status
        try:
            handle.get()
            raise AssertionError("result of a cancelled request should fail")
        except fal_client.FalClientHTTPError as err:
            assert err.status_code >= 400
        try:
            fal_client.cancel(RAY, handle.request_id)  # rebuilt URL; already completed
            raise AssertionError("second cancel should fail")
        except fal_client.FalClientHTTPError as err:
            assert err.status_code == 400, err.status_code

    def validation_error() -> None:
        for endpoint, bad in ((RAY, {**RAY_INPUT, "duration": "7s"}), (WAN, {**WAN_INPUT, "duration": "7"})):
            try:
                fal_client.submit(endpoint, bad)
                raise AssertionError("bad duration accepted")
            except fal_client.FalClientHTTPError as err:
                assert err.status_code == 422, err.status_code
                detail = err.response.json()["detail"]
                assert [d["loc"] for d in detail] == [["body", "duration"]], detail

    def async_client() -> None:
        async def go() -> None:
            client = fal_client.AsyncClient()
            handle = await client.submit(RAY, RAY_INPUT)
            async for status in handle.iter_events(with_logs=True, interval=0.02):
                last = status
            assert isinstance(last, fal_client.Completed)
            data = await handle.get()
            assert data["video"]["url"]
            got = await client.subscribe(WAN, WAN_INPUT, with_logs=True, interval=0.02)
            assert got["video"]["duration"] == 5

        asyncio.run(go())

    check("submit -> status(with_logs) -> result (ray-2-flash)", submit_status_result)
    check("subscribe with on_queue_update + logs (wan-25 t2v)", subscribe)
    check("iter_events (polling)", iter_events)
    check("cancel -> COMPLETED with error; result and 2nd cancel raise", cancel)
    check("bad duration -> FalClientHTTPError 422 with loc", validation_error)
    check("AsyncClient submit/iter_events/get/subscribe", async_client)

    server.shutdown()
    failed = sum(1 for _, ok in results if not ok)
    print(f"python: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""A small HTTP server for tests (standard library only).

    python3 serve_http.py --root DIR --port-file FILE [--delay-ms N] [--tls-cert PEM --tls-key PEM]

Binds 127.0.0.1 on a port the OS picks and writes the port number to FILE once it is
listening (written to a temporary name and renamed, so a reader never sees half of it).
Serves files under DIR for GET and HEAD, with keep-alive (HTTP/1.1). Missing files and
directories are 404. Exits when its parent process goes away, so a crashed test does
not leave it running. With --tls-cert and --tls-key it speaks https instead.

Paths that simulate what real servers do:
    /__status/<code>[/...]       answers <code> with a short text body
    /__truncate/<path>           announces a Content-Length larger than the file, sends
                                 the file, then closes the connection
    /__gzip/<path>               the file gzip-compressed, with Content-Encoding: gzip
    /__redirect/<n>/<path>       302 redirects, n of them, then <path>
    /__delay/<ms>/<path>         <path> after waiting <ms> milliseconds
    /__auth/<user>/<password>/<path>
                                 <path> for requests with these Basic credentials; 401
                                 with a WWW-Authenticate challenge for any others
    /__authorization             the request's Authorization header as the body ("-": none)
    /__redirect_host/<host>/<path>
                                 a 302 redirect to <path> on <host> at this port (another
                                 origin when <host> is "localhost" and the request came to
                                 127.0.0.1)
"""

import argparse
import base64
import gzip
import http.server
import os
import posixpath
import ssl
import sys
import threading
import time
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so clients can reuse connections
    server_version = "zw-test-http"
    disable_nagle_algorithm = True  # headers and body go out in two writes; no 40 ms stalls

    def log_message(self, format, *args):  # quiet: tests read their own output
        pass

    def do_HEAD(self):
        self.respond(head=True)

    def do_GET(self):
        self.respond(head=False)

    def respond(self, head):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if self.server.delay_ms:
            time.sleep(self.server.delay_ms / 1000)
        parts = path.lstrip("/").split("/")
        special = parts[0] if parts[0].startswith("__") else None
        try:
            if special == "__status":
                code = int(parts[1])
                return self.send_body(code, f"status {code}\n".encode(), head)
            if special == "__redirect":
                left = int(parts[1])
                rest = "/".join(parts[2:])
                target = f"/__redirect/{left - 1}/{rest}" if left > 1 else f"/{rest}"
                return self.redirect(urllib.parse.quote(target), head)
            if special == "__redirect_host":
                scheme = "https" if self.server.tls else "http"
                port = self.server.server_address[1]
                rest = urllib.parse.quote("/".join(parts[2:]))
                return self.redirect(f"{scheme}://{parts[1]}:{port}/{rest}", head)
            if special == "__authorization":
                given = self.headers.get("Authorization", "-")
                return self.send_body(200, given.encode(), head)
            if special == "__auth":
                expected = base64.b64encode(f"{parts[1]}:{parts[2]}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {expected}":
                    return self.send_body(401, b"unauthorized\n", head,
                                          {"Content-Type": "text/plain",
                                           "WWW-Authenticate": 'Basic realm="zw-test"'})
                return self.send_file("/".join(parts[3:]), head)
            if special == "__delay":
                time.sleep(int(parts[1]) / 1000)
                return self.send_file("/".join(parts[2:]), head)
            if special == "__truncate":
                return self.send_file("/".join(parts[1:]), head, truncate=True)
            if special == "__gzip":
                return self.send_file("/".join(parts[1:]), head, compress=True)
        except (IndexError, ValueError):
            return self.send_body(400, b"bad test path\n", head)
        return self.send_file(path, head)

    def redirect(self, location, head):
        # A body like real servers send, which clients must not count as content.
        body = b"redirecting\n"
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def send_file(self, path, head, truncate=False, compress=False):
        full = self.local_path(path)
        if full is None or not os.path.isfile(full):
            return self.send_body(404, b"not found\n", head)
        with open(full, "rb") as f:
            body = f.read()
        headers = {"Content-Type": "application/octet-stream"}
        if compress:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        if truncate:
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Length", str(len(body) * 2 + 100))
            self.send_header("Connection", "close")
            self.end_headers()
            if not head:
                self.wfile.write(body)
            self.wfile.flush()
            return
        self.send_body(200, body, head, headers)

    def send_body(self, code, body, head, headers=None):
        self.send_response(code)
        for name, value in (headers or {"Content-Type": "text/plain"}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def local_path(self, path):
        # Normalised and checked to stay under the root, so ".." cannot escape it.
        clean = posixpath.normpath("/" + path).lstrip("/")
        full = os.path.realpath(os.path.join(self.server.root, clean))
        if full != self.server.root and not full.startswith(self.server.root + os.sep):
            return None
        return full


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that refuse our certificate are what the TLS tests are about: quiet.
        if isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError)):
            return
        super().handle_error(request, client_address)


def watch_parent(parent):
    # Re-parenting means the test process died without stopping us.
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main():
    parser = argparse.ArgumentParser(description="HTTP server for Zwilling's tests")
    parser.add_argument("--root", required=True, help="folder to serve")
    parser.add_argument("--port-file", required=True, help="file to write the port to")
    parser.add_argument("--delay-ms", type=int, default=0, help="delay before every answer")
    parser.add_argument("--tls-cert", help="certificate (PEM): serve https")
    parser.add_argument("--tls-key", help="private key of --tls-cert (PEM)")
    args = parser.parse_args()

    server = Server(("127.0.0.1", 0), Handler)
    server.root = os.path.realpath(args.root)
    server.delay_ms = args.delay_ms
    server.tls = bool(args.tls_cert)
    if server.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        # Handshakes happen in the handler threads, so a client that fails one does not
        # block the others.
        server.socket = context.wrap_socket(server.socket, server_side=True,
                                            do_handshake_on_connect=False)
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()

    temporary = args.port_file + ".tmp"
    with open(temporary, "w") as f:
        f.write(f"{server.server_address[1]}\n")
    os.replace(temporary, args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The baked twins served by a real nginx with the configuration zwilling-bake writes.

    serve_test.py access --bake BAKE --town DIR --work DIR
    serve_test.py departments --bake BAKE --work DIR
    serve_test.py viewer-golden|viewer-wrong-password|viewer-no-ca --bake BAKE --town DIR
        --work DIR --zwilling ZWILLING

Makes a test CA and a server certificate for 127.0.0.1 (openssl CLI), htpasswd files
with random passwords (openssl passwd -apr1), writes the site with
`zwilling-bake --server-config`, and starts nginx on a free loopback port with its own
prefix, pid and logs under --work (workers run as the current user, so that the
files of the build folder are readable when the test runs as root). Every request
verifies the server's certificate against the test CA.

access: every credential against every file of the three twins (from disk): its own
files 200 with the exact bytes, other twins 401, other layers of the administration
403; wrong or no credentials 401; escapes, listings and other methods refused; content
types and gzip; TLS (1.3, or 1.2 with ECDHE and AEAD only) and HSTS.
departments: a bundle made here whose administration departments hold import layers
with ids that meet by name (a prefix of another, a department's name): every credential
against every file, expected from the manifest as docs/serving.md states it; TLS and HSTS;
and `--server-config` refusing reserved and hostile layer ids with a message.
viewer-*: `zwilling --twin https://127.0.0.1:PORT/citizen/` renders town.above's view to
WORK/above.png (golden; server.viewer_golden in tests/golden_cases.json compares it with
that golden, through tests/tools/golden_run.py), and reports 401 (wrong password) and
--ca-file (no CA) on stderr.

Exit codes: 0 passed, 1 failed, 77 skipped (nginx or openssl is not installed).
"""

import argparse
import atexit
import base64
import ctypes
import gzip
import http.client
import itertools
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
import warnings

TWINS = ("citizen", "council", "administration")
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        if len(failures) <= 40:
            print("FAIL: " + message, flush=True)
    return condition


def find_tool(name):
    # /usr/sbin is not on the PATH of ordinary users on Debian.
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


def run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"FAIL: {' '.join(args)} exited with {result.returncode}:\n{result.stdout}{result.stderr}")
    return result.stdout


def make_certificates(openssl, tls):
    os.makedirs(tls)
    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    with open(f"{tls}/san.ext", "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    run([openssl, "req", "-x509", *key, "-keyout", f"{tls}/ca.key", "-out", f"{tls}/ca.pem", "-days", "2",
         "-subj", "/CN=Zwilling test CA"])
    run([openssl, "req", *key, "-keyout", f"{tls}/server.key", "-out", f"{tls}/server.csr",
         "-subj", "/CN=127.0.0.1"])
    run([openssl, "x509", "-req", "-in", f"{tls}/server.csr", "-CA", f"{tls}/ca.pem", "-CAkey", f"{tls}/ca.key",
         "-CAcreateserial", "-days", "2", "-extfile", f"{tls}/san.ext", "-out", f"{tls}/server.pem"])


# User name -> (htpasswd file, password). Passwords are made per run, never stored.
def make_users(openssl, folder, users=None):
    users = users or {
        "citizen": "citizen",
        "council": "council",
        "bauamt": "administration",
        "bauhof": "administration",
        "ordnungsamt": "administration",
        "bauhof.mueller": "administration",  # a person of a department
        "hausmeister": "administration",  # in the file, but no department: nothing
    }
    os.makedirs(folder)
    accounts = {}
    lines = {twin: [] for twin in TWINS}
    for user, twin in users.items():
        # Letters and digits only: a password starting with "-" reads as an option to openssl.
        password = secrets.token_hex(12)
        digest = run([openssl, "passwd", "-apr1", password]).strip()
        lines[twin].append(f"{user}:{digest}\n")
        accounts[user] = password
    for twin, entries in lines.items():
        with open(f"{folder}/{twin}", "w") as f:
            f.writelines(entries)
    return accounts


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent():
    # nginx (daemon off) is our child: it goes when this script goes, even when killed.
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class Nginx:
    def __init__(self, nginx, bake, town, work, tls, users):
        self.process = None
        for attempt in range(5):
            self.port = free_port()
            run([bake, "--server-config", town, "--server-out", f"{work}/site", "--server-root", town,
                 "--server-name", "localhost", "--server-address", "127.0.0.1",
                 "--server-port", str(self.port), "--server-cert", f"{tls}/server.pem",
                 "--server-key", f"{tls}/server.key", "--server-users", users])
            for d in ("logs", "tmp"):
                os.makedirs(f"{work}/{d}", exist_ok=True)
            user = ""
            if os.geteuid() == 0:
                # As root nginx's workers would run as nobody, who may not read the build folder.
                user = "user root root;\n"
            with open(f"{work}/nginx.conf", "w") as f:
                f.write(f"""{user}worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/logs/error.log info;
events {{ worker_connections 64; }}
http {{
    access_log {work}/logs/access.log;
    client_body_temp_path {work}/tmp/body;
    proxy_temp_path {work}/tmp/proxy;
    fastcgi_temp_path {work}/tmp/fastcgi;
    uwsgi_temp_path {work}/tmp/uwsgi;
    scgi_temp_path {work}/tmp/scgi;
    include {work}/site/zwilling.conf;
}}
""")
            log = open(f"{work}/logs/nginx.out", "w")
            self.process = subprocess.Popen([nginx, "-p", f"{work}/", "-c", f"{work}/nginx.conf",
                                             "-e", f"{work}/logs/error.log"],
                                            stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
            atexit.register(self.stop)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and self.process.poll() is None:
                # nginx writes its pid file once it holds its port; until then (it retries
                # a busy port for a few seconds) whatever answers there is someone else.
                try:
                    with open(f"{work}/nginx.pid") as f:
                        started = int(f.read().strip() or 0) == self.process.pid
                    if started:
                        socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                        print(f"nginx serves {town} at https://127.0.0.1:{self.port}/ (work folder {work})")
                        return
                except (OSError, ValueError):
                    pass
                time.sleep(0.05)
            self.stop()
            with open(f"{work}/logs/error.log") as f:
                errors = f.read()
            if "Address already in use" not in errors:
                sys.exit(f"FAIL: nginx did not start; {work}/logs/error.log says:\n{errors}")
        sys.exit("FAIL: nginx found no free port in 5 tries")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful; the workers go with it
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Client:
    """Keep-alive HTTPS to the test server, the certificate verified against the test CA."""

    def __init__(self, port, ca):
        self.port = port
        self.context = ssl.create_default_context(cafile=ca)
        self.connection = None

    def request(self, path, user=None, password=None, method="GET", headers=None):
        headers = dict(headers or {})
        if user is not None:
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        for attempt in range(3):
            if self.connection is None:
                self.connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context,
                                                              timeout=30)
            try:
                self.connection.request(method, path, headers=headers)
                response = self.connection.getresponse()
                body = response.read()
                if response.will_close:
                    self.connection.close()
                    self.connection = None
                return response.status, response, body
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                # nginx closes a kept-alive connection after keepalive_requests: reconnect.
                self.connection.close()
                self.connection = None
        raise RuntimeError(f"no answer for {path}")


def files_of(town, twin):
    """URL paths of every file of a twin, and the files they name."""
    out = []
    for folder, _, names in os.walk(f"{town}/{twin}"):
        for name in names:
            full = f"{folder}/{name}"
            relative = os.path.relpath(full, town).replace(os.sep, "/")
            out.append(("/" + urllib.parse.quote(relative), full))
    return sorted(out)


def layer_folder(layer):
    return layer.get("tileset", layer["id"] + "/").split("/")[0]


def test_access(args, town, port, accounts, ca):
    client = Client(port, ca)
    files = {twin: files_of(town, twin) for twin in TWINS}
    for twin in TWINS:
        check(len(files[twin]) > 10, f"{twin}/ holds only {len(files[twin])} files: is the town baked?")
    with open(f"{town}/administration/twin.json") as f:
        admin = json.load(f)
    folders = {layer["id"]: layer_folder(layer) for layer in admin["layers"]}
    departments = {d["id"]: {folders[layer] for layer in d["layers"]} for d in admin["departments"]}
    # The bake's policy as docs/twin-bundle.md states it, so that the test does not just
    # mirror what the bake wrote.
    check(set(departments) == {"bauamt", "bauhof", "ordnungsamt"}, f"departments: {sorted(departments)}")
    check("planning" in departments["bauamt"] and "utilities" not in departments["bauamt"],
          f"bauamt's layers: {sorted(departments['bauamt'])}")
    for d in ("bauhof", "ordnungsamt"):
        check("utilities" in departments[d] and "planning" not in departments[d],
              f"{d}'s layers: {sorted(departments[d])}")
    # The flood scenarios are for every department (docs/serving.md).
    scenario_folders = {s["uri"].split("/")[0] for s in admin.get("scenarios", [])}
    check(scenario_folders in (set(), {"scenarios"}), f"scenario folders: {scenario_folders}")
    # The tours, surface grid and addresses (docs/tours.md) are for every department too.
    if "views" in admin:
        scenario_folders.add("views")
    for d in departments:
        departments[d] |= scenario_folders

    def expect_all(user, password, twin, expected, what):
        """Every file of `twin` with these credentials; expected: 'own', a status, or a function."""
        counts = {}
        for path, full in files[twin]:
            want = expected(path) if callable(expected) else expected
            status, response, body = client.request(path, user, password,
                                                    method="GET" if want == "own" else "HEAD")
            if want == "own":
                with open(full, "rb") as f:
                    ok = status == 200 and body == f.read()
                check(ok, f"{what}: {path} gave {status}, expected 200 with the file's bytes")
                want = 200
            else:
                check(status == want, f"{what}: {path} gave {status}, expected {want}")
            counts[want] = counts.get(want, 0) + 1
        summary = ", ".join(f"{n} x {code}" for code, n in sorted(counts.items()))
        print(f"  {what}: {twin}/ ({len(files[twin])} files): {summary}")

    def admin_rule(department):
        def expected(path):
            below = urllib.parse.unquote(path)[len("/administration/"):]
            if department is None:
                return 403
            if below == "twin.json":
                return "own"
            return "own" if "/" in below and below.split("/")[0] in departments[department] else 403
        return expected

    for user in ("citizen", "council"):
        print(f"{user}:")
        for twin in TWINS:
            expect_all(user, accounts[user], twin, "own" if twin == user else 401, user)
    for user in ("bauamt", "bauhof", "ordnungsamt", "bauhof.mueller", "hausmeister"):
        department = user.split(".")[0] if user != "hausmeister" else None
        print(f"{user} (layers: {', '.join(sorted(departments.get(department, []))) or 'none'}):")
        for twin in TWINS:
            expect_all(user, accounts[user], twin, admin_rule(department) if twin == "administration" else 401,
                       user)
    print("wrong passwords, unknown users, no credentials:")
    for user, twin in (("citizen", "citizen"), ("council", "council"), ("bauhof", "administration")):
        expect_all(user, accounts[user] + "x", twin, 401, f"{user} with a wrong password")
    expect_all("citizen", accounts["council"], "council", 401, "citizen user with council's password")
    expect_all("nobody", "nothing", "citizen", 401, "unknown user")
    for twin in TWINS:
        expect_all(None, None, twin, 401, "no credentials")

    # A 401 asks for Basic credentials; files that do not exist, and folders, are 404 to
    # those who may read there and 403 to those who may not.
    status, response, _ = client.request("/citizen/twin.json")
    check(status == 401 and response.getheader("WWW-Authenticate", "").startswith("Basic "),
          f"no credentials: {status}, WWW-Authenticate: {response.getheader('WWW-Authenticate')}")
    c, b, a = accounts["citizen"], accounts["bauhof"], accounts["bauamt"]
    cases = [
        ("/citizen/buildings/no-such-tile.glb", "citizen", c, {404}),
        ("/citizen/", "citizen", c, {404}),
        ("/citizen/buildings/", "citizen", c, {404}),
        ("/citizen", "citizen", c, {404}),
        ("/administration/utilities/no-such-tile.glb", "bauhof", b, {404}),
        ("/administration/utilities/", "bauhof", b, {404}),
        ("/administration/", "bauhof", b, {403}),
        ("/administration/utilities/no-such-tile.glb", "bauamt", a, {403}),
        # Nothing but the twins: not the bake's report, marker or server folder.
        ("/", "citizen", c, {404}),
        ("/bake-report.json", "citizen", c, {404}),
        ("/.zwilling-bake", "citizen", c, {404}),
        ("/server/zwilling.conf", "citizen", c, {404}),
        # Escapes: nginx resolves dot segments (also encoded) before choosing the location,
        # so these are requests for another twin (401) or a refused layer (403) ...
        ("/citizen/../council/twin.json", "citizen", c, {401}),
        ("/citizen/%2e%2e/council/twin.json", "citizen", c, {401}),
        ("/citizen/%2E%2E%2Fcouncil%2Ftwin.json", "citizen", c, {401}),
        ("/citizen/..%2fcouncil/twin.json", "citizen", c, {401}),
        ("/citizen/buildings/..%2F..%2Fadministration/twin.json", "citizen", c, {401}),
        ("/administration/planning/../utilities/tileset.json", "bauamt", a, {403}),
        ("/administration/planning/%2e%2e/utilities/tileset.json", "bauamt", a, {403}),
        ("/administration/planning/..%2Futilities/tileset.json", "bauamt", a, {403}),
        ("/administration/planning%2F..%2Futilities/tileset.json", "bauamt", a, {403}),
        ("/administration//utilities/tileset.json", "bauamt", a, {403}),
        ("/administration/./utilities/tileset.json", "bauamt", a, {403}),
        ("/administration/Utilities/tileset.json", "bauamt", a, {403}),
        # ... or above the root (400 Bad Request).
        ("/../bake-report.json", "citizen", c, {400}),
        ("/citizen/../../etc/passwd", "citizen", c, {400}),
        ("/citizen/%2e%2e/%2e%2e/etc/passwd", "citizen", c, {400}),
        ("/citizen/..%2f..%2fetc%2fpasswd", "citizen", c, {400}),
        ("/citizen/twin.json%00.glb", "citizen", c, {400}),
    ]
    for path, user, password, allowed in cases:
        status, _, body = client.request(path, user, password)
        check(status in allowed, f"{user}: {path} gave {status}, expected {sorted(allowed)}")
        check(b"root:" not in body, f"{path}: the body looks like /etc/passwd")
    print(f"  {len(cases)} missing files, folders, paths outside the twins and escape attempts: refused")

    for method in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH"):
        status, _, _ = client.request("/citizen/twin.json", "citizen", c, method=method)
        check(status == 405, f"{method} /citizen/twin.json gave {status}, expected 405")
    print("  POST, PUT, DELETE, OPTIONS, PATCH: 405")

    # Content types; JSON gzip-compressed for clients that accept it, glb as it is.
    glb = next(p for p, _ in files["citizen"] if p.endswith(".glb"))
    status, response, body = client.request("/citizen/twin.json", "citizen", c, headers={"Accept-Encoding": "gzip"})
    with open(f"{town}/citizen/twin.json", "rb") as f:
        manifest = f.read()
    check(status == 200 and response.getheader("Content-Type", "").startswith("application/json"),
          f"twin.json: {status} {response.getheader('Content-Type')}")
    check(response.getheader("Content-Encoding") == "gzip" and gzip.decompress(body) == manifest,
          f"twin.json with Accept-Encoding: gzip came as {response.getheader('Content-Encoding')}")
    status, response, body = client.request(glb, "citizen", c, headers={"Accept-Encoding": "gzip"})
    check(status == 200 and response.getheader("Content-Type") == "model/gltf-binary",
          f"{glb}: {status} {response.getheader('Content-Type')}")
    check(response.getheader("Content-Encoding") is None, f"{glb} came {response.getheader('Content-Encoding')}")
    print("  content types application/json (gzip) and model/gltf-binary")

    # curl as a client: HTTP/2 with the CA; without it the certificate is not trusted.
    curl = shutil.which("curl")
    if curl:
        url = f"https://127.0.0.1:{port}/citizen/twin.json"
        r = subprocess.run([curl, "-sS", "-o", "/dev/null", "-w", "%{http_code} %{http_version}", "--cacert", ca,
                            "-u", f"citizen:{c}", url], capture_output=True, text=True)
        check(r.returncode == 0 and r.stdout == "200 2", f"curl with the CA: {r.stdout} {r.stderr}")
        r = subprocess.run([curl, "-sS", "-o", "/dev/null", "-u", f"citizen:{c}", url], capture_output=True,
                           text=True)
        check(r.returncode == 60, f"curl without the CA exited with {r.returncode}, expected 60: {r.stderr}")
        print("  curl: 200 over HTTP/2 with the test CA; certificate refused without it")

    test_tls(port, ca, "/citizen/twin.json", "citizen", c)


def test_tls(port, ca, path, user, password):
    """TLS 1.3, or 1.2 with ECDHE key exchange and an AEAD cipher; HSTS on every answer."""
    def handshake(minimum, maximum, ciphers=None):
        context = ssl.create_default_context(cafile=ca)
        # The client offers what the server must refuse (Debian's default would not).
        context.set_ciphers((ciphers or "ALL") + ":@SECLEVEL=0")
        context.minimum_version, context.maximum_version = minimum, maximum
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                    return tls.version(), tls.cipher()[0]
        except (ssl.SSLError, ConnectionError) as e:
            return None, str(e)

    v = ssl.TLSVersion
    warnings.simplefilter("ignore", DeprecationWarning)  # TLSv1 and TLSv1_1: offered on purpose
    version, detail = handshake(v.TLSv1, v.TLSv1_1)
    check(version is None, f"TLS 1.0/1.1 accepted: {version} {detail}")
    version, detail = handshake(v.TLSv1_3, v.TLSv1_3)
    check(version == "TLSv1.3", f"TLS 1.3 refused: {detail}")
    version, detail = handshake(v.TLSv1_2, v.TLSv1_2, "ECDHE-ECDSA-AES128-GCM-SHA256")
    check(version == "TLSv1.2" and detail == "ECDHE-ECDSA-AES128-GCM-SHA256",
          f"TLS 1.2 with ECDHE-ECDSA-AES128-GCM-SHA256: {version} {detail}")
    for suite in ("ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA"):
        version, detail = handshake(v.TLSv1_2, v.TLSv1_2, suite)
        check(version is None, f"TLS 1.2 with the CBC-SHA1 suite {suite} accepted")
    # Every TLS 1.2 suite this OpenSSL knows, one at a time: only ECDHE with AEAD gets through.
    probe = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    probe.set_ciphers("ALL:@SECLEVEL=0")
    suites = sorted({c["name"] for c in probe.get_ciphers() if c["protocol"] != "TLSv1.3"})
    accepted = [s for s in suites if handshake(v.TLSv1_2, v.TLSv1_2, s)[0] == "TLSv1.2"]
    weak = [s for s in accepted if not (s.startswith("ECDHE-") and ("-GCM-" in s or "CHACHA20-POLY1305" in s))]
    check(accepted and not weak, f"TLS 1.2 suites accepted: {accepted}; not ECDHE with GCM or ChaCha20-Poly1305: "
          f"{weak}")
    client = Client(port, ca)
    for who in ((user, password), (None, None), (user, password + "x")):
        for p in (path, "/no-such-file"):
            status, response, _ = client.request(p, *who)
            hsts = response.getheader("Strict-Transport-Security", "")
            check(hsts.startswith("max-age=") and int(hsts.split("=")[1].split(";")[0]) >= 31536000,
                  f"{p} ({status}): Strict-Transport-Security is '{hsts}'")
    print(f"  TLS 1.0/1.1 and CBC-SHA1 suites refused; TLS 1.3 and 1.2 with {', '.join(accepted)}; HSTS on 200, "
          f"401 and 404")


def test_viewer(args, port, accounts, ca):
    work = args.work
    credentials = f"{work}/credentials"
    password = accounts["citizen"] if args.mode != "viewer-wrong-password" else "wrong-" + accounts["citizen"]
    fd = os.open(credentials, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(f"citizen:{password}\n")
    os.chmod(credentials, 0o600)
    shot = f"{work}/above.png"
    command = [args.zwilling, "--headless", "--validation", "--twin", f"https://127.0.0.1:{port}/citizen/",
               "--credentials", credentials, "--size", "960x540", "--wait-full-detail", "--wait-timeout", "240",
               "--camera", "0,-700,1100,0,150,0", "--screenshot", shot]
    if args.mode != "viewer-no-ca":
        command[command.index("--size"):command.index("--size")] = ["--ca-file", ca]
    if args.mode == "viewer-golden":
        command.insert(command.index("--screenshot"), "--no-ui")  # as the town.above case renders
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True, timeout=280)
    print(result.stdout + result.stderr)
    print(f"exit code {result.returncode}")
    if args.mode == "viewer-golden":
        check(result.returncode == 0 and os.path.getsize(shot) > 0 if os.path.exists(shot) else False,
              f"the viewer exited with {result.returncode} and wrote {'a' if os.path.exists(shot) else 'no'} "
              f"screenshot")
        check("validation:" not in result.stdout + result.stderr, "Vulkan validation messages")
    elif args.mode == "viewer-wrong-password":
        check(result.returncode != 0, "the viewer exited with 0 with a wrong password")
        check("401" in result.stderr, "stderr does not mention 401")
    else:
        check(result.returncode != 0, "the viewer exited with 0 without the test CA")
        check("--ca-file" in result.stderr, "stderr does not mention --ca-file")


# The administration twin of the departments test: import layers per department whose ids
# meet by name ("road" and "roads", "bauhof" a layer of the Bauamt), and the scenarios.
DEPARTMENTS = {"bauamt": ["terrain", "roads", "bauhof"], "bauhof": ["terrain", "road", "utilities", "x_1"],
               "ordnungsamt": ["terrain", "a-b"]}
LAYERS = ["terrain", "road", "roads", "bauhof", "a-b", "x_1", "utilities"]
HOSTILE_IDS = ["scenarios", "views", "server", "twin.json", "..", ".", "a/b", "a b", "Roads", "m\u00fcll", "a.*", "a|b",
               "citizen"]


def write_bundle(town, extra_layer=None):
    def put(path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    layers = LAYERS + ([extra_layer] if extra_layer is not None else [])
    departments = [{"id": d, "layers": ls + ([extra_layer] if extra_layer is not None and d == "bauamt" else [])}
                   for d, ls in DEPARTMENTS.items()]
    admin = {"twin": {"id": "administration"}, "layers": [{"id": l, "tileset": f"{l}/tileset.json"} for l in layers],
             "departments": departments,
             "scenarios": [{"id": "hq100-baseline", "uri": "scenarios/hq100/hq100-baseline.json",
                            "results": "scenarios/hq100/hq100-baseline/"}]}
    put(f"{town}/administration/twin.json", json.dumps(admin, indent=1))
    if extra_layer is not None:
        return
    for layer in LAYERS:
        for name in ("tileset.json", "L0_0_0.glb"):
            put(f"{town}/administration/{layer}/{name}", f"{layer}/{name}")
    for name in ("hq100-baseline.json", "terrain.asc", "hq100-baseline/summary.json"):
        put(f"{town}/administration/scenarios/hq100/{name}", name)
    put(f"{town}/administration/stray/L0_0_0.glb", "not in the manifest")
    for twin in ("citizen", "council"):
        put(f"{town}/{twin}/twin.json", json.dumps({"twin": {"id": twin}, "layers": [
            {"id": "buildings", "tileset": "buildings/tileset.json"}]}))
        put(f"{town}/{twin}/buildings/tileset.json", twin)
    put(f"{town}/bake-report.json", "{}")


def test_departments(args, nginx, openssl, work):
    # Reserved and hostile ids: --server-config refuses them, naming the field.
    for n, layer_id in enumerate(HOSTILE_IDS):
        folder = f"{work}/hostile/{n}"
        write_bundle(folder, layer_id)
        result = subprocess.run([args.bake, "--server-config", folder, "--server-out", f"{folder}/server"],
                                capture_output=True, text=True)
        check(result.returncode == 1 and "layers[7].id" in result.stderr and "bake again" in result.stderr
              and not os.path.exists(f"{folder}/server/zwilling.conf"),
              f"layer id {layer_id!r}: --server-config exited with {result.returncode}: {result.stderr.strip()}")
    print(f"  --server-config refuses the layer ids {', '.join(map(repr, HOSTILE_IDS))}")

    town = f"{work}/town"
    write_bundle(town)
    users = {"citizen": "citizen", "council": "council", "bauamt": "administration", "bauhof": "administration",
             "ordnungsamt": "administration", "bauhof.mueller": "administration", "hausmeister": "administration",
             "bauhof.a.b": "administration", "bauhofx": "administration", "roads": "administration",
             "scenarios": "administration"}
    accounts = make_users(openssl, f"{work}/users", users)
    server = Nginx(nginx, args.bake, town, work, f"{work}/tls", f"{work}/users")
    ca = f"{work}/tls/ca.pem"
    client = Client(server.port, ca)
    files = sorted(os.path.relpath(os.path.join(folder, name), town).replace(os.sep, "/")
                   for folder, _, names in os.walk(town) for name in names)

    # The policy of docs/serving.md, from the manifest: a user of a department reads
    # twin.json, the folders of its layers and the scenarios' folders; nothing else.
    def expected(user, relative):
        twin, _, below = relative.partition("/")
        if twin not in TWINS or not below:
            return 404
        if users[user] != twin:
            return 401
        if twin != "administration":
            return 200
        department, _, person = user.partition(".")
        if department not in DEPARTMENTS or (person and not all(c.isalnum() or c in "_-" for c in person)) \
                or (user.count(".") and not person):
            return 403
        if below == "twin.json" or below.startswith("scenarios/hq100/"):
            return 200
        return 200 if "/" in below and below.split("/")[0] in DEPARTMENTS[department] else 403

    counts = {}
    for user, relative in itertools.product(sorted(users), files):
        status, _, body = client.request("/" + urllib.parse.quote(relative), user, accounts[user])
        want = expected(user, relative)
        if want == 200:
            with open(f"{town}/{relative}", "rb") as f:
                check(status == 200 and body == f.read(), f"{user}: {relative} gave {status}, expected 200")
        else:
            check(status == want, f"{user}: {relative} gave {status}, expected {want}")
        counts[(user, status)] = counts.get((user, status), 0) + 1
    for user in sorted(users):
        got = ", ".join(f"{n} x {status}" for (u, status), n in sorted(counts.items()) if u == user)
        print(f"  {user}: {got}")
    print(f"  {len(users)} users x {len(files)} files as the manifest grants")
    test_tls(server.port, ca, "/administration/twin.json", "bauhof", accounts["bauhof"])
    server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["access", "departments", "viewer-golden", "viewer-wrong-password",
                                         "viewer-no-ca"])
    parser.add_argument("--bake", required=True)
    parser.add_argument("--town")
    parser.add_argument("--work", required=True)
    parser.add_argument("--zwilling")
    args = parser.parse_args()
    nginx, openssl = find_tool("nginx"), find_tool("openssl")
    if not nginx or not openssl:
        missing = " and ".join(n for n, p in (("nginx", nginx), ("openssl", openssl)) if not p)
        print(f"skipped: {missing} not installed (scripts/dev installs them)")
        return 77
    for variable in ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        os.environ.pop(variable, None)  # the viewer and curl talk to 127.0.0.1 directly
    args.work = work = os.path.realpath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    make_certificates(openssl, f"{work}/tls")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # ctest's timeout: stop nginx on the way out
    if args.mode == "departments":
        test_departments(args, nginx, openssl, work)
        if failures:
            print(f"FAILED: {len(failures)} checks (the first 40 are listed above); nginx's log: {work}/logs/")
            return 1
        print("passed")
        return 0
    if not args.town:
        parser.error(f"{args.mode} needs --town")
    town = os.path.realpath(args.town)
    accounts = make_users(openssl, f"{work}/users")
    server = Nginx(nginx, args.bake, town, work, f"{work}/tls", f"{work}/users")
    ca = f"{work}/tls/ca.pem"
    if args.mode == "access":
        test_access(args, town, server.port, accounts, ca)
    else:
        test_viewer(args, server.port, accounts, ca)
    server.stop()
    if failures:
        print(f"FAILED: {len(failures)} checks (the first 40 are listed above); nginx's log: {work}/logs/")
        return 1
    print("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

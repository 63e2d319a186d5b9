"""A real IMAP server for tests: Dovecot on 127.0.0.1, from a temporary config.

The fixture makes a self-signed certificate (``cryptography``), a passwd-file user, a Maildir, and
starts ``dovecot -F`` with its own base_dir, so nothing on the machine is touched. Tests skip with a
reason when Dovecot is not installed (``.ci/run`` installs Debian's ``dovecot-imapd``).

Maildir layout follows the Maildir++ convention Dovecot reads: ``Maildir/cur`` is INBOX and
``Maildir/.Newsletters/{cur,new,tmp}`` is the folder "Newsletters"; message files are named
``<time>.<unique>.<host>:2,`` (the ``:2,`` info suffix with no flags means unread).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
USER = "reader"
PASSWORD = "correct horse"
FOLDER = "Newsletters"


def newsletter(n: int, *, publication: str = "Orchard Notes", body: str = "") -> bytes:
    """One list newsletter as a mail client stores it (RFC 5322 headers with List-Id and List-Unsubscribe)."""
    text = body or f"Issue {n} of the orchard letter. Pruning apples in season {n}."
    return (
        f"From: {publication} <letters@orchard.example>\r\n"
        f"To: reader@example.org\r\n"
        f"Subject: {publication} #{n}: Season {n}\r\n"
        f"Date: Mon, 02 Jan 2023 10:{n % 60:02d}:00 +0000\r\n"
        f"Message-ID: <issue-{n}@orchard.example>\r\n"
        f"List-Id: {publication} <orchard.example>\r\n"
        f"List-Unsubscribe: <https://orchard.example/unsubscribe>\r\n"
        f"MIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{text}\r\n"
    ).encode()


@dataclass
class Dovecot:
    """A running Dovecot: ``port`` speaks IMAP over TLS (imaps), ``plain_port`` plain IMAP + STARTTLS."""

    root: Path
    port: int = 0
    plain_port: int = 0
    process: subprocess.Popen[bytes] | None = None
    _serial: int = field(default=0)

    @property
    def folder(self) -> Path:
        return self.root / "home" / USER / "Maildir" / f".{FOLDER}"

    @property
    def cert(self) -> Path:
        return self.root / "cert.pem"

    def url(self, scheme: str = "imaps", user: str = USER) -> str:
        port = self.port if scheme == "imaps" else self.plain_port
        return f"{scheme}://{user}@127.0.0.1:{port}/{FOLDER}"

    def add(self, data: bytes) -> None:
        """Deliver one message into the folder (Maildir ``new/``, written in ``tmp/`` then renamed)."""
        self._serial += 1
        name = f"{int(time.time())}.M{self._serial}P{os.getpid()}.test"
        tmp = self.folder / "tmp" / name
        tmp.write_bytes(data)
        os.chown(tmp, *self._owner())
        tmp.rename(self.folder / "new" / name)

    def add_many(self, messages: Iterator[bytes] | list[bytes]) -> None:
        """Many messages straight into ``cur/`` (read by Dovecot on the next SELECT)."""
        uid, gid = self._owner()
        for data in messages:
            self._serial += 1
            path = self.folder / "cur" / f"{int(time.time())}.M{self._serial}P{os.getpid()}.test:2,"
            path.write_bytes(data)
            os.chown(path, uid, gid)

    def change_uidvalidity(self) -> None:
        """Stop, make Dovecot forget the folder's UIDs (new UIDVALIDITY, renumbered), start again."""
        self.stop()
        for item in self.folder.iterdir():
            if item.name.startswith("dovecot"):
                item.unlink()
        self.start()

    def start(self) -> None:
        """Start Dovecot in the foreground and wait until both ports answer."""
        assert DOVECOT is not None
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        for port in (self.port, self.plain_port):
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        err = self.process.stderr.read().decode() if self.process.stderr else ""
                        log = (self.root / "dovecot.log").read_text() if (self.root / "dovecot.log").exists() else ""
                        pytest.fail(f"Dovecot did not start: {err}\n{log}")
                    time.sleep(0.05)

    def stop(self) -> None:
        """Stop Dovecot (its children go with it)."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None

    def crash(self) -> None:
        """The server gone at once: every Dovecot process (master, login, imap) killed, no goodbye."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.stop()

    def _owner(self) -> tuple[int, int]:
        if os.getuid() == 0:
            entry = pwd.getpwnam("dovecot")
            return entry.pw_uid, entry.pw_gid
        return os.getuid(), os.getgid()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_certificate(cert: Path, key: Path, name: str = "127.0.0.1") -> None:
    """A self-signed certificate for ``name`` (an IP address SAN) and its key, as PEM files."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject).public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(name))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )  # fmt: skip
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key.chmod(0o600)


_CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {plain_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
service stats {{
  chroot =
}}
"""


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    """A Dovecot serving user ``reader`` (password PASSWORD) with an empty folder ``Newsletters``."""
    if DOVECOT is None:
        pytest.skip("Dovecot is not installed (Debian: apt-get install dovecot-imapd); .ci/run installs it")
    # Not under pytest's tmp_path: as root that is 0700, and Dovecot's own users must reach the files.
    root = Path(tempfile.mkdtemp(prefix="backissue-dovecot-"))
    root.chmod(0o755)
    try:
        yield from _serve(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _serve(root: Path) -> Iterator[Dovecot]:
    server = Dovecot(root, _free_port(), _free_port())
    make_certificate(root / "cert.pem", root / "key.pem")
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    is_root = os.getuid() == 0
    uid, gid = server._owner()
    for sub in ("cur", "new", "tmp"):
        (root / "home" / USER / "Maildir" / sub).mkdir(parents=True, exist_ok=True)
        (server.folder / sub).mkdir(parents=True, exist_ok=True)
    (root / "home" / USER / "Maildir" / "subscriptions").write_text(f"{FOLDER}\n")
    for path in [root / "home", *(root / "home").rglob("*")]:
        os.chown(path, uid, gid)
    me = pwd.getpwuid(os.getuid()).pw_name
    (root / "dovecot.conf").write_text(
        _CONFIG.format(
            root=root, port=server.port, plain_port=server.plain_port, uid=uid, gid=gid,
            login_user="dovenull" if is_root else me, internal_user="dovecot" if is_root else me,
        )
    )  # fmt: skip
    server.start()
    try:
        yield server
    finally:
        server.stop()

"""One window per library: a lock file says who has it, a local socket passes files to that window."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from reader.core.errors import ReaderError

LOCK_NAME = "gui.lock"
CONNECT_MS = 2000
ALREADY_OPEN = "This library is already open in another Back Issue window."


class LibraryAlreadyOpenError(ReaderError):
    """Another Back Issue window has this library open (it is its only writer)."""


def server_name(data_dir: Path) -> str:
    """The local socket name of a library's window: derived from its folder, short and portable."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:20]
    return f"backissue-{digest}"


class InstanceGuard(QObject):
    """Holds a library's window lock and listens for files sent by later starts.

    Args:
        data_dir: the library's folder.

    Raises:
        LibraryAlreadyOpenError: another window holds the lock.

    Signals:
        files_received(list): another start asked this window to import these paths (maybe none).
    """

    files_received = Signal(list)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = QLockFile(str(data_dir / LOCK_NAME))
        self._lock.setStaleLockTime(0)  # a live owner keeps it however long it runs; a dead one loses it
        if not self._lock.tryLock(0):
            raise LibraryAlreadyOpenError(ALREADY_OPEN)
        self._server = QLocalServer(self)
        self._name = server_name(data_dir)
        QLocalServer.removeServer(self._name)  # left behind by a crash
        self._server.listen(self._name)
        self._server.newConnection.connect(self._accept)

    def release(self) -> None:
        """Stop listening and give the lock up (the window is closing)."""
        self._server.close()
        self._lock.unlock()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data())
        try:
            paths = [str(p) for p in json.loads(line)]
        except (ValueError, TypeError):
            paths = []
        socket.write(QByteArray(b"ok\n"))
        socket.flush()
        self.files_received.emit(paths)


def send_to_running(data_dir: Path, paths: list[str], timeout_ms: int = CONNECT_MS) -> bool:
    """Hand ``paths`` to the window that has ``data_dir`` open; True when it acknowledged them."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(QByteArray(json.dumps(paths).encode("utf-8") + b"\n"))
    socket.flush()
    acknowledged = socket.waitForReadyRead(timeout_ms) and bytes(socket.readLine().data()).strip() == b"ok"
    socket.disconnectFromServer()
    return acknowledged

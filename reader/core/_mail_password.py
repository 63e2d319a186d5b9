"""Mail passwords: in the system keyring (the ``keyring`` package), never in the library or settings.

When no keyring backend is available (a bare server, a desktop without Secret Service), a password
the person types is kept in this process's memory only, for the session, and the messages say why
it will be asked for again.
"""

from __future__ import annotations

import contextlib
import threading

SERVICE = "Back Issue (mail)"
"""The keyring service name every mail password is stored under (the account is ``user@host``)."""

_session: dict[str, str] = {}
_session_lock = threading.Lock()


def keyring_available() -> bool:
    """True when a real keyring backend is there (the ``fail`` and ``null`` backends do not count)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration: treat as none
        return False
    if isinstance(backend, fail.Keyring):
        return False
    return float(getattr(backend, "priority", 1)) > 0


def no_keyring_reason() -> str:
    """Why the password will be asked again, in words."""
    return (
        "no system keyring is available (such as GNOME Keyring, KWallet or the macOS Keychain), "
        "so Back Issue keeps the password in memory only and asks for it again each session"
    )


def find_password(account: str) -> str | None:
    """The password for ``account``: this session's, else the keyring's; None when neither has one."""
    with _session_lock:
        if account in _session:
            return _session[account]
    if not keyring_available():
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, account)
    except KeyringError:
        return None


def keep_password(account: str, password: str) -> bool:
    """Remember ``password``: in the keyring when there is one (True), else for this session (False)."""
    with _session_lock:
        _session[account] = password
    if not keyring_available():
        return False
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, account, password)
    except KeyringError:
        return False
    return True


def forget_password(account: str) -> None:
    """Forget the password for ``account`` (after the server refused it), in memory and in the keyring."""
    with _session_lock:
        _session.pop(account, None)
    if not keyring_available():
        return
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    with contextlib.suppress(PasswordDeleteError, KeyringError):
        keyring.delete_password(SERVICE, account)


def session_passwords() -> dict[str, str]:
    """The passwords typed this session (for a job in a child process, which has no memory of them)."""
    with _session_lock:
        return dict(_session)


def adopt_session_passwords(passwords: dict[str, str]) -> None:
    """Take passwords typed in the parent process (a job's child calls this)."""
    with _session_lock:
        _session.update(passwords)

"""Reading the environment, and the local files a developer's settings use.

Settings only read: a typo in a yes/no or number fails loudly, every secret may
come from NAME_FILE, and importing settings writes nothing. The `earlyhelp`
command (and the WSGI entry point) call `prepare_local_files` first, which
creates var/ and a developer's generated keys when they are needed.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def var_dir():
    """Where the embedded database, generated keys and uploads live by default."""
    return Path(os.environ.get("EARLYHELP_VAR_DIR", BASE_DIR / "var"))


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def envbool(name, default):
    """A yes/no setting. Anything but the accepted words fails loudly: a typo
    such as DEBUG=flase must not quietly leave debugging on."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} is set to {value!r}, which is not a yes/no value. "
        f"Use one of {', '.join(sorted(_TRUE))} or {', '.join(sorted(_FALSE))}."
    )


def envint(name, default):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} is set to {value!r}, which is not a whole number. Use digits only, "
            f"for example {name}={default}."
        ) from None


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def secret(name, default=None):
    """A secret from NAME, or from the file named by NAME_FILE (Docker and
    systemd credentials, Kubernetes secrets), so it need not sit in the
    environment. Setting both is refused: which one wins would be a guess."""
    value = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE")
    if value and file_name:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"{name}_FILE is set to {file_name}, which cannot be read: {error.strerror}"
            ) from None
    return value or default


def prepare_local_files():
    """Create what a developer's settings read from var/: the folder itself
    (for the embedded SQLite database and WhiteNoise's static folder) and,
    with DEBUG on, a private secret key and audit checkpoint key. Production,
    with DEBUG off and its own DATABASE_URL, gets nothing written."""
    debug = envbool("DEBUG", True)
    if not debug and secret("DATABASE_URL"):
        return
    folder = var_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if not debug:
        return
    (folder / "staticfiles").mkdir(exist_ok=True)
    for name, setting in (
        ("secret_key", "SECRET_KEY"),
        ("audit_checkpoint_key", "AUDIT_CHECKPOINT_KEY"),
        ("secrets_encryption_key", "SECRETS_ENCRYPTION_KEY"),
    ):
        key_file = folder / name
        if not secret(setting) and not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)

"""The operator key: 256 random bits in a file beside the working database (WORK.duckdb.key, mode 0600), created
on first use. A release cites a non-public source by an HMAC of its file hash under this key (issue 15), so no
digest in a release can confirm a guess of a withheld value, while the same key keeps the ids stable.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from data_pipeline.errors import UserError


def key_path(db_path: str | Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".key")


def operator_key(db_path: str | Path) -> bytes:
    """The key of the working database at db_path, written once (exclusive create) if there is none yet."""
    path = key_path(db_path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise UserError(f"cannot create the operator key {path}: {exc.strerror}") from None
    else:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read the operator key {path}: {exc}") from None
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise UserError(f"{path}: not an operator key (64 hex digits); restore it from a backup or delete it "
                        "(the release's source ids then change)")
    return bytes.fromhex(text)


def public_id(key: bytes, profile: str, sha256: str) -> str:
    """profile:HMAC-SHA256(key, file hash)[:12], in the shape of a working source id (profile:sha256[:12])."""
    return f"{profile}:{hmac.new(key, sha256.encode('ascii'), hashlib.sha256).hexdigest()[:12]}"

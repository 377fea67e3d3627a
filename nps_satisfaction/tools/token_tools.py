"""The public links' tokens and keyed hashes."""

import hmac
import re
import secrets

TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,128}")


def new_token():
    """An unguessable token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def is_token(text):
    """True when ``text`` has the shape of a token of this suite (URL-safe
    base64, at most 128 characters): anything else is not looked up at all
    (PostgreSQL refuses a NUL character in a query, for one)."""
    return isinstance(text, str) and bool(TOKEN_RE.fullmatch(text))


def keyed_hash(secret, value):
    """A short one-way digest of ``value`` keyed with ``secret``."""
    digest = hmac.new((secret or "").encode(), (value or "").encode(), "sha256")
    return digest.hexdigest()[:24]


def new_device_cookie(secret, now):
    """A device cookie of the counter link, issued by the server at ``now``
    (a Unix time): a random nonce, the time it was issued and their keyed
    hash, so that a client cannot make up its own."""
    nonce = secrets.token_urlsafe(16)
    issued = int(now)
    return f"{nonce}.{issued}.{keyed_hash(secret, f'device:{nonce}.{issued}')}"


def device_cookie_issued(secret, cookie):
    """The Unix time a device cookie was issued at, when the server issued
    it (its keyed hash checks out), else None."""
    if not isinstance(cookie, str) or len(cookie) > 128:
        return None
    parts = cookie.split(".")
    if len(parts) != 3 or not parts[1].isdigit() or len(parts[1]) > 12:
        return None
    nonce, issued, signature = parts
    expected = keyed_hash(secret, f"device:{nonce}.{issued}")
    if not hmac.compare_digest(signature.encode(), expected.encode()):
        return None
    return int(issued)

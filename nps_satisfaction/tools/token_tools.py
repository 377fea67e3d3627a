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

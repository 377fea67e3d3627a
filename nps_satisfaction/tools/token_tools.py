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


def new_device_cookie(secret, now, issuer=""):
    """A device cookie of the counter link, issued by the server at ``now``
    (a Unix time) to the client ``issuer`` (``device_tools.client_key``): a
    random nonce, the time it was issued, the client and their keyed hash,
    so that a client can neither make up its own nor change what it says."""
    body = f"{secrets.token_urlsafe(16)}.{int(now)}.{issuer}"
    return f"{body}.{keyed_hash(secret, f'device:{body}')}"


def device_cookie_claims(secret, cookie):
    """(Unix time it was issued at, client it was issued to) of a device
    cookie the server issued (its keyed hash checks out), else None."""
    if not isinstance(cookie, str) or len(cookie) > 160:
        return None
    parts = cookie.split(".")
    if len(parts) != 4 or not parts[1].isdigit() or len(parts[1]) > 12:
        return None
    body, signature = cookie.rpartition(".")[::2]
    expected = keyed_hash(secret, f"device:{body}")
    if not hmac.compare_digest(signature.encode(), expected.encode()):
        return None
    return int(parts[1]), parts[2]


def device_cookie_issued(secret, cookie):
    """The Unix time a device cookie was issued at, when the server issued
    it, else None."""
    claims = device_cookie_claims(secret, cookie)
    return claims[0] if claims else None

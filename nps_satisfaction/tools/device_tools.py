"""The counter link's devices, known by keyed hashes only."""

from collections import namedtuple
from datetime import datetime, timezone

from odoo.tools._vendor.useragents import UserAgent

from . import scanner_tools, token_tools

#: the device answering the counter link: the cookie to (re)set, the keyed
#: hashes of its network and of the device (``key``, prefixed with the
#: network's), and the client its cookie was issued to (``issuer``) at
#: ``issued`` (a naive UTC datetime): the cookies one client was issued
#: within a period are one device
Device = namedtuple("Device", ["cookie", "network", "key", "issuer", "issued"])


def browser_family(user_agent):
    """What of a user agent tells devices apart: its platform and its
    browser, without any version (a client changing a version number at
    each post stays one device). A string that names no known browser is
    one and the same unknown browser, so a client making up a new string
    for each post stays one device."""
    agent = UserAgent(user_agent or "")
    if not agent.browser:
        return "unknown"
    return f"{agent.platform} {agent.browser}"


def client_key(secret, address, user_agent):
    """The keyed hash of a client without a device cookie of its own: its
    network (``scanner_tools.network_prefix``) and browser family."""
    return token_tools.keyed_hash(
        secret,
        f"{scanner_tools.network_prefix(address)} {browser_family(user_agent)}",
    )


def _utc(timestamp):
    return datetime.fromtimestamp(int(timestamp), timezone.utc).replace(tzinfo=None)


def device_identity(secret, address, user_agent, cookie, period_minutes, now):
    """The :class:`Device` answering the counter link, keyed with ``secret``
    so that no address is stored in clear; ``now`` is a Unix time.

    The device is its cookie only when the server issued that cookie
    (signed) longer ago than the campaign's per-device period
    (``period_minutes``); a younger one, or none, or one the client made up,
    counts as the client (``client_key``: its network and browser family),
    and a new cookie is issued, naming that client, when it has none valid.
    Fresh cookies fetched before each post are then one device, not a new
    one every time (two phones with the same browser on the same network
    within the period count as one: the price of it). A cookie tells whom
    it was issued to and when: the cookies one client gathered within a
    period count as one device when they are used
    (``nps.campaign._nps_counter_check``)."""
    # the network by its prefix (/24, /64): one abuser is one network
    network = token_tools.keyed_hash(secret, scanner_tools.network_prefix(address))
    client = client_key(secret, address, user_agent)
    claims = token_tools.device_cookie_claims(secret, cookie)
    if claims is None or claims[0] > now + 60:
        cookie, claims = token_tools.new_device_cookie(secret, now, client), None
    if claims is None or now - claims[0] < max(period_minutes, 1) * 60:
        return Device(cookie, network, f"{network}:{client}", client, _utc(now))
    issued, issuer = claims
    return Device(
        cookie,
        network,
        f"{network}:{token_tools.keyed_hash(secret, cookie)}",
        issuer,
        _utc(issued),
    )

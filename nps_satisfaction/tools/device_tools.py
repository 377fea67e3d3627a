"""The counter link's devices, known by keyed hashes only."""

from odoo.tools._vendor.useragents import UserAgent

from . import scanner_tools, token_tools


def browser_family(user_agent):
    """What of a user agent tells devices apart: its platform, its browser
    and the browser's major version. A string that names no known browser
    is one and the same unknown browser, so a client making up a new string
    for each post stays one device."""
    agent = UserAgent(user_agent or "")
    if not agent.browser:
        return "unknown"
    major = (agent.version or "").split(".")[0]
    return f"{agent.platform} {agent.browser} {major}"


def device_identity(secret, address, user_agent, cookie, period_minutes, now):
    """(cookie value, network hash, device hash) of the device answering
    the counter link, keyed with ``secret`` so that no address is stored in
    clear; ``now`` is a Unix time.

    The device is its cookie only when the server issued that cookie
    (signed) longer ago than the campaign's per-device period
    (``period_minutes``); a younger one, or none, or one the client made up,
    counts as the device's address and browser (its family, see
    ``browser_family``), and a new cookie is issued
    when it has none valid. Fresh cookies fetched before each post are then
    one device, not a new one every time (two phones with the same browser
    on the same network within the period count as one: the price of it)."""
    # the network by its prefix (/24, /64): one abuser is one network
    network = token_tools.keyed_hash(secret, scanner_tools.network_prefix(address))
    browser = token_tools.keyed_hash(secret, f"{address} {browser_family(user_agent)}")
    issued = token_tools.device_cookie_issued(secret, cookie)
    if issued is None or issued > now + 60:
        cookie = token_tools.new_device_cookie(secret, now)
        return cookie, network, f"{network}:{browser}"
    if now - issued < max(period_minutes, 1) * 60:
        return cookie, network, f"{network}:{browser}"
    return cookie, network, f"{network}:{token_tools.keyed_hash(secret, cookie)}"

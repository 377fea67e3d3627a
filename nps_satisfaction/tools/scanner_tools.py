"""Mail security scanners: their signatures (user agents and networks)."""

import functools
import ipaddress

#: What marks a request as made by a mail security scanner or an automated
#: browser rather than by a person: user-agent substrings (case-insensitive)
#: and, on lines of their own, IP networks (CIDR). One entry a line; lines
#: starting with ``#`` are comments. An empty user agent is always suspect.
DEFAULT_SCANNER_SIGNATURES = """# automated and headless browsers
HeadlessChrome
PhantomJS
Puppeteer
Playwright
Selenium
# HTTP libraries and command-line clients
python-requests
python-urllib
aiohttp
curl/
Wget/
Go-http-client
Java/
okhttp
libwww-perl
# link-checking mail security products
Barracuda
Mimecast
Proofpoint
Symantec
Trend Micro
Forcepoint
Sophos
ZScaler
bot
crawler
spider
"""


@functools.lru_cache(maxsize=64)
def parse_signatures(text):
    """(user-agent substrings lower-cased, IP networks) of a signature list;
    a line that reads as an IP network (``10.0.0.0/8``, ``192.0.2.7``) is one,
    any other line is a user-agent substring. Cached by text: every answer
    page's post checks the same list."""
    agents, networks = [], []
    for line in (text or "").splitlines():
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            agents.append(entry.lower())
    return tuple(agents), tuple(networks)


def scanner_signature(user_agent, remote_addr, signatures):
    """The signature entry that marks this visitor as a scanner, or None.
    ``signatures`` is the text of a signature list."""
    if not (user_agent or "").strip():
        return "empty user agent"
    agents, networks = parse_signatures(signatures)
    lowered = user_agent.lower()
    for agent in agents:
        if agent in lowered:
            return agent
    try:
        address = ipaddress.ip_address((remote_addr or "").strip())
    except ValueError:
        return None
    for network in networks:
        if address.version == network.version and address in network:
            return str(network)
    return None


def network_prefix(address):
    """The network an address belongs to for the counter link's ceiling: its
    /24 (IPv4) or /64 (IPv6), as text; the text itself when it is no
    address. Every address of one IPv6 /64 is one network."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return address or ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))

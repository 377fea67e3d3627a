"""Shared pieces of the hostile-input tests (property-based, with
hypothesis) of the suite's public and portal pages: bounded settings,
strategies for tokens, scores, comments and bodies, and a digest of the
tables a page could write to, compared before and after each request.

Import from the other addons as
``odoo.addons.nps_satisfaction.tests.hostile``.
"""

import inspect
import re
import string
from urllib.parse import quote

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from werkzeug.routing.converters import NumberConverter

from odoo.tools import SQL

# Reproducible (derandomize), nothing written to disk (database=None), no
# per-example deadline (the test server's first page compiles its assets);
# each test states its number of examples.
SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


def examples(count):
    """The shared settings with ``count`` examples per test."""
    return settings(SETTINGS, max_examples=count)


URLSAFE = string.ascii_letters + string.digits + "-_"
HTML_PAYLOADS = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "<b>bold</b>",
    '"><svg onload=alert(3)>',
    "<a href='javascript:alert(4)'>link</a>",
    "</textarea><script>alert(5)</script>",
    "{{ 7*7 }}",
    "<t t-out='1+1'/>",
)


def tokens():
    """Anything a visitor could put where a token goes: unicode, token-like,
    very long, path-like, injection attempts, control characters."""
    return st.one_of(
        st.text(min_size=1, max_size=64),
        st.text(alphabet=URLSAFE, min_size=1, max_size=64),
        st.text(alphabet=URLSAFE, min_size=129, max_size=3000),
        st.text(alphabet="./\\%~:;?#&=+ \x00\t\n", min_size=1, max_size=24),
        st.sampled_from(
            [
                "..",
                "../../web/login",
                "%00",
                "\x00",
                "null",
                "0",
                "-1",
                "1 OR 1=1",
                "' OR ''='",
                "<script>alert(1)</script>",
                "😀" * 40,
                "a" * 129,
            ]
        ),
    )


def url_part(text):
    """``text`` as one URL path segment, dots too (so no client folds
    ``..`` away before the server sees it)."""
    return quote(text, safe="").replace(".", "%2E")


def is_valid_score(raw):
    """The rule of the answer page: an integer 0 to 10, written with one or
    two ASCII digits, spaces around allowed."""
    text = str(raw).strip()
    return bool(re.fullmatch(r"[0-9]{1,2}", text)) and int(text) <= 10


def bad_scores():
    """Scores a page must refuse: out of range, non-numeric, floats, huge,
    other digit systems."""
    return st.one_of(
        st.integers().filter(lambda n: not 0 <= n <= 10).map(str),
        st.integers(min_value=10**20, max_value=10**40).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.text(max_size=40),
        st.sampled_from(
            [
                "1e1",
                "0x5",
                "+5",
                "-0",
                "5.0",
                "10.0",
                "011",
                "٣",
                "５",
                "Ⅴ",
                "5\x00",
                "true",
                "[5]",
                "{'score': 5}",
            ]
        ),
    ).filter(lambda raw: not is_valid_score(raw))


#: control characters a hostile client slips into a text: C0, DEL, C1,
#: line and paragraph separators, bidirectional overrides, CR/LF
CONTROL_CHARACTERS = (
    "".join(chr(code) for code in range(0x20))
    + "\x7f\x85\x9b\u2028\u2029\u202a\u202e\u2066\u2069\r\n"
)


def control_texts(max_size=300):
    """Texts full of control characters (header breaks, escapes, NUL)."""
    return st.lists(
        st.one_of(
            st.sampled_from(list(CONTROL_CHARACTERS)),
            st.sampled_from(["\r\nReply-To: x@evil.example\r\n\r\n", "\x1b[31m"]),
            st.text(max_size=10),
        ),
        min_size=1,
        max_size=max_size // 10,
    ).map("".join)


def comments():
    """Long, unicode, HTML/JS comments, and comments full of control
    characters."""
    return st.one_of(
        st.text(max_size=300),
        st.lists(
            st.one_of(st.sampled_from(HTML_PAYLOADS), st.text(max_size=20)),
            min_size=1,
            max_size=6,
        ).map("".join),
        st.text(min_size=5001, max_size=12000),
        control_texts(),
        control_texts().map(lambda text: text + "x" * 6000),
    )


def html_comments():
    """Comments that hold at least one HTML/JS payload."""
    return st.tuples(
        st.text(alphabet=string.ascii_letters + " éü", max_size=20),
        st.lists(st.sampled_from(HTML_PAYLOADS), min_size=1, max_size=3),
        st.text(alphabet=string.ascii_letters + " ", max_size=20),
    ).map(lambda parts: (parts[0] + "".join(parts[1]) + parts[2], parts[1]))


def garbage_bodies():
    """(content type, body) pairs that are not the page's form. The body
    carries no ``=``, so no form field can get a value from it."""
    return st.tuples(
        st.sampled_from(
            [
                "application/x-www-form-urlencoded",
                "multipart/form-data",
                "multipart/form-data; boundary=xyz",
                "application/json",
                "text/plain",
                "application/xml",
                "application/octet-stream",
                "",
            ]
        ),
        st.one_of(
            st.binary(max_size=2000).map(lambda b: b.replace(b"=", b"")),
            st.just(b'{"score" 5, "comment": "x"'),
            st.just(b'{"jsonrpc": "2.0", "params": {"score": 5}}'.replace(b"=", b"")),
            st.just(b"<score>5</score>"),
        ),
    )


def digest(cr, tables):
    """Row count and the physical versions (ctid) of the rows of ``tables``:
    any insert, update or delete changes it, within one transaction too."""
    state = {}
    for table in tables:
        cr.execute(
            SQL(
                "SELECT count(*), md5(coalesce(string_agg(ctid::text, ','"
                " ORDER BY ctid), '')) FROM %s",
                SQL.identifier(table),
            )
        )
        state[table] = cr.fetchone()
    return state


# --- Tokens ---

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def assert_strong_tokens(case, tokens, what):
    """Every token has the shape of ``token_tools.new_token`` (43 URL-safe
    base64 characters, 32 bytes of ``secrets``) and none repeats."""
    tokens = list(tokens)
    case.assertTrue(tokens, f"{what}: no token to check")
    for token in tokens:
        case.assertTrue(
            isinstance(token, str) and TOKEN_SHAPE.fullmatch(token),
            f"{what}: {token!r} is not a 256-bit token of the suite",
        )
    case.assertEqual(len(set(tokens)), len(tokens), f"{what}: a token repeats")


# --- Routes ---


def suite_routes(env, module):
    """(url, routing, function) of the routes whose function is defined in
    ``module`` (an addon), overrides of Odoo's routes included."""
    routes = []
    for rule in env["ir.http"].routing_map().iter_rules():
        func = getattr(rule.endpoint, "func", rule.endpoint)
        original = getattr(func, "original_endpoint", None) or getattr(
            getattr(func, "__func__", None), "original_endpoint", None
        )
        if original and original.__module__.startswith(f"odoo.addons.{module}."):
            routes.append((rule, rule.endpoint.routing, original))
    return routes


def assert_routes_take_no_ids(case, module, allowed):
    """No route of ``module`` picks a record by its id: no int or model
    converter in the URL and no parameter named ``id`` or ``*_id(s)``,
    except the ``allowed`` ones: ``{(url, argument): why}``."""
    routes = suite_routes(case.env, module)
    case.assertTrue(routes, f"{module} has routes")
    used = set()
    for rule, _routing, function in routes:
        for name, converter in rule._converters.items():
            if (
                isinstance(converter, NumberConverter)
                or "Model" in type(converter).__name__
            ):
                key = (rule.rule, name)
                case.assertIn(key, allowed, f"{rule.rule}: {name} picks a record")
                used.add(key)
        params = inspect.signature(function).parameters
        for name in params:
            if name == "id" or re.search(r"_ids?$", name):
                key = (rule.rule, name)
                case.assertIn(key, allowed, f"{rule.rule}: parameter {name}")
                used.add(key)
    case.assertEqual(used, set(allowed), "every exception is still in use")

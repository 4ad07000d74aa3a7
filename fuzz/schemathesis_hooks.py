"""Schemathesis hooks for `npm run fuzz` (loaded through SCHEMATHESIS_HOOKS by fuzz/schemathesis.ts).

Three things:
- a check that every 4xx is RFC 9457 problem+json, with its status in the body;
- a log of every request schemathesis sends, one JSON line each (FUZZ_CALL_LOG), which the runner
  reads to say which rows a 2xx may have written: rows nothing accepted must not exist;
- hostile values mixed into the generated bodies, queries, path ids and headers: prototype-pollution
  keys, huge and non-finite numbers, control characters, lone surrogates, long unicode.
"""

from __future__ import annotations

import copy
import json
import os
import threading
from urllib.parse import unquote, urlsplit

import requests
import schemathesis
from hypothesis import strategies as st

# ---------------------------------------------------------------------------------------------
# The check: a refused request is told why, in the one format clients parse.


@schemathesis.check
def client_errors_are_problem_json(ctx, response, case):
    """Every 4xx answers application/problem+json with type, title and its own status."""
    if not 400 <= response.status_code < 500:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    if content_type.split(";")[0].strip() != "application/problem+json":
        raise AssertionError(f"{response.status_code} answered Content-Type {content_type!r}, not application/problem+json")
    try:
        problem = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"{response.status_code} problem+json body is not JSON: {error}") from None
    if not isinstance(problem, dict) or problem.get("status") != response.status_code:
        raise AssertionError(f"problem body's status {problem.get('status') if isinstance(problem, dict) else problem!r} is not {response.status_code}")
    if not isinstance(problem.get("type"), str) or not isinstance(problem.get("title"), str):
        raise AssertionError("problem body lacks a string type and title")
    return None


# ---------------------------------------------------------------------------------------------
# The call log. Session.send sees every request schemathesis makes, its checks' probes included,
# so a row written by a request the log missed cannot be explained away.

_LOG_PATH = os.environ.get("FUZZ_CALL_LOG")
_LOG_LOCK = threading.Lock()
_LOG = open(_LOG_PATH, "a", encoding="utf-8") if _LOG_PATH else None  # noqa: SIM115 (kept open for the run)


def _written_ids(body: bytes) -> dict:
    """What a 2xx body names: an order or adjustment id, a product's SKU and initial stock."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    if not isinstance(parsed, dict):
        return {}
    return {key: parsed[key] for key in ("id", "sku", "stockAvailable") if key in parsed}


def _record(entry: dict) -> None:
    if _LOG is None:
        return
    line = json.dumps(entry, ensure_ascii=True)
    with _LOG_LOCK:
        _LOG.write(line + "\n")
        _LOG.flush()


_original_send = requests.Session.send


def _logged_send(self, request, **kwargs):
    url = urlsplit(request.url)
    entry = {"method": request.method, "path": unquote(url.path, errors="surrogateescape")}
    try:
        response = _original_send(self, request, **kwargs)
    except Exception as error:
        # No answer: whatever the request did is unknown, and the runner says so.
        _record({**entry, "status": None, "error": type(error).__name__})
        raise
    entry["status"] = response.status_code
    entry["contentType"] = response.headers.get("content-type")
    if 200 <= response.status_code < 300 and request.method != "GET":
        entry["body"] = _written_ids(response.content)
    _record(entry)
    return response


requests.Session.send = _logged_send

# ---------------------------------------------------------------------------------------------
# Hostile values. Each generated value is sent as drawn most of the time, and one time in four
# with a hostile change, so the schema-shaped cases still reach the handlers' deeper checks.

POLLUTING_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "__defineGetter__"]
POLLUTING_VALUES = [{"polluted": True}, {"prototype": {"polluted": True}}, "x", 1, None, [], {"__proto__": {"polluted": True}}]
HOSTILE_NUMBERS = [
    0, -1, -0.0, 0.5, 1e-320, 2**31, 2**31 - 1, -(2**31), 2**53, 2**53 + 1, 2**63, 2**64, 10**30, 10**400,
    1e308, -1e308, 99_999_999, 100_000_000,
]
# NaN and Infinity are not JSON (the client refuses to encode them); 10**400 is what reaches the API as
# Infinity, since JSON.parse reads a number that large so.
HOSTILE_STRINGS = [
    "", " ", "\u0000", "a\u0000b", "\u0001", "\u007f", "\u0085", "\u2028", "\u2029", "\u202e", "\ufeff",
    "\ud800", "\udfff", "x\ud83d", "é", "😀" * 50, "ｆｕｌｌｗｉｄｔｈ", "\t\r\n", "%00", "%ZZ", "../../etc/passwd",
    "' OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "1e309", "-0", "NaN",
    "Infinity", "__proto__", "constructor", "0000-01-01T00:00:00Z", "275760-09-13T00:00:00.001Z",
    "9999-12-31T23:59:59.999Z", "00000000-0000-0000-0000-000000000000", "x" * 70_000, "é" * 5_000,
]
# Header values go out as latin-1; the client refuses CR, LF, NUL and leading whitespace, so those
# are left to the raw-socket tests (src/api/http/unparseable-requests.test.ts).
HOSTILE_HEADER_VALUES = ["", "\u00e9", "\u00ff" * 200, "x" * 8_000, "x" * 20_000, "wait=99999999999999999999", "wait=-1",
                         "wait=1e309", "return=minimal, wait=NaN", "a\tb", "a\u007fb", "a\u0085b", "a\u0001b", "__proto__"]


def _leaf_paths(value, at=()):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaf_paths(inner, at + (key,))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _leaf_paths(inner, at + (index,))
    else:
        yield at


def _object_paths(value, at=()):
    if isinstance(value, dict):
        yield at
        for key, inner in value.items():
            yield from _object_paths(inner, at + (key,))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _object_paths(inner, at + (index,))


def _node(value, at):
    for key in at:
        value = value[key]
    return value


def _set_leaf(body, at, hostile):
    changed = copy.deepcopy(body)
    if not at:
        return hostile
    _node(changed, at[:-1])[at[-1]] = hostile
    return changed


def _add_key(body, at, key, polluting):
    changed = copy.deepcopy(body)
    _node(changed, at)[key] = polluting
    return changed


def _hostile_body(body):
    hostile = st.sampled_from(HOSTILE_STRINGS + HOSTILE_NUMBERS)
    leaves = list(_leaf_paths(body))
    objects = list(_object_paths(body))
    options = [st.tuples(st.sampled_from(leaves), hostile).map(lambda pair: _set_leaf(body, *pair))] if leaves else []
    if objects:
        options.append(
            st.tuples(st.sampled_from(objects), st.sampled_from(POLLUTING_KEYS), st.sampled_from(POLLUTING_VALUES)).map(
                lambda triple: _add_key(body, *triple)
            )
        )
    return st.one_of(options) if options else st.just(body)


def _sometimes(strategy, hostile):
    return strategy.flatmap(lambda value: st.one_of(st.just(value), st.just(value), st.just(value), hostile(value)))


@schemathesis.hook
def before_generate_body(ctx, strategy):
    return _sometimes(strategy, lambda body: _hostile_body(body) if isinstance(body, (dict, list)) else st.just(body))


def _hostile_mapping(values):
    def change(mapping):
        if not isinstance(mapping, dict) or not mapping:
            return st.just(mapping)
        return st.tuples(st.sampled_from(sorted(mapping)), st.sampled_from(values)).map(lambda pair: {**mapping, pair[0]: pair[1]})

    return change


# Query and path values are strings on the wire: numbers go as their text. A lone surrogate cannot be
# percent-encoded as UTF-8, so those stay in bodies (JSON escapes them), where the API must refuse them.
_TEXT_VALUES = [text for text in HOSTILE_STRINGS[:-2] if not any(0xD800 <= ord(char) <= 0xDFFF for char in text)]
_TEXT_VALUES += [str(number) for number in HOSTILE_NUMBERS] + ["x" * 3_000]


@schemathesis.hook
def before_generate_query(ctx, strategy):
    return _sometimes(strategy, _hostile_mapping(_TEXT_VALUES))


@schemathesis.hook
def before_generate_path_parameters(ctx, strategy):
    return _sometimes(strategy, _hostile_mapping(_TEXT_VALUES))


@schemathesis.hook
def before_generate_headers(ctx, strategy):
    return _sometimes(strategy, _hostile_mapping(HOSTILE_HEADER_VALUES))

#!/usr/bin/python3
"""The independent filter of evt's filter tests: what evt's --grep, --jq, --jq-output and
--json-values must give, computed in Python from the records an independent client read.

  peer.py read BROKERS TOPIC > records.jsonl
  filter_peer.py CASE < records.jsonl

prints, for the named CASE, one line per record it keeps: "partition:offset" (in partition,
offset order), or for the projection cases what the projection yields, or for the counting
cases one number. Nothing here shares code with evt: regexes are Python's, JSON is Python's.
"""
import base64
import json
import re
import sys


def dec(v):
    return None if v is None else base64.b64decode(v["b64"])


def text(b):
    """The bytes as text when they are UTF-8 (jq sees a string), else None."""
    if b is None:
        return None
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return None


def refuse(name):
    raise ValueError(name)


def parsed(b):
    """(True, value) when the bytes are strict JSON, as jq's value_json; else (False, None)."""
    t = text(b)
    if t is None:
        return False, None
    try:
        return True, json.loads(t, parse_constant=refuse)
    except ValueError:
        return False, None


def compact(b):
    """The bytes are their own compact JSON form (what --json-values embeds)."""
    ok, value = parsed(b)
    if not ok:
        return False
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) == text(b)


def header(r, name):
    return [v for n, v in r["headers"] if n == name]


def user_id(r):
    """jq: .value_json.user.id, or an error (None, True)."""
    ok, v = parsed(r["value"])
    if not ok or v is None:
        return None, False  # null.user.id is null
    if not isinstance(v, dict):
        return None, True  # cannot index an array, string or number with "user"
    user = v.get("user")
    if user is None:
        return None, False
    if not isinstance(user, dict):
        return None, True
    return user.get("id"), False


def json_field(r, name):
    """jq: .value_json.NAME, or an error (None, True)."""
    ok, v = parsed(r["value"])
    if not ok or v is None:
        return None, False
    if not isinstance(v, dict):
        return None, True
    return v.get(name), False


def starts_admin_or_empty(r):
    # (.key | startswith("admin")) or .value == "": an error on a key that is not a string
    # stops jq before the right side.
    key = text(r["key"])
    if key is None:
        return False
    return key.startswith("admin") or r["value"] == b""


def total_over_100_in_1(r):
    if r["partition"] != 1:
        return False
    total, error = json_field(r, "total")
    return not error and isinstance(total, (int, float)) and not isinstance(total, bool) \
        and total > 100


def failed_in_2(r):
    if r["partition"] != 2:
        return False
    status, error = json_field(r, "status")
    return not error and status == "failed"


def key_user_and_ok(r):
    if r["key"] is None or not re.search(rb"user", r["key"]):
        return False
    status, error = json_field(r, "status")
    return not error and status == "ok"


KEEP = {
    "grep-error": lambda r: r["value"] is not None and re.search(rb"error", r["value"]),
    "grep-fine": lambda r: r["value"] is not None and
    re.search(rb"^order [0-9]+ fine$", r["value"]),
    "grep-key": lambda r: r["key"] is not None and re.search(rb"^user-1[0-9]?$", r["key"]),
    "grep-header": lambda r: any(re.search(rb"^t-1", v) for v in header(r, "trace")),
    "jq-key": lambda r: r["key"] == b"user-7",
    "jq-user-id": lambda r: user_id(r) == (3, False),
    "jq-total": total_over_100_in_1,
    "jq-select-rest": failed_in_2,
    "jq-or-error": starts_admin_or_empty,
    "jq-key-and-grep": lambda r: r["key"] == b"user-7" and r["value"] is not None and
    re.search(rb"error", r["value"]),
    "grep-key-and-jq": key_user_and_ok,
    # --jq '.value | test("error")' keeps the text values with "error" (the others raise errors)
    "jq-test-error": lambda r: text(r["value"]) is not None and "error" in text(r["value"]),
}


def main():
    case = sys.argv[1]
    records = []
    for line in sys.stdin:
        r = json.loads(line)
        r["key"], r["value"] = dec(r["key"]), dec(r["value"])
        r["headers"] = [(n, dec(v)) for n, v in r["headers"]]
        records.append(r)
    records.sort(key=lambda r: (r["partition"], r["offset"]))
    if case in KEEP:
        for r in records:
            if KEEP[case](r):
                print("%d:%d" % (r["partition"], r["offset"]))
    elif case == "user-ids":
        # --jq 'select(.value_json.user != null)' --jq-output '.value_json.user.id'
        for r in records:
            uid, error = user_id(r)
            ok, v = parsed(r["value"])
            if error or not ok or not isinstance(v, dict) or v.get("user") is None:
                continue
            print(json.dumps(uid))
    elif case == "test-errors":
        # --jq '.value | test("error")': an error on every value that is not a string
        print(sum(1 for r in records if text(r["value"]) is None))
    elif case == "compact-values":
        print(sum(1 for r in records if r["value"] is not None and compact(r["value"])))
    elif case == "compact-keys":
        print(sum(1 for r in records if r["key"] is not None and compact(r["key"])))
    else:
        raise SystemExit("filter_peer: unknown case %s" % case)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes vectors.inc: records encoded by independent encoders (fastavro, Python protobuf's
upb) with the JSON they stand for, for tests/unit/schema_test.cpp. Run once, commit the output:

    python3 -m venv /tmp/v && /tmp/v/bin/pip install fastavro==1.13.1 protobuf==7.36.2 grpcio-tools
    /tmp/v/bin/python tests/unit/schema/make_vectors.py
"""
import base64
import io
import json
import os
import subprocess
import sys
import tempfile

import fastavro
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from google.protobuf import timestamp_pb2  # noqa: F401  (registers the well-known type)

here = os.path.dirname(os.path.abspath(__file__))


def cpp_bytes(data):
    return '"' + "".join("\\x%02x" % b for b in data) + '"s'


def cpp_text(text):
    return 'R"evt(' + text + ')evt"'


def avro_json(schema, value, names):
    """Avro's JSON encoding as evt writes it: unions name their branch, bytes are base64."""
    if isinstance(schema, str) and schema in names:
        schema = names[schema]
    if isinstance(schema, list):
        if value is None:
            return None
        for branch in schema:
            if branch == "null":
                continue
            b = names.get(branch, branch) if isinstance(branch, str) else branch
            if isinstance(b, dict) and b["type"] == "record" and isinstance(value, dict):
                return {b["_full"]: avro_json(b, value, names)}
            if b == "string" and isinstance(value, str):
                return {"string": value}
        raise ValueError("no branch")
    if isinstance(schema, dict):
        t = schema["type"]
        if t == "record":
            return {f["name"]: avro_json(f["type"], value[f["name"]], names) for f in schema["fields"]}
        if t == "fixed":
            return base64.b64encode(value).decode()
        if t == "enum":
            return value
        if t == "array":
            return [avro_json(schema["items"], v, names) for v in value]
        if t == "map":
            return {k: avro_json(schema["values"], v, names) for k, v in value.items()}
        return avro_json(t, value, names)
    if schema == "bytes":
        return base64.b64encode(value).decode()
    return value


def collect_names(schema, names, space=""):
    if isinstance(schema, list):
        for b in schema:
            collect_names(b, names, space)
    elif isinstance(schema, dict):
        if schema.get("type") in ("record", "enum", "fixed"):
            space = schema.get("namespace", space)
            full = schema["name"] if "." in schema["name"] else (space + "." + schema["name"] if space else schema["name"])
            schema["_full"] = full
            names[full] = schema
        for f in schema.get("fields", []):
            collect_names(f["type"], names, space)
        for key in ("items", "values"):
            if key in schema:
                collect_names(schema[key], names, space)


def avro_vectors(out):
    schema = json.load(open(os.path.join(here, "order.avsc")))
    parsed = fastavro.parse_schema(schema)
    names = {}
    collect_names(schema, names)
    records = [
        {"id": 1, "customer": "ann \u00e9 \"q\"", "qty": -3, "price": 9.5, "ratio": 0.25, "paid": True,
         "note": "rush", "raw": b"\x00\xff", "digest": b"abcd", "status": "PAID", "tags": ["a", "b"],
         "attrs": {"x": 1, "y": -9007199254740993}, "address": {"city": "Oslo", "zip": 150}},
        {"id": 9223372036854775807, "customer": "", "qty": 0, "price": -1e300, "ratio": 1.5, "paid": False,
         "note": None, "raw": b"", "digest": b"\x01\x02\x03\x04", "status": "NEW", "tags": [],
         "attrs": {}, "address": None},
    ]
    out.append("const SchemaVector k_avro_vectors[] = {")
    for record in records:
        buf = io.BytesIO()
        fastavro.schemaless_writer(buf, parsed, record)
        expected = json.dumps(avro_json(schema, record, names), ensure_ascii=False, separators=(",", ":"))
        out.append("    {%s, %s}," % (cpp_bytes(buf.getvalue()), cpp_text(expected)))
    out.append("};")

    # References: Customer names com.acme.common.Address, defined in another subject.
    address = json.load(open(os.path.join(here, "address.avsc")))
    customer = json.load(open(os.path.join(here, "customer.avsc")))
    named = {}
    parsed_address = fastavro.parse_schema(address, named_schemas=named)
    parsed_customer = fastavro.parse_schema(customer, named_schemas=named)
    record = {"name": "bo", "home": {"city": "Rome", "zip": 1}, "work": {"city": "Pisa", "zip": 2}}
    buf = io.BytesIO()
    fastavro.schemaless_writer(buf, parsed_customer, record)
    expected = {"name": "bo", "home": {"city": "Rome", "zip": 1},
                "work": {"com.acme.common.Address": {"city": "Pisa", "zip": 2}}}
    out.append("const SchemaVector k_avro_reference_vector = {%s, %s};" % (
        cpp_bytes(buf.getvalue()), cpp_text(json.dumps(expected, separators=(",", ":")))))
    del parsed_address


def protobuf_vectors(out):
    with tempfile.TemporaryDirectory() as tmp:
        descriptor_set = os.path.join(tmp, "set.pb")
        subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", here,
                        "--include_imports", "--descriptor_set_out=" + descriptor_set,
                        os.path.join(here, "order.proto")], check=True)
        files = descriptor_pb2.FileDescriptorSet.FromString(open(descriptor_set, "rb").read())
    pool = descriptor_pool.DescriptorPool()
    for f in files.file:
        pool.Add(f)
    order_cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("acme.Order"))
    line_cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("acme.Order.Line"))
    other_cls = message_factory.GetMessageClass(pool.FindMessageTypeByName("acme.Other"))
    order = order_cls(id=-5, customer="c\u00e9", qty=7, price=2.5, paid=True, raw=b"\x00\xfe",
                      status=1, tags=["x", "y"])
    order.lines.add(sku="s1", count=2)
    order.at.seconds = 1763892000
    order.at.nanos = 123000000
    order.total.currency = "EUR"
    order.total.cents = 1999
    cases = [
        ("order, message indexes [1]", b"\x02\x02", order),
        ("Order.Line, message indexes [1, 0]", b"\x04\x02\x00", line_cls(sku="z", count=-1)),
        ("Other, message indexes [0] written as 0", b"\x00", other_cls(x="hi")),
        ("an empty Order (every field default)", b"\x02\x02", order_cls()),
    ]
    out.append("const ProtobufVector k_protobuf_vectors[] = {")
    for name, indexes, message in cases:
        expected = json_format.MessageToJson(message, preserving_proto_field_name=True,
                                             always_print_fields_with_no_presence=True, indent=None)
        out.append("    {%s, %s, %s}," % (cpp_text(name), cpp_bytes(indexes + message.SerializeToString()),
                                          cpp_text(json.dumps(json.loads(expected), ensure_ascii=False,
                                                              separators=(",", ":")))))
    out.append("};")


def main():
    out = ["// Generated by make_vectors.py from the schemas beside it; do not edit.",
           "// fastavro %s, protobuf (Python) %s." % (fastavro.__version__, __import__("google.protobuf").protobuf.__version__)]
    avro_vectors(out)
    protobuf_vectors(out)
    open(os.path.join(here, "vectors.inc"), "w").write("\n".join(out) + "\n")


main()

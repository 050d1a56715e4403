#!/usr/bin/python3
"""A minimal Confluent-compatible schema registry (in memory), standing in for Karapace, which is
not published on PyPI (see README, Schemas). It serves what evt and confluent-kafka's serializers
ask: register and look up schemas by subject, fetch them by id, references, basic auth.

  registry_stub.py PORTFILE [USER:PASSWORD]
      listens on a free 127.0.0.1 port, writes "http://127.0.0.1:PORT" to PORTFILE, serves until
      killed
"""
import base64
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlparse

schemas = {}  # id -> {"schema", "schemaType", "references"}
subjects = {}  # subject -> [id of version 1, id of version 2, ...]
auth = None


def same(a, b):
    return (a["schema"] == b["schema"] and a.get("schemaType", "AVRO") == b.get("schemaType", "AVRO")
            and a.get("references", []) == b.get("references", []))


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorized(self):
        if auth is None:
            return True
        given = self.headers.get("Authorization", "")
        if given == "Basic " + base64.b64encode(auth.encode()).decode():
            return True
        self.reply(401, {"error_code": 401, "message": "Unauthorized"})
        return False

    def version_body(self, subject, number):
        sid = subjects[subject][number - 1]
        body = {"subject": subject, "version": number, "id": sid}
        body.update(schemas[sid])
        return body

    def do_GET(self):
        if not self.authorized():
            return
        path = urlparse(self.path).path
        if path == "/schemas/types":
            return self.reply(200, ["AVRO", "PROTOBUF", "JSON"])
        if path == "/subjects":
            return self.reply(200, sorted(subjects))
        m = re.fullmatch(r"/schemas/ids/(\d+)", path)
        if m:
            sid = int(m.group(1))
            if sid not in schemas:
                return self.reply(404, {"error_code": 40403, "message": "Schema %d not found" % sid})
            return self.reply(200, schemas[sid])
        m = re.fullmatch(r"/subjects/([^/]+)/versions/([^/]+)", path)
        if m:
            subject = unquote(m.group(1))
            if subject not in subjects:
                return self.reply(404, {"error_code": 40401, "message": "Subject '%s' not found." % subject})
            versions = subjects[subject]
            number = len(versions) if m.group(2) == "latest" else int(m.group(2))
            if not 1 <= number <= len(versions):
                return self.reply(404, {"error_code": 40402, "message": "Version not found."})
            return self.reply(200, self.version_body(subject, number))
        self.reply(404, {"error_code": 404, "message": "no such endpoint"})

    def do_POST(self):
        if not self.authorized():
            return
        path = urlparse(self.path).path
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length) or b"{}")
        request.setdefault("schemaType", "AVRO")
        request.setdefault("references", [])
        m = re.fullmatch(r"/subjects/([^/]+)/versions", path)
        if m:
            subject = unquote(m.group(1))
            for sid, known in schemas.items():
                if same(known, request):
                    break
            else:
                sid = len(schemas) + 1
                schemas[sid] = {"schema": request["schema"], "schemaType": request["schemaType"],
                                "references": request["references"]}
            versions = subjects.setdefault(subject, [])
            if sid not in versions:
                versions.append(sid)
            return self.reply(200, {"id": sid})
        m = re.fullmatch(r"/subjects/([^/]+)", path)
        if m:
            subject = unquote(m.group(1))
            for number, sid in enumerate(subjects.get(subject, []), 1):
                if same(schemas[sid], request):
                    return self.reply(200, self.version_body(subject, number))
            return self.reply(404, {"error_code": 40403, "message": "Schema not found"})
        self.reply(404, {"error_code": 404, "message": "no such endpoint"})


def main():
    global auth
    if len(sys.argv) > 2:
        auth = sys.argv[2]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write("http://127.0.0.1:%d" % server.server_address[1])
    import os
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    server.serve_forever()


main()

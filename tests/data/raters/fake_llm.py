#!/usr/bin/env python3
"""fake_llm.py --port-file F --log F - a stand-in for an OpenAI-compatible
chat completions endpoint, on 127.0.0.1, for testing examples/raters/llm.py.

POST /v1/chat/completions with "Authorization: Bearer test-key" gets a
completion whose content is an answer in issuemine's protocol (the first
category of each dimension named in the codebook, "cause" with a
sub-category), in a ```json fence for even issue numbers, and with a
member the protocol does not know. The first request about issue 3 gets a
429 with Retry-After: 0, so the client must retry; issue 4 gets a 400.
Every request is appended to the log as one JSON line: the headers that
matter and the body.
"""
import argparse
import http.server
import json
import re

seen = set()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, obj, headers=()):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with open(self.server.log, "a") as f:
            f.write(json.dumps({"path": self.path, "auth": self.headers.get("Authorization"),
                                "content_type": self.headers.get("Content-Type"),
                                "body": body}) + "\n")
        if self.path != "/v1/chat/completions":
            return self.reply(404, {"error": "no such endpoint"})
        if self.headers.get("Authorization") != "Bearer test-key":
            return self.reply(401, {"error": {"message": "bad key"}})
        user = body["messages"][1]["content"]
        number = int(re.search(r"^Issue [^#]+#(\d+):", user).group(1))
        if number == 3 and 3 not in seen:
            seen.add(3)
            return self.reply(429, {"error": "slow down"}, [("Retry-After", "0")])
        if number == 4:
            return self.reply(400, {"error": {"message": "context too long"}})
        system = body["messages"][0]["content"]
        codes = {}
        for dim in re.findall(r"^Dimension (\S+) ", system, re.M):
            block = system.split("Dimension %s " % dim, 1)[1]
            first = re.search(r"^- (\S+) \(", block, re.M).group(1)
            codes[dim] = {"category": first, "subcategory": None, "confidence": 0.5 + number / 100}
        codes["cause"] = {"category": "incompatibility", "subcategory": "external", "confidence": 0.9}
        answer = {"codes": codes, "note": "the model's reason for %d" % number, "exclusion": None,
                  "thoughts": "a member the protocol does not know"}
        content = json.dumps(answer)
        if number % 2 == 0:
            content = "Here is my answer:\n```json\n%s\n```" % content
        self.reply(200, {"id": "x", "model": body["model"] + "-2024",
                         "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
                         "usage": {"prompt_tokens": 100, "completion_tokens": 20}})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    a = p.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.log = a.log
    with open(a.port_file, "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


main()

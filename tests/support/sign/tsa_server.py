#!/usr/bin/env python3
"""Loopback-only RFC 3161 TSA for tests: POST a timestamp query, get `openssl ts -reply`.
Usage: tsa_server.py TSA_CNF — binds 127.0.0.1 on a free port, prints the port, serves until
killed (the test kills it); stops by itself after 10 minutes in any case."""
import http.server, subprocess, sys, tempfile, os, threading

CNF = sys.argv[1]

class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        q = self.rfile.read(int(self.headers['Content-Length']))
        with tempfile.TemporaryDirectory() as d:
            qf, rf = os.path.join(d, 'q.tsq'), os.path.join(d, 'r.tsr')
            open(qf, 'wb').write(q)
            subprocess.run(['openssl', 'ts', '-reply', '-config', CNF, '-queryfile', qf, '-out', rf],
                           check=True, capture_output=True)
            body = open(rf, 'rb').read()
        self.send_response(200)
        self.send_header('Content-Type', 'application/timestamp-reply')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass

srv = http.server.HTTPServer(('127.0.0.1', 0), H)
print(srv.server_address[1], flush=True)
threading.Timer(600, srv.shutdown).start()
srv.serve_forever()

"""An independent TSIG client for the tests: dnspython (the system /usr/bin/python3), driven by JSON argv.

  tsig-client.py '{"op": "axfr"|"query", "port": N, "zone": "...", "type": "SOA", "key": {...}, "skew": 0}'

Prints one JSON line: for axfr, the number of messages and records dnspython accepted (it verifies the TSIG of
every message, RFC 8945 §5.3.1); for query, the rcode and the TSIG error it saw, or the exception's class name.
"""
import json
import sys
import time

import dns.message
import dns.query
import dns.rcode
import dns.tsig
import dns.xfr
import dns.zone

args = json.loads(sys.argv[1])
k = args["key"]
key = dns.tsig.Key(k["name"], k["secret"], k["algorithm"])
skew = args.get("skew", 0)
if skew:
    real = time.time
    time.time = lambda: real() + skew

try:
    if args["op"] == "axfr":
        zone = dns.zone.Zone(args["zone"])
        messages = 0
        records = 0
        for message in dns.query.xfr(
            "127.0.0.1", args["zone"], port=args["port"], keyring={key.name: key}, keyname=key.name, lifetime=10
        ):
            messages += 1
            records += sum(len(rrset) for rrset in message.answer)
        print(json.dumps({"ok": True, "messages": messages, "records": records}))
    else:
        q = dns.message.make_query(args["zone"], args["type"], use_edns=False)
        q.use_tsig(key)
        r = dns.query.tcp(q, "127.0.0.1", port=args["port"], timeout=5)
        print(json.dumps({"ok": True, "rcode": dns.rcode.to_text(r.rcode()), "tsigError": r.tsig_error}))
except Exception as e:  # the class says which check failed: PeerBadTime, PeerBadKey, BadSignature ...
    print(json.dumps({"ok": False, "error": type(e).__name__, "message": str(e)}))

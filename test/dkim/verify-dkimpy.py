# Verifies every DKIM-Signature of each message with dkimpy (Debian python3-dkim), resolving keys only from the
# records senderd publishes: the customer's CNAMEs and the TXT records hosted in the platform zone.
# Input (stdin, JSON): {"cnames": {name: target}, "txt": {name: value}, "messages": {label: raw}}
# Output (stdout, JSON): {label: [true|false|"error: ..."] per signature}
import json, sys
import dkim

data = json.load(sys.stdin)
cnames, txt = data["cnames"], data["txt"]

def dnsfunc(name, timeout=5):
    n = name.decode() if isinstance(name, bytes) else name
    n = n.rstrip(".").lower()
    for _ in range(8):
        if n in cnames:
            n = cnames[n]
        else:
            break
    value = txt.get(n)
    return value.encode() if value is not None else None

out = {}
for label, raw in data["messages"].items():
    msg = raw.encode()
    d = dkim.DKIM(msg)
    count = sum(1 for line in msg.split(b"\r\n") if line.lower().startswith(b"dkim-signature:"))
    results = []
    for i in range(count):
        try:
            results.append(bool(dkim.DKIM(msg).verify(idx=i, dnsfunc=dnsfunc)))
        except Exception as e:  # ValidationError on a body-hash mismatch, KeyFormatError on a revoked key
            results.append("error: %s" % type(e).__name__)
    out[label] = results
print(json.dumps(out))

"""Runs Debian's mta-sts-query (postfix-mta-sts-resolver) unchanged, with its DNS pointed at a loopback resolver.

The test DNS runs on a random port, and neither the tool nor c-ares's resolv.conf can name a port, so this wrapper
gives every aiodns resolver the server and port (the TXT lookup of _mta-sts.<domain> and aiohttp's address lookup
of mta-sts.<domain>). Everything else, the HTTPS fetch on port 443 with certificate checks against SSL_CERT_FILE
and the policy parsing, is the tool's own.

    python3 mta-sts-query.py <dns host> <dns port> <domain> [known id]
"""
import sys

import aiodns
import aiohttp.connector
import aiohttp.resolver

HOST, PORT = sys.argv[1], int(sys.argv[2])
_Original = aiodns.DNSResolver


class LoopbackDNSResolver(_Original):
    def __init__(self, nameservers=None, loop=None, **kwargs):
        kwargs.update(udp_port=PORT, tcp_port=PORT)
        super().__init__(nameservers=[HOST], loop=loop, **kwargs)


aiodns.DNSResolver = LoopbackDNSResolver
aiohttp.resolver.aiodns.DNSResolver = LoopbackDNSResolver
aiohttp.connector.DefaultResolver = aiohttp.resolver.AsyncResolver

from postfix_mta_sts_resolver.__main__ import main  # noqa: E402  (after the patch, on purpose)

sys.argv = ["mta-sts-query", *sys.argv[3:]]
main()

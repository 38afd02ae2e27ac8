"""Feed URLs an attacker might give /addfeed or an OPML file, shared by every SSRF test.

BLOCKED reach a non-public address (refused with BlockedAddressError); INVALID are not http(s)
URLs we fetch, or are malformed (InvalidURLError). Both are UnsafeURLError, which is what the entry
points catch.
"""

from __future__ import annotations

BLOCKED = [
    "http://127.0.0.1/feed",
    "http://127.0.0.1:8080/feed",
    "http://127.0.0.1./",  # trailing dot
    "http://127。0。0。1/",  # ideographic full stops, which IDNA maps to dots
    "HTTP://127.0.0.1/",
    "http://10.0.0.1/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://198.18.0.1/",  # benchmarking
    "http://224.0.0.1/",  # multicast
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
    "http://0.0.0.0/",
    "http://0/",
    "http://2130706433/",  # decimal
    "http://0x7f000001/",  # hex
    "http://0x7f.1/",  # hex + short form
    "http://0x7f.0.0.1/",
    "http://017700000001/",  # octal
    "http://0300.0250.1/",  # octal 192.168.0.1
    "http://127.1/",  # short form
    "http://0x7f000001:80/",
    "http://[::1]/",
    "http://[::1]:80/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[0000::1]/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:a00:1]/",  # mapped 10.0.0.1
    "http://[::127.0.0.1]/",  # IPv4-compatible (deprecated)
    "http://[fe80::1%25eth0]/",  # link-local with zone
    "http://[fc00::1]/",  # unique local
    "http://[fd00::1]/",
    "http://[ff02::1]/",  # multicast
    "http://[2002:7f00:1::]/",  # 6to4 wrapping 127.0.0.1
    "http://[64:ff9b::a00:1]/",  # NAT64 wrapping 10.0.0.1
    "http://[2001:db8::1]/",  # documentation
    "http://localhost/",
    "http://LocalHost/",
    "http://LOCALHOST./",
    "http://localhost.localdomain/",
    "http://ip6-localhost/",
    "http://api.localhost/",
    "http://printer.local/",
    "http://metadata.internal/",
    "http://router.home.arpa/",
    "http://example.com@127.0.0.1/",  # userinfo trick: the host is 127.0.0.1
    "http://good.example:pw@[::1]:8080/",
    "http://user:pass@10.0.0.1:80/",
    "http://127.0.0.1#@example.com/",  # the fragment hides nothing: the host is 127.0.0.1
]

INVALID = [
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "gopher://127.0.0.1:70/_SET",
    "gopher://example.com/",
    "ftp://example.com/feed",
    "dict://127.0.0.1:11211/stat",
    "ldap://127.0.0.1/",
    "javascript:alert(1)",
    "data:text/xml,<rss/>",
    "http:///no-host",
    "http:/127.0.0.1/",
    "http:127.0.0.1/",
    "//127.0.0.1/feed",
    "",
    "   ",
    "http://exa mple.com/",
    "http://127.0.0.1\\@good.example/",  # backslash: parsers disagree on the host
    "http://example.com/\x00",
    "http://example.com/\r\nHost: 127.0.0.1",
    "http://0177.0.0.1/",  # zero-padded octets: httpx refuses them outright
    "http://127.000.000.001/",
    "http://１２７.０.０.１/",  # fullwidth digits
    "https://news.example/" + "a" * 3000,  # longer than any stored URL
]

UNSAFE = BLOCKED + INVALID

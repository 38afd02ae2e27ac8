"""SSRF guard: every address form that reaches a non-public host is refused."""

from __future__ import annotations

import pytest

from feeds.safety import (
    AddressGuard,
    BlockedAddressError,
    InvalidURLError,
    UnsafeURLError,
    check_feed_url,
    parse_ip_literal,
)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://2130706433/",  # decimal
        "http://0x7f.1/",  # hex + short form
        "http://0x7f000001/",
        "http://017700000001/",  # octal
        "http://127.1/",
        "http://0/",
        "http://0.0.0.0/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://224.0.0.1/",  # multicast
        "http://240.0.0.1/",  # reserved
        "http://[::1]/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
        "http://[::ffff:7f00:1]/",
        "http://[fe80::1%25eth0]/",  # link-local with zone
        "http://[fc00::1]/",  # unique local
        "http://[ff02::1]/",  # multicast
        "http://[2002:7f00:1::]/",  # 6to4 wrapping 127.0.0.1
        "http://[64:ff9b::a00:1]/",  # NAT64 wrapping 10.0.0.1
        "http://localhost/",
        "http://LOCALHOST./",
        "http://api.localhost/",
        "http://printer.local/",
        "http://good.example@127.0.0.1/",  # userinfo trick: the host is 127.0.0.1
        "http://good.example:pw@[::1]:8080/",
    ],
)
def test_non_public_addresses_are_blocked(url: str) -> None:
    with pytest.raises(BlockedAddressError):
        check_feed_url(url, allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/feed",
        "javascript:alert(1)",
        "gopher://example.com/",
        "file:///etc/passwd",
        "http:///no-host",
        "",
        "   ",
        "http://exa mple.com/",
        "http://127.0.0.1\\@good.example/",
        "http://example.com/\x00",
        "http://0177.0.0.1/",  # httpx refuses zero-padded octets outright
    ],
)
def test_malformed_or_foreign_urls_are_invalid(url: str) -> None:
    with pytest.raises(InvalidURLError):
        check_feed_url(url, allow_private=False)


def test_file_urls_only_when_the_caller_allows_them() -> None:
    assert (
        check_feed_url("file:///tmp/feed.xml", allow_private=False, allow_file=True) == "file:///tmp/feed.xml"
    )


def test_userinfo_in_front_of_a_public_host_is_not_a_trick() -> None:
    assert check_feed_url("https://user@93.184.216.34/feed", allow_private=False).endswith("/feed")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM:80/Feed", "http://example.com/Feed"),
        ("https://bücher.example/rss", "https://xn--bcher-kva.example/rss"),
        ("https://93.184.216.34/x", "https://93.184.216.34/x"),
    ],
)
def test_public_urls_are_normalised(url: str, expected: str) -> None:
    assert check_feed_url(url, allow_private=False) == expected


def test_allow_private_disables_the_address_check() -> None:
    assert check_feed_url("http://127.0.0.1:8080/feed", allow_private=True) == "http://127.0.0.1:8080/feed"
    with pytest.raises(InvalidURLError):
        check_feed_url("ftp://127.0.0.1/", allow_private=True)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("0x7f.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0300.0250.1", "192.168.0.1"),
        ("1.2.3.4", "1.2.3.4"),
    ],
)
def test_inet_aton_forms_are_decoded(host: str, expected: str) -> None:
    assert str(parse_ip_literal(host)) == expected


@pytest.mark.parametrize("host", ["example.com", "256.1.1.1", "1.2.3.4.5", "0x1g", "1.2.3.0400"])
def test_names_and_invalid_numbers_are_not_ip_literals(host: str) -> None:
    assert parse_ip_literal(host) is None


def _resolver(mapping: dict[str, list[str]]):
    async def resolve(host: str, port: int) -> list[str]:
        return mapping.get(host, [])

    return resolve


async def test_guard_checks_every_resolved_address() -> None:
    guard = AddressGuard(
        allow_private=False,
        resolver=_resolver(
            {
                "news.example": ["93.184.216.34"],
                "rebind.example": ["93.184.216.34", "10.0.0.7"],
                "v6.example": ["2606:2800:220:1::1", "::1"],
            }
        ),
    )
    assert await guard("https://news.example/feed") == "https://news.example/feed"
    with pytest.raises(BlockedAddressError, match=r"10\.0\.0\.7"):
        await guard("https://rebind.example/feed")
    with pytest.raises(BlockedAddressError, match="::1"):
        await guard("https://v6.example/feed")
    with pytest.raises(BlockedAddressError, match="does not resolve"):
        await guard("https://nowhere.example/feed")


async def test_guard_uses_getaddrinfo_by_default() -> None:
    guard = AddressGuard(allow_private=False)
    with pytest.raises(UnsafeURLError):
        await guard("http://localhost/")
    with pytest.raises(BlockedAddressError):
        await guard("http://127.0.0.1/")

"""SSRF, the guard itself: every notation of a private, loopback, link-local, metadata or otherwise
non-public address, local host names, userinfo tricks and foreign schemes are refused by
``feeds.safety`` before any connection, and resolved names are checked address by address."""

from __future__ import annotations

import pytest

from feeds.safety import (
    MAX_URL_CHARS,
    AddressGuard,
    BlockedAddressError,
    InvalidURLError,
    UnsafeURLError,
    check_feed_url,
    parse_ip_literal,
)
from tests.security.ssrf_cases import BLOCKED, INVALID


@pytest.mark.parametrize("url", BLOCKED)
def test_non_public_addresses_are_blocked(url: str) -> None:
    with pytest.raises(BlockedAddressError):
        check_feed_url(url, allow_private=False)


@pytest.mark.parametrize("url", INVALID)
def test_malformed_or_foreign_urls_are_invalid(url: str) -> None:
    with pytest.raises(InvalidURLError):
        check_feed_url(url, allow_private=False)


@pytest.mark.parametrize("url", INVALID)
def test_allow_private_never_admits_foreign_schemes_or_malformed_urls(url: str) -> None:
    with pytest.raises(InvalidURLError):
        check_feed_url(url, allow_private=True)


def test_file_urls_only_when_the_caller_allows_them() -> None:
    assert (
        check_feed_url("file:///tmp/feed.xml", allow_private=False, allow_file=True) == "file:///tmp/feed.xml"
    )


def test_userinfo_in_front_of_a_public_host_is_not_a_trick() -> None:
    assert check_feed_url("https://user@93.184.216.34/feed", allow_private=False).endswith("/feed")


def test_the_longest_storable_url_is_accepted() -> None:
    url = "https://news.example/"
    url += "a" * (MAX_URL_CHARS - len(url))
    assert check_feed_url(url, allow_private=False) == url
    with pytest.raises(InvalidURLError, match="longer than"):
        check_feed_url(url + "a", allow_private=False)
    with pytest.raises(InvalidURLError, match="longer than"):  # the normalised form counts: IDNA grows
        check_feed_url("https://bücher.example/" + "a" * (MAX_URL_CHARS - 25), allow_private=False)


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


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("0x7f.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0300.0250.1", "192.168.0.1"),
        ("017700000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("1.2.3.4", "1.2.3.4"),
        ("[::ffff:7f00:1]", "::ffff:7f00:1"),
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
                "mapped.example": ["::ffff:169.254.169.254"],
                "zoned.example": ["fe80::1%eth0"],
            }
        ),
    )
    assert await guard("https://news.example/feed") == "https://news.example/feed"
    with pytest.raises(BlockedAddressError, match=r"10\.0\.0\.7"):
        await guard("https://rebind.example/feed")
    with pytest.raises(BlockedAddressError, match="::1"):
        await guard("https://v6.example/feed")
    with pytest.raises(BlockedAddressError, match="a9fe"):
        await guard("https://mapped.example/feed")
    with pytest.raises(BlockedAddressError, match="fe80"):
        await guard("https://zoned.example/feed")
    with pytest.raises(BlockedAddressError, match="does not resolve"):
        await guard("https://nowhere.example/feed")


async def test_guard_uses_getaddrinfo_by_default() -> None:
    guard = AddressGuard(allow_private=False)
    with pytest.raises(UnsafeURLError):
        await guard("http://localhost/")
    with pytest.raises(BlockedAddressError):
        await guard("http://127.0.0.1/")


async def test_a_real_name_resolving_to_loopback_is_blocked_by_real_dns(loopback_name: str) -> None:
    """The machine's own name (in /etc/hosts) is no IP literal and no "localhost": only DNS tells."""
    url = f"http://{loopback_name}:8080/feed"
    assert check_feed_url(url, allow_private=False) == url  # syntax alone cannot tell
    with pytest.raises(BlockedAddressError, match="non-public"):
        await AddressGuard(allow_private=False)(url)

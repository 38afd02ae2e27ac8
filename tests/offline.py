"""Tests never reach a real host: the environment variable that keeps the source catalogue unseeded
(a seeded catalogue would poll real outlets), for the test process and every service it starts."""

SEED_SOURCES_ENV = "WARWATCH_SOURCES__SEED_DEFAULT_PACKS"

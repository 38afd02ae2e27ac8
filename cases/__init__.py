"""Case facts extracted from a flagged story: who was recruited, for whom, what happened, how many."""

from cases.extract import CaseFacts, country_code, extract_case

__all__ = ["CaseFacts", "country_code", "extract_case"]

"""Case facts extracted from a flagged story: who was recruited, for whom, what happened, how many."""

from cases.extract import CaseFacts, extract_case

__all__ = ["CaseFacts", "extract_case"]

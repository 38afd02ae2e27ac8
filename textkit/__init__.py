"""Text primitives every package shares: cleaning and the one language detector."""

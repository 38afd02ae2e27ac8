"""Text primitives every package shares: cleaning, the one language detector, and content-word stems."""

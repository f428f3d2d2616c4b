"""HTTP routes of the practice API: each module parses, calls its core and shapes the reply."""

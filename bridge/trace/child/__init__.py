"""Code that runs inside a tracer worker process; it imports only the standard library (and orjson if present)."""

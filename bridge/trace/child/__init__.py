"""Code that runs inside a tracer worker process; standard library (and orjson) only."""

"""Named editor scripts a technical artist calls over REST (`GET /api/v1/scripts`).

Each module holds one public function with typed parameters and a docstring; the bridge builds
the parameter schema from the type hints. They use only the real `unreal` API, so they run in the
editor exactly as they run headless against mock_unreal.
"""

"""`ue-bridge mcp`: the editor's tools for AI agents over the Model Context Protocol (docs/mcp.md).

Runs outside the editor, on the official `mcp` SDK (the `[mcp]` extra); nothing of the in-editor package
imports it. The entry point is `bridge.mcp.server.main`, called by the `ue-bridge mcp` command.
"""

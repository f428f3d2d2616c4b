"""The floor: a bare aiohttp JSON echo endpoint on the same kind of loop the bridge uses."""

from __future__ import annotations

import asyncio
import sys

from aiohttp import web

from bridge.host.server_thread import new_event_loop


async def echo(request: web.Request) -> web.Response:
    return web.json_response(await request.json())


async def main(port: int) -> None:
    app = web.Application()
    app.router.add_post("/echo", echo)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    sockets = site._server.sockets if site._server is not None else []  # type: ignore[union-attr]
    print(f"echo listening on http://127.0.0.1:{sockets[0].getsockname()[1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    loop = new_event_loop()
    loop.run_until_complete(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))

"""The simulated phones' Socket.IO client: python-socketio's, with less bookkeeping per
message received.

The bench's phones run on the server's own machine, and a thousand of them receiving
a breakout phase's fan-out (about 6,000 messages a second) cost as much CPU as the
server they measure: what they take, the server waits for. Per message received, the
library's asyncio client starts a task to read the next one with a timeout
(`asyncio.wait_for`, which on Python 3.11 wraps the read in a task) and another task
to dispatch it, and decodes it with a JSON decoder built for it. Here the read takes
its timeout from aiohttp itself, the standard `json` decodes, and a message is
dispatched where it was read: the phones' handlers only record it (`Phone.on_event`)
or start a task of their own, never wait for the socket.

What is overridden is engineio's (`_read_loop_websocket`, `_trigger_event`), at the
pinned version of pyproject.toml; the protocol, the acks, the pings and every handler
are the library's. tests/test_bench.py runs phones on it.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import engineio
import socketio
from engineio import packet


class LeanEngineIOClient(engineio.AsyncClient):  # type: ignore[misc]
    async def _trigger_event(self, event: str, *args: Any, **kwargs: Any) -> Any:
        if event == "message":  # in the read loop, not a task a message
            kwargs["run_async"] = False
        return await super()._trigger_event(event, *args, **kwargs)

    async def _read_loop_websocket(self) -> None:
        """engineio's loop, with aiohttp's own receive timeout instead of a task a read."""
        while self.state == "connected" and self.write_loop_task:
            try:
                message = await self.ws.receive(timeout=self.ping_interval + self.ping_timeout)
            except Exception as exc:  # as engineio: a timeout, a closed or broken socket
                self.logger.info("Read loop ended: %r", exc)
                await self.queue.put(None)
                break
            if not isinstance(message.data, (str, bytes)):  # a close, or the socket broke
                await self.queue.put(None)
                break
            try:
                pkt = packet.Packet(encoded_packet=message.data)
            except Exception:  # a packet that does not decode: the connection is broken
                await self.queue.put(None)
                break
            await self._receive_packet(pkt)
        await self._end_read_loop()

    async def _end_read_loop(self) -> None:
        """What engineio does once its read loop ends (the same steps, in order)."""
        if self.write_loop_task:
            await self.write_loop_task
        if self.state == "connected":
            await self._trigger_event("disconnect", self.reason.TRANSPORT_ERROR, run_async=False)
            with contextlib.suppress(ValueError):
                engineio.base_client.connected_clients.remove(self)
            await self._reset()


class LeanClient(socketio.AsyncClient):  # type: ignore[misc]
    def __init__(self, **options: Any) -> None:
        # The standard json: engineio's guard against huge integers builds a decoder a
        # message, and the bench's server is trusted.
        super().__init__(json=json, **options)

    def _engineio_client_class(self) -> type[engineio.AsyncClient]:
        return LeanEngineIOClient

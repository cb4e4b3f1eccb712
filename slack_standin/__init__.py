"""A Slack Web API stand-in on 127.0.0.1 that behaves like Slack where it matters.

Tests of the bot, and its offline sandbox mode, talk to it over real HTTP::

    with SlackStandIn() as standin:
        client = WebClient(token="xoxb-test", base_url=standin.api_url)
        client.chat_postMessage(channel="C123", text="hello")
        assert standin.messages("C123")[0]["text"] == "hello"

Socket Mode too: ``apps.connections.open`` (with an ``xapp-`` token) gives a ``ws://`` URL on
127.0.0.1, and ``standin.socket_request("slash_commands", payload)`` sends an envelope to the
connected app and returns its acknowledgement's payload.

Files too: ``files_upload_v2`` gets an upload URL on 127.0.0.1, POSTs the bytes there and
completes the upload; ``standin.files()`` lists what was uploaded, with its bytes and where it
was shared.
"""

from slack_standin.server import Call, ResponsePost, SlackStandIn
from slack_standin.socket_mode import SocketAck, SocketEnvelope

__all__ = ["Call", "ResponsePost", "SlackStandIn", "SocketAck", "SocketEnvelope"]

"""A Slack Web API stand-in on 127.0.0.1 that behaves like Slack where it matters.

Tests of the bot, and its offline sandbox mode, talk to it over real HTTP::

    with SlackStandIn() as standin:
        client = WebClient(token="xoxb-test", base_url=standin.api_url)
        client.chat_postMessage(channel="C123", text="hello")
        assert standin.messages("C123")[0]["text"] == "hello"
"""

from slack_standin.server import Call, ResponsePost, SlackStandIn

__all__ = ["Call", "ResponsePost", "SlackStandIn"]

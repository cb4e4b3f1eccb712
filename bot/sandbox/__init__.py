"""`dei-bot sandbox`: the whole bot offline, no Slack account needed.

It runs the real app, served over real HTTP on loopback, against the project's Slack stand-in,
with the sample data. What a person types at the prompt becomes a correctly signed request, as
Slack would send it; what the bot does in the pretend Slack is read back and drawn as text.
"""

from bot.sandbox.world import run_sandbox

__all__ = ["run_sandbox"]

"""Pure Block Kit builders, named for what a person sees.

Every builder returns a `Message`: blocks for the eye, and a complete plain `text` for screen
readers and notifications. Anything a person typed goes through `escape` before it is shown, so
it can never ping `@channel` or forge a link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers import i18n
from handlers.i18n import _

COMMAND = "/dei-topic"
SECTION_TEXT_LIMIT = 3000

EXAMPLES = (
    ("", "this month's topic, the next meeting and your RSVP"),
    ("hiring", "look up resources and peers (any words)"),
    ("suggest", "suggest a resource for the shared repository (coordinators: add one)"),
    ("calendar", "the topic calendar, past and coming months"),
    ("coaching", "your next coaching sessions"),
    ("reminders off", "stop reminder DMs (`reminders on` starts them again)"),
    ("agenda", "coordinators: post or edit a meeting agenda"),
    ("help", "this message"),
)


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def escape(text: str) -> str:
    """Slack's three control characters; `<!channel>` becomes harmless `&lt;!channel&gt;`."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(mrkdwn, 3000)}}


def context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(mrkdwn, 2000)}]}


def header(plain: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(plain, 150)}}


def sections_of(lines: list[str]) -> list[dict[str, Any]]:
    """Lines packed into as few sections as Slack's 3000-character cap allows."""
    sections: list[dict[str, Any]] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(c) + 1 for c in chunk) + len(line) > SECTION_TEXT_LIMIT:
            sections.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        sections.append(section("\n".join(chunk)))
    return sections


def date_token(moment: datetime, zone: ZoneInfo) -> str:
    """Each reader sees their own time zone; the fallback (old clients) shows the group's."""
    # {date_long}, not {date_long_pretty}: "tomorrow" alone, without the date, is not enough.
    # Slack fills in the tokens; the word between them is ours to translate.
    shape = _("{date} at {time}").format(date="{date_long}", time="{time}")
    return f"<!date^{int(moment.timestamp())}^{shape}|{plain_date(moment, zone)}>"


def plain_date(moment: datetime, zone: ZoneInfo) -> str:
    return i18n.date_and_time(moment, zone)


def help_message(coordinators: tuple[str, ...]) -> Message:
    lines = [f"`{COMMAND}{' ' + words if words else ''}`: {what}" for words, what in EXAMPLES]
    who = ", ".join(f"<@{user}>" for user in coordinators) or "your working-group coordinators"
    text = (
        f"How to use {COMMAND}:\n"
        + "\n".join(f"• {line}" for line in lines)
        + f"\nQuestions about the working group? Ask {who}."
    )
    blocks = [
        header("dei-bot: the DEI working group's assistant"),
        section("\n".join(f"• {line}" for line in lines)),
        context(
            "Examples: `/dei-topic language access`, `/dei-topic procurement`, "
            f"`/dei-topic calendar`. Questions about the working group? Ask {who}."
        ),
    ]
    return Message(text=text, blocks=blocks)


def coordinators_only(feature: str, coordinators: tuple[str, ...]) -> Message:
    if coordinators:
        who = ", ".join(f"<@{user}>" for user in coordinators)
        ask = f"Please ask a coordinator ({who}) if you would like something added."
    else:
        ask = "No coordinators are configured yet; the bot's operator can add them."
    text = f"Sorry, {feature} is for the working group's coordinators. {ask}"
    return Message(text=text, blocks=[section(text)])


def something_went_wrong() -> Message:
    text = (
        "Sorry, something went wrong on our side and your request was not completed. "
        "Nothing you entered was changed. Please try again in a minute; if it keeps happening, "
        "tell a coordinator."
    )
    return Message(text=text, blocks=[section(text)])


RSVP_WORDS = {
    "going-in-person": "going, in person",
    "going-online": "going, online",
    "maybe": "maybe",
    "not-going": "can't make it",
    "waitlisted-in-person": "on the waitlist for in person",
    "waitlisted-online": "on the waitlist for online",
}
FORMAT_WORDS = {
    "in-person": "in person",
    "online": "online",
    "hybrid": "hybrid (in person and online)",
}


@dataclass(frozen=True)
class ResourceLine:
    title: str
    url: str | None
    kind: str
    summary: str
    community: str | None


@dataclass(frozen=True)
class MeetingFacts:
    starts_at: datetime
    format: str
    location: str
    join_url: str | None
    rsvp_state: str | None


def resource_line(resource: ResourceLine) -> tuple[str, str]:
    """Mrkdwn and plain text of one resource: title (a link only when we know the address)."""
    title = escape(resource.title)
    shown = f"<{resource.url}|{title}>" if resource.url else f"*{title}*"
    extra = f" ({escape(resource.kind)})"
    if resource.community:
        extra += f", from {escape(resource.community)}"
    summary = f": {escape(truncate(resource.summary, 200))}" if resource.summary else ""
    plain = f"{resource.title} ({resource.kind}){summary and ': ' + resource.summary[:200]}"
    return f"• {shown}{extra}{summary}", plain


def this_months_topic(
    month_label: str,
    topic_title: str | None,
    topic_summary: str,
    meeting: MeetingFacts | None,
    resources: list[ResourceLine],
    zone: ZoneInfo,
    rsvp_buttons: dict[str, Any] | None = None,
) -> Message:
    if topic_title is None:
        text = (
            f"No topic is on the calendar for {month_label} yet. "
            f"`{COMMAND} calendar` shows the months that are planned."
        )
        return Message(text=text, blocks=[section(text)])
    blocks: list[dict[str, Any]] = [header(f"{month_label}: {topic_title}")]
    plain = [f"This month's topic ({month_label}): {topic_title}."]
    if topic_summary:
        blocks.append(section(escape(topic_summary)))
        plain.append(topic_summary)
    if meeting:
        where = FORMAT_WORDS.get(meeting.format, meeting.format)
        if meeting.location:
            where += f", {escape(meeting.location)}"
        lines = [f"*Next meeting:* {date_token(meeting.starts_at, zone)} ({where})"]
        plain_where = f"Next meeting: {plain_date(meeting.starts_at, zone)} ({where})."
        if meeting.join_url:
            lines.append(f"*Join online:* <{meeting.join_url}|join link>")
        state = RSVP_WORDS.get(meeting.rsvp_state or "", "you have not RSVP'd yet")
        lines.append(f"*Your RSVP:* {state}")
        blocks.append(section("\n".join(lines)))
        plain += [plain_where, f"Your RSVP: {state}."]
    else:
        blocks.append(section("No meeting is scheduled yet for this topic."))
        plain.append("No meeting is scheduled yet.")
    if resources:
        rendered = [resource_line(resource) for resource in resources]
        blocks.append(section("*Resources for this topic*\n" + "\n".join(m for m, _ in rendered)))
        plain.append("Resources: " + "; ".join(p for _, p in rendered))
    if meeting and rsvp_buttons:
        blocks.append(rsvp_buttons)
    return Message(text=" ".join(plain), blocks=blocks)


@dataclass(frozen=True)
class CalendarMonth:
    month: str  # YYYY-MM
    label: str  # January 2027
    title: str | None  # None: TBD


def topic_calendar(months: list[CalendarMonth], current_month: str) -> Message:
    if not months:
        text = "The topic calendar is empty. Coordinators can load it with `dei-bot import`."
        return Message(text=text, blocks=[section(text)])
    past = [m for m in months if m.month < current_month]
    coming = [m for m in months if m.month >= current_month]

    def line(month: CalendarMonth) -> tuple[str, str]:
        title = escape(month.title) if month.title else "_TBD: topic not chosen yet_"
        marker = " ← this month" if month.month == current_month else ""
        return f"• *{month.label}*: {title}{marker}", f"{month.label}: {month.title or 'TBD'}"

    blocks: list[dict[str, Any]] = [header("Working-group topic calendar")]
    plain = ["Working-group topic calendar."]
    for heading, group in (("Coming", coming), ("Past", list(reversed(past)))):
        if not group:
            continue
        rendered = [line(month) for month in group]
        blocks += [section(f"*{heading}*"), *sections_of([m for m, _ in rendered])]
        plain.append(f"{heading}: " + "; ".join(p for _, p in rendered) + ".")
    return Message(text=" ".join(plain), blocks=blocks[:50])

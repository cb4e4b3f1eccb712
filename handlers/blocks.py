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
from handlers.i18n import N_, _

COMMAND = "/dei-topic"
SECTION_TEXT_LIMIT = 3000

# The words typed after the command, one by one: sub-commands are the same in every language.
EXAMPLES = (
    ((), N_("this month's topic, the next meeting and your RSVP")),
    (("hiring",), N_("look up resources and peers (any words)")),
    (("suggest",), N_("suggest a resource for the shared repository (coordinators: add one)")),
    (("calendar",), N_("the topic calendar, past and coming months")),
    (("coaching",), N_("your next coaching sessions")),
    (("reminders", "off"), N_("stop reminder DMs (`reminders on` starts them again)")),
    (("agenda",), N_("coordinators: post or edit a meeting agenda")),
    (("help",), N_("this message")),
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
    lines = [f"`{' '.join((COMMAND, *words))}`: {_(what)}" for words, what in EXAMPLES]
    who = ", ".join(f"<@{user}>" for user in coordinators) or _("your working-group coordinators")
    text = (
        _("How to use {command}:").format(command=COMMAND)
        + "\n"
        + "\n".join(f"• {line}" for line in lines)
        + "\n"
        + _("Questions about the working group? Ask {who}.").format(who=who)
    )
    blocks = [
        header(_("dei-bot: the DEI working group's assistant")),
        section("\n".join(f"• {line}" for line in lines)),
        context(
            _(
                "Examples: `/dei-topic language access`, `/dei-topic procurement`, "
                "`/dei-topic calendar`. Questions about the working group? Ask {who}."
            ).format(who=who)
        ),
    ]
    return Message(text=text, blocks=blocks)


def coordinators_only(feature: str, coordinators: tuple[str, ...]) -> Message:
    if coordinators:
        who = ", ".join(f"<@{user}>" for user in coordinators)
        ask = _("Please ask a coordinator ({coordinators}) if you would like something added.")
        ask = ask.format(coordinators=who)
    else:
        ask = _("No coordinators are configured yet; the bot's operator can add them.")
    # `feature` comes translated: "posting an agenda".
    text = _("Sorry, {feature} is for the working group's coordinators. {ask}").format(
        feature=feature, ask=ask
    )
    return Message(text=text, blocks=[section(text)])


def something_went_wrong() -> Message:
    text = _(
        "Sorry, something went wrong on our side and your request was not completed. "
        "Nothing you entered was changed. Please try again in a minute; if it keeps happening, "
        "tell a coordinator."
    )
    return Message(text=text, blocks=[section(text)])


def too_busy() -> Message:
    text = _(
        "Sorry, many people are asking dei-bot at once and your request was not looked up. "
        "Nothing was changed. Please try again in a minute."
    )
    return Message(text=text, blocks=[section(text)])


# Translated where shown: _(RSVP_WORDS[state]), _(FORMAT_WORDS[format]).
RSVP_WORDS = {
    "going-in-person": N_("going, in person"),
    "going-online": N_("going, online"),
    "maybe": N_("maybe"),
    "not-going": N_("can't make it"),
    "waitlisted-in-person": N_("on the waitlist for in person"),
    "waitlisted-online": N_("on the waitlist for online"),
}
FORMAT_WORDS = {
    "in-person": N_("in person"),
    "online": N_("online"),
    "hybrid": N_("hybrid (in person and online)"),
}
NO_RSVP = N_("you have not RSVP'd yet")


def rsvp_words(state: str | None) -> str:
    """Someone's RSVP written out in the reader's language."""
    return _(RSVP_WORDS.get(state or "", NO_RSVP))


def format_words(format: str) -> str:
    """A meeting's format in the reader's language; an unknown one as stored."""
    return _(FORMAT_WORDS[format]) if format in FORMAT_WORDS else format


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
    # Every stored kind is in the catalog (resource_curation_blocks.KIND_WORDS).
    kind = _(resource.kind)
    if resource.community:
        named = _("{title} ({kind}), from {community}").format(
            title=shown, kind=escape(kind), community=escape(resource.community)
        )
    else:
        named = f"{shown} ({escape(kind)})"
    summary = f": {escape(truncate(resource.summary, 200))}" if resource.summary else ""
    plain = f"{resource.title} ({kind}){summary and ': ' + resource.summary[:200]}"
    return f"• {named}{summary}", plain


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
        text = no_topic_yet(month_label)
        return Message(text=text, blocks=[section(text)])
    blocks: list[dict[str, Any]] = [header(f"{month_label}: {topic_title}")]
    plain = [
        _("This month's topic ({month}): {title}.").format(month=month_label, title=topic_title)
    ]
    if topic_summary:
        blocks.append(section(escape(topic_summary)))
        plain.append(topic_summary)
    if meeting:
        where = format_words(meeting.format)
        if meeting.location:
            where += f", {escape(meeting.location)}"
        when = date_token(meeting.starts_at, zone)
        lines = [_("*Next meeting:* {date} ({where})").format(date=when, where=where)]
        plain_where = _("Next meeting: {date} ({where}).").format(
            date=plain_date(meeting.starts_at, zone), where=where
        )
        if meeting.join_url:
            lines.append(_("*Join online:* <{url}|join link>").format(url=meeting.join_url))
        state = rsvp_words(meeting.rsvp_state)
        lines.append(_("*Your RSVP:* {state}").format(state=state))
        blocks.append(section("\n".join(lines)))
        plain += [plain_where, _("Your RSVP: {state}.").format(state=state)]
    else:
        blocks.append(section(_("No meeting is scheduled yet for this topic.")))
        plain.append(_("No meeting is scheduled yet."))
    if resources:
        rendered = [resource_line(resource) for resource in resources]
        shown = "\n".join(m for m, _p in rendered)
        blocks.append(section(_("*Resources for this topic*") + "\n" + shown))
        plain.append(
            _("Resources: {resources}").format(resources="; ".join(p for _m, p in rendered))
        )
    if meeting and rsvp_buttons:
        blocks.append(rsvp_buttons)
    return Message(text=" ".join(plain), blocks=blocks)


@dataclass(frozen=True)
class CalendarMonth:
    month: str  # YYYY-MM
    label: str  # January 2027
    title: str | None  # None: TBD


def no_topic_yet(month_label: str) -> str:
    return _(
        "No topic is on the calendar for {month} yet. "
        "`{command} calendar` shows the months that are planned."
    ).format(month=month_label, command=COMMAND)


def topic_calendar(months: list[CalendarMonth], current_month: str) -> Message:
    if not months:
        text = _("The topic calendar is empty. Coordinators can load it with `dei-bot import`.")
        return Message(text=text, blocks=[section(text)])
    past = [m for m in months if m.month < current_month]
    coming = [m for m in months if m.month >= current_month]

    tbd = _("TBD")

    def line(month: CalendarMonth) -> tuple[str, str]:
        title = escape(month.title) if month.title else _("_TBD: topic not chosen yet_")
        plain_line = f"{month.label}: {month.title or tbd}"
        if month.month == current_month:
            shown = _("• *{month}*: {title} ← this month").format(month=month.label, title=title)
            return shown, plain_line
        return f"• *{month.label}*: {title}", plain_line

    blocks: list[dict[str, Any]] = [header(_("Working-group topic calendar"))]
    plain = [_("Working-group topic calendar.")]
    for heading, summary, group in (
        (_("*Coming*"), _("Coming: {months}."), coming),
        (_("*Past*"), _("Past: {months}."), list(reversed(past))),
    ):
        if not group:
            continue
        rendered = [line(month) for month in group]
        blocks += [section(heading), *sections_of([m for m, _p in rendered])]
        plain.append(summary.format(months="; ".join(p for _m, p in rendered)))
    return Message(text=" ".join(plain), blocks=blocks[:50])

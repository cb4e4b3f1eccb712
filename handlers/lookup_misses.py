"""Pure builder for the coordinators' weekly DM of lookups that found nothing."""

from __future__ import annotations

from handlers.blocks import COMMAND, Message, context, escape, section, truncate
from handlers.elements import TEXT_MAX
from handlers.i18n import _, ngettext
from handlers.lookup_blocks import WORDS_SHOWN


def miss_digest(week: str, misses: list[tuple[str, int]], distinct: int) -> Message:
    """The coordinators' weekly DM: what people looked for and did not find."""
    lines = [missed_search(example, count) for example, count in misses]
    title = _("Lookups that found nothing, week {week}").format(week=week)
    if distinct > len(misses):
        summary = _(
            "{count} different searches found nothing (the {shown} most frequent shown)."
        ).format(count=distinct, shown=len(misses))
    else:
        summary = ngettext(
            "{count} different search found nothing.",
            "{count} different searches found nothing.",
            distinct,
        ).format(count=distinct)
    advice = _(
        "Add what is missing with `{command} suggest`, or see every miss with "
        "`dei-bot export misses`."
    ).format(command=COMMAND)
    text = f"{title}: {summary} " + "; ".join(line[2:] for line in lines) + f". {advice}"
    return Message(
        text=truncate(text, TEXT_MAX),
        blocks=[section(f"*{title}*\n{summary}"), section("\n".join(lines)), context(advice)],
    )


def missed_search(example: str, count: int) -> str:
    shown = escape(truncate(example, WORDS_SHOWN))
    if count < 2:
        return f"• “{shown}”"
    return ngettext("• “{words}” ({count} time)", "• “{words}” ({count} times)", count).format(
        words=shown, count=count
    )

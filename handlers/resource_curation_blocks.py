"""Pure builders for growing the resource repository from Slack: the coordinators' review DM,
the outcome DMs and notices, and the buttons other answers carry, with the action IDs they emit.
The modals are built in `handlers.resource_curation_modals`.

Everything a person typed (titles, summaries, topics, reasons) is escaped before it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.blocks import COMMAND, Message, escape, section, truncate
from handlers.coaching_blocks import button, plain
from storage.resource_changes import ResourceFields

SUGGEST_RESOURCE = "resource_suggest"
EDIT_RESOURCE = "resource_edit"
RETIRE_RESOURCE = "resource_retire"
APPROVE_SUGGESTION = "suggestion_approve"
EDIT_SUGGESTION = "suggestion_edit"
REJECT_SUGGESTION = "suggestion_reject"


TITLE_MAX = 200
LINK_MAX = 1000
TOPICS_TEXT_MAX = 500
TOPIC_MAX = 80
MAX_TOPICS = 10
SUMMARY_MAX = 500
REASON_MAX = 500

# What the modal is for, carried in its private_metadata: `suggest`, `add`, `edit:KEY`, `review:ID`
SUGGEST, ADD, EDIT, REVIEW = "suggest", "add", "edit", "review"


def who(users: tuple[str, ...]) -> str:
    return ", ".join(f"<@{user}>" for user in users) or "the coordinators"


def titled(title: str, url: str | None) -> str:
    """A title as mrkdwn: a link only for an address that cannot break out of the link."""
    shown = escape(truncate(title, 150))
    if url and safe_link(url):
        return f"<{url}|{shown}>"
    return f"*{shown}*"


def safe_link(url: str) -> bool:
    lowered = url.casefold()
    return (
        lowered.startswith(("https://", "http://"))
        and len(url) <= LINK_MAX
        and not any(char in url for char in "<>| \n\t\r")
    )


# -- buttons other answers carry ---------------------------------------------------------------


def suggest_button(coordinator: bool) -> dict[str, Any]:
    label = "Add a resource" if coordinator else "Suggest a resource"
    return button(SUGGEST_RESOURCE, label, SUGGEST)


def resource_tools(key: str, title: str) -> dict[str, Any]:
    """Coordinators' Edit and Retire under one resource; retiring asks first."""
    retire = button(RETIRE_RESOURCE, "Retire", key, style="danger")
    retire["confirm"] = {
        "title": plain("Retire this resource?"),
        "text": plain(
            truncate(
                f"“{title}” will no longer appear in any answer. Its history is kept, and a "
                "coordinator can add it again.",
                300,
            )
        ),
        "confirm": plain("Retire"),
        "deny": plain("Keep it"),
        "style": "danger",
    }
    return {
        "type": "actions",
        "block_id": f"resource-tools:{key}"[:255],
        "elements": [button(EDIT_RESOURCE, "Edit", key), retire],
    }


# -- reviews and outcomes ----------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestionCard:
    id: int
    user_id: str
    fields: ResourceFields


def suggestion_lines(card: SuggestionCard) -> tuple[str, str]:
    """Mrkdwn and plain text of a suggested resource."""
    fields = card.fields
    lines = [f"{titled(fields.title, fields.url)} ({escape(fields.kind)})"]
    plain_text = [f"“{escape(truncate(fields.title, 150))}” ({escape(fields.kind)})"]
    if fields.url:
        lines.append(f"Link: {escape(truncate(fields.url, 300))}")
        plain_text.append(f"link {escape(truncate(fields.url, 300))}")
    if fields.summary:
        lines.append(escape(truncate(fields.summary, SUMMARY_MAX)))
        plain_text.append(escape(truncate(fields.summary, 200)))
    if fields.topics:
        topics = escape(truncate(", ".join(fields.topics), 300))
        lines.append(f"Topics: {topics}")
        plain_text.append(f"topics: {topics}")
    return "\n".join(lines), ", ".join(plain_text)


def review_request(card: SuggestionCard) -> Message:
    shown, text = suggestion_lines(card)
    value = str(card.id)
    return Message(
        text=f"<@{card.user_id}> suggests a resource for the repository: {text}. "
        "Approve, edit or reject it here.",
        blocks=[
            section(f"<@{card.user_id}> suggests a resource for the repository:\n{shown}"),
            {
                "type": "actions",
                "block_id": f"suggestion:{card.id}",
                "elements": [
                    button(APPROVE_SUGGESTION, "Approve", value, style="primary"),
                    button(EDIT_SUGGESTION, "Edit, then approve", value),
                    button(REJECT_SUGGESTION, "Reject", value, style="danger"),
                ],
            },
        ],
    )


def notice(text: str) -> Message:
    return Message(text=text, blocks=[section(text)])


def decided(card: SuggestionCard, state: str, by: str, key: str | None = None) -> Message:
    """What the coordinator's review DM becomes once the suggestion is decided."""
    title = escape(truncate(card.fields.title, 150))
    if state == "approved":
        where = f" It is in the repository as `{key}`." if key else ""
        return notice(f"Approved by <@{by}>: “{title}”, suggested by <@{card.user_id}>.{where}")
    return notice(f"Rejected by <@{by}>: “{title}”, suggested by <@{card.user_id}>.")


def already_decided(card: SuggestionCard, state: str, by: str | None) -> Message:
    title = escape(truncate(card.fields.title, 150))
    return notice(f"“{title}” was already {state} by <@{by or 'a coordinator'}>. Nothing changed.")


def approved_for_member(title: str, by: str, words: str) -> Message:
    shown = escape(truncate(title, 150))
    return notice(
        f"Good news: your suggestion “{shown}” was added to the resource repository by <@{by}>. "
        f"Everyone finds it now, e.g. with `{COMMAND} {escape(truncate(words, 60))}`. Thank you!"
    )


def rejected_for_member(title: str, by: str, reason: str) -> Message:
    shown = escape(truncate(title, 150))
    said = (
        f" <@{by}> said: “{escape(truncate(reason, REASON_MAX))}”"
        if reason
        else f" Ask <@{by}> if you would like to know more."
    )
    return notice(
        f"Thank you for suggesting “{shown}”. The coordinators decided not to add it to the "
        f"resource repository.{said}"
    )


def thanks_for_suggesting(title: str, coordinators: tuple[str, ...]) -> Message:
    shown = escape(truncate(title, 150))
    if not coordinators:
        return notice(
            f"Thanks! Your suggestion “{shown}” is saved. No coordinators are configured yet; "
            "it waits for them, and you get a message when one decides."
        )
    return notice(
        f"Thanks! Your suggestion “{shown}” went to the coordinators ({who(coordinators)}). "
        "You get a message when one of them decides."
    )


def resource_added(title: str, key: str) -> Message:
    return notice(
        f"Added “{escape(truncate(title, 150))}” to the resource repository (key `{key}`). "
        "It appears in answers right away."
    )


def resource_saved(title: str, changed: list[str]) -> Message:
    shown = escape(truncate(title, 150))
    if not changed:
        return notice(f"Nothing changed in “{shown}”; it is marked as checked and current.")
    return notice(f"Saved “{shown}”: changed {', '.join(changed)}.")


def resource_retired(title: str, retired_now: bool) -> Message:
    shown = escape(truncate(title, 150))
    if not retired_now:
        return notice(f"“{shown}” was already retired. Nothing changed.")
    return notice(f"Retired “{shown}”: it no longer appears in answers. Its history is kept.")


def no_such_resource() -> Message:
    return notice(
        "That resource is no longer in the repository (it may have been retired). Nothing changed."
    )


def no_such_suggestion() -> Message:
    return notice("That suggestion could not be found. Nothing changed.")

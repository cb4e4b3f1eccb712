"""Pure builders for growing the resource repository from Slack: the coordinators' review DM,
the outcome DMs and notices, and the buttons other answers carry, with the action IDs they emit.
The modals are built in `handlers.resource_curation_modals`.

Everything a person typed (titles, summaries, topics, reasons) is escaped before it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.blocks import COMMAND, Message, escape, section, truncate
from handlers.elements import button, plain
from handlers.i18n import N_, _
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

# What an edit changed, named as the coordinator reads it (storage's field names as keys).
FIELD_NAMES = {
    "title": N_("title"),
    "url": N_("url"),
    "kind": N_("kind"),
    "summary": N_("summary"),
    "topics": N_("topics"),
}
# A resource's kind as stored, and as the reader sees it in their language.
KIND_WORDS = {
    "toolkit": N_("toolkit"),
    "guide": N_("guide"),
    "case-study": N_("case-study"),
    "template": N_("template"),
    "training": N_("training"),
    "data": N_("data"),
    "policy": N_("policy"),
}


def who(users: tuple[str, ...]) -> str:
    return ", ".join(f"<@{user}>" for user in users) or _("the coordinators")


def titled(title: str, url: str | None) -> str:
    """A title as mrkdwn: a link only for an address that cannot break out of the link."""
    shown = escape(truncate(title, 150))
    if url and safe_link(url):
        return f"<{url}|{shown}>"
    return f"*{shown}*"


def kind_words(kind: str) -> str:
    """A known kind in the reader's language; anything else as stored."""
    return _(KIND_WORDS[kind]) if kind in KIND_WORDS else kind


def safe_link(url: str) -> bool:
    lowered = url.casefold()
    return (
        lowered.startswith(("https://", "http://"))
        and len(url) <= LINK_MAX
        and not any(char in url for char in "<>| \n\t\r")
    )


# -- buttons other answers carry ---------------------------------------------------------------


def suggest_button(coordinator: bool) -> dict[str, Any]:
    label = _("Add a resource") if coordinator else _("Suggest a resource")
    return button(SUGGEST_RESOURCE, label, SUGGEST)


def resource_tools(key: str, title: str) -> dict[str, Any]:
    """Coordinators' Edit and Retire under one resource; retiring asks first."""
    # Every result has its own pair: a screen reader says which resource each button acts on.
    retire = button(
        RETIRE_RESOURCE,
        _("Retire"),
        key,
        style="danger",
        hint=_("Retire “{title}”").format(title=title),
    )
    warning = _(
        "“{title}” will no longer appear in any answer. Its history is kept, and a "
        "coordinator can add it again."
    ).format(title=title)
    retire["confirm"] = {
        "title": plain(_("Retire this resource?")),
        "text": plain(truncate(warning, 300)),
        "confirm": plain(_("Retire")),
        "deny": plain(_("Keep it")),
        "style": "danger",
    }
    return {
        "type": "actions",
        "block_id": f"resource-tools:{key}"[:255],
        "elements": [
            button(EDIT_RESOURCE, _("Edit"), key, hint=_("Edit “{title}”").format(title=title)),
            retire,
        ],
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
    kind = escape(kind_words(fields.kind))
    lines = [f"{titled(fields.title, fields.url)} ({kind})"]
    plain_text = [f"“{escape(truncate(fields.title, 150))}” ({kind})"]
    if fields.url:
        link = escape(truncate(fields.url, 300))
        lines.append(_("Link: {link}").format(link=link))
        plain_text.append(_("link {link}").format(link=link))
    if fields.summary:
        lines.append(escape(truncate(fields.summary, SUMMARY_MAX)))
        plain_text.append(escape(truncate(fields.summary, 200)))
    if fields.topics:
        topics = escape(truncate(", ".join(fields.topics), 300))
        lines.append(_("Topics: {topics}").format(topics=topics))
        plain_text.append(_("topics: {topics}").format(topics=topics))
    return "\n".join(lines), ", ".join(plain_text)


def review_request(card: SuggestionCard) -> Message:
    shown, text = suggestion_lines(card)
    value = str(card.id)
    member = f"<@{card.user_id}>"
    return Message(
        text=_(
            "{member} suggests a resource for the repository: {resource}. "
            "Approve, edit or reject it here."
        ).format(member=member, resource=text),
        blocks=[
            section(
                _("{member} suggests a resource for the repository:\n{resource}").format(
                    member=member, resource=shown
                )
            ),
            {
                "type": "actions",
                "block_id": f"suggestion:{card.id}",
                "elements": [
                    button(APPROVE_SUGGESTION, _("Approve"), value, style="primary"),
                    button(EDIT_SUGGESTION, _("Edit, then approve"), value),
                    button(REJECT_SUGGESTION, _("Reject"), value, style="danger"),
                ],
            },
        ],
    )


def notice(text: str) -> Message:
    return Message(text=text, blocks=[section(text)])


def decided(card: SuggestionCard, state: str, by: str, key: str | None = None) -> Message:
    """What the coordinator's review DM becomes once the suggestion is decided."""
    said = {"title": escape(truncate(card.fields.title, 150)), "by": by, "member": card.user_id}
    if state == "approved" and key:
        return notice(
            _(
                "Approved by <@{by}>: “{title}”, suggested by <@{member}>. "
                "It is in the repository as `{key}`."
            ).format(key=key, **said)
        )
    if state == "approved":
        return notice(_("Approved by <@{by}>: “{title}”, suggested by <@{member}>.").format(**said))
    return notice(_("Rejected by <@{by}>: “{title}”, suggested by <@{member}>.").format(**said))


def already_decided(card: SuggestionCard, state: str, by: str | None) -> Message:
    title = escape(truncate(card.fields.title, 150))
    decider = f"<@{by}>" if by else _("a coordinator")
    if state == "approved":
        said = _("“{title}” was already approved by {decider}. Nothing changed.")
    elif state == "rejected":
        said = _("“{title}” was already rejected by {decider}. Nothing changed.")
    else:
        said = _("“{title}” was already decided by {decider}. Nothing changed.")
    return notice(said.format(title=title, decider=decider))


def approved_for_member(title: str, by: str, words: str) -> Message:
    return notice(
        _(
            "Good news: your suggestion “{title}” was added to the resource repository by "
            "<@{by}>. Everyone finds it now, e.g. with `{command} {words}`. Thank you!"
        ).format(
            title=escape(truncate(title, 150)),
            by=by,
            command=COMMAND,
            words=escape(truncate(words, 60)),
        )
    )


def rejected_for_member(title: str, by: str, reason: str) -> Message:
    said = {"title": escape(truncate(title, 150)), "by": by}
    if reason:
        return notice(
            _(
                "Thank you for suggesting “{title}”. The coordinators decided not to add it to "
                "the resource repository. <@{by}> said: “{reason}”"
            ).format(reason=escape(truncate(reason, REASON_MAX)), **said)
        )
    return notice(
        _(
            "Thank you for suggesting “{title}”. The coordinators decided not to add it to "
            "the resource repository. Ask <@{by}> if you would like to know more."
        ).format(**said)
    )


def thanks_for_suggesting(title: str, coordinators: tuple[str, ...]) -> Message:
    shown = escape(truncate(title, 150))
    if not coordinators:
        return notice(
            _(
                "Thanks! Your suggestion “{title}” is saved. No coordinators are configured yet; "
                "it waits for them, and you get a message when one decides."
            ).format(title=shown)
        )
    return notice(
        _(
            "Thanks! Your suggestion “{title}” went to the coordinators ({coordinators}). "
            "You get a message when one of them decides."
        ).format(title=shown, coordinators=who(coordinators))
    )


def resource_added(title: str, key: str) -> Message:
    return notice(
        _(
            "Added “{title}” to the resource repository (key `{key}`). "
            "It appears in answers right away."
        ).format(title=escape(truncate(title, 150)), key=key)
    )


def resource_saved(title: str, changed: list[str]) -> Message:
    shown = escape(truncate(title, 150))
    if not changed:
        return notice(
            _("Nothing changed in “{title}”; it is marked as checked and current.").format(
                title=shown
            )
        )
    names = ", ".join(_(FIELD_NAMES[name]) if name in FIELD_NAMES else name for name in changed)
    return notice(_("Saved “{title}”: changed {fields}.").format(title=shown, fields=names))


def resource_retired(title: str, retired_now: bool) -> Message:
    shown = escape(truncate(title, 150))
    if not retired_now:
        return notice(_("“{title}” was already retired. Nothing changed.").format(title=shown))
    return notice(
        _("Retired “{title}”: it no longer appears in answers. Its history is kept.").format(
            title=shown
        )
    )


def no_such_resource() -> Message:
    return notice(
        _(
            "That resource is no longer in the repository (it may have been retired). "
            "Nothing changed."
        )
    )


def no_such_suggestion() -> Message:
    return notice(_("That suggestion could not be found. Nothing changed."))

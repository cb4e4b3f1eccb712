"""Block Kit limits that Slack enforces on its side.

Slack rejects an over-long button label or a 51st block only at run time, so the stand-in checks
the same limits and a layout that grew too big fails in tests instead of in front of users.
Messages mimic Slack's: ``[ERROR] <problem> [json-pointer:<where>]``.
"""

from __future__ import annotations

from typing import Any

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100
MODAL_TITLE_MAX = 24
MODAL_BUTTON_MAX = 24
SECTION_TEXT_MAX = 3000
SECTION_FIELD_MAX = 2000
SECTION_MAX_FIELDS = 10
HEADER_TEXT_MAX = 150
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
ACCESSIBILITY_LABEL_MAX = 75
URL_MAX = 3000
ID_MAX = 255
ACTIONS_MAX_ELEMENTS = 25
CONTEXT_MAX_ELEMENTS = 10
INPUT_LABEL_MAX = 2000
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
MAX_OPTIONS = 100
PRIVATE_METADATA_MAX = 3000

# Slack refuses a block type it does not know, which is how a typo such as "secton" shows up;
# the list is generous so that a newer, legitimate type is not refused here.
KNOWN_BLOCK_TYPES = frozenset(
    {
        "actions",
        "alert",
        "call",
        "card",
        "carousel",
        "context",
        "context_actions",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "plan",
        "rich_text",
        "section",
        "table",
        "task_card",
        "video",
    }
)

_SELECT_TYPES = frozenset(
    {"static_select", "multi_static_select", "overflow", "radio_buttons", "checkboxes"}
)


def _err(problem: str, pointer: str) -> str:
    return f"[ERROR] {problem} [json-pointer:{pointer}]"


def _too_long(pointer: str, limit: int) -> str:
    # Slack words its length errors as an exclusive bound.
    return _err(f"must be less than {limit + 1} characters", pointer)


def _check_str(value: Any, pointer: str, limit: int, problems: list[str]) -> None:
    if isinstance(value, str) and len(value) > limit:
        problems.append(_too_long(pointer, limit))


def check_text_object(
    obj: Any,
    pointer: str,
    limit: int,
    problems: list[str],
    *,
    plain_only: bool = False,
) -> None:
    """A composition text object: ``{"type": "plain_text"|"mrkdwn", "text": ...}``."""
    if not isinstance(obj, dict):
        problems.append(_err("must be an object", pointer))
        return
    kind = obj.get("type")
    allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
    if kind not in allowed:
        problems.append(_err(f"must be one of {list(allowed)}", f"{pointer}/type"))
    text = obj.get("text")
    if not isinstance(text, str):
        problems.append(_err("missing required field: text", pointer))
    elif not text:
        problems.append(_err("must be more than 0 characters", f"{pointer}/text"))
    else:
        _check_str(text, f"{pointer}/text", limit, problems)


def _check_options(options: Any, pointer: str, problems: list[str]) -> None:
    if not isinstance(options, list):
        return
    if len(options) > MAX_OPTIONS:
        problems.append(_err(f"no more than {MAX_OPTIONS} items allowed", pointer))
    for i, option in enumerate(options):
        if not isinstance(option, dict):
            problems.append(_err("must be an object", f"{pointer}/{i}"))
            continue
        check_text_object(option.get("text"), f"{pointer}/{i}/text", OPTION_TEXT_MAX, problems)
        _check_str(option.get("value"), f"{pointer}/{i}/value", OPTION_VALUE_MAX, problems)


def check_element(element: Any, pointer: str, problems: list[str]) -> None:
    """An interactive element (button, select, date picker, ...) or an image element."""
    if not isinstance(element, dict):
        problems.append(_err("must be an object", pointer))
        return
    kind = element.get("type")
    if not isinstance(kind, str):
        problems.append(_err("missing required field: type", pointer))
        return
    _check_str(element.get("action_id"), f"{pointer}/action_id", ID_MAX, problems)
    if kind == "button":
        check_text_object(
            element.get("text"), f"{pointer}/text", BUTTON_TEXT_MAX, problems, plain_only=True
        )
        _check_str(element.get("value"), f"{pointer}/value", BUTTON_VALUE_MAX, problems)
        _check_str(element.get("url"), f"{pointer}/url", URL_MAX, problems)
        _check_str(
            element.get("accessibility_label"),
            f"{pointer}/accessibility_label",
            ACCESSIBILITY_LABEL_MAX,
            problems,
        )
    elif kind in _SELECT_TYPES:
        _check_options(element.get("options"), f"{pointer}/options", problems)
    if "placeholder" in element and kind != "image":
        check_text_object(
            element["placeholder"], f"{pointer}/placeholder", 150, problems, plain_only=True
        )


def _check_section(block: dict[str, Any], pointer: str, problems: list[str]) -> None:
    text = block.get("text")
    fields = block.get("fields")
    if text is None and fields is None:
        problems.append(_err("must provide either text or fields", pointer))
    if text is not None:
        check_text_object(text, f"{pointer}/text", SECTION_TEXT_MAX, problems)
    if fields is not None:
        if not isinstance(fields, list):
            problems.append(_err("must be an array", f"{pointer}/fields"))
        else:
            if len(fields) > SECTION_MAX_FIELDS:
                problems.append(
                    _err(f"no more than {SECTION_MAX_FIELDS} items allowed", f"{pointer}/fields")
                )
            for i, field in enumerate(fields):
                check_text_object(field, f"{pointer}/fields/{i}", SECTION_FIELD_MAX, problems)
    if "accessory" in block:
        check_element(block["accessory"], f"{pointer}/accessory", problems)


def _check_elements(
    block: dict[str, Any], pointer: str, limit: int, problems: list[str], *, interactive: bool
) -> None:
    elements = block.get("elements")
    if not isinstance(elements, list):
        problems.append(_err("missing required field: elements", pointer))
        return
    if len(elements) > limit:
        problems.append(_err(f"no more than {limit} items allowed", f"{pointer}/elements"))
    for i, element in enumerate(elements):
        where = f"{pointer}/elements/{i}"
        if interactive or (isinstance(element, dict) and element.get("type") == "image"):
            check_element(element, where, problems)
        else:
            check_text_object(element, where, SECTION_TEXT_MAX, problems)


def check_block(block: Any, pointer: str, problems: list[str]) -> None:
    if not isinstance(block, dict):
        problems.append(_err("must be an object", pointer))
        return
    kind = block.get("type")
    if not isinstance(kind, str):
        problems.append(_err("missing required field: type", pointer))
        return
    if kind not in KNOWN_BLOCK_TYPES:
        problems.append(_err(f"unsupported type: {kind}", f"{pointer}/type"))
        return
    _check_str(block.get("block_id"), f"{pointer}/block_id", ID_MAX, problems)
    if kind == "section":
        _check_section(block, pointer, problems)
    elif kind == "header":
        check_text_object(
            block.get("text"), f"{pointer}/text", HEADER_TEXT_MAX, problems, plain_only=True
        )
    elif kind == "actions":
        _check_elements(block, pointer, ACTIONS_MAX_ELEMENTS, problems, interactive=True)
    elif kind == "context":
        _check_elements(block, pointer, CONTEXT_MAX_ELEMENTS, problems, interactive=False)
    elif kind == "input":
        check_text_object(
            block.get("label"), f"{pointer}/label", INPUT_LABEL_MAX, problems, plain_only=True
        )
        if "hint" in block:
            check_text_object(
                block["hint"], f"{pointer}/hint", INPUT_LABEL_MAX, problems, plain_only=True
            )
        if "element" not in block:
            problems.append(_err("missing required field: element", pointer))
        else:
            check_element(block["element"], f"{pointer}/element", problems)
    elif kind == "image":
        _check_str(block.get("image_url"), f"{pointer}/image_url", URL_MAX, problems)
        _check_str(block.get("alt_text"), f"{pointer}/alt_text", INPUT_LABEL_MAX, problems)


def check_blocks(blocks: Any, pointer: str, max_blocks: int) -> list[str]:
    """Problems with a ``blocks`` array (empty list when it is acceptable)."""
    problems: list[str] = []
    if not isinstance(blocks, list):
        return [_err("must be an array", pointer)]
    if len(blocks) > max_blocks:
        problems.append(_err(f"no more than {max_blocks} items allowed", pointer))
    for i, block in enumerate(blocks):
        check_block(block, f"{pointer}/{i}", problems)
    return problems


def check_view(view: Any, allowed_types: frozenset[str]) -> list[str]:
    """Problems with a view payload for views.open/push/update/publish."""
    pointer = "/view"
    if not isinstance(view, dict):
        return [_err("must be an object", pointer)]
    problems: list[str] = []
    kind = view.get("type")
    if kind not in allowed_types:
        problems.append(_err(f"must be one of {sorted(allowed_types)}", f"{pointer}/type"))
        return problems
    if kind == "modal":
        if "title" not in view:
            problems.append(_err("missing required field: title", pointer))
        else:
            check_text_object(
                view["title"], f"{pointer}/title", MODAL_TITLE_MAX, problems, plain_only=True
            )
        for button in ("submit", "close"):
            if view.get(button) is not None:
                check_text_object(
                    view[button], f"{pointer}/{button}", MODAL_BUTTON_MAX, problems, plain_only=True
                )
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        # Without a submit button an input block could never be submitted, so Slack refuses it.
        if has_input and view.get("submit") is None:
            problems.append(_err("submit is required when input blocks are present", pointer))
    if "blocks" not in view:
        problems.append(_err("missing required field: blocks", pointer))
    else:
        problems.extend(check_blocks(view["blocks"], f"{pointer}/blocks", VIEW_MAX_BLOCKS))
    _check_str(
        view.get("private_metadata"), f"{pointer}/private_metadata", PRIVATE_METADATA_MAX, problems
    )
    _check_str(view.get("callback_id"), f"{pointer}/callback_id", ID_MAX, problems)
    _check_str(view.get("external_id"), f"{pointer}/external_id", ID_MAX, problems)
    return problems

import logging

from bot.logs import RedactSecrets


def test_tokens_and_known_secrets_are_scrubbed(caplog) -> None:
    logger = logging.getLogger("test.redaction")
    redact = RedactSecrets(["my-signing-secret"])
    logger.addFilter(redact)
    try:
        with caplog.at_level(logging.INFO, logger="test.redaction"):
            logger.info("token %s and secret %s", "xoxb-123-abc", "my-signing-secret")
            try:
                raise RuntimeError("boom xapp-1-XYZ")
            except RuntimeError:
                logger.exception("failed with %s", "xoxp-9")
    finally:
        logger.removeFilter(redact)
    text = caplog.text
    assert "xoxb-123-abc" not in text and "my-signing-secret" not in text
    assert "xapp-1-XYZ" not in text and "xoxp-9" not in text
    assert text.count("[redacted]") >= 4

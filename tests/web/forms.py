"""Signing forms as people fill them in: type, choose, tick; read the words and the dry run
before signing; sign; upload a file; find an event's number on the matter page."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from playwright.sync_api import FilePayload, Page

REVIEW = "Se hvad du underskriver"
SIGN = "Underskriv med min nøgle"


def fill(page: Page, values: dict[str, str]) -> None:
    """Fill in a form as a person does: type, choose, tick."""
    for selector, value in values.items():
        field = page.locator(selector)
        if field.get_attribute("type") in ("radio", "checkbox"):
            field.check()
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def ready(page: Page) -> None:
    """Wait until the page's signing module runs (before it, the form would post as HTML)."""
    page.locator("#action-form[data-ready=yes]").wait_for(state="attached")


def review(page: Page) -> str:
    """Ask for the words and the dry run; what the confirm panel says."""
    ready(page)
    page.get_by_role("button", name=REVIEW).click()
    return confirmed_words(page)


def confirmed_words(page: Page) -> str:
    """The words the confirm panel shows once it opens (a page may open it by itself)."""
    confirm = page.locator("#confirm-words")
    try:
        confirm.wait_for(state="visible", timeout=30_000)
    except Exception:
        raise AssertionError(page.locator("#action-status").inner_text()) from None
    words = confirm.inner_text()
    assert words.startswith("Du underskriver:"), words
    return words


def sign(page: Page) -> int:
    """Sign what the confirm panel shows; the leaf index it was stored as."""
    page.get_by_role("button", name=SIGN).click()
    page.locator("#done").wait_for(state="visible", timeout=30_000)
    return int(page.locator("#done").get_attribute("data-leaf") or "-1")


def act(
    page: Page,
    matter: str,
    action: str,
    values: dict[str, str],
    expect: str,
    *,
    ledger: str = "ballerup",
) -> int:
    """Fill in an action's form, check its words and that its dry run is shown, sign."""
    page.goto(f"/l/{ledger}/sager/{matter}/handling/{action}")
    fill(page, values)
    words = review(page)
    assert expect in words, words
    assert page.locator("#dry-run").get_attribute("data-admitted") == "true"
    return sign(page)


def upload(page: Page, name: str, content: bytes) -> str:
    """Choose a file in the material form once it can take one, and wait until the browser has
    hashed and listed it; its SHA-256 (hex), which is what will be signed."""
    page.locator("#documents[data-ready=yes]").wait_for(state="attached")
    page.set_input_files(
        "#f-files", files=[FilePayload(name=name, mimeType="text/plain", buffer=content)]
    )
    digest = hashlib.sha256(content).hexdigest()
    try:
        page.locator(f"#document-rows li[data-sha256='{digest}']").wait_for()
    except Exception:
        raise AssertionError(page.locator("#upload-status").inner_text()) from None
    return digest


def fill_decision(
    page: Page, outcome: str, rationale: str, inputs: Iterable[int], treatment: str, reason: str
) -> None:
    """Fill in the decision form: its outcome and rationale, each input treated alike."""
    fill(page, {"#f-outcome": outcome, "#f-rationale": rationale})
    for seq in inputs:
        fill(page, {f"#f-treatment-{seq}-{treatment}": "", f"#f-reason-{seq}": reason})


def required_inputs(page: Page) -> list[int]:
    """The sequence numbers of the inputs the decision form asks a treatment of."""
    required = page.locator("fieldset.decision-input[data-required=yes]")
    return [int(s.get_attribute("data-seq") or 0) for s in required.all()]


def raised_rules(page: Page) -> list[str]:
    """The rules the dry run says the event would raise."""
    return [
        str(item.get_attribute("data-rule")) for item in page.locator("#dry-run-raised li").all()
    ]


def seq_of(page: Page, matter: str, event_type: str, *, ledger: str = "ballerup") -> int:
    """The sequence number of the last event of a type on the matter page."""
    page.goto(f"/l/{ledger}/sager/{matter}")
    entries = page.locator(f"ol.timeline li[data-type={event_type}]").all()
    assert entries, event_type
    return int((entries[-1].get_attribute("id") or "seq-0").removeprefix("seq-"))

"""Read a response the way a person reads the page."""

import re

from bs4 import BeautifulSoup
from django.urls import reverse

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "blauwe reiger aan de waterkant"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def squash(text: str) -> str:
    """One space between words, none before punctuation (tags were joined with spaces)."""
    return re.sub(r" ([.,:;!?)])", r"\1", " ".join(text.split()))


def main_text(response) -> str:
    """The visible text of <main>: the page without header and footer."""
    main = soup(response).find("main")
    assert main is not None, "page has no <main>"
    return squash(main.get_text(" "))


def header_text(response) -> str:
    return squash(soup(response).find("header", class_="lk-header").get_text(" "))


def title(response) -> str:
    return squash(soup(response).title.get_text())


def field_error(response, field_id: str) -> str:
    """The error text shown next to a field, checked to be linked to the control."""
    page = soup(response)
    control = page.find(id=field_id)
    assert control is not None, f"no control #{field_id}"
    assert control.get("aria-invalid") == "true", f"#{field_id} is not marked invalid"
    error_id = f"{field_id}_error"
    assert error_id in control.get("aria-describedby", "").split(), f"#{field_id} does not point at its error"
    error = page.find(id=error_id)
    assert error is not None, f"no error element #{error_id}"
    return squash(error.get_text(" ")).removeprefix("Fout: ")


def error_summary(response) -> str:
    summary = soup(response).find(class_="lk-error-summary")
    assert summary is not None, "no error summary at the top of the form"
    assert summary.get("role") == "alert"
    return squash(summary.get_text(" "))


def unlabelled_controls(response) -> list[str]:
    """Visible form controls without a <label for=…> (or a wrapping label)."""
    page = soup(response)
    labels = {label.get("for") for label in page.find_all("label")}
    missing = []
    for control in page.select("main input, main select, main textarea"):
        if control.get("type") in {"hidden", "submit", "button"}:
            continue
        if control.get("id") not in labels and control.find_parent("label") is None:
            missing.append(str(control))
    return missing


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def log_in(client, email: str, password: str = PASSWORD, follow: bool = False):
    return client.post(reverse("account_login"), {"login": email, "password": password}, follow=follow)

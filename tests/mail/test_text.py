"""Reply stripping and HTML-to-text beyond the corpus: the tricky lines."""

from __future__ import annotations

from incidents.mail.htmltext import html_to_text
from incidents.mail.quotes import strip_reply


def test_a_sentence_starting_with_on_is_not_taken_for_an_attribution():
    text = "On Monday the printer worked.\nToday it doesn't."
    assert strip_reply(text) == text


def test_localised_attributions_are_recognised():
    assert (
        strip_reply("Merci !\n\nLe mar. 3 juin 2025 à 10:12, Service Desk <sd@acme.example> a écrit :\n> x")
        == "Merci !"
    )
    assert strip_reply("Dzięki\n\nW dniu 3.06.2025 o 10:12, Service Desk pisze:\n> x") == "Dzięki"


def test_interleaved_quotes_keep_the_answers():
    text = "> Did you restart?\nYes, twice.\n> Which model?\nM404"
    assert strip_reply(text) == "Yes, twice.\nM404"


def test_a_from_line_without_a_sent_line_is_kept():
    text = "From: my desk it looks fine\nbut the printer says offline"
    assert strip_reply(text) == text


def test_html_tables_and_line_breaks_become_readable_text():
    html = "<table><tr><td>Model</td><td>M404</td></tr><tr><td>Floor</td><td>3</td></tr></table><p>a<br>b</p>"
    assert html_to_text(html) == "Model M404\nFloor 3\n\na\nb"


def test_badly_nested_html_does_not_lose_text():
    assert "still here" in html_to_text("<div><blockquote><p>quoted</div><p>still here")

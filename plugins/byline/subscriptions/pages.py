"""The service's own pages: small, accessible HTML with no script and no third-party
request, in the theme's spirit (a column of text, one heading, one action)."""

from __future__ import annotations

import html

STYLE = """
:root { color-scheme: light dark; --ink: #1a1a1a; --paper: #fdfcf9; --accent: #8a1c1c; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #ecebe8; --paper: #161616; --accent: #f0a0a0; }
}
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 1.125rem/1.6 Georgia, "Times New Roman", serif; }
main { max-width: 34rem; margin: 3rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.75rem; line-height: 1.2; }
a { color: var(--accent); }
button { font: inherit; padding: .6rem 1.2rem; border: 2px solid var(--accent);
  background: var(--accent); color: var(--paper); border-radius: .25rem; cursor: pointer; }
.trap { position: absolute; left: -10000px; }
button:focus-visible, a:focus-visible { outline: 3px solid var(--ink); outline-offset: 2px; }
"""


def page(title: str, paragraphs: list[str], *, form: str = "") -> str:
    """A whole page: ``paragraphs`` are HTML already escaped by the caller (see ``esc``;
    empty ones are left out), ``form`` the page's one form, if any."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs if p)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head>"
        f"<body><main><h1>{esc(title)}</h1>{body}{form}</main></body></html>"
    )


def button_form(action: str, label: str) -> str:
    """A form that is one button: a POST to ``action``."""
    return (
        f'<form method="post" action="{esc(action)}">'
        f'<button type="submit">{esc(label)}</button></form>'
    )


def signup_form(honeypot: str) -> str:
    """The service's own sign-up form, with the honeypot out of sight and out of the tab
    order (the theme's form has the same fields)."""
    return (
        '<form method="post" action="subscribe">'
        '<p><label for="email">Email address</label><br>'
        '<input type="email" id="email" name="email" autocomplete="email" required></p>'
        '<div class="trap" aria-hidden="true">'
        f'<label for="{honeypot}">Leave this empty</label>'
        f'<input id="{honeypot}" name="{honeypot}" tabindex="-1" autocomplete="off"></div>'
        '<button type="submit">Subscribe</button></form>'
    )


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def link(url: str, text: str) -> str:
    return f'<a href="{esc(url)}">{esc(text)}</a>'

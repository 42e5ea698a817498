"""Site tasks (invoke): pelican-quickstart's set, plus Byline's own.

A thin command layer: each task calls Pelican or a module in plugins/byline.
Run `invoke --list` to see them.
"""

import os
import shlex
import shutil
import sys
from datetime import UTC, date
from pathlib import Path

from invoke import Collection, task
from invoke.main import program
from pelican import main as pelican_main
from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

sys.path.insert(0, str(Path(__file__).resolve().parent / "plugins"))
from byline.settings import apply_defaults  # noqa: E402

OPEN_BROWSER_ON_SERVE = os.environ.get("BYLINE_OPEN_BROWSER", "") == "1"
SETTINGS_FILE_BASE = "pelicanconf.py"
SETTINGS = {}
SETTINGS.update(DEFAULT_CONFIG)
LOCAL_SETTINGS = get_settings_from_file(SETTINGS_FILE_BASE)
SETTINGS.update(LOCAL_SETTINGS)
apply_defaults(SETTINGS)

CONFIG = {
    "settings_base": SETTINGS_FILE_BASE,
    "settings_publish": "publishconf.py",
    # Output path. Can be absolute or relative to tasks.py. Default: 'output'
    "deploy_path": SETTINGS["OUTPUT_PATH"],
    # Remote server for `invoke publish` (rsync over SSH); set them in pelicanconf.py
    "ssh_user": SETTINGS["BYLINE_DEPLOY_SSH_USER"],
    "ssh_host": SETTINGS["BYLINE_DEPLOY_SSH_HOST"],
    "ssh_port": SETTINGS["BYLINE_DEPLOY_SSH_PORT"],
    "ssh_path": SETTINGS["BYLINE_DEPLOY_SSH_PATH"],
    # GitHub Pages configuration
    "github_pages_branch": SETTINGS["BYLINE_GITHUB_PAGES_BRANCH"],
    "commit_message": f"'Publish site on {date.today().isoformat()}'",
    # Host and port for `serve`
    "host": "127.0.0.1",
    "port": 8000,
}


@task
def clean(c):
    """Remove generated files"""
    if os.path.isdir(CONFIG["deploy_path"]):
        shutil.rmtree(CONFIG["deploy_path"])
        os.makedirs(CONFIG["deploy_path"])


@task
def build(c):
    """Build local version of site"""
    pelican_run("-s {settings_base}".format(**CONFIG))


@task
def rebuild(c):
    """`build` with the delete switch"""
    pelican_run("-d -s {settings_base}".format(**CONFIG))


@task
def regenerate(c):
    """Automatically regenerate site upon file modification"""
    pelican_run("-r -s {settings_base}".format(**CONFIG))


@task
def serve(c):
    """Serve site at http://127.0.0.1:8000/"""

    class AddressReuseTCPServer(RootedHTTPServer):
        allow_reuse_address = True

    server = AddressReuseTCPServer(
        CONFIG["deploy_path"],
        (CONFIG["host"], CONFIG["port"]),
        ComplexHTTPRequestHandler,
    )

    if OPEN_BROWSER_ON_SERVE:
        import webbrowser

        webbrowser.open("http://{host}:{port}".format(**CONFIG))

    sys.stderr.write("Serving at http://{host}:{port}/ (Ctrl-C to stop) ...\n".format(**CONFIG))
    server.serve_forever()


@task
def reserve(c):
    """`build`, then `serve`"""
    build(c)
    serve(c)


@task
def preview(c):
    """Build production version of site"""
    pelican_run("-s {settings_publish}".format(**CONFIG))


@task
def livereload(c):
    """Automatically reload browser tab upon file modification."""
    from livereload import Server

    def cached_build():
        cmd = "-s {settings_base} -e CACHE_CONTENT=true LOAD_CONTENT_CACHE=true"
        pelican_run(cmd.format(**CONFIG))

    cached_build()
    server = Server()
    theme_path = SETTINGS["THEME"]
    watched_globs = [
        CONFIG["settings_base"],
        f"{theme_path}/templates/**/*.html",
        "{}/{}".format(SETTINGS["PATH"], "authors.toml"),
    ]

    content_file_extensions = [".md", ".rst"]
    for extension in content_file_extensions:
        content_glob = "{}/**/*{}".format(SETTINGS["PATH"], extension)
        watched_globs.append(content_glob)

    static_file_extensions = [".css", ".js"]
    for extension in static_file_extensions:
        static_file_glob = f"{theme_path}/static/**/*{extension}"
        watched_globs.append(static_file_glob)

    for glob in watched_globs:
        server.watch(glob, cached_build)

    if OPEN_BROWSER_ON_SERVE:
        import webbrowser

        webbrowser.open("http://{host}:{port}".format(**CONFIG))

    server.serve(host=CONFIG["host"], port=CONFIG["port"], root=CONFIG["deploy_path"])


@task
def publish(c):
    """Publish to production via rsync"""
    missing = [
        name
        for name in ("BYLINE_DEPLOY_SSH_USER", "BYLINE_DEPLOY_SSH_HOST", "BYLINE_DEPLOY_SSH_PATH")
        if not SETTINGS[name]
    ]
    if missing:
        sys.exit(
            f"publish: set {', '.join(missing)} in pelicanconf.py (the server to rsync to), "
            "or use `invoke gh-pages` for GitHub Pages."
        )
    pelican_run("-s {settings_publish}".format(**CONFIG))
    c.run(
        'rsync --delete --exclude ".DS_Store" -pthrvz -c '
        '-e "ssh -p {ssh_port}" '
        "{} {ssh_user}@{ssh_host}:{ssh_path}".format(
            CONFIG["deploy_path"].rstrip("/") + "/", **CONFIG
        )
    )


@task
def gh_pages(c):
    """Publish to GitHub Pages"""
    preview(c)
    c.run(
        "ghp-import -b {github_pages_branch} -m {commit_message} {deploy_path} -p".format(**CONFIG)
    )


@task(help={"title": "The headline; the file is content/<slug-of-title>.md"})
def new_post(c, title):
    """Write a ready-to-edit draft post with every metadata field filled or marked"""
    from byline.authors import load_authors
    from byline.drafts import write_draft

    content = Path(SETTINGS["PATH"])
    authors = load_authors(content / SETTINGS.get("BYLINE_AUTHORS_FILE", "authors.toml"))
    author = next(iter(authors), SETTINGS.get("AUTHOR") or "TODO Your name")
    try:
        category = LOCAL_SETTINGS.get("DEFAULT_CATEGORY", "TODO Section, e.g. Money")
        path = write_draft(content, title, author, category)
    except (ValueError, FileExistsError) as error:
        sys.exit(f"new-post: {error}")
    print(f"Wrote {path}. Fill in the TODO lines, then delete `Status: draft` to publish.")


@task(
    help={"slug": "the article's slug (file name without .md), or --json for every article"},
    positional=["slug"],
)
def related(c, slug):
    """Show an article's related stories with scores and reasons; --json for all of them"""
    from byline.related_report import UnknownSlugError, picks_as_json, picks_as_text, read_articles

    articles = read_articles(SETTINGS_FILE_BASE)
    if slug == "--json":  # invoke hands an unknown flag to the positional argument
        print(picks_as_json(articles))
        return
    try:
        print(picks_as_text(articles, slug))
    except UnknownSlugError as error:
        sys.exit(f"related: {error}")


@task
def pageviews(c):
    """Refresh the pageview snapshot (data/pageviews.json) from BYLINE_PAGEVIEWS_SOURCE"""
    from datetime import datetime

    from byline.pageviews import PageviewError, config_from_settings, refresh

    root = Path(SETTINGS["PATH"]).resolve().parent
    try:
        config = config_from_settings(SETTINGS, os.environ, base_dir=root)
        summary = refresh(config, datetime.now(UTC))
    except PageviewError as error:
        sys.exit(f"pageviews: {error}\nThe previous snapshot, if any, is unchanged.")
    print("\n".join(summary.lines()))


@task(name="preview")
def newsletter_preview(c):
    """Open the latest newsletter issue's email in the browser (builds first if needed)"""
    from byline.digest import latest_issue_email

    email = latest_issue_email(Path(CONFIG["deploy_path"]))
    if email is None:
        build(c)
        email = latest_issue_email(Path(CONFIG["deploy_path"]))
    if email is None:
        sys.exit("newsletter.preview: no issue was exported; publish an article first.")
    import webbrowser

    print(f"Latest issue: {email}")
    print("Its images and links point at the site: run `invoke serve` for a local build.")
    if not webbrowser.open(email.resolve().as_uri()):
        print("No browser here; open that file in one.")


def _ask(text):
    """Show what is about to happen and go ahead only on an explicit 'send'."""
    print(text)
    try:
        return input("Type 'send' to go ahead: ").strip().lower() == "send"
    except EOFError:  # no one at the keyboard: never send by default
        return False


@task(
    name="send",
    help={
        "issue": "issue number to send (default: the latest exported issue)",
        "dry_run": "write the messages as .eml files into data/send-dry-run/ and send nothing",
        "test_to": "send one copy to this address only",
        "resend_uncertain": "also send to readers a crash left unsure about",
        "force": "send an issue that was already sent in full (asks to confirm)",
        "yes": "do not ask for confirmation (for scripts)",
    },
)
def newsletter_send(
    c, issue=0, dry_run=False, test_to="", resend_uncertain=False, force=False, yes=False
):
    """Send an exported newsletter issue exactly once (SMTP or Buttondown)"""
    from byline.digest import latest_issue_email
    from byline.sending import SendError, SendStopped, send_issue

    output = Path(CONFIG["deploy_path"])
    if issue:
        manifest = output / "newsletter" / str(issue) / "manifest.json"
    else:
        latest = latest_issue_email(output)
        if latest is None:
            sys.exit("newsletter.send: no exported issue in output/; run `invoke build` first.")
        manifest = latest.parent / "manifest.json"
    try:
        summary = send_issue(
            manifest,
            SETTINGS,
            os.environ,
            base_dir=Path(SETTINGS["PATH"]).resolve().parent,
            dry_run=dry_run,
            test_to=test_to or None,
            resend_uncertain=resend_uncertain,
            force=force,
            yes=yes,
            confirm=_ask,
        )
    except SendStopped as error:
        if error.summary:
            print("\n".join(error.summary.lines()))
        sys.exit(f"newsletter.send: {error}")
    except SendError as error:
        sys.exit(f"newsletter.send: {error}")
    print("\n".join(summary.lines()))


def pelican_run(cmd):
    cmd += " " + program.core.remainder  # allows to pass-through args to pelican
    pelican_main(shlex.split(cmd))


newsletter = Collection("newsletter")
newsletter.add_task(newsletter_preview)
newsletter.add_task(newsletter_send)

ns = Collection(
    clean,
    build,
    rebuild,
    regenerate,
    serve,
    reserve,
    preview,
    livereload,
    publish,
    gh_pages,
    new_post,
    related,
    pageviews,
    newsletter,
)

"""Site tasks (invoke): pelican-quickstart's set, plus Byline's own.

A thin command layer: each task calls Pelican or a module in plugins/byline.
Run `invoke --list` to see them.
"""

import contextlib
import os
import shlex
import shutil
import sys
from datetime import UTC, date
from pathlib import Path

from byline.settings import apply_defaults
from invoke import Collection, task
from invoke.main import program
from pelican import main as pelican_main
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

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
    # The local build (relative URLs, `invoke serve`) and the production build
    # (`invoke preview` and `publish`, what is deployed and mailed) never share a folder.
    "deploy_path": SETTINGS["OUTPUT_PATH"],
    "publish_path": get_settings_from_file("publishconf.py").get("OUTPUT_PATH", "public"),
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


def emit(text: str = "") -> None:
    """Print a task's output, and stop quietly when the reader has gone: `invoke related
    --json | head -1` closes the pipe after one line, which is no error worth a traceback.
    The exit status is still 1 (as Python advises), so a script with pipefail, or a
    publish whose output was cut, does not take the cut-short run for a finished one."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # Python flushes stdout again on the way out; send that to nowhere, not a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


@task
def clean(c):
    """Empty both build folders: output/ (local) and public/ (production)"""
    emptied = []
    for key, what in (("deploy_path", "the local build"), ("publish_path", "the production build")):
        folder = CONFIG[key]
        if os.path.isdir(folder):
            shutil.rmtree(folder)
            os.makedirs(folder)
            emptied.append(f"{folder}/ ({what})")
    emit(f"Emptied {' and '.join(emptied)}." if emptied else "Nothing to clean: no build yet.")


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


def _port(port) -> int:
    """--port N, or CONFIG["port"]; a clear error for anything that is not a port."""
    try:
        number = int(port or CONFIG["port"])
    except ValueError:
        number = -1
    if not 0 < number < 65536:
        sys.exit(f"--port {port!r} is not a port number; use one from 1024 to 65535, e.g. 8001")
    return number


@task(help={"port": f"the port to serve on (default {CONFIG['port']})"})
def serve(c, port=""):
    """Serve the local build (output/) at http://127.0.0.1:8000/ (building it first if needed);
    a missing page gets the site's 404 page"""
    from byline.folders import local_build_problem
    from byline.local_preview import make_server

    port = _port(port)
    problem = local_build_problem(Path(CONFIG["deploy_path"]))
    if problem:
        print(f"Building the local site first: {problem} ...")
        rebuild(c)

    # Answers like the real host: a missing path gets the theme's 404 page, status 404.
    server = make_server(CONFIG["deploy_path"], CONFIG["host"], port)
    url = f"http://{CONFIG['host']}:{port}/"
    if OPEN_BROWSER_ON_SERVE:
        import webbrowser

        webbrowser.open(url)

    sys.stderr.write(f"Serving {CONFIG['deploy_path']}/ at {url} (Ctrl-C to stop) ...\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.stderr.write("Stopped.\n")
    finally:
        server.server_close()


@task(help={"port": f"the port to serve on (default {CONFIG['port']})"})
def reserve(c, port=""):
    """`build`, then `serve`"""
    build(c)
    serve(c, port=port)


@task
def preview(c):
    """Build production version of site"""
    pelican_run("-s {settings_publish}".format(**CONFIG))


@task(help={"port": f"the port to serve on (default {CONFIG['port']})"})
def livereload(c, port=""):
    """Automatically reload browser tab upon file modification."""
    from byline.local_preview import watch_globs
    from livereload import Server

    port = _port(port)

    def cached_build():
        cmd = "-s {settings_base} -e CACHE_CONTENT=true LOAD_CONTENT_CACHE=true"
        pelican_run(cmd.format(**CONFIG))

    cached_build()
    server = Server()
    # Posts, authors.toml, images, the theme, the settings and the pageview snapshot
    for glob in watch_globs(SETTINGS, CONFIG["settings_base"]):
        server.watch(glob, cached_build)

    if OPEN_BROWSER_ON_SERVE:
        import webbrowser

        webbrowser.open(f"http://{CONFIG['host']}:{port}")

    server.serve(host=CONFIG["host"], port=port, root=CONFIG["deploy_path"])


def _publish_settings() -> dict:
    """publishconf.py's settings with Byline's defaults, as the production build sees them."""
    settings = dict(DEFAULT_CONFIG)
    settings.update(get_settings_from_file(CONFIG["settings_publish"]))
    apply_defaults(settings)
    return settings


def _deploy(c, target=None):
    """Check everything first, then refresh pageviews, build for production and deploy."""
    from byline.lint import format_findings
    from byline.publish import (
        PublishError,
        check_before_publish,
        deploy_to_folder,
        deploy_to_git_branch,
        deploy_with_rsync,
    )

    settings = _publish_settings()
    if target:
        settings["BYLINE_DEPLOY_TARGET"] = target
    print("1/4 Checking before anything is built ...")
    gate = check_before_publish(
        settings, os.environ, Path(SETTINGS["PATH"]), Path(CONFIG["settings_publish"])
    )
    if gate.findings:
        print(format_findings(gate.findings, files_checked=gate.files_checked), end="")
    for note in gate.notes:
        print(f"Note: {note}")
    if not gate.passed:
        for problem in gate.problems:
            print(f"publish: {problem}", file=sys.stderr)
        what = []
        if gate.errors:
            what.append(f"{len(gate.errors)} content error(s) above (see `invoke lint`)")
        if gate.problems:
            what.append(f"{len(gate.problems)} setting problem(s)")
        sys.exit(
            f"publish: refused: fix the {' and '.join(what)} first. "
            f"Nothing was published: {CONFIG['publish_path']}/ was not built and nothing was "
            "deployed."
        )
    target = gate.target
    print("2/4 Refreshing pageviews ...")
    pageviews(c, keep_going=True)
    print("3/4 Building the production site ...")
    pelican_run("-s {settings_publish}".format(**CONFIG))
    print(f"4/4 Deploying ({target}) ...")
    output = Path(CONFIG["publish_path"])
    try:
        if target == "folder":
            deploy_to_folder(output, Path(settings["BYLINE_DEPLOY_FOLDER"]))
        elif target == "github-pages":
            deploy_to_git_branch(output, settings, CONFIG["commit_message"].strip("'"), Path.cwd())
        else:
            deploy_with_rsync(output, settings)
    except PublishError as error:
        sys.exit(f"publish: {error}. The site was built but not deployed.")
    print(f"Published: {gate.site_url}/")


@task
def publish(c):
    """Check (placeholders, heroes, site URL, lint), refresh pageviews, build public/, deploy"""
    _deploy(c)


@task
def gh_pages(c):
    """Publish to GitHub Pages: `publish` with the github-pages target"""
    _deploy(c, target="github-pages")


@task(help={"fix": "apply the safe fixes (quotes, apostrophes, known mojibake) and show the diff"})
def lint(c, fix=False, quiet_when_clean=False):
    """Check every post for damaged text and missing metadata, like a compiler"""
    from byline.lint import (
        LintConfigError,
        exit_code,
        fix_site,
        format_findings,
        lint_site,
        sources,
    )

    content = SETTINGS["PATH"]
    try:
        if fix:
            for _path, _text, diff in fix_site(content, SETTINGS, write=True):
                emit(diff)
        findings = lint_site(content, SETTINGS)
    except LintConfigError as error:
        sys.exit(f"lint: pelicanconf.py: {error}")
    if findings or not quiet_when_clean:
        emit(format_findings(findings, files_checked=len(sources(content, SETTINGS))))
    status = exit_code(findings)
    if status and not quiet_when_clean:
        sys.exit(status)
    return status


@task(
    help={
        "title": "The headline; the file is content/<slug-of-title>.md",
        "author": "a name from content/authors.toml (default: BYLINE_DEFAULT_AUTHOR, then AUTHOR)",
    }
)
def new_post(c, title, author=""):
    """Write a ready-to-edit draft post with every metadata field filled or marked"""
    from byline.authors import load_authors
    from byline.drafts import PLACEHOLDER_CATEGORY, choose_author, write_draft

    content = Path(SETTINGS["PATH"])
    authors_file = content / SETTINGS["BYLINE_AUTHORS_FILE"]
    try:  # AuthorDataError (a ValueError) names the broken line of authors.toml
        known = set(load_authors(authors_file)) if authors_file.is_file() else None
        byline = choose_author(
            author,
            SETTINGS["BYLINE_DEFAULT_AUTHOR"],
            SETTINGS.get("AUTHOR") or "",
            known,
            str(authors_file),
        )
        category = LOCAL_SETTINGS.get("DEFAULT_CATEGORY", PLACEHOLDER_CATEGORY)
        path = write_draft(content, title, byline, category)
    except (ValueError, FileExistsError) as error:
        sys.exit(f"new-post: {error}")
    emit(f"Wrote {path} (by {byline}).")
    emit("Fill in the TODO lines, then delete `Status: draft` to publish; `invoke publish`")
    emit("refuses while any of the placeholders it wrote are left (`invoke lint` lists them).")


@task(
    help={"slug": "the article's slug (file name without .md), or --json for every article"},
    positional=["slug"],
)
def related(c, slug):
    """Show an article's related stories with scores and reasons, and what each block of its
    page shows after the dedupe; --json for all of them"""
    from byline.related_report import (
        UnknownSlugError,
        most_read_heading,
        picks_as_json,
        picks_as_text,
        read_articles,
    )

    context: dict = {}
    articles = read_articles(SETTINGS_FILE_BASE, context=context)
    heading = most_read_heading(context)
    if slug == "--json":  # invoke hands an unknown flag to the positional argument
        emit(picks_as_json(articles, heading))
        return
    try:
        emit(picks_as_text(articles, slug, heading))
    except UnknownSlugError as error:
        sys.exit(f"related: {error}")


@task(
    help={
        "allow_empty": "accept a window with no views at all (writes an empty snapshot)",
        "keep_going": "on failure, keep the old snapshot and exit 0 (publish uses this)",
    }
)
def pageviews(c, keep_going=False, allow_empty=False):
    """Refresh the pageview snapshot (data/pageviews.json) from BYLINE_PAGEVIEWS_SOURCE"""
    from datetime import datetime

    from byline.pageviews import PageviewError, config_from_settings, refresh

    root = Path(SETTINGS["PATH"]).resolve().parent
    try:
        config = config_from_settings(SETTINGS, os.environ, base_dir=root)
        summary = refresh(config, datetime.now(UTC), allow_empty=allow_empty)
    except PageviewError as error:
        message = f"pageviews: {error}. The previous snapshot, if any, is unchanged."
        if keep_going:  # publishing goes on with the old snapshot
            print(message, file=sys.stderr)
            return
        sys.exit(message)
    emit("\n".join(summary.lines()))


@task(name="preview")
def newsletter_preview(c):
    """Open the latest newsletter issue's email in the browser (builds first if needed)"""
    from byline.newsletter_layout import latest_issue_email

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


@task(
    name="send",
    help={
        "issue": "issue number to send (default: the latest issue in public/)",
        "dry_run": "write the messages as .eml files into data/send-dry-run/ and send nothing",
        "test_to": "send one copy to this address only",
        "resend_uncertain": "also send to readers a crash left unsure about",
        "retry_failed": "send again to readers whose server refused the issue earlier",
        "force": "send an issue that was already sent in full (asks to confirm)",
        "yes": "do not ask for confirmation (for scripts)",
    },
)
def newsletter_send(
    c,
    issue=0,
    dry_run=False,
    test_to="",
    resend_uncertain=False,
    retry_failed=False,
    force=False,
    yes=False,
):
    """Send a newsletter issue of the production build exactly once (SMTP or Buttondown)"""
    from byline.newsletter.frozen import frozen_folder, is_frozen, sent_dir
    from byline.newsletter_layout import issue_folder, latest_issue_email
    from byline.sending.cli import SendOptions, run
    from byline.sending.exitcodes import ExitCode

    settings = _publish_settings()  # the production build's settings: what public/ holds
    root = Path(SETTINGS["PATH"]).resolve().parent
    output = Path(CONFIG["publish_path"])
    if issue:
        manifest = issue_folder(output, issue) / "manifest.json"
        frozen = sent_dir(settings, root)
        if not manifest.is_file() and is_frozen(frozen, issue):  # sent before, not rebuilt
            manifest = frozen_folder(frozen, issue) / "manifest.json"
    else:
        latest = latest_issue_email(output)
        if latest is None:
            print(
                f"newsletter.send: no exported issue in {output}/; build the production site "
                "first with `invoke preview` (or `invoke publish`).",
                file=sys.stderr,
            )
            sys.exit(ExitCode.REFUSED)
        manifest = latest.parent / "manifest.json"
    options = SendOptions(
        dry_run=dry_run,
        test_to=test_to or None,
        resend_uncertain=resend_uncertain,
        retry_failed=retry_failed,
        force=force,
        yes=yes,
    )
    code = run(manifest, settings, os.environ, options, base_dir=root)
    if code:
        sys.exit(int(code))


def _subscriptions_settings(local: bool) -> dict:
    """The settings the service and the subscriber tasks share with newsletter.send: the
    production ones (publishconf.py), or pelicanconf.py's to try it all on this computer."""
    if not local:
        return _publish_settings()
    return dict(SETTINGS)


@contextlib.contextmanager
def _subscription_errors(label: str):
    """The optional part missing, or a setting or the database wrong: one clear line."""
    from byline.errors import BylineError

    try:
        yield
    except ModuleNotFoundError as error:
        sys.exit(
            f"{label}: {error.name} is missing: the subscription service is an optional part; "
            'install it with .venv/bin/pip install -c requirements.lock -e ".[subscriptions]"'
        )
    except BylineError as error:
        sys.exit(f"{label}: {error}")


def _admin(local: bool = False, *, create: bool = False, forgetting: bool = False):
    """The readers' database and the send settings, or a clear message and exit 1. Only
    an import may start a new database; the other tasks need the one the service keeps."""
    with _subscription_errors("subscribers"):
        from byline.subscriptions.admin import open_admin

        root = Path(SETTINGS["PATH"]).resolve().parent
        settings = _subscriptions_settings(local)
        # forgetting works on a site that sends to its CSV too: it has no database
        return open_admin(
            settings, dict(os.environ), root, create=create, service_optional=forgetting
        )


@task(
    name="serve",
    help={
        "local": "use pelicanconf.py (the local site on 127.0.0.1), not publishconf.py",
        "port": "the port (default BYLINE_SUBSCRIPTIONS_PORT)",
    },
)
def subscriptions_serve(c, local=False, port=0):
    """Run the subscription service: sign-up, confirmation, one-click unsubscribe"""
    root = Path(SETTINGS["PATH"]).resolve().parent
    with _subscription_errors("subscriptions.serve"):
        from byline.subscriptions.serve import serve as serve_subscriptions

        serve_subscriptions(_subscriptions_settings(local), os.environ, root, port=int(port))


@task(name="import", help={"file": "a CSV with the columns email,name,status"})
def subscribers_import(c, file, local=False):
    """Add readers from a CSV (people who left stay out; their own confirmation brings them back)"""
    from byline.subscriptions.admin import import_csv

    store, _config = _admin(local, create=True)
    report = import_csv(store, Path(file))
    emit(
        f"{report.added} reader(s) added, {report.updated} recorded as opted out, "
        f"{report.kept} already known"
    )
    for line in report.skipped:
        emit(f"  skipped {line}")


@task(
    name="export",
    help={
        "reader": "export one reader's data (JSON) instead of the whole list",
        "output": "write to this file instead of the screen",
    },
)
def subscribers_export(c, reader="", output="", local=False):
    """Write the readers as CSV, or one reader's data and history as JSON"""
    import json

    from byline.durable import write_atomic
    from byline.subscriptions.admin import export_csv, reader_export

    store, config = _admin(local)
    if reader:
        data = reader_export(store, config, reader)
        if data is None:
            sys.exit("subscribers.export: no reader with that address")
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = export_csv(store)
    if output:
        write_atomic(Path(output), text)
        emit(f"written to {output}")
    else:
        emit(text.rstrip("\n"))


@task(name="unsubscribe", help={"address": "the reader's email address"})
def subscribers_unsubscribe(c, address, local=False):
    """Record an unsubscribe that arrived by email (the List-Unsubscribe mailto:)"""
    from byline.signing import masked
    from byline.subscriptions.admin import unsubscribe_address

    store, _config = _admin(local)
    if unsubscribe_address(store, address):
        emit(f"{masked(address)} is unsubscribed; the next send leaves them out")
    else:
        sys.exit(f"subscribers.unsubscribe: {masked(address)} is not in the database")


@task(name="forget", help={"address": "the reader's email address", "yes": "do not ask"})
def subscribers_forget(c, address, yes=False, local=False):
    """Delete a reader everywhere; the send ledger keeps only a keyed hash of the address"""
    from byline.signing import masked
    from byline.subscriptions.admin import forget

    store, config = _admin(local, forgetting=True)
    if not yes and input(f"Delete {masked(address)} everywhere, for good? [y/N] ").lower() != "y":
        sys.exit("subscribers.forget: nothing deleted")
    with _subscription_errors("subscribers.forget"):
        report = forget(store, config, address)
    if store is None:
        database = "no subscription database on this site"
    else:
        database = f"database: {'deleted' if report.database else 'not found'}"
    emit(
        f"{masked(address)}: {database}, "
        f"{report.ledger_lines} ledger line(s) hashed, {report.csv_rows} CSV row(s) and "
        f"{report.previews} preview(s) deleted"
    )


@task(name="backup", help={"to": "the folder for the copy (default data/backups)"})
def subscribers_backup(c, to="data/backups", local=False):
    """A consistent copy of the live readers' database (SQLite; PostgreSQL: pg_dump)"""
    from byline.subscriptions.admin import backup

    store, _config = _admin(local)
    try:
        emit(f"backed up to {backup(store, Path(to))}")
    except ValueError as error:
        sys.exit(f"subscribers.backup: {error}")


def pelican_run(cmd):
    cmd += " " + program.core.remainder  # allows to pass-through args to pelican
    pelican_main(shlex.split(cmd))


newsletter = Collection("newsletter")
newsletter.add_task(newsletter_preview)
newsletter.add_task(newsletter_send)

subscriptions = Collection("subscriptions")
subscriptions.add_task(subscriptions_serve)
subscribers = Collection("subscribers")
for _task in (
    subscribers_import,
    subscribers_export,
    subscribers_unsubscribe,
    subscribers_forget,
    subscribers_backup,
):
    subscribers.add_task(_task)

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
    lint,
    newsletter,
    subscriptions,
    subscribers,
)

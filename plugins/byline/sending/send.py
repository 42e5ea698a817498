"""``send_issue``: deliver one exported issue exactly once, honestly.

The flow of a live send: read the manifest, the subscribers CSV and the ledger (under an
exclusive lock); work out who still needs the issue; ask for confirmation; then, one
recipient at a time, write ``pending``, hand the message over, write ``sent`` (or
``failed``/``deferred``). A crash can only leave the one in-flight recipient ``pending``;
the next run lists it as uncertain and leaves it out unless ``resend_uncertain``.

Dry runs write .eml files and send nothing (the ledger is read, never written). A test send
mails one copy to ``test_to`` and records nothing.

Before anything goes out the issue is checked: its links must point at a public site
(``byline.siteurl``; ``BYLINE_ALLOW_NON_PUBLIC_URL`` lets a staging address through) and
the build must not have marked it unsendable. A dry run or a test copy still works, with a
loud warning. A live send freezes the issue (``byline.newsletter.frozen``) before the first
delivery and sends the frozen copy from then on, so a resumed send after a rebuild mails
what the first readers got; when the issue completes, ``sent.json`` records it for git,
and any machine with that committed record refuses to send the issue again.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..dates import utc_stamp
from ..newsletter.frozen import (
    RECORD,
    freeze_issue,
    frozen_folder,
    is_frozen,
    read_sent_record,
    write_sent_record,
)
from ..retry import backoff_delay
from ..signing import masked, without_addresses
from ..siteurl import OVERRIDE, allows_non_public, non_public_reason
from .audience import CsvAudience, audience_for
from .config import SendConfig, config_from_settings, require_personal_mail, scrub
from .errors import (
    AlreadySentError,
    AuthenticationFailed,
    ConfirmationRequired,
    ConnectionFailure,
    DeliveryError,
    PermanentFailure,
    ProviderStop,
    SendCancelled,
    SendConfigError,
    SendError,
    SendRefused,
    SendStopped,
    TemporaryFailure,
    UncertainDelivery,
)
from .issue import Issue, load_issue
from .ledger import (
    KILL_AFTER_ENV,
    IssueState,
    Ledger,
    RecipientState,
    State,
    issue_state,
    read_records,
)
from .message import as_bytes, build_message, new_message_id
from .progress import Progress
from .provider import Outgoing, Provider, load_provider
from .subscribers import Subscriber, SubscriberList, address_problem
from .summary import SendSummary

logger = logging.getLogger(__name__)

#: The ledger "address" of a broadcast (the provider's own list); never a real address.
BROADCAST = "@list"
MAX_BACKOFF = 300.0


@dataclass(frozen=True)
class SendOptions:
    """What one send does: the flags both command lines spell, and how it asks and waits.

    The command line leaves ``confirm``, ``progress_stream``, ``sleep`` and ``clock`` to
    the terminal and the real clock; tests answer the question and keep time themselves.
    """

    dry_run: bool = False
    dry_run_dir: Path | None = None
    test_to: str | None = None
    resend_uncertain: bool = False
    retry_failed: bool = False
    force: bool = False
    yes: bool = False
    progress: bool = True
    confirm: Callable[[str], bool] | None = None
    progress_stream: Any = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic


@dataclass
class SendPlan:
    """Who this run would send to, and why the others are left out."""

    issue: Issue
    config: SendConfig
    provider: str
    provider_description: str
    audience: str
    round: int
    fully_sent: bool
    recipients: list[Subscriber] = field(default_factory=list)  # to send now ("list")
    already_sent: int = 0
    uncertain: list[str] = field(default_factory=list)  # left out (fate unknown)
    resending_uncertain: list[str] = field(default_factory=list)
    failed_before: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    state: IssueState = field(default_factory=IssueState)
    last_sent: str | None = None
    record: dict[str, Any] | None = None  # the committed send record (sent.json), if any
    notes: list[str] = field(default_factory=list)  # e.g. names cleaned of control chars
    link_warning: str | None = None  # links not public, let through by the override
    source: str = ""  # where the readers came from (the CSV's name, or the database)
    readers: CsvAudience | None = None  # that source, asked again during a live send

    @property
    def count(self) -> int:
        return len(self.recipients) if self.audience == "list" else 1


def confirmation_text(plan: SendPlan) -> str:
    """What the task shows before a live send: issue, subject, provider, recipient count."""
    issue = plan.issue
    if plan.audience == "list":
        who = f"{plan.count} recipient(s) from {plan.source}"
    else:
        who = f"every subscriber of your {plan.provider} newsletter"
    lines = [
        f"Send issue #{issue.number} ({issue.id}) now?",
        f"  Subject:  {issue.subject}",
        f"  Provider: {plan.provider_description}",
        f"  To:       {who}",
    ]
    if plan.already_sent:
        lines.append(f"  Already sent earlier: {plan.already_sent} (not sent again)")
    if plan.round > 1 and not plan.state.recipients:
        lines.append("  WARNING: this issue was sent in full before; everyone gets it AGAIN.")
    if plan.uncertain:
        lines.append(f"  Left out, fate unknown: {', '.join(plan.uncertain)}")
    if plan.resending_uncertain:
        lines.append(
            f"  Sent again although maybe delivered: {', '.join(plan.resending_uncertain)}"
        )
    if plan.skipped:
        lines.append(f"  Skipped rows in the list: {len(plan.skipped)}")
    if plan.link_warning:
        lines.append(f"  WARNING: {plan.link_warning}")
    return "\n".join(lines)


def _skipped_rows(subscribers: SubscriberList) -> list[tuple[str, str]]:
    rows = [(f"line {n} {v!r}", why) for n, v, why in subscribers.invalid]
    rows += [(f"line {n} {v}", "duplicate address") for n, v in subscribers.duplicates]
    rows += [(f"line {n} {v}", f"status {s!r}") for n, v, s in subscribers.unsubscribed]
    return rows


def _checked_plan(
    issue: Issue,
    config: SendConfig,
    provider: Provider,
    summary: SendSummary,
    options: SendOptions,
) -> SendPlan:
    """Plan from the ledger as it stands, refusing a fully sent issue unless forced."""
    plan = _make_plan(issue, config, provider, options)
    summary.round = plan.round
    # A closed round only reopens to retry the readers refused earlier (never for anyone
    # new), or as a whole new round with force.
    if plan.fully_sent and not options.force and not (options.retry_failed and plan.recipients):
        raise AlreadySentError(_already_sent_text(plan))
    summary.skipped = list(plan.skipped)
    summary.already_sent = plan.already_sent
    summary.notes += plan.notes
    return plan


def _make_plan(
    issue: Issue,
    config: SendConfig,
    provider: Provider,
    options: SendOptions,
) -> SendPlan:
    """What a send would do, from the ledger (and the committed send record) as they stand."""
    record = read_sent_record(config.sent_dir, issue.number)
    state = _current_state(read_records(config.ledger), issue.id, record, options)
    plan = SendPlan(
        issue=issue,
        config=config,
        provider=provider.name,
        provider_description=provider.describe(),
        audience=provider.audience,
        round=state.round,
        fully_sent=state.complete,
        state=state,
        last_sent=state.last_time,
        record=record,
    )
    if provider.audience != "list":
        broadcast = state.recipients.get(BROADCAST)
        if broadcast and broadcast.state == State.PENDING and broadcast.stage == "send":
            plan.uncertain.append(BROADCAST)
        return plan
    plan.readers = audience_for(config)
    plan.source = plan.readers.describe()
    subscribers = plan.readers.load()
    plan.skipped = _skipped_rows(subscribers)
    plan.notes = [
        f"line {line} {address}: control characters ({chars}) removed from the name"
        for line, address, chars in subscribers.cleaned
    ]
    for subscriber in subscribers.recipients:
        _place(plan, subscriber, state.recipients.get(subscriber.key), state.complete, options)
    plan.skipped += [(a, "refused for good in an earlier run") for a in plan.failed_before]
    return plan


def _current_state(
    records: list[dict[str, Any]],
    issue_id: str,
    record: dict[str, Any] | None,
    options: SendOptions,
) -> IssueState:
    """The issue's state in the ledger, brought up to the committed send record, and a
    fresh round when a complete issue is forced out again."""
    state = issue_state(records, issue_id)
    if record is not None:
        # The record travels with git: on a machine whose ledger never saw this issue (or
        # saw an older round) the issue is sent all the same.
        recorded = _record_round(record)
        if recorded >= state.round and not state.complete:
            kept = state.recipients if recorded == state.round else {}
            when = str(record.get("sent_at") or "") or state.last_time
            state = IssueState(recorded, True, True, when, kept)
    if state.complete and options.force:
        state = IssueState(round=state.round + 1)
    return state


def _place(
    plan: SendPlan,
    subscriber: Subscriber,
    record: RecipientState | None,
    closed: bool,
    options: SendOptions,
) -> None:
    """Put one subscriber in the plan: to send, already sent, fate unknown or refused before."""
    if closed and not (record and record.state == State.FAILED):
        # The round is closed: nobody new joins it (a reader who subscribed since
        # waits for the next issue); only a retry of refused readers reopens it.
        plan.already_sent += bool(record and record.state == State.SENT)
        return
    if record is None or record.state in (State.DEFERRED, State.DRAFTED):
        plan.recipients.append(subscriber)
    elif record.state == State.SENT:
        plan.already_sent += 1
    elif record.state == State.PENDING:
        if options.resend_uncertain:
            plan.recipients.append(subscriber)
            plan.resending_uncertain.append(subscriber.email)
        else:
            plan.uncertain.append(subscriber.email)
    elif record.state == State.FAILED:
        if options.retry_failed:
            plan.recipients.append(subscriber)
        else:
            plan.failed_before.append(subscriber.email)


def _load(
    manifest: Path | str,
    settings: Mapping[str, Any],
    environ: Mapping[str, str] | None,
    base_dir: Path | str | None,
    output_dir: Path | str | None,
) -> tuple[Issue, SendConfig, Provider]:
    config = config_from_settings(
        settings, environ if environ is not None else {}, base_dir=base_dir
    )
    # A manifest inside the sent folder is a frozen copy (``--issue N`` of a sent issue
    # that the current build no longer has): its files lie beside it.
    frozen = Path(manifest).resolve().is_relative_to(config.sent_dir)
    issue = load_issue(manifest, output_dir, frozen=frozen)
    provider = load_provider(config)
    if provider.audience == "list":
        require_personal_mail(config)
    return issue, config, provider


def plan_send(
    manifest: Path | str,
    settings: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
    options: SendOptions | None = None,
    *,
    base_dir: Path | str | None = None,
    output_dir: Path | str | None = None,
) -> SendPlan:
    """Read-only preview of a live send (no lock, nothing written, nothing contacted)."""
    issue, config, provider = _load(manifest, settings, environ, base_dir, output_dir)
    return _make_plan(issue, config, provider, options or SendOptions())


class _RateLimiter:
    """At most ``rate`` hand-overs a second, evenly spaced (0 = no limit)."""

    def __init__(self, rate: float, sleep: Callable[[float], None], clock: Callable[[], float]):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.sleep = sleep
        self.clock = clock
        self.next = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self.next > now:
            self.sleep(self.next - now)
            now = self.next
        self.next = now + self.interval


class _Run:
    """One run's moving parts, so the per-recipient loop reads plainly."""

    def __init__(
        self,
        plan: SendPlan,
        provider: Provider,
        ledger: Ledger | None,
        summary: SendSummary,
        sleep: Callable[[float], None],
    ) -> None:
        self.plan = plan
        self.issue = plan.issue
        self.config = plan.config
        self.provider = provider
        self.ledger = ledger
        self.summary = summary
        self.sleep = sleep
        self.secrets = plan.config.secrets()
        self.audience: CsvAudience | None = None  # set for a live send to a list

    def say(self, error: BaseException) -> str:
        return scrub(str(error), self.secrets)

    def freeze(self) -> None:
        """Fix what this issue is before its first delivery (a no-op once frozen)."""
        issue, sent_dir = self.issue, self.config.sent_dir
        if issue.frozen or is_frozen(sent_dir, issue.number):
            return
        folder = frozen_folder(sent_dir, issue.number)
        try:
            freeze_issue(issue.folder, sent_dir, issue.number)
            frozen = load_issue(folder / "manifest.json", frozen=True)
        except OSError as error:
            raise SendError(f"cannot keep a copy of the issue in {folder}: {error}") from None
        if frozen.content_hash != issue.content_hash:
            raise SendError(
                f"the issue in {issue.folder} changed while the send began (a build running?); "
                f"nothing was sent: delete {folder} and send again"
            )
        self.summary.frozen = folder

    def complete(self, provider_id: str | None = None) -> None:
        """Close the round in the ledger, then write the send record that travels with git."""
        self.record("", State.COMPLETE)
        self.summary.complete = True
        issue, sent_dir = self.issue, self.config.sent_dir
        state = issue_state(read_records(self.config.ledger), issue.id)
        broadcast = self.provider.audience != "list"
        earlier = read_sent_record(sent_dir, issue.number) or {}
        same_round = _record_round(earlier) == self.plan.round and earlier.get("sent_at")
        record = {
            "issue": issue.id,
            "number": issue.number,
            "round": self.plan.round,
            "subject": issue.subject,
            "sent_at": earlier["sent_at"] if same_round else utc_stamp(),
            "provider": self.provider.name,
            # A broadcast provider keeps the list: how many it reached is in its dashboard.
            "recipients": None if broadcast else len(state.sent),
            "failed": len(state.addresses(State.FAILED)),
            "content_hash": issue.content_hash,
        }
        if provider_id:
            record["provider_id"] = provider_id
        try:
            self.summary.record = write_sent_record(sent_dir, issue.number, record)
        except OSError as error:
            self.summary.warnings.append(
                f"the issue was sent, but its send record could not be written to "
                f"{frozen_folder(sent_dir, issue.number) / RECORD}: {error}"
            )

    def record(self, address: str, state: State, **extra: Any) -> None:
        if self.ledger is not None:
            if extra.get("error"):
                extra["error"] = scrub(str(extra["error"]), self.secrets)
            self.ledger.record(self.issue.id, address, state, round=self.plan.round, **extra)

    def attempt(self, call: Callable[[], str]) -> str:
        """Run ``call`` with retries of temporary failures; other errors go to the caller."""
        tries = 0
        while True:
            try:
                return call()
            except TemporaryFailure as error:
                tries += 1
                if tries > self.config.retries:
                    raise
                delay = backoff_delay(self.config.retry_delay, tries, error.retry_after)
                logger.info(
                    "temporary failure (%s); retry %d in %.1f s", self.say(error), tries, delay
                )
                self.sleep(min(delay, MAX_BACKOFF))

    def stop(self, error: ProviderStop | ConnectionFailure) -> SendStopped:
        text = self.say(error)
        self.summary.stopped = text
        if isinstance(error, ProviderStop) and error.auth:
            return AuthenticationFailed(
                f"authentication failed, nothing more sent: {text}", self.summary
            )
        return SendStopped(text, self.summary)


def _record_round(record: Mapping[str, Any]) -> int:
    try:
        return max(1, int(record.get("round") or 1))
    except (TypeError, ValueError):
        return 1


def _use_frozen(issue: Issue, config: SendConfig, summary: SendSummary) -> Issue:
    """The frozen copy of a sent (or half-sent) issue wins over today's export."""
    if issue.frozen or not is_frozen(config.sent_dir, issue.number):
        return issue
    folder = frozen_folder(config.sent_dir, issue.number)
    frozen = load_issue(folder / "manifest.json", frozen=True)
    if frozen.content_hash != issue.content_hash or frozen.id != issue.id:
        summary.notes.append(
            f"issue #{issue.number} was frozen in {folder} when it first went out; that copy "
            f"is what is sent, the newer build in {issue.folder} is not used"
        )
    return frozen


def _check_issue(
    issue: Issue,
    settings: Mapping[str, Any],
    environ: Mapping[str, str],
    mode: str,
    summary: SendSummary,
) -> str | None:
    """Refuse a live send whose links are not public or that the build marked unsendable.

    Dry runs and test copies go ahead with a loud warning. Returns the warning for the
    confirmation text when the override lets non-public links through.
    """
    where = f"issue #{issue.number} ({issue.id})"
    override_note = None
    reason = non_public_reason(issue.site_url)
    if reason:
        fix = (
            "Build the production site into public/ with `invoke preview` (or `invoke "
            "publish`), with SITEURL in publishconf.py set to the site's real address, "
            "then send again"
        )
        if allows_non_public(settings, environ):
            override_note = (
                f"links point at {issue.site_url}, which is not public ({reason}); "
                f"going ahead because {OVERRIDE} is on"
            )
            summary.warnings.append(override_note)
        elif mode == "live":
            raise SendRefused(
                f"{where} was not sent: {reason}, so its links would not open for readers. "
                f"{fix}. (For a staging site on a private address, set {OVERRIDE} = True "
                f"in pelicanconf.py or the environment variable {OVERRIDE}=1.)"
            )
        else:
            what = "this dry run's" if mode == "dry-run" else "this test copy's"
            summary.warnings.append(
                f"LINKS NOT PUBLIC: {what} links point at {issue.site_url} ({reason}); "
                f"readers could not open them and a live send would be refused. {fix}."
            )
    if not issue.sendable:
        problems = "\n".join(f"  - {p}" for p in issue.problems) or "  - (no reason given)"
        if mode == "live":
            raise SendRefused(
                f"{where} was not sent: the build marked it unsendable:\n{problems}\n"
                "Fix that, rebuild with `invoke preview`, then send again."
            )
        summary.warnings.append(
            f"UNSENDABLE: the build marked {where} unsendable (a live send would be "
            f"refused):\n{problems}"
        )
    return override_note


def _remove_old_previews(folder: Path) -> None:
    for old in (*folder.glob("*.eml"), *folder.glob("*.json")):
        old.unlink()


def _safe_name(address: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._+-]", "_", address)[:100]


def send_issue(
    manifest: Path | str,
    settings: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
    options: SendOptions | None = None,
    *,
    base_dir: Path | str | None = None,
    output_dir: Path | str | None = None,
) -> SendSummary:
    """Send (or dry-run, or test-send) the issue whose manifest.json is ``manifest``.

    ``settings`` holds BYLINE_SEND_* keys (plus OUTPUT_PATH, to keep data out of it);
    ``environ`` holds the secrets (``os.environ`` in the task). A live send needs
    ``options.yes`` or ``options.confirm(text) -> bool``, asked after a broadcast provider
    created its draft. Raises ``SendError`` subclasses; ``SendStopped.summary`` tells what
    was done first.
    """
    options = options or SendOptions()
    if options.dry_run and options.test_to:
        raise SendConfigError("choose either a dry run or a test send, not both")
    clock = options.clock
    started = clock()
    environ = environ if environ is not None else {}
    issue, config, provider = _load(manifest, settings, environ, base_dir, output_dir)
    mode = "dry-run" if options.dry_run else "test" if options.test_to else "live"
    summary = SendSummary(issue.id, issue.subject, provider.name, mode, test_to=options.test_to)
    issue = _use_frozen(issue, config, summary)
    link_warning = _check_issue(issue, settings, environ, mode, summary)
    if mode == "live" and not options.yes and options.confirm is None:
        plan = _make_plan(issue, config, provider, options)
        plan.link_warning = link_warning
        raise ConfirmationRequired(confirmation_text(plan))
    try:
        if mode == "dry-run":
            folder = options.dry_run_dir or config.dry_run_dir / _safe_name(issue.id)
            _dry_run(issue, config, provider, Path(folder), summary, options)
        elif mode == "test":
            _test_send(issue, config, provider, str(options.test_to), summary, options.sleep)
        else:
            _live(
                issue,
                config,
                provider,
                summary,
                options,
                link_warning=link_warning,
                kill_after=environ.get(KILL_AFTER_ENV),
            )
    finally:
        summary.elapsed = clock() - started
    return summary


def _dry_run(
    issue: Issue,
    config: SendConfig,
    provider: Provider,
    folder: Path,
    summary: SendSummary,
    options: SendOptions,
) -> None:
    plan = _checked_plan(issue, config, provider, summary, options)
    folder.mkdir(parents=True, exist_ok=True)
    _remove_old_previews(folder)
    summary.uncertain = [a for a in plan.uncertain if a != BROADCAST]
    if provider.audience == "list":
        for index, subscriber in enumerate(plan.recipients, start=1):
            try:
                message = build_message(issue, subscriber, config)
            except Exception as error:  # noqa: BLE001 - one bad row must not stop the rest
                summary.failed.append((subscriber.email, _unbuildable(subscriber, error)))
                continue
            path = folder / f"{index:05d}-{_safe_name(subscriber.email)}.eml"
            path.write_bytes(as_bytes(message))
            summary.files.append(path)
        return
    from email.message import EmailMessage

    from .message import POLICY

    message = EmailMessage(policy=POLICY)
    message["Subject"] = issue.subject
    message.set_content(issue.text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(issue.html, subtype="html", charset="utf-8", cte="quoted-printable")
    path = folder / f"{_safe_name(issue.id)}.eml"
    path.write_bytes(as_bytes(message))
    summary.files.append(path)
    outgoing = Outgoing(issue, None, None, None, broadcast_key(issue, plan.round))
    request = provider.request_preview(outgoing)
    if request is not None:
        path = folder / f"{provider.name}-request.json"
        path.write_text(json.dumps(request, indent=2, ensure_ascii=False), encoding="utf-8")
        summary.files.append(path)


def _test_send(
    issue: Issue,
    config: SendConfig,
    provider: Provider,
    address: str,
    summary: SendSummary,
    sleep: Callable[[float], None],
) -> None:
    problem = address_problem(address.strip())
    if problem:
        raise SendConfigError(f"test address {address!r}: {problem}")
    address = address.strip()
    provider.check(live=False)
    plan = SendPlan(issue, config, provider.name, provider.describe(), provider.audience, 1, False)
    run = _Run(plan, provider, None, summary, sleep)
    try:
        provider.open()
        if provider.audience == "list":
            subscriber = Subscriber(email=address, name="", line=0)
            message_id = new_message_id(config)
            message = build_message(issue, subscriber, config, message_id=message_id)
            outgoing = Outgoing(issue, subscriber, message, message_id, f"test:{message_id}")
            provider_id = run.attempt(lambda: provider.deliver(outgoing))
        else:
            outgoing = Outgoing(issue, None, None, None, broadcast_key(issue, 1))
            draft = run.attempt(lambda: provider.prepare(outgoing) or "")
            outgoing = replace(outgoing, draft_id=draft or None)
            provider_id = run.attempt(lambda: provider.send_test(outgoing, address))
        summary.sent.append(address)
        summary.provider_ids.append(provider_id)
    except (ProviderStop, ConnectionFailure) as error:
        raise run.stop(error) from None
    except DeliveryError as error:
        summary.failed.append((address, run.say(error)))
    finally:
        provider.close()


def broadcast_key(issue: Issue, round: int) -> str:
    """The idempotency key of a broadcast: derived from the manifest id (and the round)."""
    return f"byline-{issue.id}-r{round}"


def _already_sent_text(plan: SendPlan) -> str:
    issue, record = plan.issue, plan.record
    again = "run again with --force to send it AGAIN to everyone"
    if record is None:
        return (
            f"issue {issue.id} was sent in full already (round {plan.round}, last ledger "
            f"line {plan.last_sent}); {again}"
        )
    path = frozen_folder(plan.config.sent_dir, issue.number) / RECORD
    if record.get("damaged"):
        return (
            f"issue #{issue.number} ({issue.id}) has a send record, {path}, that cannot be "
            f"read, so it counts as sent; restore it from git, or {again}"
        )
    count = record.get("recipients")
    to = f"{count} reader(s)" if isinstance(count, int) else "the provider's list"
    return (
        f"issue #{issue.number} ({record.get('issue') or issue.id}) was already sent on "
        f"{record.get('sent_at') or 'an unknown date'} to {to} via "
        f"{record.get('provider') or 'an unknown provider'} (recorded in {path}); {again}"
    )


def _unbuildable(subscriber: Subscriber, error: Exception) -> str:
    return (
        f"this reader's message could not be built ({type(error).__name__}: {error}); fix "
        f"line {subscriber.line} of the subscribers file, then run again with --retry-failed"
    )


def _ask(plan: SendPlan, options: SendOptions) -> None:
    if options.yes:
        return
    if options.confirm is None:
        raise ConfirmationRequired(confirmation_text(plan))
    if not options.confirm(confirmation_text(plan)):
        raise SendCancelled("cancelled: nothing was sent")


def _live(
    issue: Issue,
    config: SendConfig,
    provider: Provider,
    summary: SendSummary,
    options: SendOptions,
    *,
    link_warning: str | None,
    kill_after: str | None,
) -> None:
    provider.check(live=True)
    with Ledger(config.ledger, provider=provider.name, kill_after=kill_after) as ledger:
        plan = _checked_plan(issue, config, provider, summary, options)
        plan.link_warning = link_warning
        run = _Run(plan, provider, ledger, summary, options.sleep)
        if provider.audience == "list":
            run.audience = plan.readers  # the source the plan read, opened once
            _live_list(run, options)
        else:
            _live_broadcast(run, options)


def _live_list(run: _Run, options: SendOptions) -> None:
    plan, summary, provider = run.plan, run.summary, run.provider
    summary.uncertain = list(plan.uncertain)
    if plan.recipients:
        _ask(plan, options)
        try:
            # A refused login stops here, before any ledger line; a server that is not
            # answering yet gets the usual retries.
            run.attempt(lambda: provider.open() or "")
        except (ProviderStop, ConnectionFailure) as error:
            raise run.stop(error) from None
        limiter = _RateLimiter(run.config.rate, run.sleep, options.clock)
        progress = Progress(
            len(plan.recipients),
            stream=options.progress_stream,
            enabled=options.progress,
            clock=options.clock,
        )
        consecutive = 0
        try:
            run.freeze()  # logged in, about to deliver: from here on this copy is the issue
            for subscriber in plan.recipients:
                limiter.wait()
                outcome = _deliver_one(run, subscriber, plan.state.recipients.get(subscriber.key))
                progress.update(outcome)
                consecutive = consecutive + 1 if outcome in ("failed", "deferred") else 0
                if consecutive >= run.config.max_consecutive_failures:
                    summary.stopped = (
                        f"{consecutive} recipients in a row failed; last: "
                        f"{(summary.failed or summary.deferred)[-1][1]}"
                    )
                    raise SendStopped(summary.stopped, summary)
        finally:
            progress.close()
            provider.close()
    if not (summary.uncertain or summary.deferred or summary.stopped):
        run.complete()


def _deliver_one(run: _Run, subscriber: Subscriber, known: RecipientState | None) -> str:
    """pending -> hand over (with retries) -> sent | failed | deferred | uncertain."""
    config, summary = run.config, run.summary
    address = subscriber.key
    if run.audience is not None and not run.audience.still_subscribed(subscriber):
        # Unsubscribed since the send began: from that moment on, nothing more.
        summary.skipped.append((subscriber.email, "unsubscribed during the send"))
        return "skipped"
    message_id = (known.message_id if known else None) or new_message_id(config)
    try:
        message = build_message(run.issue, subscriber, config, message_id=message_id)
    except Exception as error:  # noqa: BLE001 - one bad row must not stop the readers after it
        reason = _unbuildable(subscriber, error)
        run.record(address, State.FAILED, message_id=message_id, error=reason)
        summary.failed.append((subscriber.email, scrub(reason, run.secrets)))
        return "failed"
    outgoing = Outgoing(run.issue, subscriber, message, message_id, message_id)
    run.record(address, State.PENDING, message_id=message_id)
    try:
        provider_id = run.attempt(lambda: run.provider.deliver(outgoing))
    except PermanentFailure as error:
        run.record(address, State.FAILED, message_id=message_id, error=str(error))
        summary.failed.append((subscriber.email, run.say(error)))
        if run.audience is not None:
            run.audience.bounced(subscriber, run.say(error))
        return "failed"
    except UncertainDelivery as error:
        # No line: the trailing "pending" is exactly what we know.
        logger.warning("%s: %s", masked(subscriber.email), without_addresses(run.say(error)))
        summary.uncertain.append(subscriber.email)
        return "uncertain"
    except (ProviderStop, ConnectionFailure) as error:
        # Refused before the message was complete, so certainly not delivered.
        run.record(address, State.DEFERRED, message_id=message_id, error=str(error))
        summary.deferred.append((subscriber.email, run.say(error)))
        raise run.stop(error) from None
    except TemporaryFailure as error:
        run.record(address, State.DEFERRED, message_id=message_id, error=str(error))
        summary.deferred.append((subscriber.email, run.say(error)))
        return "deferred"
    extra = {"provider_id": provider_id} if provider_id != message_id else {}
    run.record(address, State.SENT, message_id=message_id, **extra)
    summary.sent.append(subscriber.email)
    return "sent"


def _live_broadcast(run: _Run, options: SendOptions) -> None:
    """One send to the provider's own list: resume what the ledger knows, draft, ask, send."""
    plan, summary, provider, issue = run.plan, run.summary, run.provider, run.issue
    known = plan.state.recipients.get(BROADCAST)
    key = (known.key if known and known.key else None) or broadcast_key(issue, plan.round)
    outgoing = Outgoing(issue, None, None, None, key)
    if known and known.state == State.SENT:
        _close_recorded_broadcast(run, known)
        return
    draft_id = known.provider_id if known else None
    try:
        provider.open()
        if _settled_by_lookup(run, known, key, options):
            return
        draft_id = _broadcast_draft(run, known, key, outgoing)
        outgoing = replace(outgoing, draft_id=draft_id or None)
        if draft_id:
            plan.provider_description += f", draft {draft_id} (review it there first)"
        _ask(plan, options)
        run.freeze()
        run.record(BROADCAST, State.PENDING, stage="send", provider_id=draft_id, key=key)
        provider_id = run.attempt(lambda: provider.deliver(outgoing))
    except (ProviderStop, ConnectionFailure) as error:
        raise run.stop(error) from None
    except PermanentFailure as error:
        run.record(BROADCAST, State.FAILED, key=key, error=str(error))
        summary.failed.append((f"{provider.name} broadcast", run.say(error)))
        raise SendStopped(run.say(error), summary) from None
    except UncertainDelivery as error:
        summary.uncertain.append(f"{provider.name} email {draft_id}")
        summary.stopped = run.say(error)
        raise SendStopped(summary.stopped, summary) from None
    except TemporaryFailure as error:
        run.record(BROADCAST, State.DEFERRED, key=key, provider_id=draft_id, error=str(error))
        summary.deferred.append((f"{provider.name} broadcast", run.say(error)))
        raise SendStopped(run.say(error), summary) from None
    finally:
        provider.close()
    run.record(BROADCAST, State.SENT, provider_id=provider_id, key=key)
    summary.sent.append(BROADCAST)
    summary.provider_ids.append(provider_id)
    run.complete(provider_id)


def _close_recorded_broadcast(run: _Run, known: RecipientState) -> None:
    """A crash between "sent" and "complete": the list has it. Close the round; never ask
    the provider to send again, whatever it would do with a second request."""
    run.summary.sent.append(BROADCAST)
    run.summary.provider_ids.append(known.provider_id or "")
    run.summary.notes.append(
        f"the {run.provider.name} send was recorded before an interruption; closing the "
        "issue without sending again"
    )
    run.complete(known.provider_id)


def _settled_by_lookup(
    run: _Run, known: RecipientState | None, key: str, options: SendOptions
) -> bool:
    """After a send whose answer was lost, ask the provider what became of it: True when
    that settles the run (it went out, or its fate is unknown and no resend was asked)."""
    if not (known and known.state == State.PENDING and known.stage == "send"):
        return False
    verdict = run.provider.lookup(known.provider_id or "")
    if verdict == "sent":
        run.record(BROADCAST, State.SENT, provider_id=known.provider_id, key=key)
        run.summary.sent.append(BROADCAST)
        run.summary.provider_ids.append(known.provider_id or "")
        run.complete(known.provider_id)
        return True
    if verdict == "unknown" and not options.resend_uncertain:
        run.summary.uncertain.append(f"{run.provider.name} email {known.provider_id}")
        return True
    return False


def _broadcast_draft(
    run: _Run, known: RecipientState | None, key: str, outgoing: Outgoing
) -> str | None:
    """The provider's draft of this issue: the one made earlier, unless the issue changed
    since (refused), else a new one, recorded as soon as the provider names it."""
    issue, provider = run.issue, run.provider
    draft_id = known.provider_id if known else None
    if draft_id and known and known.content_hash and known.content_hash != issue.content_hash:
        raise SendError(
            f"issue {issue.id} changed since its {provider.name} draft {draft_id} was "
            "created; delete that draft in the provider, then re-run with force=True"
        )
    if draft_id:
        return draft_id
    run.record(BROADCAST, State.PENDING, stage="draft", key=key)
    draft_id = run.attempt(lambda: provider.prepare(outgoing) or "")
    if draft_id:
        run.record(
            BROADCAST,
            State.DRAFTED,
            provider_id=draft_id,
            key=key,
            content_hash=issue.content_hash,
        )
    return draft_id

"""`studybot console`: the bot's commands in a terminal, with no Discord and no token.

It runs the same handlers as the slash commands, for a simulated group in this terminal, on a
copy of the local database (so nothing it does reaches a real group), with a clock you move by
hand to see the daily post arrive.
"""

from __future__ import annotations

import shlex
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import commands, render
from bot import texts as library
from bot.clock import ManualClock
from bot.config import LlmConfig
from bot.errors import InvalidSettingError, StudyError
from bot.members import commands as member_commands
from bot.members import reminders
from bot.models import DeliveryStatus
from bot.questions import curation
from bot.reading import plans, posting
from bot.store import Store

GUILD_ID, CHANNEL_ID, USER_ID = 1, 1, 1
HELP = """Commands (the same as in Discord):
  /today                       the latest passage posted
  /passage N [text]            a passage by number
  /search WORDS [--text T]     search: words, "phrases", -not, a OR b, prefix*
  /progress [chart]            the group's progress and yours; chart: write the chart to a file
  /catchup [PACE]              posts you have not marked read
  /catchup me [PACE] | read | next   catch up privately at your pace (passages a day), a post a page
  /read                        mark the latest post as read
  /suggest QUESTION            suggest a question for the latest post
  /texts                       the texts
  /remind at 20:00 [ZONE] [DAYS] | off | snooze [N]   reading reminders (shown here as DMs)
  /study start TEXT TIME ZONE [WEEKDAYS] [PACE]    e.g. /study start thermidor 09:00 Europe/London
  /study settings|status|pause|resume|skip [N]|jump N|stop
  /study questions [N]         the next post's questions (or passage N's), and suggestions waiting
  /study edit [N] "Q?" "Q?"    replace them (1-4 questions, in order), for every group of this server
  /study approve ID | decline ID    decide on a suggested question
  /advance 1d | 3h | 30m       move the clock and see what gets posted
  /time                        the simulated time
  /quit"""


class Console:
    def __init__(
        self, store: Store, clock: ManualClock, echo: Callable[[str], None] = print, llm: LlmConfig | None = None
    ):
        self.store, self.clock, self.echo, self.llm = store, clock, echo, llm
        self._catchup_page = 0
        """The post of the catch-up page shown last (its Next button's)."""

    def invocation(self) -> commands.Invocation:
        return commands.Invocation(
            store=self.store,
            guild_id=GUILD_ID,
            channel_id=CHANNEL_ID,
            user_id=USER_ID,
            is_organiser=True,
            now=self.clock.now(),
            user_name="you",
            llm=self.llm,
        )

    def start_demo_group(self) -> None:
        """A plan for the simulated group, so /today and /progress have something to show."""
        if self.store.group_for_channel(CHANNEL_ID) is None:
            texts = library.list_texts(self.store)
            if texts:
                zone = "UTC"
                # 09:00, or earlier when the console starts before nine: the first post is out at
                # once whatever the hour, so /today always has something to show.
                at = min("09:00", f"{self.clock.now().astimezone(ZoneInfo(zone)):%H:%M}")
                commands.study_start(self.invocation(), texts[0].slug, at, zone)
                self.echo(f"A demo group reads {texts[0].meta.title}, posting daily at {at} {zone}.")
        self.advance(timedelta(0))

    def run_line(self, line: str) -> bool:
        """Run one command line; False when the user wants to leave."""
        line = line.strip()
        if not line:
            return True
        try:
            words = shlex.split(line)
        except ValueError:
            words = line.split()
        name, args = words[0].lstrip("/").lower(), words[1:]
        if name in ("quit", "exit", "q"):
            return False
        try:
            self._dispatch(name, args)
        except StudyError as error:
            self.echo(str(error))
        except (ValueError, IndexError):
            self.echo(f"Could not read that; type /help for the forms. ({line})")
        return True

    def _dispatch(self, name: str, args: list[str]) -> None:
        inv = self.invocation()
        if name == "help":
            self.echo(HELP)
        elif name == "time":
            self.echo(render.moment(self.clock.now()))
        elif name == "advance":
            self.advance(_duration(args[0] if args else "1d"))
        elif name == "today":
            self.show(commands.today(inv))
        elif name == "passage":
            self.show(commands.passage(inv, int(args[0]), " ".join(args[1:]) or None))
        elif name == "search":
            text = None
            if "--text" in args:
                i = args.index("--text")
                text, args = args[i + 1], args[:i] + args[i + 2 :]
            self.show(commands.search(inv, " ".join(args), text))
        elif name == "progress" and args[:1] == ["chart"]:
            reply, png = member_commands.progress_chart(inv)
            path = Path(tempfile.gettempdir()) / f"studybot-progress-{self.clock.now():%Y-%m-%d}.png"
            path.write_bytes(png)
            self.echo(f"{reply.text} The chart is in {path}")
        elif name == "progress":
            self.show(commands.show_progress(inv))
        elif name == "catchup":
            self._catchup(inv, args)
        elif name == "texts":
            self.show(commands.texts(inv))
        elif name == "read":
            group = self.store.group_for_channel(CHANNEL_ID)
            latest = self.store.latest_delivery(group.id) if group else None
            self.show(commands.mark_read(inv, latest.id) if latest else commands.today(inv))
        elif name == "suggest":
            self._suggest(inv, " ".join(args))
        elif name == "study":
            self._study(inv, args)
        elif name == "remind":
            self._remind(inv, args)
        else:
            self.echo(f"No command /{name}; type /help.")

    def _study(self, inv: commands.Invocation, args: list[str]) -> None:
        action, rest = (args[0].lower(), args[1:]) if args else ("settings", [])
        handlers = {
            "start": lambda: commands.study_start(
                inv,
                rest[0],
                rest[1],
                rest[2],
                rest[3] if len(rest) > 3 else None,
                int(rest[4]) if len(rest) > 4 else None,
            ),
            "settings": lambda: member_commands.study_settings(inv),  # the same card as Discord shows
            "status": lambda: commands.study_status(inv),
            "pause": lambda: commands.study_pause(inv),
            "resume": lambda: commands.study_resume(inv),
            "skip": lambda: commands.study_skip(inv, int(rest[0]) if rest else 1),
            "jump": lambda: commands.study_jump(inv, int(rest[0])),
            "stop": lambda: commands.study_stop(inv),
            "questions": lambda: commands.study_questions(inv, int(rest[0]) if rest else None),
            "edit": lambda: self._edit(inv, rest),
            "approve": lambda: commands.decide_suggestion(inv, int(rest[0].lstrip("#")), True),
            "decline": lambda: commands.decide_suggestion(inv, int(rest[0].lstrip("#")), False),
        }
        if action not in handlers:
            self.echo("Use /study start|settings|status|pause|resume|skip|jump|questions|edit|approve|decline|stop.")
            return
        self.show(handlers[action]())

    def _catchup(self, inv: commands.Invocation, args: list[str]) -> None:
        """/catchup [PACE], /catchup me [PACE] (Catch me up), /catchup read and /catchup next (the
        page's Mark as read and Next buttons)."""
        action = args[0].lower() if args else ""
        if action == "me":
            reply = member_commands.catchup_start(inv, int(args[1]) if len(args) > 1 else 2)
        elif action == "next":
            reply = member_commands.catchup_page(inv, self._catchup_page)
        elif action == "read":
            reply = commands.mark_read(inv, self._catchup_page) if self._catchup_page else commands.today(inv)
        else:
            reply = member_commands.catchup(inv, int(action) if action.isdigit() else None)
        shown = next((b for b in reply.buttons if b.action.startswith("catchup:page:")), None)
        if action in ("me", "next"):
            self._catchup_page = int(shown.action.rsplit(":", 1)[1]) if shown else 0
        self.show(reply)

    def _remind(self, inv: commands.Invocation, args: list[str]) -> None:
        action, rest = (args[0].lower(), args[1:]) if args else ("", [])
        if action == "at" and rest:
            self.show(member_commands.remind_at(inv, rest[0], *(rest[1:3] + [None, None])[:2]))
        elif action == "off":
            self.show(member_commands.remind_off(inv))
        elif action == "snooze":
            self.show(member_commands.remind_snooze(inv, int(rest[0]) if rest else 1))
        else:
            self.echo("Use /remind at 20:00 [ZONE] [DAYS], /remind off or /remind snooze [DAYS].")

    def _edit(self, inv: commands.Invocation, rest: list[str]) -> render.Reply:
        """/study edit [N] "Q?" ...: the form's boxes as arguments; with none, what they hold."""
        group = plans.require_group(self.store, CHANNEL_ID)
        number = int(rest[0]) if rest and rest[0].isdigit() else None
        typed = rest[1:] if number is not None else rest
        ordinal = number or curation.next_post_ordinal(self.store, group)
        if typed:
            return commands.save_questions(inv, group.text_id, ordinal, typed)
        form = commands.questions_form(inv, group.text_id, ordinal)
        filled = ['"' + field.value.replace('"', '\\"') + '"' for field in form.fields if field.value]
        return render.Reply(text=f"{form.title}; to change them type:\n/study edit {ordinal} " + " ".join(filled))

    def _suggest(self, inv: commands.Invocation, question: str) -> None:
        group = plans.require_group(self.store, CHANNEL_ID)
        posted = self.store.deliveries_of(group.id, DeliveryStatus.POSTED)
        if not posted:
            self.echo("Nothing has been posted yet; suggest a question once a post is out (/advance 1d).")
            return
        self.show(commands.suggest_question(inv, posted[-1].id, question))

    def advance(self, delta: timedelta) -> None:
        """Move the clock to each post moment on the way, making the posts as the bot would."""
        target = self.clock.now() + delta
        while True:
            self._post_due()
            self._remind_due()
            upcoming = min((m for m in (self._next_post_moment(), self._next_reminder()) if m), default=None)
            if upcoming is None or upcoming > target or upcoming <= self.clock.now():
                break
            self.clock.set(upcoming)
        self.clock.set(max(target, self.clock.now()))

    def _next_post_moment(self) -> datetime | None:
        group = self.store.group_for_channel(CHANNEL_ID)
        if group is None or group.paused or group.next_ordinal > self.store.get_text(group.text_id).passage_count:
            return None
        latest = self.store.latest_delivery(group.id)
        schedule = plans.schedule_of(group)
        posted_today = latest is not None and latest.local_date == schedule.local_date(self.clock.now())
        moments = schedule.next_posts(self.clock.now(), 1, posted_today=posted_today)
        return max(moments[0], self.clock.now()) if moments else None

    def _next_reminder(self) -> datetime | None:
        group = self.store.group_for_channel(CHANNEL_ID)
        setting = self.store.reminder_setting(group.id, USER_ID) if group else None
        return max(setting.next_due, self.clock.now()) if setting and setting.next_due else None

    def _remind_due(self) -> None:
        """Reminders due now, shown as the DMs they would be (the console's member is reachable)."""
        while batch := reminders.due_messages(self.store, self.clock.now()):
            self.store.start_sending([m.reminder.id for m in batch])
            for message in batch:
                self.echo(f"\n=== Direct message to you, {render.moment(self.clock.now())} ===\n{message.text}")
            reminders.sent(self.store, [(m.reminder.id, True) for m in batch], self.clock.now())

    def _post_due(self) -> None:
        for due in posting.claim_due_posts(self.store, self.clock.now()):
            post = posting.post_for_delivery(self.store, due.delivery, self.llm)
            self.echo(f"\n=== Daily post, {render.moment(self.clock.now())} ===")
            for cards in render.post_messages(post):
                for card in cards:
                    self.echo(render.card_text(card))
            self.echo("[Mark as read: /read]  [Suggest a question: /suggest QUESTION]  [Discussion thread opened]")
            posting.complete(self.store, due.delivery, message_id=due.delivery.id, thread_id=None, now=self.clock.now())

    def show(self, reply: render.Reply) -> None:
        if reply.text:
            self.echo(reply.text)
        for card in reply.cards:
            self.echo(render.card_text(card))
        if reply.buttons:
            self.echo("  ".join(_button_text(b) for b in reply.buttons))
        notice = reply.notice
        if notice is not None:
            edited = notice.message_id is not None
            self.echo("[in the post's thread, " + ("the message now reads]" if edited else "for everyone]"))
            self.show(notice.reply)
            if notice.suggestion_id is not None:  # a stand-in message id, so a decision updates it
                commands.notice_posted(self.store, notice.suggestion_id, notice.where[0], notice.suggestion_id)


def _button_text(button: render.Button) -> str:
    """A button as the console offers it: the command that does the same."""
    kind, _, rest = button.action.partition(":")
    if kind in ("approve", "decline"):
        return f"[{button.label}: /study {kind} {rest}]"
    if kind == "edit":
        return f'[{button.label}: /study edit {rest.split(":")[-1]} "Q?" ...]'
    if kind == "catchup":
        return f"[{button.label}: /catchup {'me' if rest.startswith('start') else 'next'}]"
    if kind == "read":
        return f"[{button.label}: /catchup read]"
    return f"[{button.label}]"


MAX_ADVANCE = timedelta(days=3660)
"""The longest /advance: ten years of daily posts, more than any plan lasts. Beyond it the
simulated clock would leave the calendar (datetime ends at the year 9999)."""


def _duration(text: str) -> timedelta:
    units = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}
    number, unit = text[:-1], text[-1:].lower()
    if unit not in units or not number.isdigit():
        raise ValueError(text)
    if len(number) > 8 or int(number) * units[unit] > MAX_ADVANCE:
        raise InvalidSettingError(f"Advance the clock by at most {MAX_ADVANCE.days}d at a time, e.g. /advance 7d.")
    return int(number) * units[unit]


def run_console(
    store: Store, now: datetime, lines=None, echo: Callable[[str], None] = print, llm: LlmConfig | None = None
) -> None:
    """The interactive loop; `lines` (an iterable) replaces the keyboard in tests and pipes. The
    session works on a copy in memory, gone when it ends (quit, end of input, Ctrl-C, an error)."""
    copy = store.copy_in_memory()
    try:
        console = Console(copy, ManualClock(now), echo, llm)
        echo("studybot console: the bot's commands, on a copy of your database. Type /help.")
        console.start_demo_group()
        source = lines if lines is not None else _prompt()
        for line in source:
            if not console.run_line(line):
                break
    finally:
        copy.close()


def _prompt():
    while True:
        try:
            yield input("studybot> ")
        except EOFError:
            return

"""The ``essaybot`` command: run, console, check."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bot.bootstrap import bootstrap, load
from bot.config import Config, ConfigError, load_config, with_webhook
from bot.content.loader import ContentError
from bot.core.events import Reader
from bot.core.learning import OUT
from bot.core.understanding.decide import Understanding
from bot.core.understanding.sentences import excerpt
from bot.storage.database import StoreError


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    cli = argparse.ArgumentParser(
        prog="essaybot",
        description="A Telegram bot around the essay 'Marketing e IT: ha ancora senso che"
        " siano separati?'. Without a command, starts the console.",
    )
    commands = cli.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", help="run the bot on Telegram (needs TELEGRAM_BOT_TOKEN)")
    run.add_argument(
        "--webhook-url",
        metavar="URL",
        help="receive updates by webhook at this https URL (needs TELEGRAM_WEBHOOK_SECRET);"
        " default: long polling",
    )
    run.add_argument("--listen", metavar="ADDR", help="the webhook server's address (127.0.0.1)")
    run.add_argument("--port", type=int, metavar="N", help="the webhook server's port (8443)")
    console = commands.add_parser("console", help="chat with the bot in this terminal")
    console.add_argument(
        "--lang", default="it", choices=["it", "en"], help="the reader's language (default: it)"
    )
    console.add_argument("--name", default="", help="the reader's first name")
    console.add_argument(
        "--user-id",
        type=int,
        default=0,
        help="the reader's id in the database (default: 0); an id in ESSAYBOT_ADMIN_IDS gives"
        " the author's side (/pending, /stats, the cards)",
    )
    ask = commands.add_parser("ask", help="show what the bot answers to questions")
    ask.add_argument("question", nargs="*", help="questions (default: one per line on stdin)")
    ask.add_argument("--lang", default="it", choices=["it", "en"], help="the reader's language")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument(
        "--explain", action="store_true", help="the nearest bank examples and the scores"
    )
    stats = commands.add_parser("stats", help="readers, reading funnel, answers, questions")
    stats.add_argument("--chart", metavar="PATH", help="also draw the numbers as a PNG chart")
    stats.add_argument("--lang", help="the report's language (default: the essay's)")
    export = commands.add_parser("export", help="every answer (or reply), as CSV or JSON")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--replies", action="store_true", help="the replies instead of answers")
    export.add_argument("--output", help="file to write (default: standard output)")
    aliases = commands.add_parser("aliases", help="the aliases taught with /unanswered")
    aliases.add_argument("action", choices=["export"], help="export: print them as YAML")
    bank = commands.add_parser("bank", help="the question bank's additions from /unanswered")
    bank.add_argument("action", choices=["export"], help="export: print them as bank YAML")
    check = commands.add_parser("check", help="validate the content files")
    check.add_argument("directory", nargs="?", help="content folder (default: the shipped one)")
    backup = commands.add_parser("backup", help="copy the database, safe while the bot runs")
    backup.add_argument("path", help="the file to write the copy to")
    commands.add_parser("health", help="exit 0 if the running bot beat in the last minute")
    link = commands.add_parser("link", help="a t.me link (and QR code) counted as SOURCE")
    link.add_argument("source", help="1-20 lower-case letters and digits, e.g. newsletter")
    link.add_argument("--to", default="", help="topic-ID, part-N or question (default: welcome)")
    link.add_argument("--output", help="the QR code's PNG (default: essaybot-SOURCE.png)")
    link.add_argument("--username", help="the bot's name (default: asked of Telegram)")
    post = commands.add_parser("post", help="publish on ESSAYBOT_CHANNEL, after a preview")
    post.add_argument("what", nargs="+", help="opening, part N or results")
    post.add_argument("--yes", action="store_true", help="post without asking")
    embed = commands.add_parser("embed", help="the blog's page: the tally and the answers")
    embed.add_argument("--output", required=True, help="folder for index.html, fragment.html")
    embed.add_argument("--username", help="the bot's name (default: asked of Telegram)")
    commands.add_parser("doctor", help="check the token, webhook, database, content and admins")
    for command in commands.choices.values():  # every command can name its database
        command.add_argument(
            "--database", metavar="PATH", help="the SQLite database (default: ESSAYBOT_DATABASE)"
        )
    return cli


def fail(message: str, code: int = 2) -> int:
    """Print one line on stderr and return ``code``."""
    print(f"essaybot: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``essaybot`` console script."""
    args = parser().parse_args(argv)
    command = args.command or "console"
    try:
        config = load_config()
        if getattr(args, "database", None):
            config = replace(config, database=args.database)
        if command == "check":
            return check(config, args.directory)
        if command == "run":
            return run(with_webhook(config, args.webhook_url, args.listen, args.port))
        if command == "ask":
            return ask(config, args)
        if command == "stats":
            return report(config, args.chart, args.lang)
        if command == "export":
            return export(config, args)
        if command == "aliases":
            return export_aliases(config)
        if command == "bank":
            return export_bank(config)
        if command == "health":
            return health(config)
        if command in ("backup", "doctor", "link", "embed", "post"):
            from bot import operations

            if command == "post":
                return operations.post(config, " ".join(args.what), args.yes, bootstrap)
            if command == "embed":
                return embed(config, args.output, args.username)
            if command == "backup":
                return operations.backup(config, args.path)
            if command == "link":
                return operations.link(config, args.source, args.to, args.output, args.username)
            return operations.doctor(config, load)
        return console(config, args)
    except (ConfigError, StoreError) as error:  # health answers 0 or 1 only (Docker keeps 2)
        return fail(str(error), 1 if command == "health" else 2)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def health(config: Config) -> int:
    """Whether the bot running on this database is alive: its heartbeat file is recent."""
    from bot.adapters.heartbeat import STALE, age

    seconds = age(config.heartbeat_path)
    if seconds is None:
        print(f"essaybot: no heartbeat at {config.heartbeat_path} (is the bot running?)")
        return 1
    if seconds > STALE:
        print(f"essaybot: the last heartbeat is {seconds:.0f} s old (stuck or stopped)")
        return 1
    print(f"ok: the bot beat {seconds:.0f} s ago")
    return 0


def check(config: Config, directory: str | None) -> int:
    """Validate the content; one line per problem, or a one-line summary."""
    from pathlib import Path

    content = load(config, Path(directory) if directory else None)
    essay = content.essay
    print(
        f"content OK: {essay.total} parts, {len(content.topics)} topics,"
        f" {len(content.phrases)} phrases in {len(content.languages)} languages"
        f" ({', '.join(content.languages)})"
    )
    return 0


def ask(config: Config, args: argparse.Namespace) -> int:
    """Answer questions as the bot would, without recording them."""
    import dataclasses
    import json

    from bot.content.markup import to_terminal

    services = bootstrap(dataclasses.replace(config, database=":memory:"))
    lines = args.question or (line.rstrip("\n") for line in iter(sys.stdin.readline, ""))
    for question in lines:
        if not question.strip():
            continue
        lookup = services.dialogue.preview(Reader(0, "", args.lang), question)
        reply = "\n\n".join(to_terminal(r.text) for r in lookup.outcome.replies)
        labels = [b.label for r in lookup.outcome.replies for row in r.buttons for b in row]
        if args.explain:  # beside --json, on stderr: stdout stays one object per line
            out = sys.stderr if args.json else sys.stdout
            print(explain(services.dialogue.asking.understanding, question), file=out, flush=True)
        if args.json:
            match, decision = lookup.match, lookup.decision
            scores = {c.topic: c.score for c in match.ranking}
            others = (
                decision.choices
                or tuple(c.topic for c in match.ranking if c.topic != decision.topic)[:3]
            )
            record = {
                "question": question,
                "lang": lookup.lang,
                "outcome": decision.kind if decision.kind != "unclear" else "none",
                "topic": decision.topic if decision.kind == "answer" else None,
                "related": decision.topic if decision.kind == "related" else None,
                "aspect": decision.aspect,
                "score": match.score,
                "alternatives": [{"topic": t, "score": scores.get(t, 0)} for t in others],
                "intent": decision.intent,
                "confidence": decision.confidence,
                "reply": reply,
                "buttons": labels,
            }
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            shown = " ".join(f"[{label}]" for label in labels)
            print(f"? {question}\n{reply}\n{shown}\n", flush=True)
    services.close()
    return 0


def explain(understanding: Understanding, question: str) -> str:
    """What decided: the learned intents and aspects with their probabilities, the matcher's
    topics with their scores, and the bank's examples nearest to the question."""
    read = excerpt(question)  # what decide reads of a long message
    intents, aspects = understanding.read(read)
    ranking = understanding.match(read).ranking
    lines = [f"? {question}"]
    lines.append("  intents: " + ", ".join(f"{r.label} {r.p:.2f}" for r in intents[:4]))
    lines.append("  aspects: " + ", ".join(f"{r.label} {r.p:.2f}" for r in aspects[:3]))
    lines.append("  matcher: " + (", ".join(f"{c.topic} {c.score}" for c in ranking[:3]) or "-"))
    for example, similarity in understanding.model.nearest(read):
        aspect = f" ({example.aspect})" if example.aspect else ""
        lines.append(f"  ~ {similarity:.2f} {example.intent}{aspect}: {example.q}")
    return "\n".join(lines)


def report(config: Config, chart: str | None = None, lang: str | None = None) -> int:
    """Print the author's statistics, as /stats shows them (in ``lang``, else the language the
    author wrote in), reading the database as it is; with ``chart``, write them there as a PNG
    chart too."""
    from bot.content.markup import to_terminal

    if chart and not chart.lower().endswith(".png"):
        return fail(f"the chart is a PNG image: name it .png, not {chart!r}", 2)
    services = bootstrap(config, read_only=True)
    dialogue = services.dialogue
    if lang is not None and lang not in dialogue.content.languages:
        services.close()
        return fail(f"--lang must be one of {', '.join(dialogue.content.languages)}", 2)
    author = Reader(0, "", lang or dialogue.content.default_language)
    turn = dialogue.turn(author)
    text = to_terminal(dialogue.moderation.report(turn))
    data = dialogue.moderation.chart_data(turn) if chart else None
    services.close()
    if chart and data:
        from bot.core.charts import draw

        try:
            with open(chart, "wb") as file:
                file.write(draw(data))
        except OSError as error:
            return fail(f"cannot write {chart!r}: {error.strerror}", 1)
    print(text)
    return 0


def export(config: Config, args: argparse.Namespace) -> int:
    """Write every answer (or with --replies every reply) as CSV (UTF-8 with BOM, header row)
    or JSON."""
    from bot.core.exports import EXPORT_FIELDS, REPLY_EXPORT_FIELDS, export_csv, export_json

    services = bootstrap(config, read_only=True)
    fields: tuple[str, ...] = REPLY_EXPORT_FIELDS if args.replies else EXPORT_FIELDS
    if args.replies:
        rows = services.store.export_replies()
    else:
        rows = services.store.export_rows(services.content.essay.total)
    services.close()
    data = export_json(rows) if args.format == "json" else export_csv(rows, fields)
    if args.output:
        try:  # readers' names and words: readable by this user only, as back-ups are
            descriptor = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            os.chmod(args.output, 0o600)
        except OSError as error:
            return fail(f"cannot write {args.output!r}: {error.strerror}", 1)
        what = "replies" if args.replies else "answers"
        print(f"wrote {len(rows):,} {what} to {args.output} ({len(data):,} bytes, mode 0600)")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def export_bank(config: Config) -> int:
    """Print what the author taught with /unanswered as question-bank YAML, to merge into
    content/bank/: a topic (and the aspect, if the author gave one) for each question mapped
    to one, ``out`` for each the essay does not cover."""
    import yaml

    from bot.content.catalog import Example

    services = bootstrap(config, read_only=True)
    learned = services.store.questions.learned()
    services.close()
    examples = [Example(excerpt(a.phrase), a.lang, a.topic, a.aspect).as_yaml() for a in learned]
    print("# Taught with /unanswered: add these to a file in content/bank/.")
    print(yaml.safe_dump({"examples": examples}, allow_unicode=True, sort_keys=False), end="")
    return 0


def export_aliases(config: Config) -> int:
    """Print the aliases taught with /unanswered as YAML to merge into content/topics.yaml."""
    import yaml

    services = bootstrap(config, read_only=True)
    learned = services.store.questions.learned()
    services.close()
    topics: dict[str, dict[str, dict[str, list[str]]]] = {}
    for alias in learned:
        if alias.topic == OUT:
            continue  # a question the essay does not cover names no topic
        by_lang = topics.setdefault(alias.topic, {})
        by_lang.setdefault(alias.lang, {"aliases": []})["aliases"].append(alias.phrase)
    print(
        "# Aliases taught with /unanswered: add each list to the topic's aliases in"
        " content/topics.yaml"
    )
    document = {"topics": [{"id": topic, **langs} for topic, langs in topics.items()]}
    print(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), end="")
    return 0


def run(config: Config) -> int:
    """Run on Telegram: by webhook if a webhook URL is set, else by long polling."""
    from bot.adapters.telegram import run as run_bot
    from bot.logs import setup_logging

    token = config.require_token()
    setup_logging(config.log_level, token, config.webhook_secret)
    services = bootstrap(config, load(config))
    try:
        run_bot(services.config, services.dialogue)
    finally:
        services.close()
    return 0


def console(config: Config, args: argparse.Namespace) -> int:
    """Chat in the terminal, through the same dialogue and database."""
    from bot.adapters.console import Console

    services = bootstrap(config)
    reader = Reader(args.user_id, args.name, args.lang)
    try:
        return Console(services.dialogue, reader, sys.stdin, sys.stdout, sys.stdin.isatty()).run()
    finally:
        services.close()


def embed(config: Config, output: str, username: str | None) -> int:
    """Write the blog's page (``index.html``) and the fragment to paste under the post
    (``fragment.html``) into folder ``output``, from the database as it is now."""
    from bot.adapters.doctor import identity
    from bot.core.reach.embed import Embed

    name = username or identity(config)
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    services = bootstrap(config, read_only=True)
    try:
        made = Embed(services.content, services.store)
        (folder / "index.html").write_text(made.page(name), encoding="utf-8")
        (folder / "fragment.html").write_text(made.fragment(name), encoding="utf-8")
    finally:
        services.close()
    print(
        f"wrote {folder / 'index.html'} and {folder / 'fragment.html'} (paste it under the post)"
    )
    return 0

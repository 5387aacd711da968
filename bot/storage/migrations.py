"""The SQLite schema, as named migrations applied in order and recorded in the database.

Append only: never edit or reorder a migration that has shipped; add a new one at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from bot.model.fingerprints import fingerprint
from bot.storage import counts, sources
from bot.storage.database import Database

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(function: Migration) -> Migration:
    """Register ``function`` as the next migration, named after the function."""
    MIGRATIONS.append((function.__name__, function))
    return function


@migration
def m001_create_readers(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE readers (
            user_id INTEGER PRIMARY KEY,
            first_name TEXT NOT NULL DEFAULT '',
            language_code TEXT,
            part_id TEXT,
            furthest_part INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            seen_at TEXT NOT NULL
        )
        """
    )


@migration
def m002_create_questions(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL,
            text TEXT NOT NULL,
            lang TEXT NOT NULL,
            topic TEXT,
            score INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX questions_by_topic ON questions (topic)")


@migration
def m003_create_answers(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE readers ADD COLUMN flow TEXT")
    db.execute("ALTER TABLE readers ADD COLUMN flow_data TEXT")
    db.execute("ALTER TABLE readers ADD COLUMN display TEXT")
    db.execute(
        """
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL UNIQUE,
            stance TEXT NOT NULL,
            comment TEXT,
            display_name TEXT,
            lang TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX answers_by_status ON answers (status, created_at)")
    db.execute(
        """
        CREATE TABLE submissions (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX submissions_by_user ON submissions (user_id, created_at)")
    db.execute(
        """
        CREATE TABLE bans (
            user_id INTEGER PRIMARY KEY,
            banned_by INTEGER NOT NULL,
            banned_at TEXT NOT NULL
        )
        """
    )


@migration
def m004_hash_answer_fingerprints(db: sqlite3.Connection) -> None:
    """Duplicate checks compare hashes: no copy of a comment outlives the comment itself."""
    db.execute("ALTER TABLE answers ADD COLUMN fingerprint TEXT")
    db.execute("CREATE INDEX answers_by_fingerprint ON answers (fingerprint)")
    rows = db.execute("SELECT id, comment FROM answers WHERE comment IS NOT NULL").fetchall()
    for answer_id, comment in rows:
        db.execute(
            "UPDATE answers SET fingerprint = ? WHERE id = ?", (fingerprint(comment), answer_id)
        )
    for submission_id, text in db.execute("SELECT id, fingerprint FROM submissions").fetchall():
        db.execute(
            "UPDATE submissions SET fingerprint = ? WHERE id = ?",
            (fingerprint(text), submission_id),
        )


@migration
def m005_conversation_and_learning(db: sqlite3.Connection) -> None:
    """Where each reader's conversation is (the last topic and what of it they were shown);
    what became of each unanswered question; and the aliases the author taught the bot."""
    db.execute("ALTER TABLE readers ADD COLUMN last_topic TEXT")
    db.execute("ALTER TABLE readers ADD COLUMN last_shown TEXT")
    db.execute("ALTER TABLE questions ADD COLUMN resolution TEXT")
    db.execute("ALTER TABLE questions ADD COLUMN resolved_at TEXT")
    db.execute("CREATE INDEX questions_unresolved ON questions (resolution, outcome, id)")
    db.execute(
        """
        CREATE TABLE learned_aliases (
            id INTEGER PRIMARY KEY,
            topic TEXT NOT NULL,
            lang TEXT NOT NULL,
            phrase TEXT NOT NULL,
            taught_by INTEGER NOT NULL,
            asked_by INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (topic, phrase)
        )
        """
    )


@migration
def m006_identity_and_reviews(db: sqlite3.Connection) -> None:
    """Answer ids are never reused (AUTOINCREMENT), each id remembers its reader even after the
    answer is deleted (so a card acts on the reader it was made for), and a reader whose answer
    was hidden stays under review whatever they delete."""
    db.execute(
        """
        CREATE TABLE answers_new (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER NOT NULL UNIQUE,
            stance TEXT NOT NULL,
            comment TEXT,
            display_name TEXT,
            lang TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            fingerprint TEXT
        )
        """
    )
    db.execute(
        "INSERT INTO answers_new (id, user_id, stance, comment, display_name, lang, status,"
        " created_at, updated_at, fingerprint) SELECT id, user_id, stance, comment,"
        " display_name, lang, status, created_at, updated_at, fingerprint FROM answers"
    )
    # ids deleted before this migration left no trace: start past every id any table has seen
    db.execute("DELETE FROM sqlite_sequence WHERE name = 'answers_new'")
    db.execute(
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'answers_new', MAX(n) FROM"
        " (SELECT COALESCE(MAX(id), 0) AS n FROM answers"
        " UNION ALL SELECT COALESCE(MAX(id), 0) FROM submissions"
        " UNION ALL SELECT COUNT(*) FROM submissions)"
    )
    db.execute("DROP TABLE answers")
    db.execute("ALTER TABLE answers_new RENAME TO answers")
    db.execute("CREATE INDEX answers_by_status ON answers (status, created_at)")
    db.execute("CREATE INDEX answers_by_fingerprint ON answers (fingerprint)")
    db.execute("CREATE TABLE answer_authors (answer_id INTEGER PRIMARY KEY, user_id INTEGER)")
    db.execute("INSERT INTO answer_authors SELECT id, user_id FROM answers")
    db.execute("CREATE TABLE reviews (user_id INTEGER PRIMARY KEY, since TEXT NOT NULL)")
    db.execute(
        "INSERT INTO reviews SELECT user_id, updated_at FROM answers WHERE status = 'hidden'"
    )


@migration
def m007_admin_menus(db: sqlite3.Connection) -> None:
    """Who was given the admins' command menu, so it can be withdrawn from ex-admins."""
    db.execute("CREATE TABLE admin_menus (user_id INTEGER PRIMARY KEY)")


@migration
def m008_index_questions_by_reader(db: sqlite3.Connection) -> None:
    """Counting a reader's recent questions (their rate limit) reads an index, not the table."""
    db.execute("CREATE INDEX questions_by_reader ON questions (user_id, created_at)")


@migration
def m009_outbox(db: sqlite3.Connection) -> None:
    """Messages for people other than the one acting (admin cards, notifications), written in
    the event's transaction and delivered later; and which message shows each answer's card in
    each admin's chat, so the card is edited in place."""
    db.execute(
        """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            chat_id INTEGER NOT NULL,
            body TEXT NOT NULL,
            card INTEGER,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            due_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX outbox_by_due ON outbox (due_at, id)")
    db.execute(
        """
        CREATE TABLE cards (
            answer_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            PRIMARY KEY (answer_id, chat_id)
        )
        """
    )


@migration
def m010_chosen_language(db: sqlite3.Connection) -> None:
    """The language a reader chose with /lang: it wins over Telegram's language code."""
    db.execute("ALTER TABLE readers ADD COLUMN chosen_language TEXT")


@migration
def m011_discussion(db: sqlite3.Connection) -> None:
    """Readers discuss: agree/disagree votes on answers, one level of replies (the author's
    marked), notices bundled into one message per reader, before/after stances, whether a
    reader wants notifications and whether they can still be reached."""
    db.execute(
        """
        CREATE TABLE votes (
            answer_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            value INTEGER NOT NULL CHECK (value IN (-1, 1)),
            created_at TEXT NOT NULL,
            PRIMARY KEY (answer_id, user_id)
        )
        """
    )
    db.execute("CREATE INDEX votes_by_reader ON votes (user_id)")
    db.execute(
        """
        CREATE TABLE replies (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            answer_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            text TEXT NOT NULL,
            display_name TEXT,
            by_author INTEGER NOT NULL DEFAULT 0,
            lang TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            fingerprint TEXT
        )
        """
    )
    db.execute("CREATE INDEX replies_by_answer ON replies (answer_id, status, id)")
    db.execute("CREATE INDEX replies_by_reader ON replies (user_id)")
    db.execute("CREATE INDEX replies_by_status ON replies (status, id)")
    db.execute("CREATE TABLE reply_authors (reply_id INTEGER PRIMARY KEY, user_id INTEGER)")
    db.execute("CREATE INDEX reply_authors_by_reader ON reply_authors (user_id)")
    db.execute(
        """
        CREATE TABLE notices (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            params TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX notices_by_reader ON notices (user_id, id)")
    db.execute("ALTER TABLE readers ADD COLUMN notify INTEGER")  # NULL: no choice made
    db.execute("ALTER TABLE readers ADD COLUMN notify_asked INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE readers ADD COLUMN notified_at TEXT")
    db.execute("ALTER TABLE readers ADD COLUMN inactive INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE readers ADD COLUMN before_stance TEXT")  # NULL: not asked yet
    db.execute("ALTER TABLE outbox ADD COLUMN digest INTEGER NOT NULL DEFAULT 0")
    db.execute("CREATE INDEX outbox_by_chat ON outbox (chat_id, digest, id)")


@migration
def m012_index_answer_authors_by_reader(db: sqlite3.Connection) -> None:
    """/mydata and /forget look up a reader's answer numbers (they scanned every answer)."""
    db.execute("CREATE INDEX answer_authors_by_reader ON answer_authors (user_id)")


@migration
def m013_learned_aspect(db: sqlite3.Connection) -> None:
    """The aspect a phrasing taught with /unanswered asks (NULL: the topic as a whole)."""
    db.execute("ALTER TABLE learned_aliases ADD COLUMN aspect TEXT")


@migration
def m014_update_journal(db: sqlite3.Connection) -> None:
    """Updates kept from their arrival until handled, and the ids of those handled."""
    db.execute(
        "CREATE TABLE update_journal (update_id INTEGER PRIMARY KEY, body TEXT NOT NULL,"
        " received_at TEXT NOT NULL)"
    )
    db.execute("CREATE TABLE handled_updates (update_id INTEGER PRIMARY KEY)")


@migration
def m015_outbox_sending(db: sqlite3.Connection) -> None:
    """When a parcel was handed to Telegram (NULL: not in flight), to reconcile after a crash."""
    db.execute("ALTER TABLE outbox ADD COLUMN sending_at TEXT")


@migration
def m016_heartbeat(db: sqlite3.Connection) -> None:
    """One row the running bot writes at each beat: health fails while writes fail."""
    db.execute("CREATE TABLE heartbeat (id INTEGER PRIMARY KEY, at TEXT NOT NULL)")


@migration
def m017_answer_edited_at(db: sqlite3.Connection) -> None:
    """When the writer last changed an answer's words or stance (NULL: never), apart from
    verdicts and how it is shown: replies under it show it was edited."""
    db.execute("ALTER TABLE answers ADD COLUMN edited_at TEXT")


@migration
def m018_maintained_counts(db: sqlite3.Connection) -> None:
    """Votes per answer and answers per stance kept up to date by triggers as they change, and
    indexes on the ranking: no reader action scans every answer (see bot/storage/counts.py)."""
    for statement in counts.statements():
        db.execute(statement)
    counts.fill(db)


@migration
def m019_questions_by_outcome(db: sqlite3.Connection) -> None:
    """/stats' newest questions the bot could not answer, read through an index: the newest of
    each outcome, not every question from the newest back until enough are found."""
    db.execute("CREATE INDEX questions_by_outcome ON questions (outcome, id)")


@migration
def m020_reader_sources(db: sqlite3.Connection) -> None:
    """Which way each reader came in and who shared their link, and readers per source kept
    by triggers (see bot/storage/sources.py)."""
    for statement in sources.statements():
        db.execute(statement)
    sources.fill(db)


@migration
def m021_share_codes(db: sqlite3.Connection) -> None:
    """Each reader's share code, random, for the links they share: a link names no Telegram
    id, a share cannot be credited to someone by guessing, and /forget ends the code."""
    for statement in sources.SHARE_CODES:
        db.execute(statement)


def applied(db: Database) -> list[str]:
    """Names of the migrations already applied to ``db``, in order."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    return [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY rowid")]


def migrate(db: Database) -> list[str]:
    """Apply every migration ``db`` lacks, each in its own transaction; return their names."""
    done = set(applied(db))
    ran: list[str] = []
    for name, function in MIGRATIONS:
        if name in done:
            continue
        with db.transaction():
            function(db.connection)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, datetime('now'))", (name,)
            )
        ran.append(name)
    return ran

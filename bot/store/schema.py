"""The schema: numbered migrations, run in order at open (PRAGMA user_version)."""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # 1: texts, passages, paragraphs and the keyword index over paragraphs.
    """
    CREATE TABLE texts (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL,
        title TEXT NOT NULL,
        author TEXT NOT NULL,
        year INTEGER,
        source TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL DEFAULT 'en',
        questions TEXT NOT NULL DEFAULT '{}',
        path TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        is_current INTEGER NOT NULL DEFAULT 1,
        passage_count INTEGER NOT NULL,
        word_count INTEGER NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX texts_current_slug ON texts(slug) WHERE is_current = 1;
    CREATE TABLE passages (
        id INTEGER PRIMARY KEY,
        text_id INTEGER NOT NULL REFERENCES texts(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        section TEXT NOT NULL,
        word_count INTEGER NOT NULL,
        UNIQUE (text_id, ordinal)
    );
    CREATE TABLE paragraphs (
        id INTEGER PRIMARY KEY,
        passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
        text_id INTEGER NOT NULL REFERENCES texts(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        body TEXT NOT NULL,
        plain TEXT NOT NULL,
        UNIQUE (text_id, ordinal)
    );
    CREATE INDEX paragraphs_passage ON paragraphs(passage_id);
    CREATE VIRTUAL TABLE paragraphs_fts USING fts5(
        plain, content='paragraphs', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER paragraphs_ai AFTER INSERT ON paragraphs BEGIN
        INSERT INTO paragraphs_fts(rowid, plain) VALUES (new.id, new.plain);
    END;
    CREATE TRIGGER paragraphs_ad AFTER DELETE ON paragraphs BEGIN
        INSERT INTO paragraphs_fts(paragraphs_fts, rowid, plain) VALUES ('delete', old.id, old.plain);
    END;
    """,
    # 2: reading groups, their daily posts, and who has read what.
    """
    CREATE TABLE groups (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL,
        channel_id INTEGER NOT NULL,
        text_id INTEGER NOT NULL REFERENCES texts(id),
        next_ordinal INTEGER NOT NULL DEFAULT 1,
        post_time TEXT NOT NULL,
        timezone TEXT NOT NULL,
        weekdays TEXT NOT NULL,
        pace INTEGER NOT NULL DEFAULT 1,
        paused INTEGER NOT NULL DEFAULT 0,
        pause_reason TEXT,
        last_error TEXT,
        created_by INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        stopped_at TEXT
    );
    CREATE UNIQUE INDEX groups_active_channel ON groups(channel_id) WHERE stopped_at IS NULL;
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        local_date TEXT NOT NULL,
        first_ordinal INTEGER NOT NULL,
        last_ordinal INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'posted', 'failed')),
        message_id INTEGER,
        thread_id INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        claimed_at TEXT NOT NULL,
        posted_at TEXT,
        UNIQUE (group_id, local_date)
    );
    CREATE TABLE reads (
        group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL,
        passage_id INTEGER NOT NULL REFERENCES passages(id),
        read_at TEXT NOT NULL,
        PRIMARY KEY (group_id, user_id, passage_id)
    );
    """,
    # 3: the index's vocabulary (library-wide word counts for question analysis) and a cache of
    # questions written by the optional language model.
    """
    CREATE VIRTUAL TABLE paragraphs_vocab USING fts5vocab(paragraphs_fts, 'row');
    CREATE TABLE llm_questions (
        passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        prompt_hash TEXT NOT NULL,
        questions TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (passage_id, model, prompt_hash)
    );
    """,
    # 4: the index holds each paragraph with its words in canonical spelling (bot/variants.py),
    # so spelling variants match; `words` counts those words, for spelling suggestions.
    """
    ALTER TABLE paragraphs ADD COLUMN search TEXT NOT NULL DEFAULT '';
    DROP TRIGGER paragraphs_ai;
    DROP TRIGGER paragraphs_ad;
    DROP TABLE paragraphs_vocab;
    DROP TABLE paragraphs_fts;
    CREATE VIRTUAL TABLE paragraphs_fts USING fts5(
        search, content='paragraphs', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE paragraphs_vocab USING fts5vocab(paragraphs_fts, 'row');
    CREATE TRIGGER paragraphs_ai AFTER INSERT ON paragraphs BEGIN
        INSERT INTO paragraphs_fts(rowid, search) VALUES (new.id, new.search);
    END;
    CREATE TRIGGER paragraphs_ad AFTER DELETE ON paragraphs BEGIN
        INSERT INTO paragraphs_fts(paragraphs_fts, rowid, search) VALUES ('delete', old.id, old.search);
    END;
    CREATE TABLE words (word TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 5: for each common index term, its best paragraphs by BM25 ("champion lists"), so a search
    # for common words need not have FTS5 score every paragraph that holds them
    # (Store.refresh_term_lists; ids and scores are array('i') and array('f') bytes).
    """
    CREATE TABLE term_lists (
        term TEXT PRIMARY KEY,
        df INTEGER NOT NULL,
        floor REAL NOT NULL,
        ids BLOB NOT NULL,
        scores BLOB NOT NULL
    ) WITHOUT ROWID;
    """,
    # 6: the questions each post carried, kept when it is made (NULL for posts made before), a
    # server's curated questions for a passage of a text version (edited by its organisers or
    # suggested by members and approved), and members' suggestions waiting for a decision.
    """
    ALTER TABLE deliveries ADD COLUMN questions TEXT;
    CREATE TABLE server_question_sets (
        guild_id INTEGER NOT NULL,
        text_id INTEGER NOT NULL REFERENCES texts(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        replaces_generated INTEGER NOT NULL DEFAULT 0,
        updated_by INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, text_id, ordinal)
    ) WITHOUT ROWID;
    CREATE TABLE server_questions (
        guild_id INTEGER NOT NULL,
        text_id INTEGER NOT NULL,
        ordinal INTEGER NOT NULL,
        position INTEGER NOT NULL,
        question TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('written', 'kept', 'suggested')),
        author_id INTEGER NOT NULL,
        approved_by INTEGER NOT NULL,
        added_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, text_id, ordinal, position),
        FOREIGN KEY (guild_id, text_id, ordinal)
            REFERENCES server_question_sets(guild_id, text_id, ordinal) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE question_suggestions (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL,
        group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        text_id INTEGER NOT NULL REFERENCES texts(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        question TEXT NOT NULL,
        user_id INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'declined')),
        created_at TEXT NOT NULL,
        decided_by INTEGER,
        decided_at TEXT,
        notice_channel_id INTEGER,
        notice_message_id INTEGER
    );
    CREATE INDEX question_suggestions_open ON question_suggestions(group_id, status);
    """,
    # 7: members' reminders (opt-in, per group: the local time, zone and days, the next moment one
    # is due, why they stopped), each reminder claimed once a local day, and a group's options
    # for its members (the role its daily post mentions).
    """
    CREATE TABLE reminder_settings (
        group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL,
        remind_at TEXT,
        timezone TEXT NOT NULL,
        weekdays TEXT NOT NULL,
        snoozed_until TEXT,
        next_due TEXT,
        counting_since TEXT NOT NULL,
        paused_at TEXT,
        dm_channel_id INTEGER,
        dm_closed_at TEXT,
        dm_closed_told INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (group_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX reminder_settings_due ON reminder_settings(next_due) WHERE next_due IS NOT NULL;
    CREATE INDEX reminder_settings_user ON reminder_settings(user_id);
    CREATE TABLE reminders (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL,
        local_date TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('reminder', 'paused')),
        delivery_id INTEGER REFERENCES deliveries(id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('claimed', 'sending', 'sent', 'failed')),
        claimed_at TEXT NOT NULL,
        sent_at TEXT,
        UNIQUE (group_id, user_id, local_date)
    );
    CREATE INDEX reminders_member ON reminders(group_id, user_id, id);
    CREATE INDEX reminders_open ON reminders(status) WHERE status IN ('claimed', 'sending');
    CREATE TABLE group_options (
        group_id INTEGER PRIMARY KEY REFERENCES groups(id) ON DELETE CASCADE,
        ping_role_id INTEGER
    );
    """,
    # 8: members' catch-up plans: their own pace (passages a day) until they reach the group.
    """
    CREATE TABLE catchup_plans (
        group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL,
        pace INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        PRIMARY KEY (group_id, user_id)
    ) WITHOUT ROWID;
    """,
    # 9: streaks: a member's first message in a post's thread (seen without its content), posts
    # found by their thread, and whether a group shows a leaderboard (off unless an organiser
    # turns it on).
    """
    CREATE TABLE thread_posts (
        delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL,
        posted_at TEXT NOT NULL,
        PRIMARY KEY (delivery_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX deliveries_thread ON deliveries(thread_id) WHERE thread_id IS NOT NULL;
    ALTER TABLE group_options ADD COLUMN leaderboard INTEGER NOT NULL DEFAULT 0;
    """,
    # 10: the weekly digest: the weekday an organiser chose (NULL: off), and each digest claimed
    # once a group and day.
    """
    ALTER TABLE group_options ADD COLUMN digest_day INTEGER;
    CREATE TABLE digests (
        group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        local_date TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
        message_id INTEGER,
        claimed_at TEXT NOT NULL,
        PRIMARY KEY (group_id, local_date)
    ) WITHOUT ROWID;
    """,
    # 11: polls for the next text: the poll message of a group and the texts its answers name.
    """
    CREATE TABLE text_polls (
        group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        message_id INTEGER NOT NULL,
        answers TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        closed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (group_id, message_id)
    ) WITHOUT ROWID;
    """,
    # 12: the writer's lease: the one `studybot run` allowed to post from this file (one row), who
    # it is (host, pid, and where the pid can be checked, `process`), since when, and until when
    # others must wait (bot/service/lease.py renews it).
    """
    CREATE TABLE writer_lease (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        token TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        process TEXT NOT NULL,
        started_at TEXT NOT NULL,
        renewed_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    """,
    # 13: each server's own library. A text added in a server belongs to it (guild_id; NULL: the
    # shared library every server reads); slugs are unique per server. A text an organiser
    # removed while a group reads it is kept until that plan ends (removed_at); size_bytes is
    # what it counts against the server's quota. The words and index terms of every server's own
    # text (text_words, text_terms), so another server's search neither suggests nor counts them.
    """
    ALTER TABLE texts ADD COLUMN guild_id INTEGER;
    ALTER TABLE texts ADD COLUMN removed_at TEXT;
    ALTER TABLE texts ADD COLUMN size_bytes INTEGER NOT NULL DEFAULT 0;
    UPDATE texts SET size_bytes = (
        SELECT coalesce(sum(length(CAST(body AS BLOB))), 0) FROM paragraphs WHERE text_id = texts.id
    );
    DROP INDEX texts_current_slug;
    CREATE UNIQUE INDEX texts_current_slug ON texts(coalesce(guild_id, 0), slug) WHERE is_current = 1;
    CREATE INDEX texts_guild ON texts(guild_id) WHERE guild_id IS NOT NULL;
    CREATE TABLE text_words (
        text_id INTEGER NOT NULL REFERENCES texts(id) ON DELETE CASCADE,
        word TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (text_id, word)
    ) WITHOUT ROWID;
    CREATE INDEX text_words_word ON text_words(word);
    CREATE TABLE text_terms (
        text_id INTEGER NOT NULL REFERENCES texts(id) ON DELETE CASCADE,
        term TEXT NOT NULL,
        doc INTEGER NOT NULL,
        PRIMARY KEY (text_id, term)
    ) WITHOUT ROWID;
    CREATE INDEX text_terms_term ON text_terms(term);
    """,
]


def statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers contain semicolons)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements

/// The store's schema as an ordered list of migrations. `docs/schema.md` documents every table.
///
/// A store's `PRAGMA user_version` is the number of steps applied. Opening a store applies the missing
/// steps in order, each in its own transaction, so an interrupted upgrade leaves a store at a valid
/// earlier version. Steps are never edited once released; a change is a new step appended here.
enum Schema {
    /// `PRAGMA application_id` of every Gazette store: the ASCII bytes "GZTT".
    static let applicationID: Int32 = 0x475A_5454

    struct Migration {
        /// Human-readable name, used in error messages.
        let name: String
        /// Statements without parameters; run in order inside the step's transaction.
        let statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(
            name: "v1: articles, texts, entities, mentions, topics, runs",
            statements: [
                "PRAGMA application_id = \(applicationID)",
                """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    config_hash TEXT NOT NULL,
                    pipeline_version TEXT NOT NULL,
                    status TEXT NOT NULL,
                    tagged INTEGER NOT NULL DEFAULT 0,
                    skipped INTEGER NOT NULL DEFAULT 0,
                    failed INTEGER NOT NULL DEFAULT 0,
                    mentions INTEGER NOT NULL DEFAULT 0,
                    topics INTEGER NOT NULL DEFAULT 0
                )
                """,
                """
                CREATE TABLE articles (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,
                    path TEXT NOT NULL,
                    line INTEGER,
                    source_id TEXT,
                    content_hash TEXT NOT NULL,
                    pipeline_hash TEXT NOT NULL,
                    title TEXT,
                    date TEXT,
                    size INTEGER NOT NULL,
                    tagged_at TEXT NOT NULL,
                    run_id INTEGER REFERENCES runs(id)
                )
                """,
                // Lookups by path and by source id for `show`; partial so whole-file articles cost nothing.
                "CREATE INDEX articles_path ON articles(path)",
                "CREATE INDEX articles_source_id ON articles(source_id) WHERE source_id IS NOT NULL",
                """
                CREATE TABLE article_texts (
                    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
                    text TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE entities (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    type TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE mentions (
                    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                    entity_id INTEGER NOT NULL REFERENCES entities(id),
                    start INTEGER NOT NULL,
                    "end" INTEGER NOT NULL,
                    surface TEXT NOT NULL,
                    PRIMARY KEY (article_id, start, entity_id),
                    CHECK (start >= 0 AND "end" > start)
                ) WITHOUT ROWID
                """,
                "CREATE INDEX mentions_entity ON mentions(entity_id, article_id)",
                """
                CREATE TABLE topics (
                    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                    label TEXT NOT NULL,
                    score REAL NOT NULL,
                    PRIMARY KEY (article_id, label)
                ) WITHOUT ROWID
                """,
            ]
        ),
        Migration(
            name: "v2: article_entities replaces the mentions_entity index",
            statements: [
                // One row per entity an article mentions, with how many times, keyed entity first:
                // what "which articles mention X", `entities` and `cooccur` read. An index over
                // every mention did the same with twice the rows (934,300 mentions make 480,040
                // pairs in the 100 MB benchmark), and was the largest cost of writing a batch.
                """
                CREATE TABLE article_entities (
                    entity_id INTEGER NOT NULL REFERENCES entities(id),
                    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
                    mentions INTEGER NOT NULL CHECK (mentions > 0),
                    PRIMARY KEY (entity_id, article_id)
                ) WITHOUT ROWID
                """,
                """
                INSERT INTO article_entities (entity_id, article_id, mentions)
                SELECT entity_id, article_id, count(*) FROM mentions GROUP BY entity_id, article_id
                """,
                "DROP INDEX mentions_entity",
            ]
        ),
        Migration(
            name: "v3: articles.file_stamp",
            statements: [
                // The stamp (size, write and change times, inode) a whole-file article's file had
                // when its bytes were read: a run that finds the file with the same stamp skips it
                // unread (`FileStamp`). NULL where no stamp is known; such a file is read and
                // hashed, then stamped.
                "ALTER TABLE articles ADD COLUMN file_stamp TEXT",
            ]
        ),
    ]

    /// The version this build writes and reads.
    static var currentVersion: Int { migrations.count }
}

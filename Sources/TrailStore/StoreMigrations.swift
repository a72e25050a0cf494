import GRDB

/// The versioned schema of the state store. Never edit a registered migration: add a new one.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE runs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, started_at INTEGER NOT NULL, finished_at INTEGER,
                        status TEXT NOT NULL, version TEXT NOT NULL, files INTEGER NOT NULL DEFAULT 0,
                        records INTEGER NOT NULL DEFAULT 0, findings_emitted INTEGER NOT NULL DEFAULT 0);
                    CREATE TABLE files (
                        path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, records INTEGER NOT NULL,
                        invalid_records INTEGER NOT NULL, status TEXT NOT NULL, error TEXT, run_id INTEGER NOT NULL,
                        read_at INTEGER NOT NULL);
                    CREATE TABLE key_buckets (bucket INTEGER PRIMARY KEY, keys INTEGER NOT NULL, data BLOB NOT NULL);
                    CREATE TABLE key_lifecycle (
                        event_key TEXT PRIMARY KEY, access_key_id TEXT NOT NULL, time INTEGER NOT NULL,
                        action TEXT NOT NULL, user_name TEXT, is_root INTEGER NOT NULL, caller_arn TEXT);
                    CREATE INDEX key_lifecycle_by_key ON key_lifecycle (access_key_id, time);
                    CREATE TABLE coverage (dimension TEXT NOT NULL, name TEXT NOT NULL, events INTEGER NOT NULL,
                        PRIMARY KEY (dimension, name));
                    CREATE TABLE alerts (
                        id TEXT PRIMARY KEY, rule TEXT NOT NULL, severity TEXT NOT NULL, title TEXT NOT NULL,
                        access_key_id TEXT, status TEXT NOT NULL, first_emitted INTEGER, last_emitted INTEGER,
                        last_seen INTEGER NOT NULL, suppressed_until INTEGER, reason TEXT, finding TEXT NOT NULL);
                    CREATE INDEX alerts_by_status ON alerts (status);
                    CREATE TABLE webhook_spool (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, destination TEXT NOT NULL, batch_id TEXT NOT NULL UNIQUE,
                        body BLOB NOT NULL, created_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                        last_error TEXT);
                    """)
        }
        // S3 object ETags, for inputs read from S3: a changed object has a new ETag even when size and time match.
        migrator.registerMigration("v2-file-etag") { db in
            try db.execute(sql: "ALTER TABLE files ADD COLUMN etag TEXT")
        }
        // The findings in each spooled webhook batch, so a run can say which findings are still undelivered.
        migrator.registerMigration("v3-spool-finding-ids") { db in
            try db.execute(sql: "ALTER TABLE webhook_spool ADD COLUMN finding_ids TEXT NOT NULL DEFAULT ''")
        }
        // Each finding's JSON in a table of its own: marking a run's findings delivered then rewrites rows of about
        // 100 bytes instead of 2 KB (a first run's 4,139 findings: 8.5 MB through the WAL and a checkpoint).
        migrator.registerMigration("v4-alert-findings") { db in
            try db.execute(
                sql: """
                    CREATE TABLE alert_findings (id TEXT PRIMARY KEY, finding TEXT NOT NULL);
                    INSERT INTO alert_findings (id, finding) SELECT id, finding FROM alerts;
                    ALTER TABLE alerts DROP COLUMN finding;
                    """)
        }
        return migrator
    }
}

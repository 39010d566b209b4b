/**
 * The schema and every query, written once for both databases: plain SQL that SQLite (3.35+) and
 * PostgreSQL (13+) read alike, with `?` parameters (numbered `$n` for PostgreSQL by `numbered`).
 * Times are ISO-8601 text in UTC, so text order is time order in both.
 */
import type { AnswerStatus, Lang } from '../engine/types.ts';
import type { AnswerRecord, Channel, FeedbackRecord, GapExample } from './types.ts';
import type { AnswerCount, FeedbackCount } from './insights.ts';
import { OUTBOX_MIGRATION, OUTBOX_SQL, OUTBOX_TARGET_MIGRATION } from './outbox.ts';

/** Numbered migrations; the applied ones are listed in schema_migrations. Never edit one that shipped: add the next. */
export const MIGRATIONS: ReadonlyArray<{ version: number; statements: string[] }> = [
  {
    version: 1,
    statements: [
      `CREATE TABLE answers (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        channel TEXT NOT NULL,
        lang TEXT NOT NULL,
        status TEXT NOT NULL,
        topic_id TEXT NOT NULL, -- '' when no topic matched: it is part of a grouping key
        question TEXT
      )`,
      // A gap's newest not_found answers, read backwards from the end of its range.
      `CREATE INDEX answers_by_gap ON answers (lang, topic_id, status, at, id)`,
      // Retention finds the question texts to forget without reading the answers that have none.
      `CREATE INDEX answers_with_question ON answers (at) WHERE question IS NOT NULL`,
      `CREATE TABLE feedback (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        channel TEXT NOT NULL,
        answer_id TEXT NOT NULL,
        helpful INTEGER NOT NULL,
        step INTEGER,
        comment TEXT,
        -- copied from the answer at insert (NULL when it was unknown), so a gap's 👎 need no join to find
        answer_lang TEXT,
        answer_topic_id TEXT,
        answer_at TEXT
      )`,
      `CREATE INDEX feedback_by_gap ON feedback (answer_lang, answer_topic_id, helpful, answer_at, id)`,
      `CREATE INDEX feedback_with_comment ON feedback (at) WHERE comment IS NOT NULL`,
      // Counts kept in the same transaction as each insert: /insights reads a few hundred rows, not millions.
      `CREATE TABLE answer_counts (
        lang TEXT NOT NULL, topic_id TEXT NOT NULL, status TEXT NOT NULL, n BIGINT NOT NULL,
        PRIMARY KEY (lang, topic_id, status)
      )`,
      `CREATE TABLE feedback_counts (
        lang TEXT NOT NULL, topic_id TEXT NOT NULL, helpful INTEGER NOT NULL, n BIGINT NOT NULL,
        PRIMARY KEY (lang, topic_id, helpful)
      )`,
      // Facts about the store itself: which JSONL files were imported, the health probe's last write.
      `CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    ],
  },
  {
    // Issue 14: tickets for experts, and answers counted per day for the admin dashboard's charts.
    version: 2,
    statements: [
      `CREATE TABLE tickets (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL,
        at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        status TEXT NOT NULL,
        channel TEXT NOT NULL,
        lang TEXT NOT NULL,
        question TEXT NOT NULL,
        statements TEXT NOT NULL, -- JSON array of strings
        codes TEXT NOT NULL, -- JSON array of strings
        answer_id TEXT, topic_id TEXT, answer_status TEXT, steps_walked INTEGER, helpful INTEGER, comment TEXT,
        contact TEXT, asker TEXT,
        assignee TEXT, resolution TEXT, resolved_at TEXT, resolved_by TEXT,
        kb_at TEXT, kb_by TEXT, kb_note TEXT
      )`,
      `CREATE INDEX tickets_by_time ON tickets (at)`,
      `CREATE INDEX tickets_by_status ON tickets (status, at)`,
      `CREATE INDEX tickets_resolved ON tickets (resolved_at) WHERE resolved_at IS NOT NULL`,
      `CREATE INDEX tickets_for_kb ON tickets (kb_at) WHERE kb_at IS NOT NULL`,
      // Kept in the same transaction as each answer, like answer_counts: a chart reads days × languages × statuses rows.
      `CREATE TABLE answer_days (
        day TEXT NOT NULL, lang TEXT NOT NULL, status TEXT NOT NULL, n BIGINT NOT NULL,
        PRIMARY KEY (day, lang, status)
      )`,
      `INSERT INTO answer_days (day, lang, status, n)
        SELECT substr(at, 1, 10), lang, status, COUNT(*) FROM answers GROUP BY substr(at, 1, 10), lang, status`,
      // The dashboard's newest unanswered questions in every language, read backwards from the newest.
      `CREATE INDEX answers_unanswered ON answers (at) WHERE status = 'not_found' AND question IS NOT NULL`,
    ],
  },
  {
    // Issue 14, routing in Teams: where to tell the asker and where the experts' card is, kept with the ticket so
    // a restart loses neither; and named addresses (the experts' channel the bot was installed in).
    version: 3,
    statements: [
      `ALTER TABLE tickets ADD COLUMN asker_address TEXT`,
      `ALTER TABLE tickets ADD COLUMN expert_card TEXT`,
      `CREATE TABLE addresses (name TEXT PRIMARY KEY, address TEXT NOT NULL, updated_at TEXT NOT NULL)`,
    ],
  },
  {
    // Issue 10/14: the webhook outbox (src/store/outbox.ts): ticket events committed with the ticket change, sent and retried from here.
    version: 4,
    statements: OUTBOX_MIGRATION,
  },
  {
    // Issue 11: one vote per answer, the last one. A new vote on an answer marks the one it replaces (superseded_by)
    // and moves the count; the counts and 👎 examples read only votes that stand. Existing repeats are settled here.
    version: 5,
    statements: [
      `ALTER TABLE feedback ADD COLUMN superseded_by TEXT`,
      `CREATE INDEX feedback_by_answer ON feedback (answer_id, at, id)`,
      `UPDATE feedback SET superseded_by = (SELECT g.id FROM feedback g WHERE g.answer_id = feedback.answer_id
        AND (g.at > feedback.at OR (g.at = feedback.at AND g.id > feedback.id)) ORDER BY g.at DESC, g.id DESC LIMIT 1)`,
      `DELETE FROM feedback_counts`,
      `INSERT INTO feedback_counts (lang, topic_id, helpful, n)
        SELECT answer_lang, answer_topic_id, helpful, COUNT(*) FROM feedback
        WHERE superseded_by IS NULL AND answer_lang IS NOT NULL GROUP BY answer_lang, answer_topic_id, helpful`,
    ],
  },
  {
    // Issue 10/14: Teams replies and notifications the connector did not take go to the same outbox, as target `teams`.
    version: 6,
    statements: OUTBOX_TARGET_MIGRATION,
  },
];

export const SQL = {
  ...OUTBOX_SQL,
  createMigrations: `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`,
  appliedVersions: `SELECT version FROM schema_migrations ORDER BY version`,
  markApplied: `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
  insertAnswer: `INSERT INTO answers (id, at, channel, lang, status, topic_id, question) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  countAnswer: `INSERT INTO answer_counts (lang, topic_id, status, n) VALUES (?, ?, ?, ?)
    ON CONFLICT (lang, topic_id, status) DO UPDATE SET n = answer_counts.n + excluded.n`,
  getAnswer: `SELECT id, at, channel, lang, status, topic_id, question FROM answers WHERE id = ?`,
  answerKey: `SELECT lang, topic_id, at FROM answers WHERE id = ?`,
  insertFeedback: `INSERT INTO feedback (id, at, channel, answer_id, helpful, step, comment, answer_lang, answer_topic_id, answer_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  countFeedback: `INSERT INTO feedback_counts (lang, topic_id, helpful, n) VALUES (?, ?, ?, 1)
    ON CONFLICT (lang, topic_id, helpful) DO UPDATE SET n = feedback_counts.n + 1`,
  // The answer's standing vote, replaced by the one just inserted (its id is the first parameter): returned so its count moves.
  supersedeFeedback: `UPDATE feedback SET superseded_by = ? WHERE answer_id = ? AND superseded_by IS NULL AND id <> ?
    RETURNING helpful, answer_lang, answer_topic_id`,
  uncountFeedback: `UPDATE feedback_counts SET n = n - 1 WHERE lang = ? AND topic_id = ? AND helpful = ?`,
  getFeedback: `SELECT id, at, channel, answer_id, helpful, step, comment FROM feedback WHERE id = ?`,
  answerCounts: `SELECT lang, topic_id, status, n FROM answer_counts`,
  feedbackCounts: `SELECT lang, topic_id, helpful, n FROM feedback_counts`,
  notFoundExamples: `SELECT id, at, status, question FROM answers
    WHERE lang = ? AND topic_id = ? AND status = 'not_found' ORDER BY at DESC, id DESC LIMIT ?`,
  unhelpfulExamples: `SELECT f.answer_id, f.answer_at, f.step, f.comment, a.status, a.question
    FROM feedback f JOIN answers a ON a.id = f.answer_id
    WHERE f.answer_lang = ? AND f.answer_topic_id = ? AND f.helpful = 0 AND f.superseded_by IS NULL ORDER BY f.answer_at DESC, f.id DESC LIMIT ?`,
  // Retention, in bounded batches so one run never holds the write lock for long.
  forgetQuestions: `UPDATE answers SET question = NULL WHERE id IN
    (SELECT id FROM answers WHERE question IS NOT NULL AND at < ? LIMIT 5000)`,
  forgetComments: `UPDATE feedback SET comment = NULL WHERE id IN
    (SELECT id FROM feedback WHERE comment IS NOT NULL AND at < ? LIMIT 5000)`,
  // A ticket keeps its text until it has been resolved for the retention period (an open one is still being worked on).
  forgetTickets: `UPDATE tickets SET question = '', statements = '[]', comment = NULL, contact = NULL, asker_address = NULL WHERE id IN
    (SELECT id FROM tickets WHERE resolved_at < ?
      AND (question <> '' OR statements <> '[]' OR comment IS NOT NULL OR contact IS NOT NULL OR asker_address IS NOT NULL) LIMIT 5000)`,
  countDay: `INSERT INTO answer_days (day, lang, status, n) VALUES (?, ?, ?, ?)
    ON CONFLICT (day, lang, status) DO UPDATE SET n = answer_days.n + excluded.n`,
  insertTicket: `INSERT INTO tickets (id, token_hash, at, updated_at, status, channel, lang, question, statements, codes,
    answer_id, topic_id, answer_status, steps_walked, helpful, comment, contact, asker,
    assignee, resolution, resolved_at, resolved_by, kb_at, kb_by, kb_note, asker_address, expert_card)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  getTicket: `SELECT * FROM tickets WHERE id = ?`,
  assignTicket: `UPDATE tickets SET status = 'assigned', assignee = ?, updated_at = ? WHERE id = ? AND status <> 'resolved'`,
  resolveTicket: `UPDATE tickets SET status = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ?, assignee = COALESCE(assignee, ?), updated_at = ?
    WHERE id = ? AND status <> 'resolved'`,
  ticketToKnowledgeBase: `UPDATE tickets SET kb_at = ?, kb_by = ?, kb_note = ?, updated_at = ? WHERE id = ?`,
  setTicketCard: `UPDATE tickets SET expert_card = ? WHERE id = ?`,
  getAddress: `SELECT address FROM addresses WHERE name = ?`,
  setAddress: `INSERT INTO addresses (name, address, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET address = excluded.address, updated_at = excluded.updated_at`,
  deleteAddress: `DELETE FROM addresses WHERE name = ?`,
  ticketsNewest: `SELECT * FROM tickets ORDER BY at DESC, id DESC LIMIT ?`,
  ticketsByStatus: `SELECT * FROM tickets WHERE status = ? ORDER BY at DESC, id DESC LIMIT ?`,
  ticketsForKnowledgeBase: `SELECT * FROM tickets WHERE kb_at IS NOT NULL ORDER BY kb_at DESC, id DESC LIMIT ?`,
  answerDays: `SELECT day, lang, status, n FROM answer_days WHERE day >= ?`,
  unanswered: `SELECT id, at, lang, question FROM answers
    WHERE status = 'not_found' AND question IS NOT NULL ORDER BY at DESC LIMIT ?`,
  ticketsOpenedByDay: `SELECT substr(at, 1, 10) AS day, COUNT(*) AS n FROM tickets WHERE at >= ? GROUP BY substr(at, 1, 10)`,
  ticketsResolvedSince: `SELECT at, resolved_at FROM tickets WHERE resolved_at IS NOT NULL AND resolved_at >= ?`,
  ticketsByStatusCount: `SELECT status, COUNT(*) AS n FROM tickets GROUP BY status`,
  getMeta: `SELECT value FROM store_meta WHERE key = ?`,
  setMeta: `INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
} as const;

/** `?` → `$1`, `$2`, … for PostgreSQL (no query above has a `?` inside a string). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Parameters of SQL.insertAnswer. */
export const answerParams = (r: AnswerRecord) => [r.id, r.at, r.channel, r.lang, r.status, r.topicId ?? '', r.question ?? null];

/** What stored answers add to the count tables: parameters of SQL.countAnswer and SQL.countDay, one per count row. */
export interface AnswerCounts {
  counts: Array<[lang: string, topicId: string, status: string, n: number]>;
  days: Array<[day: string, lang: string, status: string, n: number]>;
}

/** Adds one to `row`'s count (its last field) in `rows`, keyed by its other fields; a row met first is `row` itself, at 1. */
function bump<R extends [...string[], number]>(rows: Map<string, R>, row: R): void {
  const key = row.slice(0, -1).join('\u0000');
  const known = rows.get(key);
  if (known) (known[known.length - 1] as number)++;
  else rows.set(key, row);
}

/** The count rows `records` (answers just inserted) add to, each once with its total: a batch updates a row once, not once per answer. */
export function answerCounts(records: readonly AnswerRecord[]): AnswerCounts {
  const counts = new Map<string, AnswerCounts['counts'][number]>();
  const days = new Map<string, AnswerCounts['days'][number]>();
  for (const r of records) {
    bump(counts, [r.lang, r.topicId ?? '', r.status, 1]);
    bump(days, [r.at.slice(0, 10), r.lang, r.status, 1]);
  }
  return { counts: [...counts.values()], days: [...days.values()] };
}

/** The answer fields feedback copies (SQL.answerKey's row). */
export interface AnswerKeyRow {
  lang: string;
  topic_id: string;
  at: string;
}

/** Parameters of SQL.insertFeedback. */
export const feedbackParams = (r: FeedbackRecord, a: AnswerKeyRow | undefined) => [
  r.id,
  r.at,
  r.channel,
  r.answerId,
  r.helpful ? 1 : 0,
  r.step ?? null,
  r.comment ?? null,
  a?.lang ?? null,
  a?.topic_id ?? null,
  a?.at ?? null,
];
/** Parameters of SQL.countFeedback. */
export const feedbackCountParams = (r: FeedbackRecord, a: AnswerKeyRow) => [a.lang, a.topic_id, r.helpful ? 1 : 0];
/** Parameters of SQL.supersedeFeedback: the new vote replaces its answer's standing one. */
export const supersedeParams = (r: FeedbackRecord) => [r.id, r.answerId, r.id];
/** Parameters of SQL.uncountFeedback for a row SQL.supersedeFeedback returned, or undefined when it was never counted. */
export const uncountParams = (row: Row): unknown[] | undefined =>
  row.answer_lang === null || row.answer_lang === undefined ? undefined : [row.answer_lang, row.answer_topic_id, Number(row.helpful) ? 1 : 0];

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? undefined : String(v));

/** SQL.getAnswer's row → AnswerRecord. */
export function answerFromRow(row: Row): AnswerRecord {
  const topicId = str(row.topic_id);
  const question = str(row.question);
  return {
    id: String(row.id),
    at: String(row.at),
    channel: row.channel as Channel,
    lang: row.lang as Lang,
    status: row.status as AnswerStatus,
    ...(topicId ? { topicId } : {}),
    ...(question !== undefined ? { question } : {}),
  };
}

/** SQL.getFeedback's row → FeedbackRecord. */
export function feedbackFromRow(row: Row): FeedbackRecord {
  const comment = str(row.comment);
  return {
    id: String(row.id),
    at: String(row.at),
    channel: row.channel as Channel,
    answerId: String(row.answer_id),
    helpful: Number(row.helpful) === 1,
    ...(row.step !== null && row.step !== undefined ? { step: Number(row.step) } : {}),
    ...(comment !== undefined ? { comment } : {}),
  };
}

/** Count rows (PostgreSQL returns BIGINT as text, hence Number). */
export const answerCountFromRow = (row: Row): AnswerCount => ({
  lang: row.lang as Lang,
  topicId: String(row.topic_id),
  status: row.status as AnswerStatus,
  n: Number(row.n),
});
export const feedbackCountFromRow = (row: Row): FeedbackCount => ({
  lang: row.lang as Lang,
  topicId: String(row.topic_id),
  helpful: Number(row.helpful) === 1,
  n: Number(row.n),
});

/** SQL.notFoundExamples' row → GapExample. */
export function notFoundExample(row: Row): GapExample {
  const question = str(row.question);
  return { answerId: String(row.id), at: String(row.at), status: row.status as AnswerStatus, ...(question !== undefined ? { question } : {}) };
}

/** SQL.unhelpfulExamples' row → GapExample. */
export function unhelpfulExample(row: Row): GapExample {
  const question = str(row.question);
  const comment = str(row.comment);
  return {
    answerId: String(row.answer_id),
    at: String(row.answer_at),
    status: row.status as AnswerStatus,
    ...(question !== undefined ? { question } : {}),
    helpful: false,
    ...(row.step !== null && row.step !== undefined ? { step: Number(row.step) } : {}),
    ...(comment !== undefined ? { comment } : {}),
  };
}

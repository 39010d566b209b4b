/**
 * Dashboard benchmark (issue 14): a SQLite store of 2,000,000 answers over 60 days (a fifth not_found, half of those
 * with question text from 40 error templates in three languages), 200,000 feedback and 5,000 tickets, then the
 * dashboard's queries (Store.dashboard for 7, 30 and 90 days + the knowledge-base tickets) in process, first and
 * median of 20, and GET /admin through the real server (queries + grouping the newest 300 unanswered questions with
 * the engine + HTML). Target: every query set under 200 ms. BENCH_ANSWERS changes the size; BENCH_DIR keeps the
 * store and reuses it. Exits 1 when a target is missed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore, SQLITE_FILE } from '../../src/store/index.ts';
import { startServer, untilReady } from './server.ts';

const ANSWERS = Number(process.env.BENCH_ANSWERS ?? 2_000_000);
const FEEDBACK = Math.round(ANSWERS / 10);
const TICKETS = 5000;
const DAYS = 60;
const TARGET_MS = 200;
const END = Date.parse('2026-12-01T00:00:00.000Z');
const START = END - DAYS * 86_400_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;

const TEMPLATES = {
  en: (n: number, k: number) => `deployment ${n} keeps failing\nFrobError${k % 40}: widget ${n} refused by gateway "eu-${n % 9}"`,
  ko: (n: number, k: number) => `배포 ${n}이 계속 실패해요\nFrobError${k % 40}: widget ${n} refused by gateway "kr-${n % 9}"`,
  zh: (n: number, k: number) => `部署 ${n} 一直失败\nFrobError${k % 40}: widget ${n} refused by gateway "cn-${n % 9}"`,
} as const;

/** Writes the records straight into the store's schema, counts included, one transaction per 100,000 rows. */
function generate(file: string): void {
  void createSqliteStore(file).close(); // creates and migrates the schema; its close settles before the rows are written
  const db = new Database(file);
  db.pragma('synchronous = OFF'); // only while generating: this is test data
  const topics = ['', ...Array.from({ length: 60 }, (_, i) => `Topic${i}`)];
  const langs = ['en', 'ko', 'zh'] as const;
  const insertAnswer = db.prepare('INSERT INTO answers (id, at, channel, lang, status, topic_id, question) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertFeedback = db.prepare(
    'INSERT INTO feedback (id, at, channel, answer_id, helpful, step, comment, answer_lang, answer_topic_id, answer_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const sample: Array<{ id: string; lang: string; topic: string; at: string }> = [];
  const answers = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = randomUUID();
      const lang = langs[i % 3];
      const notFound = i % 5 === 0;
      const topic = notFound ? '' : topics[1 + ((i * 7) % 60)];
      const status = notFound ? 'not_found' : i % 10 === 1 ? 'clarify' : 'answered';
      const at = new Date(START + Math.floor((i / ANSWERS) * DAYS * 86_400_000)).toISOString();
      const question = notFound && i % 2 === 0 ? TEMPLATES[lang](i, Math.floor(i / 7)) : null;
      insertAnswer.run(id, at, 'http', lang, status, topic, question);
      if (i % 10 === 3) sample.push({ id, lang, topic, at });
    }
  });
  const feedback = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const a = sample[i % sample.length];
      insertFeedback.run(randomUUID(), a.at, 'widget', a.id, i % 3 === 0 ? 1 : 0, null, null, a.lang, a.topic, a.at);
    }
  });
  const insertTicket =
    db.prepare(`INSERT INTO tickets (id, token_hash, at, updated_at, status, channel, lang, question, statements, codes, resolved_at, resolved_by, resolution, kb_at, kb_by)
    VALUES (?, ?, ?, ?, ?, 'widget', ?, ?, '[]', '[]', ?, ?, ?, ?, ?)`);
  const tickets = db.transaction(() => {
    for (let i = 0; i < TICKETS; i++) {
      const at = new Date(START + Math.floor((i / TICKETS) * DAYS * 86_400_000)).toISOString();
      const resolved = i % 3 !== 0;
      const resolvedAt = resolved ? new Date(Date.parse(at) + ((i * 37) % 4000) * 60_000).toISOString() : null;
      const kb = i % 50 === 0 ? (resolvedAt ?? at) : null;
      insertTicket.run(
        randomUUID(),
        'c'.repeat(64),
        at,
        resolvedAt ?? at,
        resolved ? 'resolved' : 'open',
        langs[i % 3],
        TEMPLATES[langs[i % 3]](i, i),
        resolvedAt,
        resolved ? 'lee' : null,
        resolved ? 'ok' : null,
        kb,
        kb ? 'lee' : null,
      );
    }
  });
  for (let i = 0; i < ANSWERS; i += 100_000) answers(i, Math.min(ANSWERS, i + 100_000));
  for (let i = 0; i < FEEDBACK; i += 100_000) feedback(i, Math.min(FEEDBACK, i + 100_000));
  tickets();
  db.exec(`INSERT INTO answer_counts SELECT lang, topic_id, status, count(*) FROM answers GROUP BY lang, topic_id, status;
    INSERT INTO feedback_counts SELECT answer_lang, answer_topic_id, helpful, count(*) FROM feedback GROUP BY answer_lang, answer_topic_id, helpful;
    INSERT INTO answer_days SELECT substr(at, 1, 10), lang, status, count(*) FROM answers GROUP BY substr(at, 1, 10), lang, status`);
  db.close();
}

/** GET /admin through the real server: first and median of 20, and the query time the page reports. */
async function serve(dataDir: string): Promise<{ page: number[]; db: number[] }> {
  const { proc, url } = await startServer({ DATA_DIR: dataDir, STORE: 'sqlite', ADMIN_KEYS: 'bench-admin-key', CONTENT_WATCH: 'false' });
  try {
    await untilReady(url, 50);
    await new Promise((next) => setTimeout(next, 300)); // the catalog reader, a turn after the swap
    const page: number[] = [];
    const db: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const res = await fetch(`${url}/admin?days=30`, { headers: { 'x-api-key': 'bench-admin-key' } });
      const html = await res.text();
      if (res.status !== 200) throw new Error(`bench: /admin answered ${res.status}`);
      page.push(performance.now() - t);
      db.push(Number(/Database queries ([\d.]+) ms/.exec(html)?.[1]));
    }
    return { page, db };
  } finally {
    proc.kill('SIGKILL');
  }
}

const keep = process.env.BENCH_DIR;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'stepwise-bench-dashboard-'));
const file = join(dir, SQLITE_FILE);
try {
  if (keep) mkdirSync(keep, { recursive: true });
  let t = performance.now();
  if (!existsSync(file)) generate(file);
  console.log(
    `store: ${ANSWERS.toLocaleString('en')} answers, ${FEEDBACK.toLocaleString('en')} feedback, ${TICKETS.toLocaleString('en')} tickets over ${DAYS} days (${ms(performance.now() - t)} to generate or reuse)`,
  );
  const store = createSqliteStore(file);
  await store.getAnswer('warm-up');
  const misses: string[] = [];
  for (const days of [7, 30, 90]) {
    const since = new Date(END - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 20; i++) {
      t = performance.now();
      const [d, kb] = await Promise.all([store.dashboard({ since, unanswered: 300 }), store.listTickets({ knowledgeBase: true, limit: 100 })]);
      times.push(performance.now() - t);
      rows = d.days.length + d.feedback.length + d.unanswered.length + d.ticketDays.length + d.resolveMinutes.length + kb.length;
    }
    console.log(`dashboard queries, ${days} days (${rows} rows): first ${ms(times[0])}, median ${ms(median(times))}, max ${ms(Math.max(...times))}`);
    if (times[0] > TARGET_MS || median(times) > TARGET_MS) misses.push(`${days} days: first ${ms(times[0])}, median ${ms(median(times))}`);
  }
  await store.close();
  const s = await serve(dir);
  console.log(
    `GET /admin?days=30 through the server (queries + grouping 300 questions with the engine + HTML): first ${ms(s.page[0])}, median ${ms(median(s.page))}; ` +
      `its queries first ${ms(s.db[0])}, median ${ms(median(s.db))}`,
  );
  if (median(s.db) > TARGET_MS) misses.push(`server queries median ${ms(median(s.db))}`);
  console.log(misses.length ? `MISSED: ${misses.join('; ')}` : `target met: every set of dashboard queries < ${TARGET_MS} ms`);
  process.exitCode = misses.length ? 1 : 0;
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

import type { Express } from 'express';
import { MAX_QUESTION_CHARS } from '../../../engine/index.ts';
import type { HttpContext } from '../context.ts';
import { FieldReader } from '../validate.ts';
import { fromAcceptLanguage } from '../lang.ts';
import { answerBody, createAnswerCache } from '../answer-cache.ts';
import { requestChannel } from '../channel.ts';
import { requireJson, sendJsonParts } from './json.ts';
import { stored } from '../problem.ts';
import { nextLoopIteration } from '../../loop.ts';
import { answerRecord } from '../../../store/records.ts';

/** Characters of a question the engine reads; a longer one (up to the 64 KB body) is cut and the answer says so. */
export const QUESTION_READ_CHARS = MAX_QUESTION_CHARS;
export const TOPIC_MAX = 200;

/** Past this many characters a question's engine work waits for an event-loop iteration of its own. */
const LONG_QUESTION_CHARS = 2000;

/** POST /api/v1/ask: question → the engine's Answer with Markdown/HTML renderings and an id for feedback, sent once its record is stored. */
export function askRoute(app: Express, ctx: HttpContext): void {
  const cache = createAnswerCache(ctx.i18n, ctx.options.answerCacheSize);
  app.post('/api/v1/ask', requireJson, async (req, res) => {
    const fields = new FieldReader(req.body);
    // No length limit of its own: the body limit (413) bounds it, the engine cuts it (notice input_truncated).
    const question = fields.string('question', { required: true });
    const bodyLang = fields.lang();
    const topicField = fields.string('topic', { maxLength: TOPIC_MAX });
    fields.done();
    const engine = ctx.engine();
    const topic = topicField === undefined ? undefined : ctx.canonicalTopicId(topicField);
    if (topicField !== undefined && topic === undefined) {
      fields.add({ field: 'topic', code: 'unknownTopic' });
      fields.done();
    }
    const lang = bodyLang ?? fromAcceptLanguage(req.headers['accept-language']);
    // A long paste is read in an event-loop iteration of its own: asks that arrive together do not run back to back.
    if (question!.length > LONG_QUESTION_CHARS) await nextLoopIteration();
    const rendered = cache.get(engine, question!, { lang, topic }, ctx.contentVersion());
    const { answer } = rendered;
    const id = ctx.newId();
    const channel = requestChannel(req);
    // Keep (and log) only what the engine read, so a pasted log cannot bloat the store.
    const read = question!.slice(0, QUESTION_READ_CHARS);
    // The id is acknowledged only once its record is durable: feedback on it must never find it unknown.
    await stored(ctx.store.recordAnswer(answerRecord(id, answer, channel, ctx.now(), ctx.options.storeQuestions ? read : undefined)));
    ctx.metrics?.answers.inc({ status: answer.status, lang: answer.lang, channel });
    // Field by field (no spread of an optional field): this runs on every ask.
    const log: Record<string, unknown> = { answerId: id, answerStatus: answer.status, topicId: answer.topic?.id, lang: answer.lang, channel };
    if (ctx.options.logQuestions) log.question = read;
    res.locals.log = log;
    res.setHeader('Content-Language', answer.lang);
    sendJsonParts(res, ...answerBody(id, rendered));
  });
}

import type { Express } from 'express';
import type { HttpContext } from '../context.ts';
import { FieldReader } from '../validate.ts';
import { fromAcceptLanguage } from '../lang.ts';
import { answerBody, createAnswerCache } from '../answer-cache.ts';
import { requireJson } from './json.ts';

export const QUESTION_MAX = 10_000;
export const TOPIC_MAX = 200;

/** POST /api/v1/ask: question → the engine's Answer with Markdown/HTML renderings and an id for feedback. */
export function askRoute(app: Express, ctx: HttpContext): void {
  const cache = createAnswerCache(ctx.i18n);
  app.post('/api/v1/ask', requireJson, (req, res) => {
    const fields = new FieldReader(req.body);
    const question = fields.string('question', { required: true, maxLength: QUESTION_MAX });
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
    const rendered = cache.get(engine, question!, { lang, topic });
    const { answer } = rendered;
    const id = ctx.newId();
    ctx.store
      .recordAnswer({
        id,
        at: ctx.now().toISOString(),
        channel: 'http',
        lang: answer.lang,
        status: answer.status,
        ...(answer.topic ? { topicId: answer.topic.id } : {}),
        ...(ctx.options.storeQuestions ? { question } : {}),
      })
      .catch((err: unknown) => ctx.logger.error({ err, requestId: req.ids.requestId }, 'could not record answer'));
    ctx.metrics?.answers.inc({ status: answer.status, lang: answer.lang, channel: 'http' });
    res.locals.log = {
      answerId: id,
      answerStatus: answer.status,
      topicId: answer.topic?.id,
      lang: answer.lang,
      ...(ctx.options.logQuestions ? { question } : {}),
    };
    res.setHeader('Content-Language', answer.lang);
    res.type('application/json').send(answerBody(id, rendered));
  });
}

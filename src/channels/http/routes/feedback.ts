import type { Express } from 'express';
import type { HttpContext } from '../context.ts';
import { FieldReader } from '../validate.ts';
import { requestChannel } from '../channel.ts';
import { requireJson } from './json.ts';
import { stored } from '../problem.ts';
import type { AnswerRecord } from '../../../store/types.ts';

export const COMMENT_MAX = 2000;
export const STEP_MAX = 100;

/**
 * How many steps the answer showed. Only an `answered` answer has steps; the store keeps its topic and language,
 * and the engine composes that topic's steps again (content reloaded since may have changed the count: the
 * serving content is what a user sees now).
 */
function stepCount(ctx: HttpContext, answer: AnswerRecord | undefined): number {
  if (answer?.status !== 'answered' || !answer.topicId) return 0;
  return ctx.engine().answerTopic(answer.topicId, answer.lang)?.steps.length ?? 0;
}

/**
 * Refuses a 1-based `step` the answer did not show (feedback and tickets): `noSteps` when it showed none (no answer,
 * or a clarify/not_found one), `stepOutOfRange` past its last step. Throws the 422 with any issue already collected.
 */
export function checkStep(fields: FieldReader, ctx: HttpContext, step: number | undefined, answer: AnswerRecord | undefined): void {
  if (step === undefined) return;
  const steps = stepCount(ctx, answer);
  if (steps === 0) fields.add({ field: 'step', code: 'noSteps' });
  else if (step > steps) fields.add({ field: 'step', code: 'stepOutOfRange', params: { max: steps } });
  fields.done();
}

/** POST /api/v1/feedback: 👍/👎 on an answer (optionally one 1-based step), stored before 202 is sent. */
export function feedbackRoute(app: Express, ctx: HttpContext): void {
  app.post('/api/v1/feedback', requireJson, async (req, res) => {
    const fields = new FieldReader(req.body);
    const answerId = fields.string('answerId', { required: true, maxLength: 100 });
    const helpful = fields.boolean('helpful', { required: true });
    const step = fields.integer('step', { min: 1, max: STEP_MAX });
    const comment = fields.string('comment', { maxLength: COMMENT_MAX });
    fields.done();
    const answer = await stored(ctx.store.getAnswer(answerId!));
    if (!answer) {
      fields.add({ field: 'answerId', code: 'unknownAnswer' });
      fields.done();
    }
    checkStep(fields, ctx, step, answer);
    const id = ctx.newId();
    const channel = requestChannel(req);
    const record = {
      id,
      at: ctx.now().toISOString(),
      channel,
      answerId: answerId!,
      helpful: helpful!,
      ...(step !== undefined ? { step } : {}),
      ...(comment !== undefined ? { comment } : {}),
    };
    await stored(ctx.store.addFeedback(record));
    res.locals.log = { feedbackId: id, answerId, helpful, channel };
    res.status(202).json({ id, answerId, status: 'accepted' });
  });
}

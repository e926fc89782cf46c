// Activities for the compute examples: thumbnails, tokenising and embeddings (the GPU/CPU
// routing example), and demo activities that fail, time out and heartbeat on purpose.
// A plain object with no imports. Every result is derived from the input.

function failure(name, message, nonRetryable = false) {
  const err = new Error(message);
  err.name = name;
  err.nonRetryable = nonRetryable;
  return err;
}

/**
 * Sleeps, but wakes up (and throws) when the activity is cancelled or times out. The abort
 * listener goes when the sleep ends: demo.work pauses once per chunk on one signal, and
 * listeners left behind would pile up (MaxListenersExceededWarning after 10).
 */
function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    const aborted = () => signal.reason ?? failure('Cancelled', 'cancelled');
    if (signal?.aborted) {
      reject(aborted());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A small deterministic "embedding": four numbers from the text's character codes. */
function embed(text) {
  const v = [0, 0, 0, 0];
  for (let i = 0; i < text.length; i++) v[i % 4] += text.charCodeAt(i);
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => Math.round((x / norm) * 1000) / 1000);
}

export default {
  name: 'compute',
  description: 'Thumbnails, tokenising, embeddings and demo activities for retries and timeouts.',
  activities: [
    {
      name: 'media.thumbnail',
      description: 'Make a thumbnail of an image (takes about 50 ms).',
      input: {
        type: 'object',
        required: ['url'],
        properties: {
          url: { type: 'string' },
          width: { type: 'integer', minimum: 16, maximum: 1024 },
        },
      },
      defaults: { timeouts: { startToClose: '5s' } },
      async run({ url, width = 128 }, ctx) {
        await pause(50, ctx.signal);
        return { url, thumbnail: `${url}?w=${width}`, width };
      },
    },
    {
      name: 'text.tokenize',
      description: 'Split text into lower-case word tokens (CPU work).',
      input: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
      run({ text }) {
        return {
          tokens: text
            .toLowerCase()
            .split(/[^a-z0-9]+/)
            .filter(Boolean),
        };
      },
    },
    {
      name: 'ml.embed',
      description: 'Compute an embedding of some tokens (meant for GPU workers).',
      input: {
        type: 'object',
        required: ['tokens'],
        properties: {
          tokens: { type: 'array', items: { type: 'string' } },
          model: { type: 'string' },
        },
      },
      run({ tokens, model = 'tiny' }, ctx) {
        return { model, vector: embed(tokens.join(' ')), taskQueue: ctx.info.taskQueue };
      },
    },
    {
      name: 'demo.flaky',
      description: 'Fails with error type Flaky on the first `failTimes` attempts, then succeeds.',
      input: {
        type: 'object',
        required: ['failTimes'],
        properties: { failTimes: { type: 'integer', minimum: 0 }, label: { type: 'string' } },
      },
      run({ failTimes, label = 'flaky' }, ctx) {
        if (ctx.attempt <= failTimes) {
          throw failure(
            'Flaky',
            `${label}: attempt ${ctx.attempt} of ${failTimes + 1} fails on purpose`,
          );
        }
        return { label, attempts: ctx.attempt };
      },
    },
    {
      name: 'demo.work',
      description:
        'Works through `steps` chunks of `delayMs` each, heartbeating progress; a retry resumes where the last attempt stopped.',
      input: {
        type: 'object',
        required: ['steps'],
        properties: {
          steps: { type: 'integer', minimum: 1, maximum: 1000 },
          delayMs: { type: 'integer', minimum: 0, maximum: 10000 },
        },
      },
      async run({ steps, delayMs = 100 }, ctx) {
        const start = ctx.info.heartbeatDetails?.done ?? 0;
        for (let done = start; done < steps; done++) {
          await pause(delayMs, ctx.signal);
          ctx.heartbeat({ done: done + 1, of: steps });
        }
        return { steps, resumedFrom: start, attempts: ctx.attempt };
      },
    },
    {
      name: 'demo.check',
      description: 'Checks an amount: negative amounts fail with the non-retryable InvalidAmount.',
      input: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } },
      run({ amount }) {
        if (amount < 0) throw failure('InvalidAmount', `amount ${amount} is negative`, true);
        return { amount, ok: true };
      },
    },
  ],
};

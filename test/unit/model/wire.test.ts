import { describe, expect, it } from 'vitest';
import {
  carriedFlowError,
  flowErrorOfApplication,
  flowErrorOfFlow,
  isFinalRunStatus,
  RUN_EVENT_STATUSES,
  RUN_STATUSES,
} from '../../../interpreter/model/wire';

// One decoder replaced three (workflow/errors.ts, client/result.ts, the API's history mapper);
// each former copy's cases run here, and the cases where they disagreed say what was decided.

const carried = {
  type: 'CardDeclined',
  message: 'card declined',
  details: { code: 51 },
  step: 'charge',
  attempts: 3,
  retryState: 'MAXIMUM_ATTEMPTS_REACHED',
};

describe('flowErrorOfFlow: the FlowError a failed run or child flow ended with', () => {
  it('reads the FlowError the interpreter carries as the first detail, every field', () => {
    const failure = { type: 'CardDeclined', message: 'card declined', details: [carried] };
    expect(flowErrorOfFlow(failure)).toEqual(carried);
  });

  it("takes the failure's message when the carried error has none", () => {
    const failure = { type: 'X', message: 'from the failure', details: [{ type: 'X' }] };
    expect(flowErrorOfFlow(failure)).toEqual({ type: 'X', message: 'from the failure' });
  });

  it('keeps carried details that are null (the flow raised them so)', () => {
    const failure = { message: 'm', details: [{ type: 'X', message: 'm', details: null }] };
    expect(flowErrorOfFlow(failure)).toEqual({ type: 'X', message: 'm', details: null });
  });

  it('drops carried fields of the wrong wire type (decided: the API copy kept step only as a string)', () => {
    const failure = {
      message: 'm',
      details: [{ type: 'X', message: 'm', step: 7, attempts: '3', retryState: 1 }],
    };
    expect(flowErrorOfFlow(failure)).toEqual({ type: 'X', message: 'm' });
  });

  it("reads another workflow's failure as an application failure", () => {
    expect(flowErrorOfFlow({ type: 'Boom', message: 'no', details: ['why'] })).toEqual({
      type: 'Boom',
      message: 'no',
      details: 'why',
    });
    expect(flowErrorOfFlow({ type: 'Boom', message: 'no', details: [{ code: 1 }] })).toEqual({
      type: 'Boom',
      message: 'no',
      details: { code: 1 },
    });
  });
});

describe("flowErrorOfApplication: an activity's own failure", () => {
  it('is its type, message and first detail', () => {
    expect(flowErrorOfApplication({ type: 'Flaky', message: 'boom', details: [1, 2] })).toEqual({
      type: 'Flaky',
      message: 'boom',
      details: 1,
    });
  });

  it('never reads a detail as a carried FlowError (an HTTP body may have a `type`)', () => {
    const body = { type: 'about:blank', message: 'Not Found' };
    expect(flowErrorOfApplication({ type: 'HttpError', message: '404', details: [body] })).toEqual({
      type: 'HttpError',
      message: '404',
      details: body,
    });
  });

  it('has no details when the first is null or missing (decided: the client kept null)', () => {
    expect(flowErrorOfApplication({ type: 'E', message: 'm', details: [null] })).toEqual({
      type: 'E',
      message: 'm',
    });
    expect(flowErrorOfApplication({ type: 'E', message: 'm', details: [] })).toEqual({
      type: 'E',
      message: 'm',
    });
    expect(flowErrorOfApplication({ type: 'E', message: 'm', details: null })).toEqual({
      type: 'E',
      message: 'm',
    });
  });

  it("is type 'Error' without a type, or with an empty one (decided: the API copy's reading)", () => {
    expect(flowErrorOfApplication({ message: 'm' })).toEqual({ type: 'Error', message: 'm' });
    expect(flowErrorOfApplication({ type: null, message: 'm' })).toEqual({
      type: 'Error',
      message: 'm',
    });
    expect(flowErrorOfApplication({ type: '', message: null })).toEqual({
      type: 'Error',
      message: '',
    });
  });
});

describe('carriedFlowError', () => {
  it('is undefined for anything but an object with a string type', () => {
    for (const detail of [undefined, null, 'Error', 3, [], { type: 5 }, { message: 'm' }])
      expect(carriedFlowError(detail, 'm')).toBeUndefined();
  });
});

describe('run statuses', () => {
  it('the event stream says every status but continuedAsNew (it follows the next run)', () => {
    expect(
      RUN_STATUSES.filter((s) => !(RUN_EVENT_STATUSES as readonly string[]).includes(s)),
    ).toEqual(['paused', 'continuedAsNew', 'unknown']);
  });

  it('stuck and running are not final; every ending is', () => {
    expect(isFinalRunStatus('stuck')).toBe(false);
    expect(isFinalRunStatus('running')).toBe(false);
    expect(RUN_STATUSES.filter(isFinalRunStatus).sort()).toEqual(
      ['cancelled', 'completed', 'continuedAsNew', 'failed', 'terminated', 'timedOut'].sort(),
    );
  });
});

import type { Context } from '@temporalio/activity';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  Next,
} from '@temporalio/worker';
import { METRICS } from './names';

/** Times every activity attempt into the step-duration histogram, tagged by activity name. */
export class StepDurationInterceptor implements ActivityInboundCallsInterceptor {
  constructor(private readonly ctx: Context) {}

  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const started = performance.now();
    let outcome = 'failed';
    try {
      const result = await next(input);
      outcome = 'completed';
      return result;
    } finally {
      this.ctx.metricMeter
        .createHistogram(
          METRICS.stepDuration,
          'float',
          'seconds',
          'Duration of one activity attempt',
        )
        .record((performance.now() - started) / 1000, {
          activity: this.ctx.info.activityType,
          outcome,
        });
    }
  }
}

// Hand-written workflows for the platform tests: they prove the servers work before any flow does.
import { proxyActivities, sleep } from '@temporalio/workflow';

const { greet } = proxyActivities<{ greet(name: string): Promise<string> }>({
  startToCloseTimeout: '10s',
});

export async function greeting(name: string): Promise<string> {
  return await greet(name);
}

/** Sleeps for `duration` of workflow time, then says how long it meant to sleep. */
export async function sleeper(duration: string): Promise<string> {
  await sleep(duration);
  return `slept ${duration}`;
}

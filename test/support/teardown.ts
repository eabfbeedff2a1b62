import { afterAll } from "vitest";

/** Something a suite starts in beforeAll: a server, an environment, a git app. */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * One afterAll that stops, newest first, what the suite's beforeAll started. Each thing is
 * added as it starts, so a beforeAll that failed part-way stops exactly what it had started
 * (afterAll still runs then) and the suite's variables keep their started types.
 */
export function stopAfterAll(): <T extends Stoppable>(started: T) => T {
  const started: Stoppable[] = [];
  afterAll(async () => {
    for (const s of started.reverse()) await s.stop();
  });
  return (s) => {
    started.push(s);
    return s;
  };
}

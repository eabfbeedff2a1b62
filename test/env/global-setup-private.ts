// vitest globalSetup of projects whose files change cluster-scoped objects: an API
// server of their own, never the shared one (see vitest.config.ts).
import type { TestProject } from "vitest/node";
import { provideTestEnv } from "./global-setup.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  return await provideTestEnv(project, false);
}

import { describe, expect, it } from "vitest";
import { colorEnabled, createLogger, createMemoryLogger } from "../../../src/output/logger.js";
import { startSpinner } from "../../../src/output/spinner.js";

function capture(isTTY: boolean) {
  let text = "";
  return { stream: { write: (s: string) => ((text += s), true), isTTY }, text: () => text };
}

describe("logger", () => {
  it("never prints credentials of a URL, on any line", () => {
    const out = capture(false);
    const log = createLogger({ stream: out.stream, verbose: true });
    log.action("cloning https://x-access-token:ghp_s3cret@github.com/org/repo");
    log.failure("push to https://ghp_s3cret@github.com/org/repo failed");
    log.debug("GET https://user:pw@registry.example.com/v2/");
    log.success("source ssh://git@github.com/org/repo");
    expect(out.text()).toBe(
      "► cloning https://***@github.com/org/repo\n" +
        "✗ push to https://***@github.com/org/repo failed\n" +
        "GET https://***@registry.example.com/v2/\n" +
        "✔ source ssh://git@github.com/org/repo\n",
    );
  });

  it("prints upstream's symbols, one line each, without colour off a TTY", () => {
    const out = capture(false);
    const log = createLogger({ stream: out.stream });
    log.action("installing");
    log.generate("generating");
    log.waiting("waiting");
    log.success("done");
    log.warning("careful");
    log.failure("broken");
    expect(out.text()).toBe("► installing\n✚ generating\n◎ waiting\n✔ done\n⚠️ careful\n✗ broken\n");
  });

  it("colours only on a TTY and never with NO_COLOR", () => {
    expect(colorEnabled({ write: () => true, isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ write: () => true, isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ write: () => true, isTTY: false }, {})).toBe(false);
    const out = capture(true);
    createLogger({ stream: out.stream, color: true }).success("ok");
    expect(out.text()).toBe("\u001b[32m✔\u001b[39m ok\n");
  });

  it("prints debug lines only with --verbose", () => {
    const quiet = capture(false);
    createLogger({ stream: quiet.stream }).debug("x");
    expect(quiet.text()).toBe("");
    const mem = createMemoryLogger();
    mem.debug("x");
    expect(mem.lines).toEqual(["x"]);
  });

  it("shows no spinner off a TTY, only the final status line", async () => {
    const out = capture(false);
    const log = createLogger({ stream: out.stream });
    const s = await startSpinner("working", log, out.stream);
    s.update("still working");
    s.succeed("finished");
    expect(out.text()).toBe("✔ finished\n");
  });
});

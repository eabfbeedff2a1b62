import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) Reflect.deleteProperty(process.env, k);
  Object.assign(process.env, saved);
});

describe("flux envsubst", () => {
  it("substitutes from the environment line by line, keeping $$ escapes and bare $vars", async () => {
    process.env.TSFLUX_T_REGION = "eu-central-1";
    delete process.env.TSFLUX_T_MISSING;
    const input =
      "region: ${TSFLUX_T_REGION}\nzone: ${TSFLUX_T_MISSING:=a}\nraw: $${TSFLUX_T_REGION}\nbare: $TSFLUX_T_REGION\nempty: ${TSFLUX_T_MISSING}\n";
    const r = await runCli(["envsubst"], { stdin: input });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("region: eu-central-1\nzone: a\nraw: ${TSFLUX_T_REGION}\nbare: $TSFLUX_T_REGION\nempty: \n");
  });

  it("fails with --strict on an unset variable without default", async () => {
    delete process.env.TSFLUX_T_MISSING;
    const r = await runCli(["envsubst", "--strict"], {
      stdin: "ok: ${TSFLUX_T_MISSING:-x}\nbad: ${TSFLUX_T_MISSING}\n",
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("ok: x\n");
    expect(r.stderr).toBe('✗ variable not set (strict mode): "TSFLUX_T_MISSING"\n');
  });

  it("accepts --strict=false and reports malformed expressions", async () => {
    expect((await runCli(["envsubst", "--strict=false"], { stdin: "${TSFLUX_T_NOPE}\n" })).stdout).toBe("\n");
    const bad = await runCli(["envsubst"], { stdin: "x: ${unterminated\n" });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("✗ missing closing brace\n");
  });
});

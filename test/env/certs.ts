// PKI for the test environment, generated with the openssl CLI:
//   ca.crt/ca.key          self-signed CA (signs both of the below, and is the --client-ca-file)
//   serving.crt/.key       kube-apiserver serving cert for 127.0.0.1 / localhost
//   admin.crt/.key         client cert CN=tsflux-admin, O=system:masters
//   sa.key/sa.pub          service-account token signing key pair
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TestEnvCerts {
  caCert: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  saKey: string;
  saPub: string;
}

export const ADMIN_USER = "tsflux-admin";

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run("openssl", args, { cwd });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") {
      throw new Error("the openssl CLI is required by the test environment (apt-get install openssl)", {
        cause: err,
      });
    }
    throw new Error(`openssl ${args.join(" ")} failed: ${e.stderr ?? e.message}`, { cause: err });
  }
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

export async function generateCerts(dir: string): Promise<TestEnvCerts> {
  const p = (f: string) => path.join(dir, f);
  await openssl(
    ["req", "-x509", ...EC_KEY, "-keyout", "ca.key", "-out", "ca.crt", "-days", "7", "-subj", "/CN=tsflux-testenv-ca"],
    dir,
  );
  await writeFile(
    p("serving.ext"),
    [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1",
      "",
    ].join("\n"),
  );
  await writeFile(
    p("client.ext"),
    [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=clientAuth",
      "",
    ].join("\n"),
  );
  const issue = async (name: string, subj: string, ext: string) => {
    await openssl(["req", "-new", ...EC_KEY, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subj], dir);
    await openssl(
      [
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "7",
        "-sha256",
      ].concat(["-extfile", ext, "-out", `${name}.crt`]),
      dir,
    );
  };
  await issue("serving", "/CN=kube-apiserver", "serving.ext");
  await issue("admin", `/O=system:masters/CN=${ADMIN_USER}`, "client.ext");
  await openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "sa.key"], dir);
  await openssl(["pkey", "-in", "sa.key", "-pubout", "-out", "sa.pub"], dir);
  return {
    caCert: p("ca.crt"),
    servingCert: p("serving.crt"),
    servingKey: p("serving.key"),
    adminCert: p("admin.crt"),
    adminKey: p("admin.key"),
    saKey: p("sa.key"),
    saPub: p("sa.pub"),
  };
}

// stdout and stderr written straight to their file descriptors. Creating
// process.stdout or process.stderr on a pipe or a terminal builds a net.Socket and
// loads Node's stream machinery: a few milliseconds of every `flux --version` and
// `create … --export` (issue 17). On Linux Node writes to pipes, files and terminals
// synchronously anyway, so a synchronous write keeps the same order and the same
// back-pressure (the writer waits for a slow reader, as Node and Go do).
import { fstatSync, writeSync } from "node:fs";
import { isatty } from "node:tty";
import type { Writable } from "../output/logger.js";

/**
 * A writer for fd 1 or 2. A reader that went away (`flux install --export | head`)
 * ends the process quietly, like a Go program killed by SIGPIPE; a descriptor that
 * someone set non-blocking (EAGAIN) hands over to Node's own stream, which waits.
 */
export function fdWriter(fd: 1 | 2): Writable & { readonly fd: number } {
  let stream: NodeJS.WriteStream | undefined;
  let tty: boolean | undefined;
  const nodeStream = () => {
    if (!stream) {
      stream = fd === 1 ? process.stdout : process.stderr;
      stream.on("error", (err: NodeJS.ErrnoException) => {
        if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
        throw err;
      });
    }
    return stream;
  };
  return {
    /** Which descriptor: a plugin run by `flux <name>` gets it as its own (src/plugin/exec.ts). */
    fd,
    get isTTY() {
      // Only a character device can be a terminal; asking fstat first spares loading
      // node:tty (and net) for pipes and files.
      // isTTY is typed boolean but is undefined on pipes and files: read it as optional.
      tty ??= stream ? (stream as { isTTY?: boolean }).isTTY === true : isCharacterDevice(fd) && isatty(fd);
      return tty;
    },
    write(chunk: string) {
      if (stream) return stream.write(chunk);
      const buf = Buffer.from(chunk, "utf8");
      let off = 0;
      try {
        while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EPIPE") process.exit(process.exitCode ?? 0);
        if (code !== "EAGAIN") throw err;
        return nodeStream().write(buf.subarray(off));
      }
      return true;
    },
  };
}

function isCharacterDevice(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
}

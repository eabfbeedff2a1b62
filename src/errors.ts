// Errors are values with a message a user can act on and an exit code.
// The program entry is the one place that prints `✗ <message>` and exits.

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** Thrown by commands whose engine has not been built yet. */
export class NotBuiltError extends CliError {
  constructor(command: string) {
    super(`'flux ${command}' is not available in this version of tsflux yet`);
  }
}

/**
 * Removes credentials from URLs (user:password@host, token@host) in any text. An SSH
 * URL's bare user name (ssh://git@host) is no secret and stays, so messages still
 * name the address the user gave.
 */
export function redactUrls(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^/\s@]+)@/gi, (match, scheme: string, userinfo: string) =>
    /^ssh:/i.test(scheme) && !userinfo.includes(":") ? match : `${scheme}***@`,
  );
}

/** Turns any thrown value into a one-line message without stack traces or secrets. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return redactUrls(err.message);
  return redactUrls(String(err));
}

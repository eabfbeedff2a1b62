// Fills the fixed texts under templates/ (inlined at build time, never read from disk
// at run time): each {{name}} is replaced by its value; a name without a value is a
// bug, so it throws instead of printing the placeholder.
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`template value missing: ${name}`);
    return v;
  });
}

/** A template whose file ends with a newline, without it (for texts joined by the caller). */
export function line(template: string): string {
  return template.endsWith("\n") ? template.slice(0, -1) : template;
}

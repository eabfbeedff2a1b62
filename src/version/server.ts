export async function serverVersions(_g: unknown): Promise<Record<string, string>> { throw new Error("cluster version lookup is not available yet; use --client"); }

export * from "./types.js";
export { withRetry, isRetryable, type RetryOptions } from "./retry.js";
export { GitHubProvider, githubApiUrl, hostOf, GITHUB_PERMISSIONS, type GitHubOptions } from "./github.js";
export { GitLabProvider, gitlabHostUrl, type GitLabOptions } from "./gitlab.js";

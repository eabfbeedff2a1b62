// All generators of Flux objects, for library users: `import { manifests } from "tsflux"`.
export * from "./common.js";
export * from "./sources.js";
export * from "./kustomization.js";
export * from "./image.js";
export * from "./notification.js";
export * from "./tenant.js";
export * from "./secrets.js";

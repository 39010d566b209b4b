/** The HTTP channel: `createHttpApp(deps)` and what callers need to build its deps. */
export { createHttpApp } from './app.ts';
export { DEFAULT_HTTP_OPTIONS, type HttpAppDeps, type HttpOptions, type Mount } from './context.ts';
export { openApiDocument } from './openapi.ts';
export { HttpProblem, sendProblem } from './problem.ts';
export { securityHeaders } from './security.ts';

/** Types of build.mjs, a plain JavaScript file so that `npm start` can run it without TypeScript. */
export function serverBuildIsStale(): boolean;
/** Builds dist/main.js; resolves with the milliseconds it took. */
export function buildServer(): Promise<number>;

/** Modules the widget's esbuild build provides (see ../bundle.ts). */

declare module 'stepwise:locales' {
  /** The widget namespace and the shared `common` answer strings of every language, inlined at build time. */
  const resources: Record<import('../../../engine/types.ts').Lang, { widget: Record<string, unknown>; common: Record<string, unknown> }>;
  export default resources;
}

declare module '*.css' {
  /** The stylesheet's text, minified at build time. */
  const css: string;
  export default css;
}

/**
 * `@spectrans/conformance/report`: turning `runTarget` reports into the matrix (rows: op/kernel
 * groups, columns: targets) and rendering it as text, HTML or JSON, as the CLI does.
 *
 * @example
 * ```ts
 * import { runTarget } from '@spectrans/conformance';
 * import { formatText } from '@spectrans/conformance/report';
 * console.log(formatText([await runTarget({ name: 'js', create: () => createJsBackend() })]));
 * ```
 * @packageDocumentation
 */
export { buildMatrix, totals, anyFailed, type Matrix, type MatrixCell, type Totals } from './aggregate.js';
export { formatText, summaryLine, formatFraction, type TextOptions } from './text.js';
export { followsFrom, opsUsedBy } from './follows.js';
export { formatHtml } from './html.js';
export { formatJson, type JsonReport } from './json.js';

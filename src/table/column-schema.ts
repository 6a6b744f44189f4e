/**
 * What each column of a table became, as the training report shows it. Types
 * only: the core's pipeline names them without carrying the table code.
 */

/** What a column holds, as inferred from its training rows (or as told). */
export type ColumnKind = 'numeric' | 'categorical' | 'boolean' | 'date' | 'text' | 'identifier' | 'empty';

/** One column as the report shows it. */
export interface ColumnSchema {
  /** The column's name in the table. */
  name: string;
  /** What it holds, as inferred from the training rows (or as told, e.g. `categorical`). */
  kind: ColumnKind;
  /** Share of the training rows where the cell is missing (0..1). */
  missing: number;
  /** Categories, range or date parts — or, for a column left out, why. */
  detail: string;
  /** The features it gives the network. */
  features: string[];
}

/**
 * The saved form of a table's encoders (a model file's `preprocess`): what
 * each column's encoding learned on the training rows, and the features it
 * gives. Kept apart from the code that fits, checks and applies them
 * (src/table/, in simdnet/csv), so that the core can carry a network's
 * encoders without that code.
 */

/** The features a date column can give, in this order. */
export const DATE_PARTS = ['year', 'month', 'day', 'weekday', 'day_of_year', 'hour'] as const;
/** One of {@link DATE_PARTS}. */
export type DatePart = (typeof DATE_PARTS)[number];

/** A numeric or boolean column: missing cells take the training median; `indicator` adds a 0/1 "was missing" feature. */
export interface NumericEncoding {
  /** The column's name in the table. */
  name: string;
  /** 'numeric', or 'boolean' (two values, read as 0 and 1). */
  kind: 'numeric' | 'boolean';
  /** The value a missing cell takes: the training rows' median. */
  fill: number;
  /** Whether the column gives a second, 0/1 feature "(missing)" (training had gaps). */
  indicator: boolean;
}

/** A date column: the parts that vary over the training rows, each imputed with its median. */
export interface DateEncoding {
  /** The column's name in the table. */
  name: string;
  /** Always 'date'. */
  kind: 'date';
  /** The parts that become features, in order. */
  parts: DatePart[];
  /** Per part: the value a missing cell takes (the training rows' median). */
  fill: number[];
  /** Whether the column gives a 0/1 feature "(missing)" after its parts. */
  indicator: boolean;
}

/** A categorical column: one 0/1 feature per kept level, then "(other)" (levels not kept, or never seen), then "(missing)" when training had gaps. */
export interface CategoricalEncoding {
  /** The column's name in the table. */
  name: string;
  /** Always 'categorical'. */
  kind: 'categorical';
  /** The categories one-hot encoded, most frequent first (at most maxCategories). */
  levels: string[];
  /** Levels seen in training but past maxCategories (a bounded number of them): "(other)" by design, not unseen. */
  rare: string[];
  /** Whether the column gives a 0/1 feature "(missing)" (training had gaps). */
  missing: boolean;
}



/** A column left out (free text, an identifier, no values): no features. */
export interface ExcludedEncoding {
  /** The column's name in the table. */
  name: string;
  /** Why it gives no features: free text, an identifier (a value per row), or no values at all. */
  kind: 'text' | 'identifier' | 'empty';
}

/** One column's encoding, by its kind. */
export type ColumnEncoding = NumericEncoding | DateEncoding | CategoricalEncoding | ExcludedEncoding;

/** The saved form: what was fitted, column by column. */
export interface PreprocessorJSON {
  /** The cells read as missing (compared case-insensitively). */
  na: string[];
  /** Every column of the training table but the target, in the table's order; the features follow this order. */
  columns: ColumnEncoding[];
}

/** The names of the features an encoding gives, in order. */
export function featureNames(e: ColumnEncoding): string[] {
  switch (e.kind) {
    case 'numeric':
    case 'boolean':
      return e.indicator ? [e.name, `${e.name} (missing)`] : [e.name];
    case 'date':
      return [...e.parts.map((p) => `${e.name} ${p}`), ...(e.indicator ? [`${e.name} (missing)`] : [])];
    case 'categorical':
      return [...e.levels.map((l) => `${e.name}=${l}`), `${e.name}=(other)`, ...(e.missing ? [`${e.name}=(missing)`] : [])];
    default:
      return [];
  }
}

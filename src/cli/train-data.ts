/**
 * `simdnet train`'s data: the table options of its command line (checked
 * against the file's header before the file is read), and the file read
 * with a byte progress bar on a terminal, the library's messages in flags.
 */

import { DataError } from '../index.js';
import { statSync } from 'node:fs';
import { loadCsv, streamCsv, type CsvDataset, type CsvOptions, type StreamingCsvDataset } from '../csv.js';
import { parseChoice, parseNumber, type ParsedArgs } from './args.js';
import { fileFormat, readFileHeader, readingDataFile, resolveColumn } from './csv-table.js';
import { CliError } from './errors.js';
import type { Io } from './io.js';
import { cliWording } from './train-wording.js';

/** The task asked for with --task. */
export type TaskChoice = 'auto' | 'binary' | 'multiclass' | 'regression';

/** --task, checked (default auto). */
export function taskOption(args: ParsedArgs): TaskChoice {
  const raw = args.strings.get('task');
  return raw === undefined ? 'auto' : parseChoice('task', raw, ['auto', 'binary', 'multiclass', 'regression'] as const);
}

/** The table options of the command line, checked before the file is read. */
function tableOptions(args: ParsedArgs, header: readonly string[], path: string): CsvOptions {
  const s = args.strings;
  const names = (option: string): string[] | undefined => {
    const raw = s.get(option);
    if (raw === undefined) return undefined;
    const list = raw.split(',').map((n) => header[resolveColumn(header, n.trim(), path, `--${option}`)]!);
    const twice = list.find((n, i) => list.indexOf(n) !== i);
    if (twice !== undefined) throw new CliError(`--${option}: column '${twice}' is listed twice`);
    return list;
  };
  const target = s.has('target') ? header[resolveColumn(header, s.get('target')!, path, '--target')] : undefined;
  const targetName = target ?? header[header.length - 1]!;
  const o: CsvOptions = { source: path, target, dropInvalid: args.flags.has('drop-invalid') };
  const features = names('features');
  for (const [option, list] of [['features', features], ['ignore', names('ignore')], ['categorical', names('categorical')]] as const) {
    if (list?.includes(targetName)) throw new CliError(`--${option}: '${targetName}' is the target column; pass another --target or leave it out of --${option}`);
    if (list && option !== 'features') o[option] = list;
  }
  if (features) o.features = features;
  const both = features && o.ignore?.find((n) => features.includes(n));
  if (both) throw new CliError(`--ignore: column '${both}' is also in --features: a column is read or ignored, not both`);
  const na = s.get('na');
  if (na !== undefined) o.na = na.split(',');
  const max = s.get('max-categories');
  if (max !== undefined) o.maxCategories = parseNumber('max-categories', max, { integer: true, min: 1, max: 65536 });
  return { ...o, ...fileFormat(args) };
}

/**
 * Reads the data file, streaming, with the bytes read shown on a terminal:
 * whole into a table, or (`stream`) surveyed for a training run that reads
 * it again each epoch.
 */
export async function loadData(path: string, args: ParsedArgs, task: TaskChoice, io: Io, header: readonly string[], stream: boolean): Promise<CsvDataset | StreamingCsvDataset> {
  const options = { ...tableOptions(args, header, path), task };
  const tty = io.stderr.isTTY === true;
  const onBytes = tty ? (read: number, size: number) => io.stderr.write(`\rreading ${path}: ${megabytes(read)} of ${megabytes(size)} MB`) : undefined;
  try {
    const size = stream && onBytes ? statSync(path).size : 0;
    const data = await readingDataFile<CsvDataset | StreamingCsvDataset>(path, () => (stream ? streamCsv(path, options, onBytes && ((read) => onBytes(read, size))) : loadCsv(path, options, onBytes)));
    if (tty) io.stderr.write(`\rreading ${path}: done${' '.repeat(30)}\n`);
    return data;
  } catch (err) {
    if (tty) io.stderr.write('\n');
    if (err instanceof DataError) throw new DataError(cliWording(err.message), { cause: err });
    throw err;
  }
}

/** The file's header, with the reader's advice in flags (a header that is no text: 'pass --encoding latin1'). */
export function headerOf(path: string, args: ParsedArgs): string[] {
  try {
    return readFileHeader(path, fileFormat(args));
  } catch (err) {
    if (err instanceof DataError) throw new DataError(cliWording(err.message), { cause: err });
    throw err;
  }
}

const megabytes = (bytes: number): string => (bytes / 1e6).toFixed(1);

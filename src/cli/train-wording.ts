/**
 * The library's messages in the words of `simdnet train`: the dataset is a
 * file, the options are flags, and a training that fails saves nothing.
 */

/** parseCsv's messages and warnings: its advice names library options; on the command line they are flags. */
export function cliWording(message: string): string {
  return message
    .replace('pass dropInvalid: true to drop such rows', 'pass --drop-invalid to drop such rows')
    .replace("pass task: 'regression' for a numeric target", 'pass --task regression for a numeric target')
    .replace(/\boptions\.(features|ignore|categorical)\b/g, '--$1')
    .replace(/\bencoding: '([\w-]+)' was passed/g, '--encoding $1 was passed')
    .replace(/\bpass encoding: '([\w-]+)'/g, 'pass --encoding $1');
}

/** trainModel's errors: they name the dataset (`ds`, split()'s argument) and library options; here the dataset is a file and the options are flags. */
export function trainingWording(message: string, dataPath: string): string {
  return message
    .replace(/^(ds|data): /, `${dataPath}: `)
    .replace(/^trainModel: /, `training on ${dataPath}: `)
    .replace('set a fraction to 0, or pass stratify: false', 'set a fraction of --split to 0, or pass --no-stratify')
    .replace('or set the fraction of an unwanted part to 0', 'or set the fraction of an unwanted part to 0 in --split')
    .replace('; use fewer quantileBins', '; pass --no-stratify')
    .replace('use fewer or smaller hidden layers (hidden), or a smaller batchSize', 'pass a smaller --hidden or --batch-size');
}

/** fit's message on a step that went non-finite: it says which weights fit kept and advises a smaller learning rate; here no model is saved, and the rate is a flag. */
export function divergedWording(message: string, dataPath: string): string {
  return message
    .replace(/^fit: /, `training on ${dataPath}: `)
    .replace(/; [^;]*\(try a smaller learning rate\)$/, '; no model was saved (try a smaller --lr, or --clip-norm)');
}

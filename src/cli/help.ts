/**
 * The help texts. The defaults quoted here are trainModel's; keep them in step
 * with src/pipeline/train-model.ts.
 */

import { MAX_HIDDEN_UNITS } from './args.js';
import { VERSION } from './version.js';

export const MAIN_HELP = `simdnet ${VERSION} — train, evaluate and run neural networks (MLPs) on CSV files

Usage:
  simdnet train data.csv [options]              train, validate and test a model; save it as JSON
  simdnet evaluate model.json data.csv [options] metrics of a saved model on labelled rows
  simdnet predict model.json data.csv [options]  predictions of a saved model, as CSV
  simdnet import model.onnx [options]           an ONNX, TF.js or brain.js model to a simdnet model
  simdnet export model.json --format onnx       a saved model as ONNX, TF.js (tfjs) or brain.js (brainjs)

  simdnet <command> --help   options of a command
  simdnet --version          the version

The CSV files have a header row; every column but the target is a numeric
feature. The target (default: the last column) holds class labels (text or
whole numbers) or, for regression, numbers.

Examples:
  simdnet train iris.csv --seed 1
  simdnet evaluate iris.model.json new-flowers.csv
  simdnet predict iris.model.json new-flowers.csv --probabilities --out predictions.csv
  simdnet export iris.model.json --format onnx
`;

export const TRAIN_HELP = `Usage: simdnet train data.csv [options]

Reads the table as it is: each column's kind is inferred from the training
rows (numeric, categorical, boolean, date; free text and identifiers left
out) and printed before training; gaps are imputed (median + a missing
indicator), categories one-hot encoded, dates turned into the parts that
vary. Splits the rows into train/validation/test parts (stratified by
class), fits the encoders and the scaling on the training part only, trains
with early stopping on the validation loss (keeping the best epoch's
weights), prints the test metrics and the confusion matrix, and saves the
model, which then takes raw rows (predict, evaluate).

Data:
  --target <col>         target column: header name or 0-based index (default: the last);
                         rows without a target are left out and counted
  --features <cols>      feature columns, e.g. hours,attendance (default: every other column)
  --ignore <cols>        columns to leave out
  --categorical <cols>   columns to read as categories even when they hold numbers
  --max-categories <n>   most frequent categories one-hot encoded per column (default 32;
                         the rest, and categories never seen in training, share "(other)")
  --na <tokens>          cells that mean "missing", comma-separated (default: empty, NA, N/A,
                         null, NaN, ?, ., -)
  --separator <c>        , ; tab or | (default: detected)
  --encoding <name>      utf-8 | windows-1252 | latin1 (default: detected)
  --task <task>          auto | binary | multiclass | regression (default auto: text labels
                         or at most 20 distinct whole numbers are classes, else regression)
  --drop-invalid         drop rows with the wrong number of fields, a missing feature cell
                         or a number beyond float32, instead of failing or imputing
  --split <t,v,t>        train,validation,test fractions (default 0.8,0.1,0.1)
  --no-stratify          random instead of stratified split
  --class-weight <w>     balanced | none (default none): balanced weights each class's rows
                         in the training loss by n / (classes · rows of the class)
  --scale <kind>         standard | minmax | none (default standard)
  --stream               train from the file a batch at a time (encoders fitted on a sample of
                         the training rows); chosen by itself when the training rows would not
                         fit in memory, which it then says
  --max-memory <MiB>     the most Wasm memory to use, in MiB (default 4096)

Model and training:
  --hidden <sizes>       hidden layer sizes, 1 to ${MAX_HIDDEN_UNITS} units each, e.g. 64,32 (default),
                         or none; what fits in memory (4 GiB of Wasm memory) is checked
                         before training
  --activation <name>    relu | leaky_relu | tanh | sigmoid | linear (default relu)
  --optimizer <name>     adam | sgd | momentum (default adam)
  --lr <rate>            learning rate (default 0.003 for adam, 0.05 otherwise)
  --batch-size <n>       rows per mini-batch (default 32)
  --epochs <n>           at most this many epochs (default 300)
  --patience <n>         stop after this many epochs without a better validation loss (default 50)
  --monitor <metric>     what early stopping watches: val_loss (default), val_accuracy,
                         val_mae (regression) or loss
  --schedule <spec>      learning-rate schedule: none (default), step, exponential, cosine
                         (with warm-up) or plateau, with values as name:key=value,…, e.g.
                         cosine:warmup=5,min-lr=0.0001 | step:step-size=30,gamma=0.5 |
                         exponential:gamma=0.98 | plateau:patience=10,factor=0.5
  --weight-decay <l2>    L2 weight decay (default 0.005)
  --clip-norm <n>        scale each step's gradient down to this L2 norm when longer (default: off)
  --seed <n>             seed of the split, the initial weights and the shuffling (default 0)

Output:
  -o, --out <file>       where to save the model (default: <data name>.model.json here);
                         never the data file; checked before training, written to a
                         temporary file and renamed into place
  --json                 print one JSON object (config, rows, history, test metrics, model path)
                         on stdout instead of the report
  --verbose              stack traces with errors
  -h, --help             this help
`;

export const EVALUATE_HELP = `Usage: simdnet evaluate model.json data.csv [options]

Evaluates a saved model on labelled rows: accuracy, precision, recall, F1 (per
class, macro and weighted) and the confusion matrix, or MSE, MAE and R² for
regression. The feature columns are matched to the model's by name; the class
labels are matched to the model's classes by label.

Options:
  --target <col>         target column: header name or 0-based index
                         (default: the model's target column if present, else the last)
  --separator <c>        , ; tab or | (default: detected)
  --encoding <name>      utf-8 | windows-1252 | latin1 (default: detected)
  --json                 print one JSON object with the metrics
  --verbose              stack traces with errors
  -h, --help             this help
`;

export const PREDICT_HELP = `Usage: simdnet predict model.json data.csv [options]

Writes one prediction per row as CSV: a header 'prediction', then the class
label (classification) or the value (regression) of each row. The file may
have the target column or not; feature columns are matched by name.

Options:
  -o, --out <file>       write the CSV to this file instead of stdout (- for stdout); never
                         the model or the data file; written to a temporary file and
                         renamed into place
  --probabilities        add one p_<label> column per class (classification)
  --target <col>         a column to ignore as the target (header name or 0-based index)
  --separator <c>        , ; tab or | (default: detected)
  --encoding <name>      utf-8 | windows-1252 | latin1 (default: detected)
  --verbose              stack traces with errors
  -h, --help             this help
`;

export const IMPORT_HELP = `Usage: simdnet import <file> [options]

Reads a dense network written by another framework and saves it as a
simdnet model (JSON). The format comes from the file:
  .onnx        ONNX (PyTorch's torch.onnx.export and others): Gemm/MatMul
               layers, Relu, LeakyRelu, Sigmoid, Tanh, Softmax, BatchNormalization;
               external data (model.onnx.data) is read from beside the file
  model.json   TF.js layers model (modelTopology); its .bin weight files are
               read from beside it
  *.json       brain.js NeuralNetwork#toJSON() (2.0 or 1.x)
Files the model names must be inside its folder.

Options:
  -o, --out <file>       where to save the model (default: <file name>.model.json here)
  --format <format>      onnx | tfjs | brainjs, when the file's name or content does not tell
  --verbose              stack traces with errors
  -h, --help             this help
`;

export const EXPORT_HELP = `Usage: simdnet export model.json --format onnx|tfjs|brainjs [options]

Writes a saved model in another framework's format:
  onnx      ONNX, opset 13 (for ONNX Runtime and other ONNX tools); the
            graph takes the same raw features as predict: the input scaling
            (and a regression's target scaling) are nodes of the graph
  tfjs      TF.js layers model: model.json and <name>.weights.bin beside it,
            for tf.loadLayersModel; the scaling is folded into the weights
  brainjs   brain.js 2.0 NeuralNetwork JSON, for net.fromJSON(); brain.js runs
            one activation (sigmoid, relu, leaky-relu or tanh) in every layer,
            so other models are refused

Options:
  --format <format>      onnx | tfjs | brainjs (required)
  -o, --out <file>       where to write (default: <model name>.onnx, .tfjs.json or .brain.json here)
  --verbose              stack traces with errors
  -h, --help             this help
`;

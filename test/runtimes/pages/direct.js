import * as simdnet from '/dist/browser.js';
import * as csv from '/dist/csv.browser.js';
import { report, studentRun } from './student-app.js';

report(studentRun(simdnet, csv, '/data/students.csv'));

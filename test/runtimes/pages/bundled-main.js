// The app the bundler tests build: the package by name, as a user writes it.
import * as simdnet from 'simdnet';
import * as csv from 'simdnet/csv';
import { report, studentRun } from './student-app.js';

report(studentRun(simdnet, csv, '/data/students.csv'));

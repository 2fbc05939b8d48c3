import { definePlugin } from 'rnnbow';
import { mguCell } from './mgu.js';

/** The plugin: one cell, `mgu`. Load it with `--plugin ./plugins/mgu-cell` and train with `--cell mgu`. */
export default definePlugin({ name: 'mgu-cell', cells: [mguCell] });

#!/usr/bin/env node
'use strict';
// Runs the compiled CLI; `npm run build` (or `npm start` / `npm test`) compiles it.
require('../dist/main.js');

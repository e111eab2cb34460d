// tests/sarif/check.js DIR FILE...: validate SARIF logs against the official
// SARIF 2.1.0 schema (sarif-2.1.0-rtm.5.json) as the npm package
// @microsoft/jest-sarif ships it, with the ajv validator it depends on,
// both installed under DIR.  Prints "FILE: valid" or "FILE: invalid" and the
// schema's complaints; exits 1 when a log is invalid.
'use strict';
const fs = require('fs');
const path = require('path');
const dir = path.resolve(process.argv[2]);
const mods = path.join(dir, 'node_modules');
const Ajv = require(path.join(mods, 'ajv'));
const schema = require(path.join(mods,
    '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
// The schema is draft-04: ajv 6 needs its meta-schema added.
const ajv = new Ajv({ schemaId: 'auto', format: 'full', allErrors: true });
ajv.addMetaSchema(require(path.join(mods,
    'ajv/lib/refs/json-schema-draft-04.json')));
const validate = ajv.compile(schema);
let bad = 0;
for (const file of process.argv.slice(3)) {
	let log;
	try {
		log = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (e) {
		console.log(path.basename(file) + ': invalid: not JSON: ' + e.message);
		bad = 1;
		continue;
	}
	if (validate(log)) {
		console.log(path.basename(file) + ': valid');
	} else {
		bad = 1;
		console.log(path.basename(file) + ': invalid');
		for (const e of validate.errors)
			console.log('    ' + e.dataPath + ' ' + e.message);
	}
}
process.exit(bad);

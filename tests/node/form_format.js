// Runs the site's own problem-file format (docs/admin/ledger-form.js) on
// cases read as JSON from stdin, for tests/test_form.py: each case is
// {raw, edits} and gets back what saving it unchanged and saving it with
// `edits` applied to the form's data would write, and the commit message.
'use strict';
const path = require('path');
const form = require(path.join(__dirname, '..', '..', 'docs', 'admin', 'ledger-form.js'));

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const cases = JSON.parse(input);
  const out = cases.map(({ raw, edits, kind }) => {
    const format = kind === 'signoff' ? form.signoff : { fromFile: form.fromFile, toFile: form.toFile };
    // Decap hands the format a copy of the data it loaded, edited by the widgets.
    const data = () => JSON.parse(JSON.stringify(format.fromFile(raw)));
    const edited = Object.assign(data(), edits || {});
    return {
      unchanged: format.toFile(data()),
      edited: format.toFile(edited),
      message: kind === 'signoff' ? '' : form.commitMessage(edited),
      data: Object.fromEntries(Object.entries(data()).filter(([k]) => k !== '__raw')),
    };
  });
  process.stdout.write(JSON.stringify({ cases: out, issueKeys: form.ISSUE_KEYS, measureKeys: form.MEASURE_KEYS,
    fileStems: (JSON.parse(process.env.FORM_STEMS || '[]')).map(([id, t]) => form.fileStem(id, t)) }));
});

// bench/js/engine.js - the benchmark's policy subset (bench/policies/subset.rv)
// with json-rules-engine: one engine.run() per case.
//
//   node engine.js EXPORT.tsv CAL.csv AS-OF OUT.csv
//
// EXPORT.tsv comes from bench/js/export.sql.  The rules decide which policies
// apply to a case, which assign line and which priority line hold (the first
// line whose conditions hold wins, as in revisit); this file then does what a
// rule engine leaves to its host: dates (working days, month clamping), the
// reproducible 30 % sample per month (SHA-256 keys with node:crypto, drawn once
// the month is over), obligation ids, the done check, status and horizon.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const path = require('path');
const { Engine } = require(path.join(__dirname, '..', 'node_modules', 'json-rules-engine'));

const [, , exportFile, calFile, asOfText, outFile] = process.argv;
const day = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 864e5;
const fmt = (d) => new Date(d * 864e5).toISOString().slice(0, 10);
const AS_OF = day(asOfText), HORIZON = AS_OF + 7, EFFECTIVE = day('2026-01-01');

// calendar: day -> 1/0 from bench/caldays; outside it Monday to Friday
const cal = new Map();
for (const line of fs.readFileSync(calFile, 'utf8').split('\n').slice(1)) {
  if (line) cal.set(day(line), line.endsWith(',1'));
}
const workday = (d) => (cal.has(d) ? cal.get(d) : ((d + 3) % 7 + 7) % 7 < 5);
function addWorkdays(d, n) {
  while (n > 0) { d++; if (workday(d)) n--; }
  return d;
}
function addMonths(d, n) {
  const x = new Date(d * 864e5);
  const t = x.getUTCFullYear() * 12 + x.getUTCMonth() + n;
  const y = Math.floor(t / 12), m = t % 12;
  const ml = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(x.getUTCDate(), ml)) / 864e5;
}
const firstOfMonth = (d) => { const x = new Date(d * 864e5); return Date.UTC(x.getUTCFullYear(), x.getUTCMonth(), 1) / 864e5; };
const sha = (s) => crypto.createHash('sha256').update(s).digest('hex');
const oid = (policy, id, occ) => 'O-' + sha(`${policy}\x1fcases\x1f${id}\x1f${occ}`).slice(0, 12);

// ---- rules ----
const engine = new Engine([], { allowUndefinedFacts: true });
const is = (fact, value) => ({ fact, operator: 'equal', value });
const inForce = [
  { fact: 'closed_day', operator: 'notEqual', value: null },
  { fact: 'do_not_contact', operator: 'equal', value: 0 },
];
const triggered = [
  { fact: 'closed_day', operator: 'greaterThanInclusive', value: EFFECTIVE },
  { fact: 'closed_day', operator: 'lessThanInclusive', value: AS_OF },
];
function policy(name, kind, extra, assigns, prios) {
  engine.addRule({ name, conditions: { all: [is('kind', kind), ...inForce, ...extra] },
                   event: { type: 'applies', params: { policy: name } } });
  assigns.forEach(([when, roles], i) => engine.addRule({ name: `${name}/assign/${i + 1}`,
    conditions: { all: [is('kind', kind), ...when] }, event: { type: 'assign', params: { policy: name, line: i, roles } } }));
  prios.forEach(([when, value], i) => engine.addRule({ name: `${name}/priority/${i + 1}`,
    conditions: { all: [is('kind', kind), ...when] }, event: { type: 'priority', params: { policy: name, line: i, value } } }));
}
policy('bench_complaint', 'complaint', triggered,
  [[[is('severity', 'major')], 'project_manager'], [[], 'department_supervisor+steward']],
  [[[is('tier', 'large')], 1], [[is('tier', 'important')], 2], [[], 3]]);
policy('bench_repair_sample', 'repair', [], [[[], 'steward']], []);
policy('bench_discharge', 'discharge', triggered, [[[], 'attending_doctor']],
  [[[is('severity', 'critical')], 1], [[], 3]]);
const CHANNELS = { bench_complaint: 'phone,onsite', bench_repair_sample: 'phone,onsite', bench_discharge: 'phone,onsite,letter' };

// ---- input ----
const text = fs.readFileSync(exportFile, 'utf8');
const sep = text.indexOf('\n--\n');
const caseLines = text.slice(0, sep + 1).split('\n');
const done = new Set(text.slice(sep + 4).split('\n'));

async function main() {
  const obligations = []; // [oid, policy, customer, case, from, by, assignees, priority]
  const groups = new Map(); // repair sample: month -> [[key, id, customer, t, assignees]]
  for (const line of caseLines) {
    if (!line) continue;
    const f = line.split('\t');
    const closed = f[5] ? day(f[5]) : null;
    const facts = { id: f[0], customer_id: f[1], kind: f[2], subtype: f[3] || null, severity: f[4] || null,
                    closed_day: closed, tier: f[6], do_not_contact: +f[7] };
    const { events } = await engine.run(facts);
    if (!events.length) continue;
    const applies = new Set(), assign = {}, prio = {};
    for (const e of events) {
      const p = e.params;
      if (e.type === 'applies') applies.add(p.policy);
      else if (e.type === 'assign' && (!assign[p.policy] || assign[p.policy].line > p.line)) assign[p.policy] = p;
      else if (e.type === 'priority' && (!prio[p.policy] || prio[p.policy].line > p.line)) prio[p.policy] = p;
    }
    for (const pol of applies) {
      const as = assign[pol] ? assign[pol].roles : '', pr = prio[pol] ? prio[pol].value : 3;
      const t = closed;
      if (pol === 'bench_complaint') {
        obligations.push([oid(pol, f[0], '1.1'), pol, f[1], f[0], t, addWorkdays(t, 3), as, pr]);
      } else if (pol === 'bench_discharge') {
        [t + 1, t + 7, addMonths(t, 1), addMonths(t, 3)].forEach((d, i) =>
          obligations.push([oid(pol, f[0], `1.${i + 1}`), pol, f[1], f[0], d, d, as, pr]));
      } else if (pol === 'bench_repair_sample') {
        const g = firstOfMonth(t);
        if (!groups.has(g)) groups.set(g, []);
        groups.get(g).push([sha(`bench_repair_sample|1|bench_repair_sample|${f[0]}`).slice(0, 16), f[0], f[1], t, as]);
      }
    }
  }
  for (const [g, cands] of groups) {
    if (addMonths(g, 1) > AS_OF) continue; // the month is not over: not drawn yet
    cands.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    const k = Math.floor((3000 * cands.length + 9999) / 10000);
    for (const [, id, cust, t, as] of cands.slice(0, k))
      if (t >= EFFECTIVE && t <= AS_OF)
        obligations.push([oid('bench_repair_sample', id, '1.1'), 'bench_repair_sample', cust, id, t, t + 7, as, 3]);
  }
  const out = ['id,policy,version,customer,case,due_from,due_by,channels,assignees,priority,status'];
  for (const [id, pol, cust, cs, from, by, as, pr] of obligations) {
    if (from > HORIZON || done.has(id)) continue;
    const status = from > AS_OF ? 'upcoming' : by < AS_OF ? 'overdue' : 'due';
    out.push(`${id},${pol},1,${cust},${cs},${fmt(from)},${fmt(by)},"${CHANNELS[pol]}",${as},${pr},${status}`);
  }
  fs.writeFileSync(outFile, out.join('\n') + '\n');
}
main().catch((e) => { console.error(e); process.exit(1); });
